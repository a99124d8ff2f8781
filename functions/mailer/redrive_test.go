package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// usersTable serves the users of a stream event's inserts, minus gone.
func usersTable(ev events.DynamoDBEvent, gone ...string) UserReader {
	return getItemFunc(func(_ context.Context, in *dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
		pk := itemString(in.Key, "pk")
		for _, r := range ev.Records {
			if imageString(r.Change.Keys, "pk") != pk || slices.Contains(gone, pk) {
				continue
			}
			item := map[string]ddbtypes.AttributeValue{}
			for k, v := range r.Change.NewImage {
				item[k] = &ddbtypes.AttributeValueMemberS{Value: v.String()}
			}
			return &dynamodb.GetItemOutput{Item: item}, nil
		}
		return &dynamodb.GetItemOutput{}, nil
	})
}

// While the account is in the SES sandbox a sign-up is held, not rejected;
// once it has production access, a re-drive sends it exactly once.
func TestRedriveLedger(t *testing.T) {
	tests := []struct {
		name      string
		stream    map[int]error // SES answers while the stream runs
		redrive   map[int]error // and during the re-drive
		gone      []string      // users deleted before the re-drive
		wantTo    []string      // recipients during the re-drive
		want      RedriveResult
		wantState string
	}{
		{name: "held in the sandbox is sent once production access is granted", stream: map[int]error{1: sandboxRefusal("ada@example.com")},
			wantTo: []string{"Ada@example.com"}, want: RedriveResult{Mode: "ledger", Sent: 1, Done: true}, wantState: StatusSent},
		{name: "still in the sandbox is held again", stream: map[int]error{1: sandboxRefusal("ada@example.com")},
			redrive: map[int]error{1: sandboxRefusal("ada@example.com")},
			wantTo:  []string{"Ada@example.com"}, want: RedriveResult{Mode: "ledger", Held: 1, Done: true}, wantState: StatusHeld},
		{name: "user who left is cancelled", stream: map[int]error{1: paused}, gone: []string{"USER#ada@example.com"},
			want: RedriveResult{Mode: "ledger", Cancelled: 1, Done: true}, wantState: StatusCancelled},
		{name: "released by a throttle is sent", stream: map[int]error{1: throttled},
			wantTo: []string{"Ada@example.com"}, want: RedriveResult{Mode: "ledger", Sent: 1, Done: true}, wantState: StatusSent},
		{name: "nothing pending, nothing sent", want: RedriveResult{Mode: "ledger", Done: true}, wantState: StatusSent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			ledger := newMemLedger(clk.Now)
			ev := loadEvent(t, "insert-user.json")
			if _, err := newTestHandler((&sesStub{errs: tt.stream}).sender(), ledger, clk.Now).Handle(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			ses := &sesStub{errs: tt.redrive}
			h := newTestHandler(ses.sender(), ledger, clk.Now)
			h.Redrive = RedriveSources{Users: usersTable(ev, tt.gone...), UsersTable: "myblog-users"}
			res, err := h.RunRedrive(context.Background(), "ledger")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ses.recipients(), tt.wantTo) || !equalResults(res, tt.want) {
				t.Fatalf("re-drive mailed %q, answered %+v; want %q, %+v", ses.recipients(), res, tt.wantTo, tt.want)
			}
			if got := ledger.entry("USER#ada@example.com").status; got != tt.wantState {
				t.Fatalf("ledger says %s, want %s", got, tt.wantState)
			}
			if tt.want.Held > 0 {
				return // SES answers the next call: a re-drive would send it
			}
			// Again: nothing more.
			if again, _ := h.RunRedrive(context.Background(), "ledger"); again.Sent != 0 || len(ses.calls) != len(tt.wantTo) {
				t.Fatalf("second re-drive %+v after %d calls", again, len(ses.calls))
			}
		})
	}
}

// equalResults compares the counts of two results, not their errors.
func equalResults(a, b RedriveResult) bool {
	return a.Mode == b.Mode && a.Sent == b.Sent && a.Held == b.Held && a.Rejected == b.Rejected &&
		a.Cancelled == b.Cancelled && a.Duplicates == b.Duplicates && a.Failed == b.Failed && a.Done == b.Done
}

func TestRedriveLedgerNeedsItsSources(t *testing.T) {
	clk := newClock()
	ledger := newMemLedger(clk.Now)
	c, _, _ := ledger.Claim(context.Background(), "USER#old@example.com", "e", nil, clk.Now())
	if err := ledger.Release(context.Background(), c, "throttled"); err != nil {
		t.Fatal(err)
	}
	h := newTestHandler((&sesStub{}).sender(), ledger, clk.Now)
	if _, err := h.RunRedrive(context.Background(), "ledger"); err == nil || !strings.Contains(err.Error(), "USERS_TABLE") {
		t.Fatalf("re-drive without a users table = %v", err)
	}
	h.Redrive = RedriveSources{Users: usersTable(events.DynamoDBEvent{}), UsersTable: "users"}
	res, err := h.RunRedrive(context.Background(), "ledger")
	if err != nil || res.Failed != 1 || !strings.Contains(strings.Join(res.Errors, ""), "no userKey") {
		t.Fatalf("an item without a user key: %+v, %v; want it reported", res, err)
	}
	if _, err := h.RunRedrive(context.Background(), "everything"); err == nil {
		t.Fatal("an unknown re-drive was accepted")
	}
}

// Records the mapping gave up on are read again from the stream and
// handled once; the failure record goes once they are.
func TestRedriveFailures(t *testing.T) {
	ev := loadEvent(t, "three-users.json")
	tests := []struct {
		name      string
		body      string
		stream    []events.DynamoDBEventRecord
		wantTo    []string
		wantLeft  int
		wantError string
	}{
		{name: "records are read again and mailed", body: string(readFixture(t, "failure-record.json")), stream: ev.Records,
			wantTo: []string{"grace@example.com", "edsger@example.com"}},
		{name: "records trimmed from the stream leave the message", body: string(readFixture(t, "failure-record.json")),
			stream: ev.Records[:1], wantLeft: 1, wantError: "trimmed"},
		{name: "a message that is no failure record stays", body: `{"hello":"world"}`, stream: ev.Records,
			wantLeft: 1, wantError: "no DDBStreamBatchInfo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			ledger := newMemLedger(clk.Now)
			ses := &sesStub{}
			q := &memQueue{}
			q.send(tt.body)
			h := newTestHandler(ses.sender(), ledger, clk.Now)
			h.Redrive = RedriveSources{Failures: q.client(), FailureQueueURL: "q", Stream: shardReader(tt.stream)}
			for range 2 { // twice: the second finds nothing more to send
				res, err := h.RunRedrive(context.Background(), "failures")
				if err != nil || (tt.wantError != "" && !strings.Contains(strings.Join(res.Errors, ""), tt.wantError)) {
					t.Fatalf("re-drive = %+v, %v; want an error about %q", res, err, tt.wantError)
				}
			}
			if !slices.Equal(ses.recipients(), tt.wantTo) || q.len() != tt.wantLeft {
				t.Fatalf("mailed %q, %d messages left; want %q, %d", ses.recipients(), q.len(), tt.wantTo, tt.wantLeft)
			}
		})
	}
}

func TestParseFailureRecord(t *testing.T) {
	fr, err := ParseFailureRecord(string(readFixture(t, "failure-record.json")))
	if err != nil || fr.Batch.ShardID != "shardId-00000001768470000000-5c1a7e00" || fr.Batch.BatchSize != 2 ||
		fr.RequestContext.Condition != "RetryAttemptsExhausted" {
		t.Fatalf("ParseFailureRecord = %+v, %v", fr, err)
	}
	for _, bad := range []string{
		``, `[]`, `{}`,
		`{"DDBStreamBatchInfo":{"shardId":"s","streamArn":"a","startSequenceNumber":"12x","endSequenceNumber":"13"}}`,
		`{"DDBStreamBatchInfo":{"shardId":"s","streamArn":"a","startSequenceNumber":"200","endSequenceNumber":"100"}}`,
	} {
		if _, err := ParseFailureRecord(bad); err == nil {
			t.Errorf("ParseFailureRecord(%q) accepted it", bad)
		}
	}
}

func TestSeqLess(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		less bool
	}{{"9", "10", true}, {"10", "9", false}, {"0042", "43", true}, {"100", "100", false}, {"4211000000000000002200", "4211000000000000002300", true}} {
		if got := seqLess(tt.a, tt.b); got != tt.less {
			t.Errorf("seqLess(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
}

// A held mail is a metric datapoint (embedded metric format) the
// component's alarm watches, in a log line that does not name the user.
func TestHeldMailIsCounted(t *testing.T) {
	clk := newClock()
	var logs bytes.Buffer
	h := newTestHandler((&sesStub{errs: map[int]error{1: sandboxRefusal("ada@example.com")}}).sender(), newMemLedger(clk.Now), clk.Now)
	h.Log, h.FunctionName = slog.New(slog.NewJSONHandler(&logs, nil)), "myblog-welcome-fn"
	if _, err := h.Handle(context.Background(), loadEvent(t, "insert-user.json")); err != nil {
		t.Fatal(err)
	}
	var line struct {
		AWS struct {
			Timestamp         int64
			CloudWatchMetrics []struct {
				Namespace  string
				Dimensions [][]string
				Metrics    []struct{ Name, Unit string }
			}
		} `json:"_aws"`
		FunctionName string
		HeldMails    int
	}
	for _, l := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		if bytes.Contains(l, []byte(`"_aws"`)) {
			if err := json.Unmarshal(l, &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	m := line.AWS.CloudWatchMetrics
	if len(m) != 1 || m[0].Namespace != settings.MetricsNamespace || !slices.Equal(m[0].Dimensions[0], []string{"FunctionName"}) ||
		m[0].Metrics[0].Name != settings.HeldMailsMetric || line.HeldMails != 1 || line.FunctionName != "myblog-welcome-fn" || line.AWS.Timestamp == 0 {
		t.Fatalf("no EMF datapoint for the held mail in:\n%s", logs.String())
	}
	if strings.Contains(strings.ToLower(logs.String()), "ada@") {
		t.Fatalf("the logs name the user:\n%s", logs.String())
	}
}

func TestInvokeTellsEventsApart(t *testing.T) {
	clk := newClock()
	h := newTestHandler((&sesStub{}).sender(), newMemLedger(clk.Now), clk.Now)
	h.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tt := range []struct {
		payload, wantErr string
		want             any
	}{
		{payload: string(readFixture(t, "insert-user.json")), want: events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}},
		{payload: `{"redrive":"ledger"}`, wantErr: "USERS_TABLE"},
		{payload: `{"redrive":"failures"}`, wantErr: "FAILURE_QUEUE_URL"},
		{payload: `{"redrive":"all"}`, wantErr: "unknown re-drive"},
		{payload: `{"detail":"an EventBridge event"}`, wantErr: "neither"},
		{payload: `not json`, wantErr: "decoding"},
	} {
		got, err := h.Invoke(context.Background(), json.RawMessage(tt.payload))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Invoke(%.30s) = %v, want an error about %q", tt.payload, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Invoke(%.30s): %v", tt.payload, err)
		}
		if b, _ := json.Marshal(got); !bytes.Equal(b, mustJSON(t, tt.want)) {
			t.Errorf("Invoke(%.30s) = %s", tt.payload, b)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The held-mail alarm stays on while mails wait: a re-drive that leaves
// none held writes HeldMails 0, which turns it off; one that holds some
// again does not.
func TestRedriveClearsTheHeldMailAlarm(t *testing.T) {
	for _, tt := range []struct {
		name    string
		redrive map[int]error
		want    []int // HeldMails datapoints of the re-drive
	}{
		{"production access granted", nil, []int{0}},
		{"still in the sandbox", map[int]error{1: sandboxRefusal("ada@example.com")}, []int{1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			ledger := newMemLedger(clk.Now)
			ev := loadEvent(t, "insert-user.json")
			stream := newTestHandler((&sesStub{errs: map[int]error{1: sandboxRefusal("ada@example.com")}}).sender(), ledger, clk.Now)
			if _, err := stream.Handle(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			h := newTestHandler((&sesStub{errs: tt.redrive}).sender(), ledger, clk.Now)
			h.Log = slog.New(slog.NewJSONHandler(&logs, nil))
			h.Redrive = RedriveSources{Users: usersTable(ev), UsersTable: "users"}
			if _, err := h.RunRedrive(context.Background(), "ledger"); err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, l := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
				var line struct {
					AWS       *json.RawMessage `json:"_aws"`
					HeldMails int
				}
				if json.Unmarshal(l, &line) == nil && line.AWS != nil {
					got = append(got, line.HeldMails)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("HeldMails datapoints %v, want %v", got, tt.want)
			}
		})
	}
}
