package main

import (
	"strings"
	"unicode"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// UserShape says which items of the users table are users and which of
// their attributes hold the user's identity, address and name
// (USER_ID_ATTRIBUTE, USER_TYPE_ATTRIBUTE, USER_TYPE_VALUE,
// EMAIL_ATTRIBUTE, NAME_ATTRIBUTE).
type UserShape struct {
	// IDAttribute is the key attribute identifying a user: the ledger's
	// key, so each user gets one mail.
	IDAttribute string
	// TypeAttribute and TypeValue mark an item as a user; with
	// TypeAttribute empty, every inserted item is one.
	TypeAttribute, TypeValue string
	// EmailAttribute and NameAttribute hold the address and the name.
	EmailAttribute, NameAttribute string
}

// welcome is a user record that can be mailed.
type welcome struct {
	id    string // the user's id attribute, the ledger key
	key   Key    // the user item's key in the users table
	email string
	name  string
}

// parse reads a user out of a stream record. isUser is false for other
// items; problem is non-empty when a user record cannot be mailed. A record
// without a new image cannot be told apart and is reported rather than
// dropped: the mapping's filter only passes such records when the stream
// carries no images, which is a misconfiguration.
func (u UserShape) parse(rec events.DynamoDBEventRecord) (w welcome, isUser bool, problem string) {
	img := rec.Change.NewImage
	if img != nil && u.TypeAttribute != "" && imageString(img, u.TypeAttribute) != u.TypeValue {
		return welcome{}, false, ""
	}
	id := imageString(rec.Change.Keys, u.IDAttribute)
	w = welcome{id: id, key: keyOf(rec.Change.Keys),
		email: strings.TrimSpace(imageString(img, u.EmailAttribute)), name: cleanName(imageString(img, u.NameAttribute))}
	switch {
	case id == "":
		return w, true, "record has no " + u.IDAttribute + " key"
	case img == nil:
		return w, true, "record has no NewImage; the stream must use NEW_IMAGE or NEW_AND_OLD_IMAGES"
	case w.email == "":
		return w, true, "user has no " + u.EmailAttribute + " attribute"
	}
	return w, true, ""
}

// keyOf converts a stream record's key attributes (strings, numbers or
// binaries, as DynamoDB keys are) to the SDK's form; other types cannot be
// key attributes and are left out.
func keyOf(keys map[string]events.DynamoDBAttributeValue) Key {
	out := Key{}
	for name, v := range keys {
		switch v.DataType() {
		case events.DataTypeString:
			out[name] = &types.AttributeValueMemberS{Value: v.String()}
		case events.DataTypeNumber:
			out[name] = &types.AttributeValueMemberN{Value: v.Number()}
		case events.DataTypeBinary:
			out[name] = &types.AttributeValueMemberB{Value: v.Binary()}
		}
	}
	return out
}

// imageOf converts a users-table item to a stream image, keeping the
// scalar attributes: a UserShape reads strings only.
func imageOf(item map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	out := map[string]events.DynamoDBAttributeValue{}
	for name, v := range item {
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			out[name] = events.NewStringAttribute(v.Value)
		case *types.AttributeValueMemberN:
			out[name] = events.NewNumberAttribute(v.Value)
		case *types.AttributeValueMemberB:
			out[name] = events.NewBinaryAttribute(v.Value)
		case *types.AttributeValueMemberBOOL:
			out[name] = events.NewBooleanAttribute(v.Value)
		}
	}
	return out
}

// imageString returns the string value of attribute name, or "" when it is
// missing or not a string.
func imageString(item map[string]events.DynamoDBAttributeValue, name string) string {
	v, ok := item[name]
	if !ok || v.DataType() != events.DataTypeString {
		return ""
	}
	return v.String()
}

// cleanName makes the user-supplied name safe to put in a subject or body:
// no control characters, at most maxNameRunes runes.
func cleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsControl(r) {
			continue
		}
		if n == maxNameRunes {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
