package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/dev/testenv"
	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// createLedgerTable creates the idempotency table as the WelcomeMailer
// component declares it: partition key settings.LedgerKey (S), on demand.
func createLedgerTable(t *testing.T, db *dynamodb.Client, name string) {
	t.Helper()
	_, err := db.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(settings.LedgerKey), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String(settings.LedgerKey), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("creating table %s: %v", name, err)
	}
	// Creation is asynchronous, even on dynalite.
	waiter := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 10 * time.Millisecond })
	if err := waiter.Wait(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 10*time.Second); err != nil {
		t.Fatalf("waiting for table %s: %v", name, err)
	}
}

// TestLedgerContract runs the same transitions against DynamoLedger on
// dynalite, where the condition expressions are really evaluated, and
// against the in-memory fake the handler tests use.
func TestLedgerContract(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		testLedgerContract(t, func(now func() time.Time) Ledger { return newMemLedger(now) })
	})
	t.Run("dynamodb", func(t *testing.T) {
		db := dynamodb.NewFromConfig(testenv.AWSConfig(t, testenv.Dynalite(t)))
		createLedgerTable(t, db, "welcome-ledger")
		testLedgerContract(t, func(now func() time.Time) Ledger {
			return &DynamoLedger{DB: db, Table: "welcome-ledger", Now: now}
		})
	})
}

func testLedgerContract(t *testing.T, newLedger func(now func() time.Time) Ledger) {
	ctx := context.Background()
	// Each case uses its own user id, so cases can share one table.
	claim := func(t *testing.T, l Ledger, id string, until time.Time) (Claim, ClaimState) {
		t.Helper()
		c, st, err := l.Claim(ctx, id, "event-"+id, Key{"pk": s(id), "sk": s("PROFILE")}, until)
		if err != nil {
			t.Fatalf("Claim(%s): %v", id, err)
		}
		return c, st
	}
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name string
		run  func(t *testing.T, l Ledger, clk *clock, id string)
	}{
		{"first claim wins, second is held", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, st := claim(t, l, id, clk.Now().Add(time.Minute))
			if st != ClaimOK || c.Attempt != 1 || c.TookOver || c.Token == "" {
				t.Fatalf("first claim = %+v, %v", c, st)
			}
			lease := clk.Now().Add(time.Minute)
			if c, st := claim(t, l, id, clk.Now().Add(time.Minute)); st != ClaimHeld || !c.FreeAt.Equal(time.Unix(lease.Unix()+1, 0)) {
				t.Fatalf("second claim inside the lease = %v free at %v, want held until a second after %v", st, c.FreeAt, lease)
			}
		}},
		{"held is pending, keeps the user's key and can be claimed again", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, _ := claim(t, l, id, clk.Now().Add(time.Minute))
			must(t, l.MarkHeld(ctx, c, "MessageRejected: Email address is not verified."))
			p := pendingOf(t, l, id)
			if p.Status != StatusHeld || !strings.Contains(p.Reason, "not verified") || len(p.Key) != 2 {
				t.Fatalf("pending item %+v, want held with its reason and the user's key", p)
			}
			c2, st := claim(t, l, id, clk.Now().Add(time.Minute))
			if st != ClaimOK || c2.TookOver || c2.Attempt != 2 {
				t.Fatalf("claim after held = %+v, %v", c2, st)
			}
			if p := pendingOf(t, l, id); p.ID != "" {
				t.Fatalf("a claimed item is still listed as pending: %+v", p)
			}
			must(t, l.MarkSent(ctx, c2, "msg-1"))
		}},
		{"cancelled is done for good", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, _ := claim(t, l, id, clk.Now().Add(time.Minute))
			must(t, l.MarkHeld(ctx, c, "sandbox"))
			c, _ = claim(t, l, id, clk.Now().Add(time.Minute))
			must(t, l.MarkCancelled(ctx, c, "the user no longer exists"))
			if _, st := claim(t, l, id, clk.Now().Add(time.Minute)); st != ClaimDone {
				t.Fatalf("claim after cancelled = %v, want done", st)
			}
		}},
		{"released is pending too", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, _ := claim(t, l, id, clk.Now().Add(time.Minute))
			must(t, l.Release(ctx, c, "throttled"))
			if p := pendingOf(t, l, id); p.Status != StatusReleased {
				t.Fatalf("pending item %+v, want released", p)
			}
		}},
		{"sent is done for good", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, _ := claim(t, l, id, clk.Now().Add(time.Minute))
			must(t, l.MarkSent(ctx, c, "msg-1"))
			clk.Advance(time.Hour)
			if _, st := claim(t, l, id, clk.Now().Add(time.Minute)); st != ClaimDone {
				t.Fatalf("claim after sent = %v, want done", st)
			}
		}},
		{"rejected is done for good", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, _ := claim(t, l, id, clk.Now().Add(time.Minute))
			must(t, l.MarkRejected(ctx, c, "MessageRejected"))
			if _, st := claim(t, l, id, clk.Now().Add(time.Minute)); st != ClaimDone {
				t.Fatalf("claim after rejected = %v, want done", st)
			}
		}},
		{"released can be claimed at once, and is no takeover", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, _ := claim(t, l, id, clk.Now().Add(time.Hour))
			must(t, l.Release(ctx, c, "throttled"))
			c2, st := claim(t, l, id, clk.Now().Add(time.Hour))
			if st != ClaimOK || c2.Attempt != 2 || c2.TookOver || c2.Token == c.Token {
				t.Fatalf("claim after release = %+v, %v", c2, st)
			}
		}},
		{"expired claim is taken over and the old holder loses it", func(t *testing.T, l Ledger, clk *clock, id string) {
			old, _ := claim(t, l, id, clk.Now().Add(time.Minute))
			clk.Advance(2 * time.Minute)
			c, st := claim(t, l, id, clk.Now().Add(time.Minute))
			if st != ClaimOK || !c.TookOver || c.Attempt != 2 {
				t.Fatalf("claim after expiry = %+v, %v; want a takeover on attempt 2", c, st)
			}
			if err := l.MarkSent(ctx, old, "msg-old"); !errors.Is(err, ErrClaimLost) {
				t.Fatalf("old holder MarkSent = %v, want ErrClaimLost", err)
			}
			if err := l.Release(ctx, old, "late"); !errors.Is(err, ErrClaimLost) {
				t.Fatalf("old holder Release = %v, want ErrClaimLost", err)
			}
			must(t, l.MarkSent(ctx, c, "msg-new"))
		}},
		{"finishing twice fails the second time", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, _ := claim(t, l, id, clk.Now().Add(time.Minute))
			must(t, l.MarkSent(ctx, c, "msg-1"))
			if err := l.MarkRejected(ctx, c, "late"); !errors.Is(err, ErrClaimLost) {
				t.Fatalf("second finish = %v, want ErrClaimLost", err)
			}
		}},
		{"malformed does not block a later valid insert", func(t *testing.T, l Ledger, clk *clock, id string) {
			must(t, l.RecordMalformed(ctx, id, "e1", "no email"))
			must(t, l.RecordMalformed(ctx, id, "e1", "no email")) // replayed
			if c, st := claim(t, l, id, clk.Now().Add(time.Minute)); st != ClaimOK || c.TookOver {
				t.Fatalf("claim after malformed = %+v, %v", c, st)
			}
		}},
		{"malformed never overwrites an outcome", func(t *testing.T, l Ledger, clk *clock, id string) {
			c, _ := claim(t, l, id, clk.Now().Add(time.Minute))
			must(t, l.MarkSent(ctx, c, "msg-1"))
			must(t, l.RecordMalformed(ctx, id, "e2", "no email"))
			if _, st := claim(t, l, id, clk.Now().Add(time.Minute)); st != ClaimDone {
				t.Fatalf("claim = %v, want done: the malformed record overwrote sent", st)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			tt.run(t, newLedger(clk.Now), clk, "USER#"+tt.name)
		})
	}
}

// pendingOf returns the pending item id, or a zero Pending.
func pendingOf(t *testing.T, l Ledger, id string) Pending {
	t.Helper()
	var found Pending
	if err := l.Pending(context.Background(), func(p Pending) error {
		if p.ID == id {
			found = p
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return found
}

// The ledger's TTL attribute (the component turns TTL on for
// settings.LedgerTTLAttribute) is
// written on every finished item, a Retention from now, and on no item
// that still needs work.
func TestLedgerItemsExpireOnceFinished(t *testing.T) {
	ctx := context.Background()
	db := dynamodb.NewFromConfig(testenv.AWSConfig(t, testenv.Dynalite(t)))
	createLedgerTable(t, db, "ttl-ledger")
	clk := newClock()
	l := &DynamoLedger{DB: db, Table: "ttl-ledger", Now: clk.Now}
	step := func(id string, finish func(Claim) error) {
		t.Helper()
		c, st, err := l.Claim(ctx, id, "e", nil, clk.Now().Add(time.Minute))
		if err != nil || st != ClaimOK {
			t.Fatalf("Claim(%s) = %v, %v", id, st, err)
		}
		if finish != nil {
			if err := finish(c); err != nil {
				t.Fatal(err)
			}
		}
	}
	step("sent", func(c Claim) error { return l.MarkSent(ctx, c, "m") })
	step("rejected", func(c Claim) error { return l.MarkRejected(ctx, c, "bad") })
	step("held", func(c Claim) error { return l.MarkHeld(ctx, c, "sandbox") })
	step("released", func(c Claim) error { return l.Release(ctx, c, "throttled") })
	step("sending", nil)
	if err := l.RecordMalformed(ctx, "malformed", "e", "no email"); err != nil {
		t.Fatal(err)
	}
	want := strconv.FormatInt(clk.Now().Add(Retention).Unix(), 10)
	for id, expires := range map[string]bool{"sent": true, "rejected": true, "malformed": true, "held": false, "released": false, "sending": false} {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("ttl-ledger"), Key: l.key(id)})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := out.Item[settings.LedgerTTLAttribute].(*types.AttributeValueMemberN)
		switch {
		case expires && (!ok || got.Value != want):
			t.Errorf("%s item expiresAt = %v, want %s", id, out.Item[settings.LedgerTTLAttribute], want)
		case !expires && out.Item[settings.LedgerTTLAttribute] != nil:
			t.Errorf("%s item expires (%v), but still needs work", id, out.Item[settings.LedgerTTLAttribute])
		}
	}
	// A held item claimed again loses nothing to a TTL set before.
	step("malformed", func(c Claim) error { return l.MarkHeld(ctx, c, "sandbox") })
	out, _ := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("ttl-ledger"), Key: l.key("malformed")})
	if out.Item[settings.LedgerTTLAttribute] != nil {
		t.Errorf("a malformed item held later keeps its expiry: %v", out.Item)
	}
}
