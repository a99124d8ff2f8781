package apigw

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// maxCursorLen bounds the cursors a client can make the function decode.
const maxCursorLen = 2048

// Cursor is a position in a paginated DynamoDB query: the string attributes
// of the key to continue after (DynamoDB's LastEvaluatedKey, or the key of
// the last item a page returned). Clients see it only as an opaque token.
type Cursor map[string]string

// CursorFromKey converts a LastEvaluatedKey. Keys of the tables here are
// strings; any other attribute type is an error (a server fault, not the
// client's).
func CursorFromKey(key map[string]types.AttributeValue) (Cursor, error) {
	if len(key) == 0 {
		return nil, nil
	}
	c := make(Cursor, len(key))
	for name, v := range key {
		s, ok := v.(*types.AttributeValueMemberS)
		if !ok {
			return nil, fmt.Errorf("pagination key attribute %q is %T, not a string", name, v)
		}
		c[name] = s.Value
	}
	return c, nil
}

// Encode returns the opaque token for c: base64url (no padding) of its JSON
// form, whose keys encoding/json sorts, so equal cursors give equal tokens.
// An empty cursor gives "".
func (c Cursor) Encode() string {
	if len(c) == 0 {
		return ""
	}
	raw, _ := json.Marshal(map[string]string(c)) // a map of strings always encodes
	return base64.RawURLEncoding.EncodeToString(raw)
}

// Key returns c as a DynamoDB ExclusiveStartKey; nil for a nil cursor.
func (c Cursor) Key() map[string]types.AttributeValue {
	if c == nil {
		return nil
	}
	key := make(map[string]types.AttributeValue, len(c))
	for name, v := range c {
		key[name] = &types.AttributeValueMemberS{Value: v}
	}
	return key
}

// ParseCursor decodes a token made by [Cursor.Encode]. The cursor must hold
// exactly the named key attributes, each a non-empty string; anything else is
// a 400 for the field "cursor". An empty token gives a nil cursor: the first
// page.
//
// The token is not signed: callers must check that the position it names is
// one the caller may read (for example, that the partition key is theirs).
func ParseCursor(token string, keys ...string) (Cursor, error) {
	if token == "" {
		return nil, nil
	}
	malformed := Invalid("cursor", "cursor is malformed; pass back the nextCursor of the previous page unchanged")
	if len(token) > maxCursorLen {
		return nil, malformed
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, malformed
	}
	var c Cursor
	if err := json.Unmarshal(raw, &c); err != nil || len(c) != len(keys) {
		return nil, malformed
	}
	for _, name := range keys {
		if c[name] == "" {
			return nil, malformed
		}
	}
	return c, nil
}
