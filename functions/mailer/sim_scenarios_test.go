package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// fault is what goes wrong, for which user (an index into the shard), and
// on how many attempts of the stream phase (0: every attempt). Re-drives run
// once the cause is gone, as an operator runs them.
type fault struct {
	kind   string
	target int
	times  int
}

// Crash points: the process dies, or Lambda ends it at its deadline, at
// every step of claim, send, record.
const (
	faultCrashBeforeClaim  = "crash before the claim"
	faultCrashAfterClaim   = "crash after the claim"
	faultCrashNotSent      = "crash while sending, before SES got the mail"
	faultCrashAccepted     = "crash after SES accepted the mail"
	faultCrashBeforeRecord = "crash before recording it sent"
	faultTimeoutRecording  = "timeout while recording it sent"
	faultCrashAfterRecord  = "crash after recording it sent"
)

// Failures the handler sees and answers.
const (
	faultLedgerDown         = "ledger unavailable at the claim"
	faultThrottled          = "SES throttles"
	faultThrottledNoRelease = "SES throttles and the release fails"
	faultAnswerLost         = "SES accepts and its answer is lost"
	faultSESSlow            = "SES answers after the send deadline"
	faultRecordFails        = "recording it sent fails"
)

// States of the account and the address.
const (
	faultNone     = "no fault"
	faultSandbox  = "sandbox refuses the recipient until production access"
	faultUserLeft = "held in the sandbox, the user leaves before the re-drive"
	faultInvalid  = "SES rejects the address"
)

var (
	crashPoints = []string{faultCrashBeforeClaim, faultCrashAfterClaim, faultCrashNotSent, faultCrashAccepted,
		faultCrashBeforeRecord, faultTimeoutRecording, faultCrashAfterRecord}
	failures = []string{faultLedgerDown, faultThrottled, faultThrottledNoRelease, faultAnswerLost, faultSESSlow, faultRecordFails}
	states   = []string{faultNone, faultSandbox, faultUserLeft, faultInvalid}
)

// point is where the fault strikes: the hook in the world's services.
func (f fault) point() string {
	switch f.kind {
	case faultCrashBeforeClaim, faultLedgerDown:
		return "claim"
	case faultCrashAfterClaim:
		return "claimed"
	case faultCrashNotSent, faultCrashAccepted, faultThrottled, faultThrottledNoRelease, faultAnswerLost, faultSESSlow:
		return "ses"
	case faultCrashBeforeRecord, faultTimeoutRecording, faultRecordFails:
		return "record"
	case faultCrashAfterRecord:
		return "recorded"
	}
	return ""
}

// The component's defaults (welcomemailer.DefaultBatchSize, ...): batches
// of 10, 5 retries, an hour's record age, and settings.MinimumTimeout, the
// shortest timeout it accepts.
var componentMapping = mapping{batchSize: 10, maxRetries: 5, maxRecordAge: time.Hour, timeout: settings.MinimumTimeout * time.Second}

// TestMappingSimulation drives the mapping through every crash point and
// failure, once, twice and on every attempt, for a user first, in the
// middle and last of its batch, with retries inside the crashed attempt's
// lease (as Lambda retries) and after it, for fresh records and records
// about to age out. Each run ends as the package documentation promises:
//
//   - every user gets at least one mail, from the stream or from a re-drive
//     of the ledger or of the failure records; exactly one unless an attempt
//     ended after SES accepted its mail but before the ledger recorded it,
//     and at most one more per such attempt;
//   - a rejected address gets none (rejected), nor does a held user who left
//     before the re-drive (cancelled);
//   - the failure queue is empty after the re-drive, and a re-drive run
//     again sends nothing;
//   - with fewer faults than retries, a crash never sends records to the
//     failure queue: a held claim is waited out, not retried.
func TestMappingSimulation(t *testing.T) {
	type layout struct{ users, batchSize, target int }
	layouts := []layout{{1, 1, 0}, {4, 4, 0}, {4, 4, 2}, {4, 4, 3}}
	var faults []fault
	for _, kind := range append(append([]string{}, crashPoints...), failures...) {
		for _, times := range []int{1, 2, 0} {
			faults = append(faults, fault{kind: kind, times: times})
		}
	}
	for _, kind := range states {
		faults = append(faults, fault{kind: kind, times: 1})
	}
	runs, invocations, failureRecords := 0, 0, 0
	for _, f := range faults {
		for _, l := range layouts {
			for _, lease := range []string{"inside", "after"} {
				for _, age := range []string{"fresh", "ageing"} {
					f := f
					f.target = l.target
					m := componentMapping
					m.batchSize = l.batchSize
					if lease == "after" {
						m.retryDelay = claimLease + 2*time.Second
					}
					name := fmt.Sprintf("%s/%d times/user %d of %d/retry %s the lease/%s", f.kind, f.times, l.target+1, l.batchSize, lease, age)
					t.Run(name, func(t *testing.T) {
						w := simulate(t, f, l.users, m, age == "ageing")
						runs, invocations, failureRecords = runs+1, invocations+w.invocations, failureRecords+w.failureRecords
					})
				}
			}
		}
	}
	t.Logf("%d runs: %d crash points and %d failures (once, twice, always) and %d account states, "+
		"%d invocations, %d failure records re-driven", runs, len(crashPoints), len(failures), len(states), invocations, failureRecords)
}

// simulate runs the mapping, then the operator's re-drives (twice), and
// checks the guarantee.
func simulate(t *testing.T, f fault, users int, m mapping, ageing bool) *world {
	age := time.Second
	if ageing {
		age = m.maxRecordAge - 10*time.Second
	}
	w := newWorld(t, f, users, age)
	w.runMapping(m)

	w.stream = false
	if f.kind == faultUserLeft {
		delete(w.users, w.target())
	}
	w.sandbox = false // production access granted
	mailsBefore := map[string]int{}
	for round := range 2 {
		w.redrive(m, "failures")
		w.redrive(m, "ledger")
		if round == 0 {
			for id, n := range w.mails {
				mailsBefore[id] = n
			}
		}
	}
	for id, n := range w.mails {
		if n != mailsBefore[id] {
			t.Errorf("%s: a second re-drive sent %d more mails", id, n-mailsBefore[id])
		}
	}
	checkGuarantee(t, w, f, ageing)
	return w
}

func checkGuarantee(t *testing.T, w *world, f fault, ageing bool) {
	t.Helper()
	for id := range w.users {
		mails, unrecorded, status := w.mails[id], w.unrecorded[id], w.status(id)
		switch {
		case id == w.target() && f.kind == faultInvalid:
			if mails != 0 || status != StatusRejected {
				t.Errorf("%s: %d mails, %s; want none, rejected", id, mails, status)
			}
		case id == w.target() && f.kind == faultUserLeft:
			if mails != 0 || status != StatusCancelled {
				t.Errorf("%s: %d mails, %s; want none, cancelled", id, mails, status)
			}
		case mails < 1 || mails > 1+unrecorded:
			t.Errorf("%s: %d mails with %d attempts that ended between SES and the ledger; want 1 to %d", id, mails, unrecorded, 1+unrecorded)
		case status != StatusSent && !(status == StatusSending && f.kind == faultRecordFails):
			t.Errorf("%s: ledger says %s after its mail, want sent", id, status)
		}
	}
	if n := w.queue.len(); n != 0 {
		t.Errorf("%d failure records left after the re-drive", n)
	}
	if f.times > 0 && f.times < componentMapping.maxRetries && !ageing && w.failureRecords > 0 {
		t.Errorf("%d failure records for %d faults: the retries ran out", w.failureRecords, f.times)
	}
	if t.Failed() {
		t.Log(w)
	}
}
