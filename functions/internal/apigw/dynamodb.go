package apigw

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ConditionFailed reports whether err is DynamoDB refusing a conditional
// write, which is how the APIs here detect taken keys and lost updates.
func ConditionFailed(err error) bool {
	_, ok := errors.AsType[*types.ConditionalCheckFailedException](err)
	return ok
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
