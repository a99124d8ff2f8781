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
)

// Ledger item statuses.
const (
	StatusSending   = "sending"   // claimed; lease running
	StatusReleased  = "released"  // last attempt failed before SES accepted; free to claim
	StatusSent      = "sent"      // SES accepted the mail (messageId)
	StatusRejected  = "rejected"  // the address can never be mailed (reason)
	StatusMalformed = "malformed" // the user record could not be mailed as it was (reason)
)

// ClaimState is what Claim found.
type ClaimState int

const (
	// ClaimOK: the caller owns the user until it records an outcome.
	ClaimOK ClaimState = iota
	// ClaimDone: the user was sent or rejected before; nothing to do.
	ClaimDone
	// ClaimHeld: another attempt's lease is still running; retry later.
	ClaimHeld
)

// Claim is one attempt's hold on a user.
type Claim struct {
	ID    string
	Token string
	// Attempt counts claims of this user, this one included.
	Attempt int
	// TookOver reports that the previous claim expired without an outcome:
	// that attempt may or may not have sent the mail.
	TookOver bool
}

// ErrClaimLost reports that a claim was taken over before its outcome was
// recorded, which only happens when a lease was too short.
var ErrClaimLost = errors.New("claim was taken over")

// TableAPI is the part of the DynamoDB client DynamoLedger uses.
type TableAPI interface {
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
}

// DynamoLedger keeps the ledger in a DynamoDB table with partition key id
// (S). Every transition is one conditional UpdateItem; GetItem is used only
// to explain a refused claim.
//
// Item attributes: id, status, token and leaseUntil (Unix seconds) while
// claimed, attempts, eventId (the stream record that last touched it),
// messageId, reason, updatedAt.
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
	return map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func n(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// Claim implements Ledger.
func (l *DynamoLedger) Claim(ctx context.Context, id, eventID string, leaseUntil time.Time) (Claim, ClaimState, error) {
	var tok [16]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return Claim{}, 0, fmt.Errorf("making claim token: %w", err)
	}
	c := Claim{ID: id, Token: hex.EncodeToString(tok[:])}
	now := l.now()
	out, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(l.Table),
		Key:       l.key(id),
		UpdateExpression: aws.String("SET #status = :sending, #token = :token, leaseUntil = :lease, eventId = :event, " +
			"updatedAt = :at, attempts = if_not_exists(attempts, :zero) + :one REMOVE reason"),
		ConditionExpression: aws.String("attribute_not_exists(id) OR #status IN (:released, :malformed) " +
			"OR (#status = :sending AND leaseUntil < :now)"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#token": "token"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":sending":   s(StatusSending),
			":released":  s(StatusReleased),
			":malformed": s(StatusMalformed),
			":token":     s(c.Token),
			":lease":     n(leaseUntil.Unix()),
			":now":       n(now.Unix()),
			":event":     s(eventID),
			":at":        s(now.UTC().Format(time.RFC3339)),
			":zero":      n(0),
			":one":       n(1),
		},
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
	case StatusSent, StatusRejected:
		return Claim{}, ClaimDone, nil
	}
	// A live lease, or a state that changed since the claim was refused:
	// either way, try again later.
	return Claim{}, ClaimHeld, nil
}

// MarkSent implements Ledger.
func (l *DynamoLedger) MarkSent(ctx context.Context, c Claim, messageID string) error {
	return l.finish(ctx, c, StatusSent, "messageId", messageID)
}

// MarkRejected implements Ledger.
func (l *DynamoLedger) MarkRejected(ctx context.Context, c Claim, reason string) error {
	return l.finish(ctx, c, StatusRejected, "reason", reason)
}

// Release implements Ledger.
func (l *DynamoLedger) Release(ctx context.Context, c Claim, reason string) error {
	return l.finish(ctx, c, StatusReleased, "reason", reason)
}

// finish moves a claimed item to status, setting attr to value, if the claim
// is still ours.
func (l *DynamoLedger) finish(ctx context.Context, c Claim, status, attr, value string) error {
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(l.Table),
		Key:                      l.key(c.ID),
		UpdateExpression:         aws.String("SET #status = :status, #attr = :value, updatedAt = :at REMOVE #token, leaseUntil"),
		ConditionExpression:      aws.String("#token = :token"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#token": "token", "#attr": attr},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":status": s(status),
			":value":  s(value),
			":token":  s(c.Token),
			":at":     s(l.now().UTC().Format(time.RFC3339)),
		},
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

// RecordMalformed implements Ledger. It never overwrites a claim or an
// outcome: a malformed duplicate of a user who was mailed changes nothing.
func (l *DynamoLedger) RecordMalformed(ctx context.Context, id, eventID, reason string) error {
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(l.Table),
		Key:                      l.key(id),
		UpdateExpression:         aws.String("SET #status = :malformed, reason = :reason, eventId = :event, updatedAt = :at"),
		ConditionExpression:      aws.String("attribute_not_exists(id) OR #status = :malformed"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":malformed": s(StatusMalformed),
			":reason":    s(reason),
			":event":     s(eventID),
			":at":        s(l.now().UTC().Format(time.RFC3339)),
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
