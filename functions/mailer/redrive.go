package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// UserReader is the part of the DynamoDB client that reads a user again.
type UserReader interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
}

// FailureQueue is the part of the SQS client that drains the mapping's
// on-failure queue.
type FailureQueue interface {
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, optFns ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, optFns ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
}

// RedriveSources are what a re-drive reads besides the ledger.
type RedriveSources struct {
	// Users reads UsersTable (USERS_TABLE): a held mail goes to the user
	// as they are now, or to nobody if they left.
	Users      UserReader
	UsersTable string
	// Failures is the mapping's on-failure queue (FAILURE_QUEUE_URL);
	// Stream reads the records its messages point to.
	Failures        FailureQueue
	FailureQueueURL string
	Stream          StreamReader
}

// RedriveResult is the answer to a re-drive request.
type RedriveResult struct {
	Mode string `json:"mode"`
	// Sent, Held, Rejected and Cancelled count the outcomes recorded;
	// Duplicates the users an earlier attempt had finished.
	Sent       int `json:"sent"`
	Held       int `json:"held"`
	Rejected   int `json:"rejected"`
	Cancelled  int `json:"cancelled"`
	Duplicates int `json:"duplicates"`
	// Failed counts ledger items or failure records left for a later
	// re-drive, with the first errors.
	Failed int      `json:"failed"`
	Errors []string `json:"errors,omitempty"`
	// Done is false when the invocation ran out of time: invoke again.
	Done bool `json:"done"`
}

func (r *RedriveResult) count(status string) {
	switch status {
	case StatusSent:
		r.Sent++
	case StatusHeld:
		r.Held++
	case StatusRejected:
		r.Rejected++
	case StatusCancelled:
		r.Cancelled++
	case "":
		r.Duplicates++
	}
}

func (r *RedriveResult) fail(err error) {
	r.Failed++
	if len(r.Errors) < 10 {
		r.Errors = append(r.Errors, err.Error())
	}
}

// redriveBudget is the time a re-drive keeps for one more user: a wait for a
// lease, a send and its record.
const redriveBudget = claimLease + 2*time.Second + sendWindow + outcomeReserve

var errOutOfTime = errors.New("out of time")

// RunRedrive sends what the stream could not, each user at most once
// through the ledger, so running it twice, or while the stream runs, sends
// nothing twice:
//
//   - "ledger": every held or released user, read again from the users
//     table (a user who left is cancelled). Run it once the account has
//     production access, or the sender is verified again.
//   - "failures": every record of every message in the on-failure queue,
//     read again from the stream (within its 24-hour retention); a message
//     is deleted once all its records are handled.
func (h *Handler) RunRedrive(ctx context.Context, mode string) (RedriveResult, error) {
	switch mode {
	case "ledger":
		return h.redriveLedger(ctx)
	case "failures":
		return h.redriveFailures(ctx)
	}
	return RedriveResult{}, fmt.Errorf(`unknown re-drive %q: want "ledger" or "failures"`, mode)
}

func (h *Handler) redriveLedger(ctx context.Context) (RedriveResult, error) {
	res := RedriveResult{Mode: "ledger", Done: true}
	if h.Redrive.Users == nil || h.Redrive.UsersTable == "" {
		return res, errors.New("re-drive from the ledger needs USERS_TABLE")
	}
	err := h.Ledger.Pending(ctx, func(p Pending) error {
		if h.remaining(ctx) < redriveBudget {
			res.Done = false
			return errOutOfTime
		}
		status, err := h.redriveUser(ctx, p)
		if err != nil {
			res.fail(err)
			return nil
		}
		res.count(status)
		return nil
	})
	if err != nil && !errors.Is(err, errOutOfTime) {
		return res, err
	}
	h.log().Info("re-drive from the ledger", "sent", res.Sent, "held", res.Held, "failed", res.Failed, "done", res.Done)
	if res.Done && res.Held == 0 && res.Failed == 0 {
		h.emitHeld(h.log(), slog.LevelInfo, "no welcome mail is held any more", 0)
	}
	return res, nil
}

// redriveUser mails one pending user as the users table has them now. The
// ledger id holds the user's address in the blog's table, so it is not
// logged.
func (h *Handler) redriveUser(ctx context.Context, p Pending) (string, error) {
	log := h.log().With("redrive", "ledger")
	if len(p.Key) == 0 {
		return "", errors.New("a pending ledger item has no userKey (written before re-drives existed); replay its record instead")
	}
	out, err := h.Redrive.Users.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(h.Redrive.UsersTable), Key: p.Key, ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return "", fmt.Errorf("reading a user of a pending mail: %w", err)
	}
	rec := events.DynamoDBEventRecord{EventName: string(events.DynamoDBOperationTypeInsert),
		Change: events.DynamoDBStreamRecord{Keys: imageOf(p.Key)}}
	if len(out.Item) > 0 {
		rec.Change.NewImage = imageOf(out.Item)
	}
	w, isUser, problem := h.Users.parse(rec)
	switch {
	case len(out.Item) == 0:
		return h.cancel(ctx, log, p, w, "the user no longer exists")
	case !isUser || problem != "":
		return h.cancel(ctx, log, p, w, "the item is no longer a user that can be mailed: "+problem)
	}
	return h.welcome(ctx, log, "redrive", w)
}

// cancel records that a pending mail has nobody to go to any more.
func (h *Handler) cancel(ctx context.Context, log *slog.Logger, p Pending, w welcome, reason string) (string, error) {
	w.id, w.key = p.ID, p.Key
	c, err := h.claim(ctx, log, "redrive", w)
	if err != nil || c == nil {
		return "", err
	}
	if err := h.Ledger.MarkCancelled(ctx, c.Claim, reason); err != nil {
		return "", fmt.Errorf("cancelling a pending mail: %w", err)
	}
	log.Info("pending mail cancelled", "reason", reason)
	return StatusCancelled, nil
}

func (h *Handler) redriveFailures(ctx context.Context) (RedriveResult, error) {
	res := RedriveResult{Mode: "failures", Done: true}
	src := h.Redrive
	if src.Failures == nil || src.FailureQueueURL == "" || src.Stream == nil {
		return res, errors.New("re-drive of failure records needs FAILURE_QUEUE_URL")
	}
	seen := map[string]bool{}
	for {
		if h.remaining(ctx) < redriveBudget {
			res.Done = false
			return res, nil
		}
		out, err := src.Failures.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(src.FailureQueueURL), MaxNumberOfMessages: 10,
			WaitTimeSeconds: 1, VisibilityTimeout: 120,
		})
		if err != nil {
			return res, fmt.Errorf("receiving failure records: %w", err)
		}
		fresh := 0
		for _, m := range out.Messages {
			if id := aws.ToString(m.MessageId); !seen[id] {
				seen[id] = true
				fresh++
				h.redriveMessage(ctx, m, &res)
			}
		}
		if fresh == 0 {
			h.log().Info("re-drive of failure records", "sent", res.Sent, "held", res.Held, "failed", res.Failed)
			return res, nil
		}
	}
}

// redriveMessage replays the records of one failure record and deletes it
// once they are all handled; otherwise it reappears for the next re-drive.
func (h *Handler) redriveMessage(ctx context.Context, m sqstypes.Message, res *RedriveResult) {
	fr, err := ParseFailureRecord(aws.ToString(m.Body))
	if err != nil {
		res.fail(fmt.Errorf("message %s: %w", aws.ToString(m.MessageId), err))
		return
	}
	recs, err := readRange(ctx, h.Redrive.Stream, fr.Batch)
	if err != nil {
		res.fail(fmt.Errorf("message %s: %w", aws.ToString(m.MessageId), err))
		return
	}
	for _, r := range recs {
		status, err := h.handleRecord(ctx, r)
		if err != nil {
			res.fail(fmt.Errorf("message %s: record %s: %w", aws.ToString(m.MessageId), r.Change.SequenceNumber, err))
			return
		}
		if status != "ignored" {
			res.count(status)
		}
	}
	if _, err := h.Redrive.Failures.DeleteMessage(ctx, &sqs.DeleteMessageInput{
		QueueUrl: aws.String(h.Redrive.FailureQueueURL), ReceiptHandle: m.ReceiptHandle,
	}); err != nil {
		res.fail(fmt.Errorf("deleting message %s after its re-drive: %w", aws.ToString(m.MessageId), err))
	}
}
