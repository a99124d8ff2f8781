package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode"

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
	// Claim takes the user id for one send attempt until leaseUntil.
	Claim(ctx context.Context, id, eventID string, leaseUntil time.Time) (Claim, ClaimState, error)
	// MarkSent records that SES accepted the mail.
	MarkSent(ctx context.Context, c Claim, messageID string) error
	// MarkRejected records that the address can never be mailed.
	MarkRejected(ctx context.Context, c Claim, reason string) error
	// Release gives the claim up after a transient failure.
	Release(ctx context.Context, c Claim, reason string) error
	// RecordMalformed notes a user record that cannot be mailed as it is.
	RecordMalformed(ctx context.Context, id, eventID, reason string) error
}

// Handler mails every user a DynamoDB stream batch inserts.
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
	// Log receives one line per record; nil means slog.Default().
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

const (
	// leaseMargin outlasts the claiming invocation's deadline, so a claim is
	// taken over only when its holder is certainly gone.
	leaseMargin = 30 * time.Second
	// noDeadlineLease is used when the context has no deadline: Lambda's
	// longest timeout.
	noDeadlineLease = 15 * time.Minute
	// outcomeReserve is the time kept, out of the invocation's remaining
	// time, to record the outcome of a send. A record is not started, and a
	// send is cut short, so that this much is always left.
	outcomeReserve = 3 * time.Second
	// maxNameRunes bounds the user-controlled name put into the mail.
	maxNameRunes = 100
)

// Handle processes one batch. It never returns an error: a record that must be
// retried is reported in BatchItemFailures, together with every later record
// of the batch.
func (h *Handler) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	resp := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}
	for i, rec := range ev.Records {
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < outcomeReserve {
			h.log().Warn("out of time, leaving the rest of the batch for the retry",
				"eventID", rec.EventID, "sequenceNumber", rec.Change.SequenceNumber)
			return failFrom(resp, ev.Records[i:]), nil
		}
		if err := h.handleRecord(ctx, rec); err != nil {
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

// welcome is a user record that can be mailed.
type welcome struct {
	id    string // the user's pk, the ledger key
	email string
	name  string
}

// handleRecord returns an error only when the record must be retried.
func (h *Handler) handleRecord(ctx context.Context, rec events.DynamoDBEventRecord) error {
	log := h.log().With("eventID", rec.EventID, "sequenceNumber", rec.Change.SequenceNumber)
	if rec.EventName != string(events.DynamoDBOperationTypeInsert) {
		log.Debug("ignored", "reason", "not an INSERT", "eventName", rec.EventName)
		return nil
	}
	w, isUser, problem := h.Users.parse(rec)
	switch {
	case !isUser:
		log.Debug("ignored", "reason", "not a user")
		return nil
	case problem != "":
		id := w.id
		if id == "" {
			id = "EVENT#" + rec.EventID
		}
		if err := h.Ledger.RecordMalformed(ctx, id, rec.EventID, problem); err != nil {
			return fmt.Errorf("recording malformed user record: %w", err)
		}
		log.Warn("malformed user record skipped", "reason", problem)
		return nil
	}
	return h.welcome(ctx, log, rec.EventID, w)
}

// welcome runs claim, send, record for one user.
func (h *Handler) welcome(ctx context.Context, log *slog.Logger, eventID string, w welcome) error {
	c, state, err := h.Ledger.Claim(ctx, w.id, eventID, h.leaseUntil(ctx))
	if err != nil {
		return fmt.Errorf("claiming user: %w", err)
	}
	switch state {
	case ClaimDone:
		log.Info("duplicate skipped", "reason", "already sent or rejected")
		return nil
	case ClaimHeld:
		return errors.New("another attempt holds the claim; retrying after its lease")
	}
	if c.TookOver {
		log.Warn("took over an expired claim: an earlier attempt ended without recording its outcome, the user may get two mails",
			"attempt", c.Attempt)
	}

	if reason := addressProblem(w.email); reason != "" {
		return h.reject(ctx, log, c, reason)
	}

	sendCtx := ctx
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		sendCtx, cancel = context.WithDeadline(ctx, deadline.Add(-outcomeReserve))
		defer cancel()
	}
	out, err := h.Mail.SendEmail(sendCtx, h.sendInput(w))
	if err != nil {
		if reason, permanent := h.permanentRejection(err, w.email); permanent {
			return h.reject(ctx, log, c, reason)
		}
		if rerr := h.Ledger.Release(ctx, c, err.Error()); rerr != nil {
			// The claim stays until its lease expires; the retry waits for that.
			log.Error("releasing claim", "error", rerr)
		}
		return fmt.Errorf("sending welcome mail: %w", err)
	}

	messageID := aws.ToString(out.MessageId)
	if err := h.Ledger.MarkSent(ctx, c, messageID); err != nil {
		// Not reported for retry: the mail is out, a retry could only send
		// it again. See "What happens at each crash point".
		log.Error("mail sent but not recorded", "messageId", messageID, "error", err)
		return nil
	}
	log.Info("welcome mail sent", "messageId", messageID, "attempt", c.Attempt)
	return nil
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

// permanentRejection tells a bad recipient, which is recorded and never
// retried, from everything else, which is retried. Errors naming our own
// sender are configuration problems, not the user's.
func (h *Handler) permanentRejection(err error, recipient string) (string, bool) {
	var (
		rejected *types.MessageRejected
		bad      *types.BadRequestException
	)
	switch {
	case errors.As(err, &rejected):
		msg := aws.ToString(rejected.Message)
		if mentions(msg, h.From) {
			return "", false
		}
		return "MessageRejected: " + msg, true
	case errors.As(err, &bad):
		msg := aws.ToString(bad.Message)
		if mentions(msg, h.From) {
			return "", false
		}
		if mentions(msg, recipient) || mentions(msg, "address") || mentions(msg, "domain") {
			return "BadRequestException: " + msg, true
		}
	}
	return "", false
}

func mentions(s, sub string) bool {
	return sub != "" && strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func (h *Handler) leaseUntil(ctx context.Context) time.Time {
	if deadline, ok := ctx.Deadline(); ok {
		return deadline.Add(leaseMargin)
	}
	return h.now().Add(noDeadlineLease + leaseMargin)
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

// UserShape says which items of the users table are users and which of
// their attributes hold the user's identity, address and name
// (USER_ID_ATTRIBUTE, USER_TYPE_ATTRIBUTE, USER_TYPE_VALUE,
// EMAIL_ATTRIBUTE, NAME_ATTRIBUTE).
type UserShape struct {
	// IDAttribute is the key attribute identifying a user: the ledger's
	// key, so each user gets one mail.
	IDAttribute string
	// TypeAttribute and TypeValue mark an item as a user; with
	// TypeAttribute empty, every inserted item is one.
	TypeAttribute, TypeValue string
	// EmailAttribute and NameAttribute hold the address and the name.
	EmailAttribute, NameAttribute string
}

// parse reads a user out of a stream record. isUser is false for other
// items; problem is non-empty when a user record cannot be mailed. A record
// without a new image cannot be told apart and is reported rather than
// dropped: the mapping's filter only passes such records when the stream
// carries no images, which is a misconfiguration.
func (u UserShape) parse(rec events.DynamoDBEventRecord) (w welcome, isUser bool, problem string) {
	img := rec.Change.NewImage
	if img != nil && u.TypeAttribute != "" && imageString(img, u.TypeAttribute) != u.TypeValue {
		return welcome{}, false, ""
	}
	id := imageString(rec.Change.Keys, u.IDAttribute)
	w = welcome{id: id, email: strings.TrimSpace(imageString(img, u.EmailAttribute)), name: cleanName(imageString(img, u.NameAttribute))}
	switch {
	case id == "":
		return w, true, "record has no " + u.IDAttribute + " key"
	case img == nil:
		return w, true, "record has no NewImage; the stream must use NEW_IMAGE or NEW_AND_OLD_IMAGES"
	case w.email == "":
		return w, true, "user has no " + u.EmailAttribute + " attribute"
	}
	return w, true, ""
}

// imageString returns the string value of attribute name, or "" when it is
// missing or not a string.
func imageString(item map[string]events.DynamoDBAttributeValue, name string) string {
	v, ok := item[name]
	if !ok || v.DataType() != events.DataTypeString {
		return ""
	}
	return v.String()
}

// cleanName makes the user-supplied name safe to put in a subject or body:
// no control characters, at most maxNameRunes runes.
func cleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsControl(r) {
			continue
		}
		if n == maxNameRunes {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// addressProblem returns why SES would refuse addr, or "" when it looks
// deliverable: one plain address (no display name), ASCII only, since SES
// takes no SMTPUTF8 local parts and wants IDN domains in punycode, and a
// domain with at least one dot.
func addressProblem(addr string) string {
	if len(addr) > 254 {
		return "invalid address: longer than 254 characters"
	}
	for _, r := range addr {
		if r > unicode.MaxASCII {
			return "invalid address: non-ASCII characters"
		}
	}
	parsed, err := mail.ParseAddress(addr)
	if err != nil {
		return "invalid address: " + err.Error()
	}
	if parsed.Address != addr || parsed.Name != "" {
		return "invalid address: not a bare address"
	}
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "invalid address: domain " + domain + " is not fully qualified"
	}
	return ""
}
