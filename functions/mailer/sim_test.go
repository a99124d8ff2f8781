package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
)

// This file simulates Lambda's event-source mapping over one shard of the
// users table's stream, as the WelcomeMailer component configures it, and
// an invocation that can crash, time out or meet an AWS failure at every
// step of the handler's protocol. sim_scenarios_test.go drives it.
//
// The mapping, as AWS documents it for DynamoDB streams: batches of up to
// batchSize records, in order; an answer listing batchItemFailures is
// retried at once from the lowest failed sequence number; a function error
// (a crash or a timeout) splits the batch in two (BisectBatchOnFunctionError);
// after maxRetries retries, or once a record is older than maxRecordAge, the
// records' position (DDBStreamBatchInfo, not the records) goes to the
// on-failure queue and the shard moves on. Whether AWS counts a split
// against the retries is not documented; the simulation counts it, which
// spends the budget faster.

// crash is the panic value of a simulated process death.
type crash struct{ point string }

// mapping is the event-source mapping's configuration.
type mapping struct {
	batchSize, maxRetries int
	maxRecordAge, timeout time.Duration
	// retryDelay passes before each retry: none, as Lambda retries a stream
	// batch, or longer (a throttled function).
	retryDelay time.Duration
}

// simCtx is an invocation's context: its deadline is on the simulated
// clock, and it is never cancelled in real time.
type simCtx struct {
	context.Context
	deadline time.Time
}

func (c simCtx) Deadline() (time.Time, bool) { return c.deadline, true }

// world is the shard, the AWS services the handler talks to, and what
// happened to every user.
type world struct {
	t      *testing.T
	clk    *clock
	ledger *memLedger
	queue  *memQueue
	shard  []events.DynamoDBEventRecord
	// users is the users table, by pk.
	users map[string]map[string]events.DynamoDBAttributeValue
	// mails counts the mails SES accepted, by user pk; unrecorded counts
	// those whose attempt did not record them as sent.
	mails, unrecorded map[string]int

	fault    fault
	hits     map[string]int // times the fault's point was reached, stream phase only
	stream   bool           // the mapping runs (faults apply) rather than a re-drive
	sandbox  bool           // SES refuses the fault's target as unverified
	deadline time.Time      // of the running invocation

	invocations, failureRecords int
	failRelease                 bool
}

func newWorld(t *testing.T, f fault, users int, age time.Duration) *world {
	clk := newClock()
	w := &world{t: t, clk: clk, ledger: newMemLedger(clk.Now), queue: &memQueue{},
		users: map[string]map[string]events.DynamoDBAttributeValue{}, mails: map[string]int{}, unrecorded: map[string]int{},
		fault: f, hits: map[string]int{}, stream: true, sandbox: f.kind == faultSandbox || f.kind == faultUserLeft}
	for i := range users {
		addr := fmt.Sprintf("u%d@example.com", i)
		s := events.NewStringAttribute
		keys := map[string]events.DynamoDBAttributeValue{"pk": s("USER#" + addr), "sk": s("PROFILE")}
		img := map[string]events.DynamoDBAttributeValue{"pk": s("USER#" + addr), "sk": s("PROFILE"),
			"entity": s("user"), "email": s(addr), "name": s(fmt.Sprint("User ", i))}
		w.users["USER#"+addr] = img
		w.shard = append(w.shard, events.DynamoDBEventRecord{
			EventID: fmt.Sprintf("event-%d", i), EventName: "INSERT", EventSource: "aws:dynamodb", AWSRegion: "eu-west-1",
			Change: events.DynamoDBStreamRecord{
				ApproximateCreationDateTime: events.SecondsEpochTime{Time: clk.Now().Add(-age)},
				Keys:                        keys, NewImage: img, SequenceNumber: fmt.Sprintf("42%020d", (i+1)*100),
				StreamViewType: "NEW_AND_OLD_IMAGES",
			},
		})
	}
	return w
}

// handler is what one execution environment runs: the real Handler with
// the world's services.
func (w *world) handler() *Handler {
	return &Handler{
		Mail: sendEmailFunc(w.sendEmail), Ledger: simLedger{w.ledger, w},
		From: testSender, Template: testTpl, ConfigurationSet: testConfig, Users: blogUsers,
		Redrive: RedriveSources{Users: getItemFunc(w.getUser), UsersTable: "users",
			Failures: w.queue.client(), FailureQueueURL: "failures", Stream: shardReader(w.shard)},
		FunctionName: "mailer", Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: w.clk.Now, Sleep: w.sleep,
	}
}

// spend lets d pass inside the invocation; Lambda ends an invocation that
// reaches its deadline.
func (w *world) spend(d time.Duration) {
	if w.clk.Now().Add(d).After(w.deadline) {
		w.clk.Advance(w.deadline.Sub(w.clk.Now()))
		panic(crash{"timeout"})
	}
	w.clk.Advance(d)
}

// sleep is the handler's wait: waiting past the deadline is a bug of the
// handler, which must only wait when it has the time.
func (w *world) sleep(_ context.Context, d time.Duration) error {
	if w.clk.Now().Add(d).After(w.deadline) {
		w.t.Errorf("the handler waited %v with %v left", d, w.deadline.Sub(w.clk.Now()))
	}
	w.spend(d)
	return nil
}

// at reports whether the fault strikes at point for user id: the fault's
// point, its target, the stream phase, and not yet struck times times.
func (w *world) at(point, id string) bool {
	if !w.stream || w.fault.point() != point || id != w.target() {
		return false
	}
	w.hits[point]++
	return w.fault.times == 0 || w.hits[point] <= w.fault.times
}

func (w *world) target() string { return fmt.Sprintf("USER#u%d@example.com", w.fault.target) }

func (w *world) sendEmail(ctx context.Context, in *sesv2.SendEmailInput) (*sesv2.SendEmailOutput, error) {
	to := in.Destination.ToAddresses[0]
	id := "USER#" + to
	w.spend(50 * time.Millisecond)
	switch {
	case w.fault.kind == faultInvalid && id == w.target():
		return nil, &types.MessageRejected{Message: aws.String("Illegal address")}
	case w.sandbox && id == w.target():
		return nil, sandboxRefusal(to)
	case w.at("ses", id):
		return w.sendFault(ctx, id)
	}
	w.accept(id)
	return &sesv2.SendEmailOutput{MessageId: aws.String(fmt.Sprint("ses-", w.mails[id]))}, nil
}

func (w *world) accept(id string) {
	w.mails[id]++
	w.unrecorded[id]++
}

// sendFault plays the fault that strikes a SendEmail call.
func (w *world) sendFault(ctx context.Context, id string) (*sesv2.SendEmailOutput, error) {
	switch w.fault.kind {
	case faultCrashNotSent:
		panic(crash{"SES never got the mail"})
	case faultCrashAccepted:
		w.accept(id)
		panic(crash{"SES accepted the mail"})
	case faultThrottled:
		return nil, throttled
	case faultThrottledNoRelease:
		w.failRelease = true
		return nil, throttled
	case faultAnswerLost:
		w.accept(id)
		return nil, errors.New("read tcp: connection reset by peer")
	case faultSESSlow:
		// The SDK gives up at the send deadline; SES accepted anyway.
		deadline, _ := ctx.Deadline()
		w.spend(deadline.Sub(w.clk.Now()))
		w.accept(id)
		return nil, context.DeadlineExceeded
	}
	panic("no SES fault " + w.fault.kind)
}

func (w *world) getUser(_ context.Context, in *dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
	img, ok := w.users[itemString(in.Key, "pk")]
	if !ok {
		return &dynamodb.GetItemOutput{}, nil
	}
	out := &dynamodb.GetItemOutput{Item: map[string]ddbtypes.AttributeValue{}}
	for k, v := range img {
		out.Item[k] = &ddbtypes.AttributeValueMemberS{Value: v.String()}
	}
	return out, nil
}

// simLedger is the in-memory ledger with the world's latencies and faults.
type simLedger struct {
	*memLedger
	w *world
}

func (l simLedger) Claim(ctx context.Context, id, eventID string, key Key, until time.Time) (Claim, ClaimState, error) {
	w := l.w
	w.spend(10 * time.Millisecond)
	if w.at("claim", id) {
		switch w.fault.kind {
		case faultCrashBeforeClaim:
			panic(crash{"before the claim"})
		case faultLedgerDown:
			return Claim{}, 0, errors.New("dynamodb: service unavailable")
		}
	}
	c, st, err := l.memLedger.Claim(ctx, id, eventID, key, until)
	if st == ClaimOK && w.at("claimed", id) {
		panic(crash{"after the claim"})
	}
	return c, st, err
}

func (l simLedger) MarkSent(ctx context.Context, c Claim, messageID string) error {
	w := l.w
	if w.at("record", c.ID) {
		switch w.fault.kind {
		case faultCrashBeforeRecord:
			panic(crash{"before recording"})
		case faultTimeoutRecording:
			w.spend(w.deadline.Sub(w.clk.Now()) + time.Second)
		case faultRecordFails:
			return errors.New("dynamodb: service unavailable")
		}
	}
	w.spend(10 * time.Millisecond)
	if err := l.memLedger.MarkSent(ctx, c, messageID); err != nil {
		return err
	}
	w.unrecorded[c.ID]--
	if w.at("recorded", c.ID) {
		panic(crash{"after recording"})
	}
	return nil
}

func (l simLedger) Release(ctx context.Context, c Claim, reason string) error {
	l.w.spend(10 * time.Millisecond)
	if l.w.failRelease {
		l.w.failRelease = false
		return errors.New("dynamodb: service unavailable")
	}
	return l.memLedger.Release(ctx, c, reason)
}

// runMapping delivers the shard as the mapping does.
func (w *world) runMapping(m mapping) {
	for pos := 0; pos < len(w.shard); pos += m.batchSize {
		w.deliver(m, w.shard[pos:min(pos+m.batchSize, len(w.shard))], 0)
	}
}

// deliver invokes the function with batch until it is processed, split or
// given up on; retries counts the retries spent on it so far.
func (w *world) deliver(m mapping, batch []events.DynamoDBEventRecord, retries int) {
	for {
		batch = w.dropAged(m, batch)
		if len(batch) == 0 {
			return
		}
		lowest, err := w.invoke(m, batch)
		if err == nil && lowest < 0 {
			return
		}
		if retries == m.maxRetries {
			w.sendFailure(batch, "RetryAttemptsExhausted")
			return
		}
		w.clk.Advance(m.retryDelay)
		if err != nil && len(batch) > 1 {
			half := len(batch) / 2
			w.deliver(m, batch[:half], retries+1)
			w.deliver(m, batch[half:], retries+1)
			return
		}
		if err == nil {
			batch = batch[lowest:]
		}
		retries++
	}
}

// dropAged sends the records older than maxRecordAge to the failure queue.
func (w *world) dropAged(m mapping, batch []events.DynamoDBEventRecord) []events.DynamoDBEventRecord {
	aged := 0
	for aged < len(batch) && w.clk.Now().Sub(batch[aged].Change.ApproximateCreationDateTime.Time) > m.maxRecordAge {
		aged++
	}
	if aged > 0 {
		w.sendFailure(batch[:aged], "RecordAgeExceeded")
	}
	return batch[aged:]
}

// invoke runs one invocation and returns the index of the lowest reported
// failure (-1 for none), or an error for a function error.
func (w *world) invoke(m mapping, batch []events.DynamoDBEventRecord) (lowest int, err error) {
	w.invocations++
	w.deadline = w.clk.Now().Add(m.timeout)
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(crash)
			if !ok {
				panic(r)
			}
			lowest, err = -1, fmt.Errorf("function error: %s", c.point)
		}
	}()
	resp, _ := w.handler().Handle(simCtx{context.Background(), w.deadline}, events.DynamoDBEvent{Records: batch})
	lowest = -1
	for _, f := range resp.BatchItemFailures {
		i := slices.IndexFunc(batch, func(r events.DynamoDBEventRecord) bool { return r.Change.SequenceNumber == f.ItemIdentifier })
		if i < 0 {
			w.t.Fatalf("batchItemFailures names %q, not in the batch", f.ItemIdentifier)
		}
		if lowest < 0 || i < lowest {
			lowest = i
		}
	}
	return lowest, nil
}

// sendFailure puts the batch's position on the on-failure queue, as the
// mapping does.
func (w *world) sendFailure(batch []events.DynamoDBEventRecord, condition string) {
	w.failureRecords++
	w.queue.send(fmt.Sprintf(`{"requestContext":{"condition":%q,"approximateInvokeCount":%d},"version":"1.0",`+
		`"DDBStreamBatchInfo":{"shardId":"shardId-00000001","startSequenceNumber":%q,"endSequenceNumber":%q,`+
		`"batchSize":%d,"streamArn":"arn:aws:dynamodb:eu-west-1:123456789012:table/users/stream/2026-01-15T10:00:00.000"}}`,
		condition, w.invocations, batch[0].Change.SequenceNumber, batch[len(batch)-1].Change.SequenceNumber, len(batch)))
}

// redrive runs a re-drive as an operator would: invoked again until done.
func (w *world) redrive(m mapping, mode string) {
	for range 20 {
		w.deadline = w.clk.Now().Add(m.timeout)
		res, err := w.handler().RunRedrive(simCtx{context.Background(), w.deadline}, mode)
		if err != nil {
			w.t.Fatalf("re-drive %s: %v", mode, err)
		}
		if res.Done {
			return
		}
	}
	w.t.Fatalf("re-drive %s not done after 20 invocations", mode)
}

func (w *world) status(id string) string { return w.ledger.entry(id).status }

func (w *world) String() string {
	var b strings.Builder
	for _, r := range w.shard {
		id := imageString(r.Change.Keys, "pk")
		fmt.Fprintf(&b, "%s: %d mails (%d unrecorded), %s; ", id, w.mails[id], w.unrecorded[id], w.status(id))
	}
	fmt.Fprintf(&b, "%d invocations, %d failure records, %d left in the queue", w.invocations, w.failureRecords, w.queue.len())
	return b.String()
}
