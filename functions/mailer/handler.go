package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
)

// EmailSender is the part of the SES v2 client the handler uses.
type EmailSender interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, optFns ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// Ledger remembers, per user, whether the welcome mail went out. See the
// package documentation for the states and why the order matters.
type Ledger interface {
	// Claim takes the user id for one send attempt until leaseUntil;
	// userKey is the user's key in the users table.
	Claim(ctx context.Context, id, eventID string, userKey Key, leaseUntil time.Time) (Claim, ClaimState, error)
	// MarkSent records that SES accepted the mail.
	MarkSent(ctx context.Context, c Claim, messageID string) error
	// MarkRejected records that the address can never be mailed.
	MarkRejected(ctx context.Context, c Claim, reason string) error
	// MarkHeld records that SES refused for a reason of the account.
	MarkHeld(ctx context.Context, c Claim, reason string) error
	// MarkCancelled records that a held mail's user no longer exists.
	MarkCancelled(ctx context.Context, c Claim, reason string) error
	// Release gives the claim up after a transient failure.
	Release(ctx context.Context, c Claim, reason string) error
	// RecordMalformed notes a user record that cannot be mailed as it is.
	RecordMalformed(ctx context.Context, id, eventID, reason string) error
	// Pending lists held and released items for a re-drive.
	Pending(ctx context.Context, visit func(Pending) error) error
}

// Handler mails every user a DynamoDB stream batch inserts, and re-drives
// mails that could not be sent (see Redrive).
type Handler struct {
	Mail   EmailSender
	Ledger Ledger
	// From is the sender address (SENDER).
	From string
	// Template is the SES template name (TEMPLATE_NAME).
	Template string
	// ConfigurationSet is the SES configuration set (CONFIGURATION_SET).
	ConfigurationSet string
	// Users says which items are users and where their address and name
	// are.
	Users UserShape
	// Redrive holds what a re-drive needs beyond the stream's path.
	Redrive RedriveSources
	// FunctionName is the metric dimension of held mails
	// (AWS_LAMBDA_FUNCTION_NAME).
	FunctionName string
	// Log receives one line per record; nil means slog.Default().
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits d unless ctx ends first; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// The timing of a claim. An attempt calls SES only within sendWindow of
// starting its claim and keeps outcomeReserve to record the outcome, so its
// lease, claimLease, outlasts everything it can still do, with clockSkew to
// spare for the clocks of two invocations. A retry that meets the lease of a
// crashed attempt waits it out, which takes at most claimLease plus a second
// (leases are compared in whole seconds), and still has sendWindow and
// outcomeReserve left: 24 s. settings.MinimumTimeout (30 s) leaves
// room for the records before it in the batch.
const (
	sendWindow     = 8 * time.Second
	outcomeReserve = 3 * time.Second
	clockSkew      = time.Second
	claimLease     = sendWindow + outcomeReserve + clockSkew
	// maxNameRunes bounds the user-controlled name put into the mail.
	maxNameRunes = 100
)

// Invoke is the function's entry point: a DynamoDB stream batch from the
// event-source mapping, or a re-drive request ({"redrive":"ledger"} or
// {"redrive":"failures"}) from an operator.
func (h *Handler) Invoke(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Records json.RawMessage `json:"Records"`
		Redrive *string         `json:"redrive"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("decoding event: %w", err)
	}
	switch {
	case probe.Redrive != nil:
		return h.RunRedrive(ctx, *probe.Redrive)
	case probe.Records != nil:
		var ev events.DynamoDBEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("decoding DynamoDB stream event: %w", err)
		}
		return h.Handle(ctx, ev)
	}
	return nil, errors.New(`event is neither a DynamoDB stream batch nor a re-drive request {"redrive":"ledger"|"failures"}`)
}

// Handle processes one batch. It never returns an error: a record that must be
// retried is reported in BatchItemFailures, together with every later record
// of the batch.
func (h *Handler) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	resp := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}
	for i, rec := range ev.Records {
		if h.remaining(ctx) < outcomeReserve {
			h.log().Warn("out of time, leaving the rest of the batch for the retry",
				"eventID", rec.EventID, "sequenceNumber", rec.Change.SequenceNumber)
			return failFrom(resp, ev.Records[i:]), nil
		}
		if _, err := h.handleRecord(ctx, rec); err != nil {
			h.log().Error("record will be retried", "eventID", rec.EventID,
				"sequenceNumber", rec.Change.SequenceNumber, "error", err)
			return failFrom(resp, ev.Records[i:]), nil
		}
	}
	return resp, nil
}

// failFrom reports recs as failed. A stream resumes from the lowest failed
// sequence number; the rest are listed because they were not processed.
func failFrom(resp events.DynamoDBEventResponse, recs []events.DynamoDBEventRecord) events.DynamoDBEventResponse {
	for _, r := range recs {
		resp.BatchItemFailures = append(resp.BatchItemFailures,
			events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
	}
	return resp
}

// handleRecord returns the ledger status the record led to ("ignored" for
// records that are not inserted users, "" for a user finished before), and
// an error only when the record must be retried.
func (h *Handler) handleRecord(ctx context.Context, rec events.DynamoDBEventRecord) (string, error) {
	log := h.log().With("eventID", rec.EventID, "sequenceNumber", rec.Change.SequenceNumber)
	if rec.EventName != string(events.DynamoDBOperationTypeInsert) {
		log.Debug("ignored", "reason", "not an INSERT", "eventName", rec.EventName)
		return "ignored", nil
	}
	w, isUser, problem := h.Users.parse(rec)
	switch {
	case !isUser:
		log.Debug("ignored", "reason", "not a user")
		return "ignored", nil
	case problem != "":
		id := w.id
		if id == "" {
			id = "EVENT#" + rec.EventID
		}
		if err := h.Ledger.RecordMalformed(ctx, id, rec.EventID, problem); err != nil {
			return "", fmt.Errorf("recording malformed user record: %w", err)
		}
		log.Warn("malformed user record skipped", "reason", problem)
		return StatusMalformed, nil
	}
	return h.welcome(ctx, log, rec.EventID, w)
}

// claimed is a claim with the moment its SES call must be over.
type claimed struct {
	Claim
	sendBy time.Time
}

// welcome runs claim, send, record for one user and returns the status it
// recorded ("" when an earlier attempt had finished the user).
func (h *Handler) welcome(ctx context.Context, log *slog.Logger, eventID string, w welcome) (string, error) {
	c, err := h.claim(ctx, log, eventID, w)
	if err != nil || c == nil {
		return "", err
	}
	if c.TookOver {
		log.Warn("took over an expired claim: an earlier attempt ended without recording its outcome, the user may get two mails",
			"attempt", c.Attempt)
	}
	if reason := addressProblem(w.email); reason != "" {
		return StatusRejected, h.reject(ctx, log, c.Claim, reason)
	}
	sendCtx, cancel := context.WithDeadline(ctx, c.sendBy)
	defer cancel()
	out, err := h.Mail.SendEmail(sendCtx, h.sendInput(w))
	if err != nil {
		return h.sendFailed(ctx, log, c.Claim, w, err)
	}
	messageID := aws.ToString(out.MessageId)
	if err := h.Ledger.MarkSent(ctx, c.Claim, messageID); err != nil {
		// Not reported for retry: the mail is out, a retry could only send
		// it again. See "What happens at each crash point".
		log.Error("mail sent but not recorded", "messageId", messageID, "error", err)
		return StatusSent, nil
	}
	log.Info("welcome mail sent", "messageId", messageID, "attempt", c.Attempt)
	return StatusSent, nil
}

// claim takes the user, waiting out the lease of an attempt that crashed
// when the invocation has the time to: Lambda retries a stream batch at once,
// and reporting the record again would spend the mapping's retries inside
// the lease. It returns nil when the user needs nothing more.
func (h *Handler) claim(ctx context.Context, log *slog.Logger, eventID string, w welcome) (*claimed, error) {
	for {
		start := h.now()
		c, state, err := h.Ledger.Claim(ctx, w.id, eventID, w.key, start.Add(claimLease))
		if err != nil {
			return nil, fmt.Errorf("claiming user: %w", err)
		}
		switch state {
		case ClaimDone:
			log.Info("duplicate skipped", "reason", "already sent, rejected or cancelled")
			return nil, nil
		case ClaimOK:
			sendBy := start.Add(sendWindow)
			if deadline, ok := ctx.Deadline(); ok && deadline.Add(-outcomeReserve).Before(sendBy) {
				sendBy = deadline.Add(-outcomeReserve)
			}
			return &claimed{Claim: c, sendBy: sendBy}, nil
		}
		wait := max(c.FreeAt.Sub(h.now()), 0)
		if h.remaining(ctx) < wait+sendWindow+outcomeReserve {
			return nil, fmt.Errorf("another attempt holds the claim for %v more, longer than this invocation can wait", wait)
		}
		log.Info("waiting for another attempt's claim to end", "wait", wait.String())
		if err := h.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("waiting for a claim to end: %w", err)
		}
	}
}

// sendFailed records why SES refused and returns the status recorded, and
// an error when the record must be retried.
func (h *Handler) sendFailed(ctx context.Context, log *slog.Logger, c Claim, w welcome, sendErr error) (string, error) {
	switch verdict, reason := h.classify(sendErr, w.email); verdict {
	case verdictReject:
		return StatusRejected, h.reject(ctx, log, c, reason)
	case verdictHold:
		return StatusHeld, h.hold(ctx, log, c, reason)
	}
	if err := h.Ledger.Release(ctx, c, sendErr.Error()); err != nil {
		// The claim stays until its lease ends; the retry waits for that.
		log.Error("releasing claim", "error", err)
	}
	return StatusReleased, fmt.Errorf("sending welcome mail: %w", sendErr)
}

func (h *Handler) reject(ctx context.Context, log *slog.Logger, c Claim, reason string) error {
	if err := h.Ledger.MarkRejected(ctx, c, reason); err != nil {
		if rerr := h.Ledger.Release(ctx, c, "recording rejection failed"); rerr != nil {
			log.Error("releasing claim", "error", rerr)
		}
		return fmt.Errorf("recording rejected address: %w", err)
	}
	// The reason may quote the address; it stays in the ledger, not in logs.
	log.Warn("address rejected, not retried")
	return nil
}

// hold records a refusal that says nothing about the address (the SES
// sandbox, an unverified or paused sender): the mail waits in the ledger for
// a re-drive, the stream moves on, and the held-mail metric raises the
// component's alarm.
func (h *Handler) hold(ctx context.Context, log *slog.Logger, c Claim, reason string) error {
	if err := h.Ledger.MarkHeld(ctx, c, reason); err != nil {
		if rerr := h.Ledger.Release(ctx, c, "recording hold failed"); rerr != nil {
			log.Error("releasing claim", "error", rerr)
		}
		return fmt.Errorf("recording held mail: %w", err)
	}
	// As with a rejection, the SES message (which names the recipient)
	// stays in the ledger.
	h.heldMetric(log)
	return nil
}

func (h *Handler) sendInput(w welcome) *sesv2.SendEmailInput {
	data, _ := json.Marshal(map[string]string{"name": w.name}) // cannot fail for a string map
	return &sesv2.SendEmailInput{
		FromEmailAddress:     aws.String(h.From),
		Destination:          &types.Destination{ToAddresses: []string{w.email}},
		ConfigurationSetName: aws.String(h.ConfigurationSet),
		Content: &types.EmailContent{Template: &types.Template{
			TemplateName: aws.String(h.Template),
			TemplateData: aws.String(string(data)),
		}},
	}
}

// remaining is the invocation's time left, by the handler's clock; a
// context without a deadline has all the time in the world.
func (h *Handler) remaining(ctx context.Context) time.Duration {
	deadline, ok := ctx.Deadline()
	if !ok {
		return time.Duration(1<<63 - 1)
	}
	return deadline.Sub(h.now())
}

func (h *Handler) sleep(ctx context.Context, d time.Duration) error {
	if h.Sleep != nil {
		return h.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Handler) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.Default()
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
