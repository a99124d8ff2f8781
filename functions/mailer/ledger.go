package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// Ledger item statuses.
const (
	StatusSending   = "sending"   // claimed; lease running
	StatusReleased  = "released"  // last attempt failed before SES accepted; free to claim
	StatusHeld      = "held"      // SES refused for an account reason (sandbox, ...); waits for a re-drive
	StatusSent      = "sent"      // SES accepted the mail (messageId)
	StatusRejected  = "rejected"  // the address can never be mailed (reason)
	StatusMalformed = "malformed" // the user record could not be mailed as it was (reason)
	StatusCancelled = "cancelled" // a held mail whose user no longer exists at its re-drive
)

// Retention is how long a finished item (sent, rejected, malformed,
// cancelled) stays in the ledger before DynamoDB's TTL deletes it
// (attribute expiresAt). Replays come from the stream, which keeps records
// 24 hours, and from failure records re-driven within that window; a month is
// far beyond both. Items that still need work (sending, released, held) never
// expire. The ids of the blog's users contain their address, so the ledger
// does not keep them longer than deduplication needs.
const Retention = 30 * 24 * time.Hour

// ClaimState is what Claim found.
type ClaimState int

const (
	// ClaimOK: the caller owns the user until it records an outcome.
	ClaimOK ClaimState = iota
	// ClaimDone: the user was sent, rejected or cancelled before.
	ClaimDone
	// ClaimHeld: another attempt's lease is running; Claim.FreeAt says
	// from when it can be taken over.
	ClaimHeld
)

// Key is the user item's primary key in the users table, kept in the
// ledger so that a re-drive can read the user again.
type Key map[string]types.AttributeValue

// Claim is one attempt's hold on a user.
type Claim struct {
	ID    string
	Token string
	// Attempt counts claims of this user, this one included.
	Attempt int
	// TookOver reports that the previous claim expired without an outcome:
	// that attempt may or may not have sent the mail.
	TookOver bool
	// FreeAt, for ClaimHeld, is the first moment the running lease can be
	// taken over.
	FreeAt time.Time
}

// Pending is a ledger item whose mail was certainly not sent and that a
// re-drive may send: held, or released by a failed attempt.
type Pending struct {
	ID, Status, Reason string
	Key                Key
}

// ErrClaimLost reports that a claim was taken over before its outcome was
// recorded, which only happens when a lease was too short.
var ErrClaimLost = errors.New("claim was taken over")

// TableAPI is the part of the DynamoDB client DynamoLedger uses.
type TableAPI interface {
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

// DynamoLedger keeps the ledger in a DynamoDB table with partition key id
// (S). Every transition is one conditional UpdateItem; GetItem explains a
// refused claim, and Scan lists pending items for a re-drive.
//
// Item attributes: id, status, token and leaseUntil (Unix seconds) while
// claimed, attempts, eventId (the stream record that last touched it),
// userKey (the user's key in the users table), messageId, reason, updatedAt,
// and expiresAt (Unix seconds, DynamoDB TTL) once finished.
type DynamoLedger struct {
	DB    TableAPI
	Table string
	// Now is the clock leases are compared with; nil means time.Now.
	Now func() time.Time
}

func (l *DynamoLedger) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func (l *DynamoLedger) key(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{settings.LedgerKey: &types.AttributeValueMemberS{Value: id}}
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func n(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// Claim takes id for one attempt until leaseUntil, if nobody else holds it
// and no outcome is recorded.
func (l *DynamoLedger) Claim(ctx context.Context, id, eventID string, userKey Key, leaseUntil time.Time) (Claim, ClaimState, error) {
	var tok [16]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return Claim{}, 0, fmt.Errorf("making claim token: %w", err)
	}
	c := Claim{ID: id, Token: hex.EncodeToString(tok[:])}
	now := l.now()
	values := map[string]types.AttributeValue{
		":sending":   s(StatusSending),
		":released":  s(StatusReleased),
		":held":      s(StatusHeld),
		":malformed": s(StatusMalformed),
		":token":     s(c.Token),
		":lease":     n(leaseUntil.Unix()),
		":now":       n(now.Unix()),
		":event":     s(eventID),
		":at":        s(now.UTC().Format(time.RFC3339)),
		":zero":      n(0),
		":one":       n(1),
	}
	update := "SET #status = :sending, #token = :token, leaseUntil = :lease, eventId = :event, " +
		"updatedAt = :at, attempts = if_not_exists(attempts, :zero) + :one"
	if len(userKey) > 0 {
		update += ", userKey = :key"
		values[":key"] = &types.AttributeValueMemberM{Value: userKey}
	}
	out, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:        aws.String(l.Table),
		Key:              l.key(id),
		UpdateExpression: aws.String(update + " REMOVE reason, #expires"),
		ConditionExpression: aws.String("attribute_not_exists(#id) OR #status IN (:released, :held, :malformed) " +
			"OR (#status = :sending AND leaseUntil < :now)"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#token": "token",
			"#id": settings.LedgerKey, "#expires": settings.LedgerTTLAttribute},
		ExpressionAttributeValues: values,
		// The old item tells what this claim replaced.
		ReturnValues: types.ReturnValueAllOld,
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return l.explainRefusal(ctx, id)
	}
	if err != nil {
		return Claim{}, 0, fmt.Errorf("claiming %s in %s: %w", id, l.Table, err)
	}
	c.Attempt = itemInt(out.Attributes, "attempts") + 1
	c.TookOver = itemString(out.Attributes, "status") == StatusSending
	return c, ClaimOK, nil
}

// explainRefusal reads the item a claim could not take.
func (l *DynamoLedger) explainRefusal(ctx context.Context, id string) (Claim, ClaimState, error) {
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(l.Table),
		Key:            l.key(id),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Claim{}, 0, fmt.Errorf("reading %s in %s after a refused claim: %w", id, l.Table, err)
	}
	switch itemString(out.Item, "status") {
	case StatusSent, StatusRejected, StatusCancelled:
		return Claim{}, ClaimDone, nil
	}
	// A live lease, or a state that changed since the claim was refused:
	// either way, try again once the lease (if any) is over. Claims compare
	// whole seconds, so the lease is over one second after leaseUntil.
	free := l.now()
	if lease := itemInt(out.Item, "leaseUntil"); lease > 0 {
		free = time.Unix(int64(lease)+1, 0)
	}
	return Claim{ID: id, FreeAt: free}, ClaimHeld, nil
}

// MarkSent records that SES accepted the mail.
func (l *DynamoLedger) MarkSent(ctx context.Context, c Claim, messageID string) error {
	return l.finish(ctx, c, StatusSent, "messageId", messageID, true)
}

// MarkRejected records that the address can never be mailed.
func (l *DynamoLedger) MarkRejected(ctx context.Context, c Claim, reason string) error {
	return l.finish(ctx, c, StatusRejected, "reason", reason, true)
}

// MarkHeld records that SES refused for a reason of the account, not of the
// address; the item stays until a re-drive sends it.
func (l *DynamoLedger) MarkHeld(ctx context.Context, c Claim, reason string) error {
	return l.finish(ctx, c, StatusHeld, "reason", reason, false)
}

// MarkCancelled records that a held mail's user no longer exists.
func (l *DynamoLedger) MarkCancelled(ctx context.Context, c Claim, reason string) error {
	return l.finish(ctx, c, StatusCancelled, "reason", reason, true)
}

// Release gives the claim up after a transient failure.
func (l *DynamoLedger) Release(ctx context.Context, c Claim, reason string) error {
	return l.finish(ctx, c, StatusReleased, "reason", reason, false)
}

// finish moves a claimed item to status, setting attr to value, if the claim
// is still ours; a final status also starts the item's retention.
func (l *DynamoLedger) finish(ctx context.Context, c Claim, status, attr, value string, final bool) error {
	now := l.now()
	values := map[string]types.AttributeValue{
		":status": s(status),
		":value":  s(value),
		":token":  s(c.Token),
		":at":     s(now.UTC().Format(time.RFC3339)),
	}
	names := map[string]string{"#status": "status", "#token": "token", "#attr": attr}
	update := "SET #status = :status, #attr = :value, updatedAt = :at"
	if final {
		update += ", #expires = :expires"
		names["#expires"], values[":expires"] = settings.LedgerTTLAttribute, n(now.Add(Retention).Unix())
	}
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(l.Table),
		Key:                       l.key(c.ID),
		UpdateExpression:          aws.String(update + " REMOVE #token, leaseUntil"),
		ConditionExpression:       aws.String("#token = :token"),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return fmt.Errorf("marking %s %s: %w", c.ID, status, ErrClaimLost)
	}
	if err != nil {
		return fmt.Errorf("marking %s %s in %s: %w", c.ID, status, l.Table, err)
	}
	return nil
}

// RecordMalformed notes a user record that cannot be mailed as it is. It
// never overwrites a claim or an outcome: a malformed duplicate of a user
// who was mailed changes nothing.
func (l *DynamoLedger) RecordMalformed(ctx context.Context, id, eventID, reason string) error {
	now := l.now()
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(l.Table),
		Key:                      l.key(id),
		UpdateExpression:         aws.String("SET #status = :malformed, reason = :reason, eventId = :event, updatedAt = :at, #expires = :expires"),
		ConditionExpression:      aws.String("attribute_not_exists(#id) OR #status = :malformed"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#id": settings.LedgerKey, "#expires": settings.LedgerTTLAttribute},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":malformed": s(StatusMalformed),
			":reason":    s(reason),
			":event":     s(eventID),
			":at":        s(now.UTC().Format(time.RFC3339)),
			":expires":   n(now.Add(Retention).Unix()),
		},
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("recording malformed %s in %s: %w", id, l.Table, err)
	}
	return nil
}

// Pending calls visit with every held or released item, in pages of a
// consistent scan, until visit returns an error (returned as is).
func (l *DynamoLedger) Pending(ctx context.Context, visit func(Pending) error) error {
	var start map[string]types.AttributeValue
	for {
		out, err := l.DB.Scan(ctx, &dynamodb.ScanInput{
			TableName:                 aws.String(l.Table),
			ConsistentRead:            aws.Bool(true),
			FilterExpression:          aws.String("#status IN (:held, :released)"),
			ExpressionAttributeNames:  map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":held": s(StatusHeld), ":released": s(StatusReleased)},
			ExclusiveStartKey:         start,
		})
		if err != nil {
			return fmt.Errorf("listing pending mails in %s: %w", l.Table, err)
		}
		for _, item := range out.Items {
			p := Pending{ID: itemString(item, settings.LedgerKey), Status: itemString(item, "status"), Reason: itemString(item, "reason")}
			if m, ok := item["userKey"].(*types.AttributeValueMemberM); ok {
				p.Key = m.Value
			}
			if err := visit(p); err != nil {
				return err
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return nil
		}
		start = out.LastEvaluatedKey
	}
}

func itemString(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func itemInt(item map[string]types.AttributeValue, name string) int {
	if v, ok := item[name].(*types.AttributeValueMemberN); ok {
		i, _ := strconv.Atoi(v.Value)
		return i
	}
	return 0
}
