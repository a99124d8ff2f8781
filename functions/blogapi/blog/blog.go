// Package blog is the public MyBlog.com API: a Lambda function behind an API
// Gateway REST API (Lambda proxy integration).
//
//	GET  /posts         newest first, without bodies; ?limit=1..50 (default 10), ?cursor=<nextCursor>
//	GET  /posts/{slug}  one post
//	POST /posts         publish {"slug", "title", "body"}: 201 with Location posts/<slug>, 409 if taken
//	POST /users         sign up {"email", "name"}: 202, for a new address and a known one alike
//
// API Gateway must protect POST /posts (an API key or IAM); the function
// records the caller's API key id, or else its IAM caller, as the author.
// Sign-up matches addresses without regard to case and leaves a known one as
// it is, name included, so it gets no second welcome mail and the answer tells
// no one who has an account. Errors are JSON (functions/internal/apigw);
// reads may be cached, also by a CDN, for CACHE_TTL_SECONDS (default 0).
// CORS_ORIGINS lists the browser origins allowed to call it, comma-separated.
//
// One (global) table, TABLE_NAME, holds every entity under the keys pk and sk
// (S), with the index byEntity (entity, publishedAt; projection ALL):
//
//	post  pk=POST#<slug>                sk=POST     entity=post  slug, title, body, author?, publishedAt
//	user  pk=USER#<lower-cased e-mail>  sk=PROFILE  entity=user  email, name, createdAt
//
// Times are fixed-width RFC 3339 in UTC with milliseconds, so they sort as
// strings; users have no publishedAt and stay out of the index. The function
// calls GetItem, PutItem and Query; the welcome mailer reads users' inserts.
package blog

import (
	"strings"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
)

// Key schema of the table and its index; every key attribute is a string (S).
const (
	PartitionKey = "pk"
	SortKey      = "sk"
	// EntityIndex is the global secondary index listing items of one
	// entity type by publication time.
	EntityIndex             = "byEntity"
	EntityIndexPartitionKey = AttrEntity
	EntityIndexSortKey      = "publishedAt"
)

// Item layout.
const (
	// AttrEntity names the item's type: EntityPost or EntityUser.
	AttrEntity = "entity"
	EntityPost = "post"
	EntityUser = "user"

	// PostKeyPrefix followed by the slug is a post's partition key; its
	// sort key is PostSortKey.
	PostKeyPrefix = "POST#"
	PostSortKey   = "POST"
	// UserKeyPrefix followed by the lower-cased e-mail address is a user's
	// partition key; its sort key is UserSortKey.
	UserKeyPrefix = "USER#"
	UserSortKey   = "PROFILE"

	// AttrEmail and AttrName are the user attributes the welcome mailer
	// reads from the stream's NewImage.
	AttrEmail = "email"
	AttrName  = "name"
)

// Environment variables the function reads.
const (
	EnvTableName       = apigw.EnvTableName
	EnvCacheTTLSeconds = apigw.EnvCacheTTLSeconds
	EnvCORSOrigins     = apigw.EnvCORSOrigins
)

// Limits of the API.
const (
	maxSlugChars  = 100
	maxTitleChars = 200
	// maxPostBodyChars keeps a post well below DynamoDB's 400 KB item
	// limit even in 4-byte characters.
	maxPostBodyChars = 50_000
	// maxPostRequestBytes leaves room for JSON escapes around the longest
	// body.
	maxPostRequestBytes = 256 << 10
	maxNameChars        = 100
	maxEmailBytes       = 254
	defaultPageSize     = 10
	maxPageSize         = 50
)

// timeLayout is RFC 3339 with fixed-width milliseconds: times in this layout
// sort as strings, which the index's range key needs.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Item is what every item in the table has: its key and its entity type.
// The API never returns it.
type Item struct {
	PK     string `dynamodbav:"pk" json:"-"`
	SK     string `dynamodbav:"sk" json:"-"`
	Entity string `dynamodbav:"entity" json:"-"`
}

// postItem is the Item of the post with this slug.
func postItem(slug string) Item {
	return Item{PK: PostKeyPrefix + slug, SK: PostSortKey, Entity: EntityPost}
}

// userItem is the Item of the user with this e-mail address, which the key
// holds lower-cased so that addresses compare without regard to case.
func userItem(email string) Item {
	return Item{PK: UserKeyPrefix + strings.ToLower(email), SK: UserSortKey, Entity: EntityUser}
}

// Post is a blog post as stored and, without its Item, as the API returns it.
type Post struct {
	Item
	Slug        string `dynamodbav:"slug" json:"slug"`
	Title       string `dynamodbav:"title" json:"title"`
	Body        string `dynamodbav:"body,omitempty" json:"body,omitempty"`
	Author      string `dynamodbav:"author,omitempty" json:"author,omitempty"`
	PublishedAt string `dynamodbav:"publishedAt" json:"publishedAt"`
}

// User is a signed-up reader as stored and, without its Item, as sign-up
// returns it.
type User struct {
	Item
	Email     string `dynamodbav:"email" json:"email"`
	Name      string `dynamodbav:"name" json:"name"`
	CreatedAt string `dynamodbav:"createdAt" json:"createdAt"`
}

// Config configures the Handler: the blog table, how long reads may be
// cached (zero: not at all) and the browser origins allowed to call the API.
// Both API functions share its shape and environment (see package apigw),
// and read it with apigw.Start.
type Config = apigw.Config
