package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sesv2"
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
	leaseUntil                       time.Time
	attempts                         int
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

func (l *memLedger) Claim(_ context.Context, id, _ string, leaseUntil time.Time) (Claim, ClaimState, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[id]
	if !ok {
		e = &memEntry{}
		l.entries[id] = e
	}
	tookOver := false
	switch {
	case !ok, e.status == StatusReleased, e.status == StatusMalformed:
	case e.status == StatusSending && e.leaseUntil.Unix() < l.now().Unix():
		tookOver = true
	case e.status == StatusSent, e.status == StatusRejected:
		return Claim{}, ClaimDone, nil
	default:
		return Claim{}, ClaimHeld, nil
	}
	l.tokens++
	e.status, e.token, e.leaseUntil, e.reason = StatusSending, fmt.Sprint("token-", l.tokens), leaseUntil, ""
	e.attempts++
	return Claim{ID: id, Token: e.token, Attempt: e.attempts, TookOver: tookOver}, ClaimOK, nil
}

func (l *memLedger) finish(c Claim, status string, set func(*memEntry)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[c.ID]
	if !ok || e.token == "" || e.token != c.Token {
		return fmt.Errorf("marking %s %s: %w", c.ID, status, ErrClaimLost)
	}
	e.status, e.token, e.leaseUntil = status, "", time.Time{}
	set(e)
	return nil
}

func (l *memLedger) MarkSent(_ context.Context, c Claim, messageID string) error {
	return l.finish(c, StatusSent, func(e *memEntry) { e.messageID = messageID })
}

func (l *memLedger) MarkRejected(_ context.Context, c Claim, reason string) error {
	return l.finish(c, StatusRejected, func(e *memEntry) { e.reason = reason })
}

func (l *memLedger) Release(_ context.Context, c Claim, reason string) error {
	return l.finish(c, StatusReleased, func(e *memEntry) { e.reason = reason })
}

func (l *memLedger) RecordMalformed(_ context.Context, id, _, reason string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[id]
	if ok && e.status != StatusMalformed {
		return nil
	}
	l.entries[id] = &memEntry{status: StatusMalformed, reason: reason}
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
