package main

import (
	"context"
	"testing"
	"time"

	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// The retry of a crashed attempt meets its claim inside the lease, at once
// (Lambda retries stream batches back to back). It waits the lease out in
// the invocation when it has the time, instead of spending one of the
// mapping's retries, and reports the record when it has not.
func TestCrashedClaimIsWaitedOut(t *testing.T) {
	tests := []struct {
		name         string
		timeLeft     time.Duration
		wantMails    int
		wantFailures int
		wantWait     time.Duration
	}{
		{"the shortest timeout waits and sends", settings.MinimumTimeout * time.Second, 1, 0, claimLease + time.Second},
		{"just enough time waits and sends", claimLease + time.Second + sendWindow + outcomeReserve, 1, 0, claimLease + time.Second},
		{"too little time reports the record without waiting", claimLease + sendWindow, 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			ledger := newMemLedger(clk.Now)
			// The crashed attempt claimed ada a moment ago and died.
			if _, st, _ := ledger.Claim(context.Background(), "USER#ada@example.com", "crashed", nil, clk.Now().Add(claimLease)); st != ClaimOK {
				t.Fatalf("setup claim: %v", st)
			}
			ses := &sesStub{}
			h := newTestHandler(ses.sender(), ledger, clk.Now)
			var waited time.Duration
			h.Sleep = func(_ context.Context, d time.Duration) error { waited += d; clk.Advance(d); return nil }
			deadline := clk.Now().Add(tt.timeLeft)
			resp, _ := h.Handle(simCtx{context.Background(), deadline}, loadEvent(t, "insert-user.json"))
			if len(ses.calls) != tt.wantMails || len(resp.BatchItemFailures) != tt.wantFailures || waited != tt.wantWait {
				t.Fatalf("%d mails, %d failures, waited %v; want %d, %d, %v", len(ses.calls), len(resp.BatchItemFailures), waited,
					tt.wantMails, tt.wantFailures, tt.wantWait)
			}
			if clk.Now().After(deadline) {
				t.Fatalf("ran %v past the deadline", clk.Now().Sub(deadline))
			}
			if tt.wantMails == 1 {
				if e := ledger.entry("USER#ada@example.com"); e.status != StatusSent || e.attempts != 2 {
					t.Fatalf("ledger entry %+v, want sent on the second attempt", e)
				}
			}
		})
	}
}

// The shortest timeout the deployment allows fits the wait for a crashed
// claim (its lease, plus a second for leases compared in whole seconds),
// then a send and its record.
func TestMinimumTimeoutFitsAClaimWaitedOut(t *testing.T) {
	if need := claimLease + time.Second + sendWindow + outcomeReserve; need > settings.MinimumTimeout*time.Second {
		t.Errorf("waiting out a claim and sending takes %v, more than settings.MinimumTimeout (%d s)", need, settings.MinimumTimeout)
	}
}
