// Package blog is the public MyBlog.com API: a Lambda function behind an API
// Gateway REST API (Lambda proxy integration).
//
// # Routes
//
//	GET  /posts         list posts, newest first; ?limit=1..50 (default 10), ?cursor=<nextCursor>
//	GET  /posts/{slug}  read one post
//	POST /posts         publish: {"slug", "title", "body"}; 201 with Location (posts/<slug>), 409 if the slug exists
//	POST /users         sign up: {"email", "name"}; 202 whether or not the address has signed up before
//
// POST /posts must be protected by API Gateway (an API key or IAM
// authorization): the function trusts every caller that reaches it and records
// the caller's API key id (requestContext.identity.apiKeyId), or else its IAM
// identity (identity.caller), as the post's author. The other routes are
// public.
//
// Sign-up compares e-mail addresses without regard to case and writes
// nothing for an address that has signed up before, so its account and
// name stay as they are and no second welcome mail goes out. The answer is
// the same for new and known addresses: sign-up is no oracle of who has an
// account. Listings leave out post bodies. Errors are JSON as described in
// the functions/internal/apigw package. Successful reads may be cached, also
// by a CDN ("public"), for CACHE_TTL_SECONDS.
//
// # Table
//
// One DynamoDB (global) table holds every entity. The infrastructure creates
// it with exactly these keys:
//
//	partition key  pk           S
//	sort key       sk           S
//	GSI byEntity   entity (S) as hash key, publishedAt (S) as range key, projection ALL
//
// Items:
//
//	post  pk=POST#<slug>          sk=POST     entity=post  slug, title, body, author (optional), publishedAt
//	user  pk=USER#<lower-cased e-mail>  sk=PROFILE  entity=user  email, name, createdAt
//
// Times are RFC 3339 in UTC with milliseconds and fixed width
// ("2026-11-27T10:00:00.000Z"), so that they sort as strings. User items have
// no publishedAt and therefore stay out of the index. The welcome mailer, a
// DynamoDB stream consumer, reacts to INSERTs with entity=user and reads
// email and name from the new image. The function calls GetItem, PutItem and
// Query on the table and on the index.
//
// # Environment
//
// TABLE_NAME (required), CACHE_TTL_SECONDS (default 0: no caching) and
// CORS_ORIGINS (optional: the browser origins allowed to call the API,
// separated by commas). The
// DynamoDB endpoint comes from the AWS SDK's standard settings, such as
// AWS_ENDPOINT_URL_DYNAMODB.
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
