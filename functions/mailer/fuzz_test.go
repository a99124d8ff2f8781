package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gopherstack/serverless-arch/dev/testenv"
)

// FuzzInvoke feeds the function's decoder arbitrary payloads: stream
// batches, re-drive requests and anything else. Whatever arrives, the
// handler answers or errs, and never panics.
//
//	go test ./functions/mailer -run '^$' -fuzz FuzzInvoke -fuzztime 1000000x -parallel 1
func FuzzInvoke(f *testing.F) {
	testenv.SeedFixtures(f, "*.json")
	f.Add([]byte(`{"redrive":"ledger"}`))
	f.Add([]byte(`{"redrive":"failures"}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		clk := newClock()
		h := newTestHandler((&sesStub{}).sender(), newMemLedger(clk.Now), clk.Now)
		h.Sleep = func(context.Context, time.Duration) error { return nil }
		q := &memQueue{}
		q.send(string(payload))
		var ev events.DynamoDBEvent
		_ = json.Unmarshal(payload, &ev)
		h.Redrive = RedriveSources{Users: usersTable(ev), UsersTable: "users", Failures: q.client(), FailureQueueURL: "q", Stream: shardReader(ev.Records)}
		_, _ = h.Invoke(context.Background(), payload)
	})
}

// FuzzParseFailureRecord feeds the failure-record decoder arbitrary
// message bodies: it accepts only a range of a stream, and never panics.
//
//	go test ./functions/mailer -run '^$' -fuzz FuzzParseFailureRecord -fuzztime 1000000x -parallel 1
func FuzzParseFailureRecord(f *testing.F) {
	testenv.SeedFixtures(f, "*.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		fr, err := ParseFailureRecord(string(body))
		if err != nil {
			return
		}
		b := fr.Batch
		if b.ShardID == "" || b.StreamArn == "" || seqLess(b.EndSequenceNumber, b.StartSequenceNumber) {
			t.Fatalf("accepted %+v", b)
		}
	})
}
