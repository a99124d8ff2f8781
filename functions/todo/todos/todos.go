// Package todos is the MyTodoList to-do API: a Lambda function behind an API
// Gateway REST API (Lambda proxy integration) whose methods are protected by a
// Cognito user pool authorizer.
//
//	GET    /todos       the caller's to-dos in creation order; ?limit=1..100 (default 20), ?cursor=<nextCursor>
//	POST   /todos       create {"title", "notes"?, "done"?}: 201 with Location todos/<id>
//	GET    /todos/{id}  read one
//	PUT    /todos/{id}  replace {"title", "notes"?, "done", "version"}: 409 if version is not the stored one
//	DELETE /todos/{id}  delete, conditional with ?version=N: 204
//
// The owner of every to-do is the caller's Cognito "sub" claim, never a value
// from the request, and it is the table's partition key, so nobody can read
// or change another's to-dos: they are 404, like to-dos that do not exist.
// Titles have 1 to 200 characters, notes up to 2000, bodies up to 16 KiB.
// Errors are JSON (package functions/internal/apigw); reads may be cached
// privately for CACHE_TTL_SECONDS (default 0). CORS_ORIGINS lists the browser
// origins allowed to call the API, each answered with its own origin.
//
// The table (TABLE_NAME) is keyed owner (S, the Cognito sub) and id (S,
// server-generated, sorting by creation time). Items also hold title (S),
// notes (S, absent when empty), done (BOOL), version (N, 1 on creation, +1 on
// every update), createdAt and updatedAt (S, RFC 3339 in UTC). The function
// calls GetItem, PutItem, UpdateItem, DeleteItem and Query on it, nothing else.
package todos

import (
	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
)

// Key schema of the to-do table; both attributes are strings (S).
const (
	// PartitionKey holds the owner's Cognito sub.
	PartitionKey = "owner"
	// SortKey holds the to-do's id.
	SortKey = "id"
)

// Environment variables the function reads.
const (
	// EnvTableName names the to-do table (required).
	EnvTableName = apigw.EnvTableName
	// EnvCacheTTLSeconds is how long clients may cache reads, in seconds;
	// 0, the default, sends no-store.
	EnvCacheTTLSeconds = apigw.EnvCacheTTLSeconds
	// EnvCORSOrigins are the browser origins allowed to call the API,
	// separated by commas (optional).
	EnvCORSOrigins = apigw.EnvCORSOrigins
)

// Limits of the API.
const (
	maxTitleChars   = 200
	maxNotesChars   = 2000
	maxBodyBytes    = apigw.DefaultMaxBodyBytes
	defaultPageSize = 20
	maxPageSize     = 100
)

// Todo is a to-do as stored in the table and, without the owner, as the API
// returns it.
type Todo struct {
	Owner     string `dynamodbav:"owner" json:"-"`
	ID        string `dynamodbav:"id" json:"id"`
	Title     string `dynamodbav:"title" json:"title"`
	Notes     string `dynamodbav:"notes,omitempty" json:"notes,omitempty"`
	Done      bool   `dynamodbav:"done" json:"done"`
	Version   int64  `dynamodbav:"version" json:"version"`
	CreatedAt string `dynamodbav:"createdAt" json:"createdAt"`
	UpdatedAt string `dynamodbav:"updatedAt" json:"updatedAt"`
}

// Config configures the Handler: the to-do table, how long reads may be
// cached (zero: not at all) and the browser origins allowed to call the API.
// Both API functions share its shape and environment (see package apigw),
// and read it with apigw.Start.
type Config = apigw.Config
