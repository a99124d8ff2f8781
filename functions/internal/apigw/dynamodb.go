package apigw

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The DynamoDB operations the helpers below call, one interface each, so
// that a handler's own client interface needs only the ones it uses.
type (
	ItemGetter interface {
		GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	}
	ItemPutter interface {
		PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	}
	Querier interface {
		Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	}
	// ItemStore is all three: what a handler needs to read, list and
	// create items with the helpers below.
	ItemStore interface {
		ItemGetter
		ItemPutter
		Querier
	}
)

// ConditionFailed reports whether err is DynamoDB refusing a conditional
// write, which is how the APIs here detect taken keys and lost updates.
func ConditionFailed(err error) bool {
	_, ok := errors.AsType[*types.ConditionalCheckFailedException](err)
	return ok
}

// GetItem runs in and decodes the item it finds into a T; when there is
// none, the error is notFound.
func GetItem[T any](ctx context.Context, db ItemGetter, in *dynamodb.GetItemInput, notFound error) (*T, error) {
	out, err := db.GetItem(ctx, in)
	if err != nil {
		return nil, err
	}
	if out.Item == nil {
		return nil, notFound
	}
	v := new(T)
	if err := attributevalue.UnmarshalMap(out.Item, v); err != nil {
		return nil, fmt.Errorf("decoding item: %w", err)
	}
	return v, nil
}

// PutNew stores item in table unless an item with the same key exists, which
// it recognises by keyAttr, an attribute of the key whose name is a plain word:
// then the error is one that [ConditionFailed] reports, and nothing is
// written.
func PutNew(ctx context.Context, db ItemPutter, table, keyAttr string, item any) error {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return fmt.Errorf("encoding item: %w", err)
	}
	placeholder := "#" + keyAttr
	_, err = db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                &table,
		Item:                     av,
		ConditionExpression:      aws.String("attribute_not_exists(" + placeholder + ")"),
		ExpressionAttributeNames: map[string]string{placeholder: keyAttr},
	})
	return err
}

// Page is the answer to a list request: a page of items and the token of the
// page after it, if there is one.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

// QueryPage runs in for one item more than limit, decodes the items into
// Ts and cuts the page out of them (see [NextPage]).
func QueryPage[T any](ctx context.Context, db Querier, in *dynamodb.QueryInput, limit int, keyOf func(T) Cursor) (Page[T], error) {
	in.Limit = aws.Int32(int32(limit + 1))
	out, err := db.Query(ctx, in)
	if err != nil {
		return Page[T]{}, err
	}
	items := make([]T, 0, len(out.Items))
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return Page[T]{}, fmt.Errorf("decoding items: %w", err)
	}
	items, next, err := NextPage(items, limit, keyOf, out.LastEvaluatedKey)
	if err != nil {
		return Page[T]{}, fmt.Errorf("paginating: %w", err)
	}
	return Page[T]{Items: items, NextCursor: next}, nil
}

// NextPage cuts a page out of the items of a Query made with Limit set to
// limit+1 and returns the token for the page after it, "" if there is none.
// The extra item tells whether another page exists, so that the last page
// never points to an empty one; the token is then the key of the page's last
// item, which keyOf returns. When DynamoDB stopped before limit+1 items (at
// its 1 MB response size), the token is its LastEvaluatedKey.
func NextPage[T any](items []T, limit int, keyOf func(T) Cursor, lastEvaluatedKey map[string]types.AttributeValue) ([]T, string, error) {
	if len(items) > limit {
		return items[:limit], keyOf(items[limit-1]).Encode(), nil
	}
	next, err := CursorFromKey(lastEvaluatedKey)
	if err != nil {
		return nil, "", err
	}
	return items, next.Encode(), nil
}
