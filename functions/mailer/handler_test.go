package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
)

const (
	testSender = "welcome@myblog.example"
	testTpl    = "myblog-welcome"
	testConfig = "myblog-mail"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadEvent(t *testing.T, name string) events.DynamoDBEvent {
	t.Helper()
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(readFixture(t, name), &ev); err != nil {
		t.Fatalf("decoding %s: %v", name, err)
	}
	return ev
}

// seq returns the sequence numbers of the records at the given indexes.
func seq(ev events.DynamoDBEvent, idx ...int) []string {
	out := []string{}
	for _, i := range idx {
		out = append(out, ev.Records[i].Change.SequenceNumber)
	}
	return out
}

// sesStub answers SendEmail with errs[call] (nil = accepted) and remembers
// every call.
type sesStub struct {
	errs  map[int]error
	calls []*sesv2.SendEmailInput
}

func (s *sesStub) sender() EmailSender {
	return sendEmailFunc(func(_ context.Context, in *sesv2.SendEmailInput) (*sesv2.SendEmailOutput, error) {
		s.calls = append(s.calls, in)
		if err := s.errs[len(s.calls)]; err != nil {
			return nil, err
		}
		return &sesv2.SendEmailOutput{MessageId: aws.String(fmt.Sprint("msg-", len(s.calls)))}, nil
	})
}

func (s *sesStub) recipients() []string {
	var to []string
	for _, c := range s.calls {
		to = append(to, c.Destination.ToAddresses...)
	}
	return to
}

func newTestHandler(mail EmailSender, ledger Ledger, now func() time.Time) *Handler {
	return &Handler{
		Mail: mail, Ledger: ledger, From: testSender, Template: testTpl, ConfigurationSet: testConfig, Users: blogUsers,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now,
	}
}

// blogUsers is the blog's users table: users are entity = "user", keyed
// by pk.
var blogUsers = UserShape{IDAttribute: "pk", TypeAttribute: "entity", TypeValue: "user", EmailAttribute: "email", NameAttribute: "name"}

// sandboxRefusal is SES's answer, in the sandbox, for an unverified identity.
func sandboxRefusal(identity string) error {
	return &types.MessageRejected{Message: aws.String(
		"Email address is not verified. The following identities failed the check in region EU-WEST-1: " + identity)}
}

var (
	throttled = &types.TooManyRequestsException{Message: aws.String("Maximum sending rate exceeded.")}
	limited   = &types.LimitExceededException{Message: aws.String("Daily message quota exceeded.")}
	paused    = &types.SendingPausedException{Message: aws.String("Sending is paused for this account.")}
	internal  = &smithy.GenericAPIError{Code: "InternalFailure", Message: "internal error", Fault: smithy.FaultServer}
)

func TestHandle(t *testing.T) {
	tests := []struct {
		name         string
		fixture      string
		sesErrs      map[int]error // by call number, from 1
		wantTo       []string      // every SendEmail call's recipient
		wantFailures []int         // record indexes reported in batchItemFailures
		wantStatus   map[string]string
	}{
		{
			name: "new user is mailed once", fixture: "insert-user.json",
			wantTo:     []string{"Ada@example.com"},
			wantStatus: map[string]string{"USER#ada@example.com": StatusSent},
		},
		{
			name: "duplicate records send one mail", fixture: "duplicate-inserts.json",
			wantTo:     []string{"grace@example.com"},
			wantStatus: map[string]string{"USER#grace@example.com": StatusSent},
		},
		{
			name: "throttled send is reported with the rest of the batch", fixture: "three-users.json",
			sesErrs:      map[int]error{2: throttled},
			wantTo:       []string{"ada@example.com", "grace@example.com"},
			wantFailures: []int{1, 2},
			wantStatus:   map[string]string{"USER#ada@example.com": StatusSent, "USER#grace@example.com": StatusReleased},
		},
		{
			name: "daily quota is retried", fixture: "insert-user.json", sesErrs: map[int]error{1: limited},
			wantTo: []string{"Ada@example.com"}, wantFailures: []int{0},
			wantStatus: map[string]string{"USER#ada@example.com": StatusReleased},
		},
		{
			name: "paused sending is held", fixture: "insert-user.json", sesErrs: map[int]error{1: paused},
			wantTo:     []string{"Ada@example.com"},
			wantStatus: map[string]string{"USER#ada@example.com": StatusHeld},
		},
		{
			name: "server error is retried", fixture: "insert-user.json", sesErrs: map[int]error{1: internal},
			wantTo: []string{"Ada@example.com"}, wantFailures: []int{0},
			wantStatus: map[string]string{"USER#ada@example.com": StatusReleased},
		},
		{
			name: "network error is retried", fixture: "insert-user.json",
			sesErrs: map[int]error{1: errors.New("dial tcp: connection refused")},
			wantTo:  []string{"Ada@example.com"}, wantFailures: []int{0},
			wantStatus: map[string]string{"USER#ada@example.com": StatusReleased},
		},
		{
			name: "invalid address syntax is recorded without calling SES", fixture: "invalid-address.json",
			wantTo:     []string{"ada@example.com"},
			wantStatus: map[string]string{"USER#not-an-address": StatusRejected, "USER#ada@example.com": StatusSent},
		},
		{
			name: "recipient rejected by SES is recorded, not retried", fixture: "three-users.json",
			sesErrs: map[int]error{1: &types.MessageRejected{Message: aws.String("Illegal address")}},
			wantTo:  []string{"ada@example.com", "grace@example.com", "edsger@example.com"},
			wantStatus: map[string]string{"USER#ada@example.com": StatusRejected,
				"USER#grace@example.com": StatusSent, "USER#edsger@example.com": StatusSent},
		},
		{
			// The SES sandbox refuses every unverified recipient; the
			// address is fine, the account is not there yet.
			name: "sandbox refusal is held for a re-drive, not rejected, and the stream moves on", fixture: "three-users.json",
			sesErrs: map[int]error{1: sandboxRefusal("ada@example.com")},
			wantTo:  []string{"ada@example.com", "grace@example.com", "edsger@example.com"},
			wantStatus: map[string]string{"USER#ada@example.com": StatusHeld,
				"USER#grace@example.com": StatusSent, "USER#edsger@example.com": StatusSent},
		},
		{
			name: "bad request about the address is recorded", fixture: "insert-user.json",
			sesErrs: map[int]error{1: &types.BadRequestException{Message: aws.String("Missing final '@domain'")}},
			wantTo:  []string{"Ada@example.com"}, wantStatus: map[string]string{"USER#ada@example.com": StatusRejected},
		},
		{
			// Verifying the sender can take longer than the mapping retries.
			name: "unverified sender is held too", fixture: "insert-user.json",
			sesErrs: map[int]error{1: sandboxRefusal(testSender)},
			wantTo:  []string{"Ada@example.com"}, wantStatus: map[string]string{"USER#ada@example.com": StatusHeld},
		},
		{
			name: "other refusals naming the sender are our fault and are retried", fixture: "insert-user.json",
			sesErrs: map[int]error{1: &types.MessageRejected{Message: aws.String("Illegal address: " + testSender)}},
			wantTo:  []string{"Ada@example.com"}, wantFailures: []int{0},
			wantStatus: map[string]string{"USER#ada@example.com": StatusReleased},
		},
		{
			name: "missing template is retried", fixture: "insert-user.json",
			sesErrs: map[int]error{1: &types.NotFoundException{Message: aws.String("Template myblog-welcome does not exist")}},
			wantTo:  []string{"Ada@example.com"}, wantFailures: []int{0},
			wantStatus: map[string]string{"USER#ada@example.com": StatusReleased},
		},
		{
			name: "MODIFY, REMOVE and posts are ignored", fixture: "ignored.json",
			wantStatus: map[string]string{},
		},
		{
			name: "malformed users are recorded and skipped", fixture: "malformed.json",
			wantStatus: map[string]string{"USER#missing-email@example.com": StatusMalformed,
				"USER#keys-only@example.com": StatusMalformed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			ledger := newMemLedger(clk.Now)
			ses := &sesStub{errs: tt.sesErrs}
			h := newTestHandler(ses.sender(), ledger, clk.Now)
			ev := loadEvent(t, tt.fixture)

			resp, err := h.Handle(context.Background(), ev)
			if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if got := ses.recipients(); !slices.Equal(got, tt.wantTo) {
				t.Errorf("SendEmail recipients = %q, want %q", got, tt.wantTo)
			}
			var failed []string
			for _, f := range resp.BatchItemFailures {
				failed = append(failed, f.ItemIdentifier)
			}
			if want := seq(ev, tt.wantFailures...); !slices.Equal(failed, want) {
				t.Errorf("batchItemFailures = %q, want %q", failed, want)
			}
			if got := ledger.statuses(); !mapsEqual(got, tt.wantStatus) {
				t.Errorf("ledger = %v, want %v", got, tt.wantStatus)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func TestHandleSendsTheTemplate(t *testing.T) {
	clk := newClock()
	ses := &sesStub{}
	h := newTestHandler(ses.sender(), newMemLedger(clk.Now), clk.Now)
	if _, err := h.Handle(context.Background(), loadEvent(t, "insert-user.json")); err != nil {
		t.Fatal(err)
	}
	if len(ses.calls) != 1 {
		t.Fatalf("%d SendEmail calls, want 1", len(ses.calls))
	}
	in := ses.calls[0]
	tpl := in.Content.Template
	if aws.ToString(in.FromEmailAddress) != testSender || aws.ToString(in.ConfigurationSetName) != testConfig ||
		tpl == nil || aws.ToString(tpl.TemplateName) != testTpl {
		t.Fatalf("SendEmail from %q config set %q template %+v", aws.ToString(in.FromEmailAddress),
			aws.ToString(in.ConfigurationSetName), tpl)
	}
	var data map[string]string
	if err := json.Unmarshal([]byte(aws.ToString(tpl.TemplateData)), &data); err != nil {
		t.Fatalf("template data: %v", err)
	}
	if want := map[string]string{"name": "Ada Lovelace"}; !mapsEqual(data, want) {
		t.Fatalf("template data = %v, want %v", data, want)
	}
}

// A batch replayed after success, after a throttle, and after a crash that
// left a claim behind, each ends with exactly one mail per user.
func TestRetries(t *testing.T) {
	t.Run("replay after success sends nothing", func(t *testing.T) {
		clk := newClock()
		ledger := newMemLedger(clk.Now)
		ses := &sesStub{}
		h := newTestHandler(ses.sender(), ledger, clk.Now)
		ev := loadEvent(t, "three-users.json")
		for range 2 {
			if resp, _ := h.Handle(context.Background(), ev); len(resp.BatchItemFailures) != 0 {
				t.Fatalf("failures %v", resp.BatchItemFailures)
			}
		}
		if len(ses.calls) != 3 {
			t.Fatalf("%d mails for 3 users over 2 deliveries", len(ses.calls))
		}
	})
	t.Run("retry after throttling sends the rest once", func(t *testing.T) {
		clk := newClock()
		ledger := newMemLedger(clk.Now)
		ses := &sesStub{errs: map[int]error{2: throttled}}
		h := newTestHandler(ses.sender(), ledger, clk.Now)
		ev := loadEvent(t, "three-users.json")
		resp, _ := h.Handle(context.Background(), ev)
		// Lambda resumes from the lowest failed sequence number.
		first := slices.IndexFunc(ev.Records, func(r events.DynamoDBEventRecord) bool {
			return r.Change.SequenceNumber == resp.BatchItemFailures[0].ItemIdentifier
		})
		retry := events.DynamoDBEvent{Records: ev.Records[first:]}
		if resp, _ := h.Handle(context.Background(), retry); len(resp.BatchItemFailures) != 0 {
			t.Fatalf("retry failures %v", resp.BatchItemFailures)
		}
		want := []string{"ada@example.com", "grace@example.com", "grace@example.com", "edsger@example.com"}
		if got := ses.recipients(); !slices.Equal(got, want) {
			t.Fatalf("SendEmail recipients = %q, want %q (the throttled call and its retry)", got, want)
		}
	})
}

func TestHandleLeavesWorkItCannotFinish(t *testing.T) {
	clk := newClock()
	ses := &sesStub{}
	h := newTestHandler(ses.sender(), newMemLedger(clk.Now), clk.Now)
	ev := loadEvent(t, "three-users.json")
	// The handler measures its time left with its own clock.
	ctx, cancel := context.WithDeadline(context.Background(), clk.Now().Add(outcomeReserve/2))
	defer cancel()
	resp, _ := h.Handle(ctx, ev)
	if len(ses.calls) != 0 || len(resp.BatchItemFailures) != 3 {
		t.Fatalf("%d mails, failures %v; want none sent and all three left for the retry", len(ses.calls), resp.BatchItemFailures)
	}
}

func TestLedgerOutageIsRetried(t *testing.T) {
	clk := newClock()
	down := errors.New("dynamodb unavailable")
	ledger := &brokenLedger{memLedger: newMemLedger(clk.Now), claimErr: down}
	ses := &sesStub{}
	h := newTestHandler(ses.sender(), ledger, clk.Now)
	ev := loadEvent(t, "insert-user.json")
	resp, _ := h.Handle(context.Background(), ev)
	if len(ses.calls) != 0 || len(resp.BatchItemFailures) != 1 {
		t.Fatalf("%d mails, failures %v; want no mail and the record retried", len(ses.calls), resp.BatchItemFailures)
	}
}

func TestUnrecordedSendIsNotRetried(t *testing.T) {
	clk := newClock()
	ledger := &brokenLedger{memLedger: newMemLedger(clk.Now), markErr: errors.New("dynamodb unavailable")}
	ses := &sesStub{}
	var logs bytes.Buffer
	h := newTestHandler(ses.sender(), ledger, clk.Now)
	h.Log = slog.New(slog.NewTextHandler(&logs, nil))
	resp, _ := h.Handle(context.Background(), loadEvent(t, "insert-user.json"))
	if len(ses.calls) != 1 || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("%d mails, failures %v; want the mail sent and the record not retried", len(ses.calls), resp.BatchItemFailures)
	}
	if !strings.Contains(logs.String(), "mail sent but not recorded") || !strings.Contains(logs.String(), "msg-1") {
		t.Fatalf("log does not report the unrecorded MessageId:\n%s", logs.String())
	}
}

// brokenLedger fails Claim or MarkSent.
type brokenLedger struct {
	*memLedger
	claimErr, markErr error
}

func (l *brokenLedger) Claim(ctx context.Context, id, eventID string, key Key, until time.Time) (Claim, ClaimState, error) {
	if l.claimErr != nil {
		return Claim{}, 0, l.claimErr
	}
	return l.memLedger.Claim(ctx, id, eventID, key, until)
}

func (l *brokenLedger) MarkSent(ctx context.Context, c Claim, messageID string) error {
	if l.markErr != nil {
		return l.markErr
	}
	return l.memLedger.MarkSent(ctx, c, messageID)
}

func TestLogsDoNotCarryAddresses(t *testing.T) {
	clk := newClock()
	var logs bytes.Buffer
	ses := &sesStub{errs: map[int]error{1: &types.MessageRejected{Message: aws.String("Address blacklisted: ada@example.com")}}}
	h := newTestHandler(ses.sender(), newMemLedger(clk.Now), clk.Now)
	h.Log = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for _, f := range []string{"insert-user.json", "three-users.json", "invalid-address.json", "malformed.json"} {
		h.Handle(context.Background(), loadEvent(t, f))
	}
	for _, addr := range []string{"ada@", "Ada@", "grace@", "not-an-address", "missing-email@"} {
		if strings.Contains(logs.String(), addr) {
			t.Fatalf("logs mention %q:\n%s", addr, logs.String())
		}
	}
}

func TestInvokeRoundTrip(t *testing.T) {
	clk := newClock()
	ses := &sesStub{errs: map[int]error{2: throttled}}
	h := newTestHandler(ses.sender(), newMemLedger(clk.Now), clk.Now)
	out, err := lambda.NewHandler(h.Handle).Invoke(context.Background(), readFixture(t, "three-users.json"))
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	ev := loadEvent(t, "three-users.json")
	want := `{"batchItemFailures":[{"itemIdentifier":"` + ev.Records[1].Change.SequenceNumber +
		`"},{"itemIdentifier":"` + ev.Records[2].Change.SequenceNumber + `"}]}`
	if string(out) != want {
		t.Fatalf("response\n got %s\nwant %s", out, want)
	}
}

func TestAddressProblem(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"ada@example.com", true},
		{"Ada.Lovelace+blog@mail.example.co.uk", true},
		{"not-an-address", false},
		{"ada@localhost", false},
		{"ada@example.com.", false},
		{"Ada <ada@example.com>", false},
		{"ada@exa mple.com", false},
		{"adä@example.com", false},
		{"ada@@example.com", false},
		{strings.Repeat("a", 250) + "@example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := addressProblem(tt.addr); (got == "") != tt.ok {
				t.Fatalf("addressProblem(%q) = %q, want ok=%v", tt.addr, got, tt.ok)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Ada Lovelace ", "Ada Lovelace"},
		{"Ada\r\nBcc: all@example.com", "AdaBcc: all@example.com"},
		{strings.Repeat("é", 150), strings.Repeat("é", maxNameRunes)},
	}
	for _, tt := range tests {
		if got := cleanName(tt.in); got != tt.want {
			t.Errorf("cleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Another project's users table: keyed by userId, every item a user, the
// address in "mail" and the name in "displayName".
func TestUserShapeOfAnotherTable(t *testing.T) {
	shape := UserShape{IDAttribute: "userId", EmailAttribute: "mail", NameAttribute: "displayName"}
	s := func(v string) events.DynamoDBAttributeValue { return events.NewStringAttribute(v) }
	rec := func(keys, img map[string]events.DynamoDBAttributeValue) events.DynamoDBEventRecord {
		return events.DynamoDBEventRecord{EventName: "INSERT", Change: events.DynamoDBStreamRecord{Keys: keys, NewImage: img}}
	}
	for _, tc := range []struct {
		name        string
		rec         events.DynamoDBEventRecord
		wantUser    bool
		wantEmail   string
		wantProblem string
	}{
		{"a user", rec(map[string]events.DynamoDBAttributeValue{"userId": s("u-1")},
			map[string]events.DynamoDBAttributeValue{"userId": s("u-1"), "mail": s("ada@example.com"), "displayName": s("Ada")}), true, "ada@example.com", ""},
		{"no address", rec(map[string]events.DynamoDBAttributeValue{"userId": s("u-2")},
			map[string]events.DynamoDBAttributeValue{"userId": s("u-2")}), true, "", "user has no mail attribute"},
		{"the blog's attribute names mean nothing here", rec(map[string]events.DynamoDBAttributeValue{"pk": s("USER#x")},
			map[string]events.DynamoDBAttributeValue{"pk": s("USER#x"), "email": s("x@example.com")}), true, "", "record has no userId key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, isUser, problem := shape.parse(tc.rec)
			if isUser != tc.wantUser || w.email != tc.wantEmail || problem != tc.wantProblem {
				t.Errorf("parse = %+v, %v, %q; want user %v, email %q, problem %q", w, isUser, problem, tc.wantUser, tc.wantEmail, tc.wantProblem)
			}
		})
	}
}
