package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// memTable is a table of items keyed by pk+sk, scanned two items a page.
type memTable struct {
	items map[string]map[string]types.AttributeValue
}

func (m *memTable) put(pk, sk, entity string, extra ...string) {
	item := map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk},
		"entity": &types.AttributeValueMemberS{Value: entity},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		item[extra[i]] = &types.AttributeValueMemberS{Value: extra[i+1]}
	}
	m.items[pk+"|"+sk] = item
}

func (m *memTable) Scan(_ context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	keys := slices.Sorted(maps.Keys(m.items))
	start := 0
	if in.ExclusiveStartKey != nil {
		last := in.ExclusiveStartKey["pk"].(*types.AttributeValueMemberS).Value + "|" + in.ExclusiveStartKey["sk"].(*types.AttributeValueMemberS).Value
		start = slices.Index(keys, last) + 1
	}
	out := &dynamodb.ScanOutput{}
	end := min(start+2, len(keys))
	for _, k := range keys[start:end] {
		out.Items = append(out.Items, m.items[k])
	}
	if end < len(keys) {
		item := m.items[keys[end-1]]
		out.LastEvaluatedKey = map[string]types.AttributeValue{"pk": item["pk"], "sk": item["sk"]}
	}
	return out, nil
}

func (m *memTable) DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	return &dynamodb.DescribeTableOutput{Table: &types.TableDescription{KeySchema: []types.KeySchemaElement{
		{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
		{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
	}}}, nil
}

// streamFn records the batches it gets and answers with answer(batch).
type streamFn struct {
	batches [][]events.DynamoDBEventRecord
	answer  func(batch []events.DynamoDBEventRecord) ([]byte, error)
}

func (s *streamFn) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	s.batches = append(s.batches, ev.Records)
	if s.answer == nil {
		return []byte(`{"batchItemFailures":[]}`), nil
	}
	return s.answer(ev.Records)
}

func pks(recs []events.DynamoDBEventRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.EventName+" "+r.Change.Keys["pk"].String())
	}
	return out
}

const userFilter = `{"eventName":["INSERT"],"dynamodb":{"NewImage":{"entity":{"S":["user"]}}}}`

func newFeeder(t *testing.T, table *memTable, fn *streamFn, filter string) *StreamFeeder {
	t.Helper()
	f := &StreamFeeder{DB: table, Table: "blog", Function: fn, Filter: filter, BatchSize: 3, RetryDelay: 1}
	if err := f.init(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestStreamFeederTurnsChangesIntoRecords(t *testing.T) {
	table := &memTable{items: map[string]map[string]types.AttributeValue{}}
	table.put("USER#old", "PROFILE", "user") // present at start: not delivered (LATEST)
	fn := &streamFn{}
	f := newFeeder(t, table, fn, "")

	table.put("USER#ada", "PROFILE", "user", "email", "ada@example.com", "name", "Ada")
	table.put("POST#hello", "POST", "post")
	table.put("USER#old", "PROFILE", "user", "name", "Changed")
	if err := f.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	delete(table.items, "POST#hello|POST")
	if err := f.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(context.Background()); err != nil { // nothing changed
		t.Fatal(err)
	}

	want := [][]string{
		{"INSERT POST#hello", "INSERT USER#ada", "MODIFY USER#old"},
		{"REMOVE POST#hello"},
	}
	var got [][]string
	for _, b := range fn.batches {
		got = append(got, pks(b))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("batches %v, want %v", got, want)
	}

	ins := fn.batches[0][1]
	if ins.Change.NewImage["email"].String() != "ada@example.com" || ins.Change.OldImage != nil ||
		ins.Change.StreamViewType != "NEW_AND_OLD_IMAGES" || ins.EventSource != "aws:dynamodb" || ins.EventID == "" {
		t.Errorf("INSERT record = %+v", ins)
	}
	mod := fn.batches[0][2]
	if _, ok := mod.Change.OldImage["name"]; ok || mod.Change.OldImage["entity"].String() != "user" {
		t.Errorf("MODIFY old image = %v, want the item before the change", mod.Change.OldImage)
	}
	if mod.Change.NewImage["name"].String() != "Changed" {
		t.Errorf("MODIFY new image = %v", mod.Change.NewImage)
	}
	rem := fn.batches[1][0]
	if rem.Change.NewImage != nil || rem.Change.OldImage["entity"].String() != "post" {
		t.Errorf("REMOVE record = %+v", rem.Change)
	}
	var seqs []string
	for _, b := range fn.batches {
		for _, r := range b {
			seqs = append(seqs, r.Change.SequenceNumber)
		}
	}
	if !slices.IsSorted(seqs) || len(slices.Compact(slices.Clone(seqs))) != len(seqs) {
		t.Errorf("sequence numbers %v are not strictly increasing", seqs)
	}
}

func TestStreamFeederFiltersAndBatches(t *testing.T) {
	table := &memTable{items: map[string]map[string]types.AttributeValue{}}
	fn := &streamFn{}
	f := newFeeder(t, table, fn, userFilter)
	for i := range 7 {
		table.put(fmt.Sprintf("USER#%d", i), "PROFILE", "user")
	}
	table.put("POST#a", "POST", "post")
	if err := f.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, b := range fn.batches {
		sizes = append(sizes, len(b))
		for _, r := range b {
			if r.Change.NewImage["entity"].String() != "user" {
				t.Errorf("filtered-out record delivered: %v", r.Change.Keys)
			}
		}
	}
	if fmt.Sprint(sizes) != "[3 3 1]" {
		t.Fatalf("batch sizes %v, want [3 3 1]", sizes)
	}
	if len(f.Delivered()) != 3 {
		t.Fatalf("Delivered() has %d batches, want 3", len(f.Delivered()))
	}
}

func TestStreamFeederRetriesFromTheLowestFailure(t *testing.T) {
	table := &memTable{items: map[string]map[string]types.AttributeValue{}}
	calls := 0
	fn := &streamFn{answer: func(batch []events.DynamoDBEventRecord) ([]byte, error) {
		calls++
		if calls == 1 { // the second record fails once
			return json.Marshal(events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{
				{ItemIdentifier: batch[2].Change.SequenceNumber}, {ItemIdentifier: batch[1].Change.SequenceNumber},
			}})
		}
		return []byte(`{"batchItemFailures":[]}`), nil
	}}
	f := newFeeder(t, table, fn, "")
	for _, pk := range []string{"USER#a", "USER#b", "USER#c"} {
		table.put(pk, "PROFILE", "user")
	}
	if err := f.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, b := range fn.batches {
		got = append(got, pks(b))
	}
	want := "[[INSERT USER#a INSERT USER#b INSERT USER#c] [INSERT USER#b INSERT USER#c]]"
	if fmt.Sprint(got) != want {
		t.Fatalf("batches %v, want %s", got, want)
	}
	if len(f.Failed()) != 0 {
		t.Fatalf("Failed() = %v", f.Failed())
	}
}

func TestStreamFeederBisectsAndGivesUp(t *testing.T) {
	table := &memTable{items: map[string]map[string]types.AttributeValue{}}
	fn := &streamFn{answer: func(batch []events.DynamoDBEventRecord) ([]byte, error) {
		for _, r := range batch {
			if r.Change.Keys["pk"].String() == "USER#poison" {
				return nil, errors.New("function crashed")
			}
		}
		return []byte(`null`), nil
	}}
	f := newFeeder(t, table, fn, "")
	f.MaximumRetryAttempts = 2
	for _, pk := range []string{"USER#a", "USER#b", "USER#poison"} {
		table.put(pk, "PROFILE", "user")
	}
	if err := f.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	failed := pks(f.Failed())
	if fmt.Sprint(failed) != "[INSERT USER#poison]" {
		t.Fatalf("Failed() = %v, want only the poison record", failed)
	}
	delivered := map[string]int{}
	for _, b := range fn.batches {
		for _, k := range pks(b) {
			delivered[k]++
		}
	}
	if delivered["INSERT USER#a"] < 1 || delivered["INSERT USER#b"] < 1 {
		t.Fatalf("the good records were not delivered apart from the poison one: %v", delivered)
	}
	// A single poison record: the first try plus MaximumRetryAttempts.
	lastBatches := fn.batches[len(fn.batches)-3:]
	for _, b := range lastBatches {
		if fmt.Sprint(pks(b)) != "[INSERT USER#poison]" {
			t.Fatalf("last batches %v, want the poison record alone, three times", fn.batches)
		}
	}
}

func TestStreamFeederRefusesUnsupportedFilters(t *testing.T) {
	table := &memTable{items: map[string]map[string]types.AttributeValue{}}
	f := &StreamFeeder{DB: table, Table: "blog", Function: &streamFn{}, Filter: `{"eventName":[{"prefix":"IN"}]}`}
	if err := f.init(context.Background()); err == nil {
		t.Fatal("init accepted a prefix filter it cannot apply")
	}
}
