package local

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// StreamTable is the part of the DynamoDB client a StreamFeeder uses.
type StreamTable interface {
	Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
}

// StreamFeeder stands in for a DynamoDB stream and the Lambda event-source
// mapping that reads it, because dynalite has no streams.
//
// It polls the table with consistent scans and compares each scan with the
// previous one: a new item becomes an INSERT record, a changed one MODIFY, a
// vanished one REMOVE, each with keys, images (NEW_AND_OLD_IMAGES), an
// increasing sequence number and an event ID, in key order. Like the
// mapping it starts at LATEST (items present at Start are not delivered),
// drops records that do not match the filter pattern, and invokes the
// function with batches of up to BatchSize records, one batch at a time.
// When the answer lists batchItemFailures, the batch is retried from the
// lowest failed sequence number; when the function fails, the batch is
// split in two (BisectBatchOnFunctionError) and retried. After
// MaximumRetryAttempts retries the records are recorded in Failed, where
// Lambda would send their description to the on-failure destination.
//
// Limits of the stand-in: changes between two polls are merged (an item
// written twice is one record), and the order of new items within one poll
// is key order, not write order. The function code knows nothing of this:
// it receives the events.DynamoDBEvent a real stream would deliver.
type StreamFeeder struct {
	DB       StreamTable
	Table    string
	Function Invoker
	// Filter is a Lambda event filter pattern, such as
	// welcomemailer.FilterPattern; empty delivers every record. Patterns
	// may nest objects and list accepted values, which covers exact
	// matching; other operators are refused by Start.
	Filter string
	// BatchSize is the most records per invocation (default 10).
	BatchSize int
	// MaximumRetryAttempts of a failing batch (default 5).
	MaximumRetryAttempts int
	// Interval between polls (default 250ms) and RetryDelay before a
	// retry (default 500ms).
	Interval, RetryDelay time.Duration
	// Region goes into the records (default us-east-1).
	Region string
	// Log receives what happens; nil means slog.Default().
	Log *slog.Logger

	filter    map[string]any
	keys      []string
	streamArn string
	seen      map[string]snapshotItem
	sequence  uint64
	poll      sync.Mutex // one poll at a time

	mu        sync.Mutex
	delivered []events.DynamoDBEvent
	failed    []events.DynamoDBEventRecord

	cancel context.CancelFunc
	done   chan struct{}
}

// Start takes the table's current state as the starting point and polls it
// until Stop.
func (f *StreamFeeder) Start(ctx context.Context) error {
	if err := f.init(ctx); err != nil {
		return err
	}
	ctx, f.cancel = context.WithCancel(context.WithoutCancel(ctx))
	f.done = make(chan struct{})
	go func() {
		defer close(f.done)
		t := time.NewTicker(f.Interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := f.Sync(ctx); err != nil && ctx.Err() == nil {
				f.log().Error("stream feeder: polling", "table", f.Table, "error", err)
			}
		}
	}()
	return nil
}

// Stop ends polling and waits for a batch in flight.
func (f *StreamFeeder) Stop() {
	if f.cancel != nil {
		f.cancel()
		<-f.done
	}
}

func (f *StreamFeeder) init(ctx context.Context) error {
	if f.BatchSize == 0 {
		f.BatchSize = 10
	}
	if f.MaximumRetryAttempts == 0 {
		f.MaximumRetryAttempts = 5
	}
	if f.Interval == 0 {
		f.Interval = 250 * time.Millisecond
	}
	if f.RetryDelay == 0 {
		f.RetryDelay = 500 * time.Millisecond
	}
	if f.Region == "" {
		f.Region = "us-east-1"
	}
	if f.Filter != "" {
		if err := json.Unmarshal([]byte(f.Filter), &f.filter); err != nil {
			return fmt.Errorf("stream feeder filter: %w", err)
		}
		if err := checkPattern(f.filter); err != nil {
			return fmt.Errorf("stream feeder filter %s: %w", f.Filter, err)
		}
	}
	desc, err := f.DB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(f.Table)})
	if err != nil {
		return fmt.Errorf("stream feeder: describing table %s: %w", f.Table, err)
	}
	for _, k := range desc.Table.KeySchema {
		f.keys = append(f.keys, aws.ToString(k.AttributeName))
	}
	f.streamArn = fmt.Sprintf("arn:aws:dynamodb:%s:123456789012:table/%s/stream/%s",
		f.Region, f.Table, time.Now().UTC().Format("2006-01-02T15:04:05.000"))
	f.seen, err = f.scan(ctx)
	return err
}

// Sync polls the table once and delivers what changed since the last poll.
// Tests call it to deliver without waiting for the next tick.
func (f *StreamFeeder) Sync(ctx context.Context) error {
	f.poll.Lock()
	defer f.poll.Unlock()
	now, err := f.scan(ctx)
	if err != nil {
		return err
	}
	var records []events.DynamoDBEventRecord
	for _, k := range slices.Sorted(maps.Keys(now)) {
		old, existed := f.seen[k]
		switch {
		case !existed:
			records = append(records, f.record(events.DynamoDBOperationTypeInsert, nil, now[k].image))
		case !bytes.Equal(old.canonical, now[k].canonical):
			records = append(records, f.record(events.DynamoDBOperationTypeModify, old.image, now[k].image))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(f.seen)) {
		if _, ok := now[k]; !ok {
			records = append(records, f.record(events.DynamoDBOperationTypeRemove, f.seen[k].image, nil))
		}
	}
	f.seen = now

	var selected []events.DynamoDBEventRecord
	for _, r := range records {
		if f.matches(r) {
			selected = append(selected, r)
		}
	}
	for len(selected) > 0 {
		n := min(f.BatchSize, len(selected))
		f.deliver(ctx, selected[:n], 0)
		selected = selected[n:]
	}
	return nil
}

// Delivered returns every batch the function was invoked with, retries and
// halves included, oldest first: what a test replays.
func (f *StreamFeeder) Delivered() []events.DynamoDBEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.delivered)
}

// Failed returns the records given up on after the retries.
func (f *StreamFeeder) Failed() []events.DynamoDBEventRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.failed)
}

// deliver invokes the function with batch until it succeeds or the retries
// run out; attempt counts the tries so far.
func (f *StreamFeeder) deliver(ctx context.Context, batch []events.DynamoDBEventRecord, attempt int) {
	for {
		if ctx.Err() != nil {
			return
		}
		event := events.DynamoDBEvent{Records: batch}
		f.mu.Lock()
		f.delivered = append(f.delivered, event)
		f.mu.Unlock()
		retry, err := f.invoke(ctx, event)
		if err == nil && len(retry) == 0 {
			return
		}
		if err != nil && len(batch) > 1 {
			f.log().Warn("stream feeder: function failed, bisecting the batch", "table", f.Table, "records", len(batch), "error", err)
			// As in Lambda, splitting does not count against the retries.
			half := len(batch) / 2
			f.deliver(ctx, batch[:half], attempt)
			f.deliver(ctx, batch[half:], attempt)
			return
		}
		if err == nil {
			batch = retry
		}
		attempt++
		if attempt > f.MaximumRetryAttempts {
			f.log().Error("stream feeder: retries exhausted; Lambda would send the batch to the on-failure destination",
				"table", f.Table, "records", len(batch), "error", err)
			f.mu.Lock()
			f.failed = append(f.failed, batch...)
			f.mu.Unlock()
			return
		}
		f.log().Warn("stream feeder: retrying", "table", f.Table, "records", len(batch), "attempt", attempt, "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(f.RetryDelay):
		}
	}
}

// invoke runs the function and returns the records to retry: those from the
// lowest failed sequence number on.
func (f *StreamFeeder) invoke(ctx context.Context, event events.DynamoDBEvent) ([]events.DynamoDBEventRecord, error) {
	payload, err := json.Marshal(event)
	if err != nil {
		return nil, err
	}
	out, err := f.Function.Invoke(ctx, payload)
	if err != nil {
		return nil, err
	}
	var resp events.DynamoDBEventResponse
	if len(bytes.TrimSpace(out)) == 0 || string(out) == "null" {
		return nil, nil
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		return nil, nil // any other answer is a success without failures
	}
	if len(resp.BatchItemFailures) == 0 {
		return nil, nil
	}
	lowest := -1
	for _, failure := range resp.BatchItemFailures {
		i := slices.IndexFunc(event.Records, func(r events.DynamoDBEventRecord) bool {
			return r.Change.SequenceNumber == failure.ItemIdentifier
		})
		if i < 0 {
			// Lambda treats an unknown identifier as a failure of the
			// whole batch.
			return nil, fmt.Errorf("batchItemFailures names unknown sequence number %q", failure.ItemIdentifier)
		}
		if lowest < 0 || i < lowest {
			lowest = i
		}
	}
	return event.Records[lowest:], nil
}

func (f *StreamFeeder) log() *slog.Logger {
	if f.Log != nil {
		return f.Log
	}
	return slog.Default()
}
