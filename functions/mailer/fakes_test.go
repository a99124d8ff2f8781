package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// sendEmailFunc adapts a function to EmailSender.
type sendEmailFunc func(ctx context.Context, in *sesv2.SendEmailInput) (*sesv2.SendEmailOutput, error)

func (f sendEmailFunc) SendEmail(ctx context.Context, in *sesv2.SendEmailInput, _ ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	return f(ctx, in)
}

// clock is a settable time source shared by a handler and its ledger.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// memEntry is one user in memLedger.
type memEntry struct {
	status, token, reason, messageID string
	leaseUntil, expiresAt            time.Time
	attempts                         int
	key                              Key
}

// memLedger is an in-memory Ledger with DynamoLedger's semantics; the ledger
// contract test runs against both, which keeps this fake honest.
type memLedger struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[string]*memEntry
	tokens  int
}

func newMemLedger(now func() time.Time) *memLedger {
	return &memLedger{now: now, entries: map[string]*memEntry{}}
}

func (l *memLedger) Claim(_ context.Context, id, _ string, key Key, leaseUntil time.Time) (Claim, ClaimState, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[id]
	if !ok {
		e = &memEntry{}
		l.entries[id] = e
	}
	tookOver := false
	switch {
	case !ok, e.status == StatusReleased, e.status == StatusHeld, e.status == StatusMalformed:
	case e.status == StatusSending && e.leaseUntil.Unix() < l.now().Unix():
		tookOver = true
	case e.status == StatusSent, e.status == StatusRejected, e.status == StatusCancelled:
		return Claim{}, ClaimDone, nil
	default:
		return Claim{ID: id, FreeAt: time.Unix(e.leaseUntil.Unix()+1, 0)}, ClaimHeld, nil
	}
	l.tokens++
	e.status, e.token, e.leaseUntil, e.reason, e.expiresAt = StatusSending, fmt.Sprint("token-", l.tokens), leaseUntil, "", time.Time{}
	if len(key) > 0 {
		e.key = key
	}
	e.attempts++
	return Claim{ID: id, Token: e.token, Attempt: e.attempts, TookOver: tookOver}, ClaimOK, nil
}

func (l *memLedger) finish(c Claim, status string, final bool, set func(*memEntry)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[c.ID]
	if !ok || e.token == "" || e.token != c.Token {
		return fmt.Errorf("marking %s %s: %w", c.ID, status, ErrClaimLost)
	}
	e.status, e.token, e.leaseUntil = status, "", time.Time{}
	if final {
		e.expiresAt = l.now().Add(Retention)
	}
	set(e)
	return nil
}

func (l *memLedger) MarkSent(_ context.Context, c Claim, messageID string) error {
	return l.finish(c, StatusSent, true, func(e *memEntry) { e.messageID = messageID })
}

func (l *memLedger) MarkRejected(_ context.Context, c Claim, reason string) error {
	return l.finish(c, StatusRejected, true, func(e *memEntry) { e.reason = reason })
}

func (l *memLedger) MarkHeld(_ context.Context, c Claim, reason string) error {
	return l.finish(c, StatusHeld, false, func(e *memEntry) { e.reason = reason })
}

func (l *memLedger) MarkCancelled(_ context.Context, c Claim, reason string) error {
	return l.finish(c, StatusCancelled, true, func(e *memEntry) { e.reason = reason })
}

func (l *memLedger) Release(_ context.Context, c Claim, reason string) error {
	return l.finish(c, StatusReleased, false, func(e *memEntry) { e.reason = reason })
}

func (l *memLedger) RecordMalformed(_ context.Context, id, _, reason string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[id]
	if ok && e.status != StatusMalformed {
		return nil
	}
	l.entries[id] = &memEntry{status: StatusMalformed, reason: reason, expiresAt: l.now().Add(Retention)}
	return nil
}

func (l *memLedger) Pending(_ context.Context, visit func(Pending) error) error {
	l.mu.Lock()
	var pending []Pending
	for _, id := range slices.Sorted(maps.Keys(l.entries)) {
		if e := l.entries[id]; e.status == StatusHeld || e.status == StatusReleased {
			pending = append(pending, Pending{ID: id, Status: e.status, Reason: e.reason, Key: e.key})
		}
	}
	l.mu.Unlock()
	for _, p := range pending {
		if err := visit(p); err != nil {
			return err
		}
	}
	return nil
}

// statuses returns id => status for every entry.
func (l *memLedger) statuses() map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := map[string]string{}
	for id, e := range l.entries {
		m[id] = e.status
	}
	return m
}

func (l *memLedger) entry(id string) memEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.entries[id]; ok {
		return *e
	}
	return memEntry{}
}

// getItemFunc adapts a function to UserReader.
type getItemFunc func(ctx context.Context, in *dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error)

func (f getItemFunc) GetItem(ctx context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return f(ctx, in)
}

// queueFuncs adapts two functions to FailureQueue.
type queueFuncs struct {
	receive func(ctx context.Context, in *sqs.ReceiveMessageInput) (*sqs.ReceiveMessageOutput, error)
	delete  func(ctx context.Context, in *sqs.DeleteMessageInput) (*sqs.DeleteMessageOutput, error)
}

func (q queueFuncs) ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, _ ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error) {
	return q.receive(ctx, in)
}

func (q queueFuncs) DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, _ ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error) {
	return q.delete(ctx, in)
}

// streamFuncs adapts two functions to StreamReader.
type streamFuncs struct {
	iterator func(ctx context.Context, in *dynamodbstreams.GetShardIteratorInput) (*dynamodbstreams.GetShardIteratorOutput, error)
	records  func(ctx context.Context, in *dynamodbstreams.GetRecordsInput) (*dynamodbstreams.GetRecordsOutput, error)
}

func (s streamFuncs) GetShardIterator(ctx context.Context, in *dynamodbstreams.GetShardIteratorInput, _ ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetShardIteratorOutput, error) {
	return s.iterator(ctx, in)
}

func (s streamFuncs) GetRecords(ctx context.Context, in *dynamodbstreams.GetRecordsInput, _ ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error) {
	return s.records(ctx, in)
}

// memQueue is an SQS queue of failure records: received messages stay
// until deleted.
type memQueue struct {
	mu     sync.Mutex
	bodies map[string]string // by message id
	next   int
}

func (q *memQueue) send(body string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.bodies == nil {
		q.bodies = map[string]string{}
	}
	q.next++
	q.bodies[fmt.Sprint("msg-", q.next)] = body
}

func (q *memQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.bodies)
}

func (q *memQueue) client() FailureQueue {
	return queueFuncs{
		receive: func(_ context.Context, in *sqs.ReceiveMessageInput) (*sqs.ReceiveMessageOutput, error) {
			q.mu.Lock()
			defer q.mu.Unlock()
			out := &sqs.ReceiveMessageOutput{}
			for _, id := range slices.Sorted(maps.Keys(q.bodies)) {
				if len(out.Messages) == int(in.MaxNumberOfMessages) {
					break
				}
				out.Messages = append(out.Messages, sqstypes.Message{MessageId: aws.String(id), ReceiptHandle: aws.String("rh-" + id), Body: aws.String(q.bodies[id])})
			}
			return out, nil
		},
		delete: func(_ context.Context, in *sqs.DeleteMessageInput) (*sqs.DeleteMessageOutput, error) {
			q.mu.Lock()
			defer q.mu.Unlock()
			delete(q.bodies, strings.TrimPrefix(aws.ToString(in.ReceiptHandle), "rh-"))
			return &sqs.DeleteMessageOutput{}, nil
		},
	}
}

// shardReader serves recs, the records of one shard, to a re-drive, two
// per page so that paging is exercised.
func shardReader(recs []events.DynamoDBEventRecord) StreamReader {
	return streamFuncs{
		iterator: func(_ context.Context, in *dynamodbstreams.GetShardIteratorInput) (*dynamodbstreams.GetShardIteratorOutput, error) {
			for i, r := range recs {
				if r.Change.SequenceNumber == aws.ToString(in.SequenceNumber) {
					return &dynamodbstreams.GetShardIteratorOutput{ShardIterator: aws.String(fmt.Sprint(i))}, nil
				}
			}
			return nil, &streamtypes.TrimmedDataAccessException{Message: aws.String("trimmed")}
		},
		records: func(_ context.Context, in *dynamodbstreams.GetRecordsInput) (*dynamodbstreams.GetRecordsOutput, error) {
			from, _ := strconv.Atoi(aws.ToString(in.ShardIterator))
			to := min(from+2, len(recs))
			out := &dynamodbstreams.GetRecordsOutput{}
			for _, r := range recs[from:to] {
				out.Records = append(out.Records, streamRecordOf(r))
			}
			if to < len(recs) {
				out.NextShardIterator = aws.String(fmt.Sprint(to))
			}
			return out, nil
		},
	}
}

// streamRecordOf is the reverse of eventRecord, for strings, which is all
// the test records hold.
func streamRecordOf(r events.DynamoDBEventRecord) streamtypes.Record {
	image := func(m map[string]events.DynamoDBAttributeValue) map[string]streamtypes.AttributeValue {
		if m == nil {
			return nil
		}
		out := map[string]streamtypes.AttributeValue{}
		for k, v := range m {
			out[k] = &streamtypes.AttributeValueMemberS{Value: v.String()}
		}
		return out
	}
	created := r.Change.ApproximateCreationDateTime.Time
	return streamtypes.Record{
		EventID: aws.String(r.EventID), EventName: streamtypes.OperationType(r.EventName),
		EventSource: aws.String(r.EventSource), AwsRegion: aws.String(r.AWSRegion),
		Dynamodb: &streamtypes.StreamRecord{
			Keys: image(r.Change.Keys), NewImage: image(r.Change.NewImage), OldImage: image(r.Change.OldImage),
			SequenceNumber: aws.String(r.Change.SequenceNumber), ApproximateCreationDateTime: &created,
		},
	}
}
