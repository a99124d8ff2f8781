package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/dev/testenv"
)

// createLedgerTable creates the idempotency table as the WelcomeMailer
// component declares it: partition key id (S), on demand.
func createLedgerTable(t *testing.T, db *dynamodb.Client, name string) {
	t.Helper()
	_, err := db.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
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
		c, st, err := l.Claim(ctx, id, "event-"+id, until)
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
			if _, st := claim(t, l, id, clk.Now().Add(time.Minute)); st != ClaimHeld {
				t.Fatalf("second claim inside the lease = %v, want held", st)
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
