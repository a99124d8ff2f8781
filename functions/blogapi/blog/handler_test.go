package blog

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
	"github.com/gopherstack/serverless-arch/functions/internal/apigw/apigwtest"
)

var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func newTestHandler(db DB, cfg Config) *Handler {
	if cfg.TableName == "" {
		cfg.TableName = "blog-test"
	}
	h := New(db, cfg)
	h.Now = func() time.Time { return testNow }
	h.Router.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	return h
}

func marshal(t testing.TB, item any) map[string]types.AttributeValue {
	t.Helper()
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		t.Fatal(err)
	}
	return av
}

func samplePost(slug, publishedAt string) Post {
	return Post{Item: postItem(slug), Slug: slug,
		Title: "Post " + slug, Author: "k3y1d2x9ab", PublishedAt: publishedAt}
}

// token encodes a cursor the way clients receive it.
func token(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }

func stored[T any](t *testing.T, in *dynamodb.PutItemInput) T {
	t.Helper()
	var v T
	if err := attributevalue.UnmarshalMap(in.Item, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func noDB(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} }

// getPost answers every GetItem with post.
func getPost(t *testing.T, post Post) apigwtest.DynamoDB {
	return apigwtest.DynamoDB{GetItemFunc: func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
		return &dynamodb.GetItemOutput{Item: marshal(t, post)}, nil
	}}
}

func TestHandler(t *testing.T) {
	conditionFailed := &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
	putFails := func(*testing.T) apigwtest.DynamoDB {
		return apigwtest.DynamoDB{PutItemFunc: func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) { return nil, conditionFailed }}
	}
	putOK := func(*testing.T) apigwtest.DynamoDB {
		return apigwtest.DynamoDB{PutItemFunc: func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) { return &dynamodb.PutItemOutput{}, nil }}
	}
	withBody := func(body string) func(*events.APIGatewayProxyRequest) {
		return func(r *events.APIGatewayProxyRequest) { r.Body = body }
	}

	tests := []struct {
		name        string
		event       string
		edit        func(*events.APIGatewayProxyRequest)
		cfg         Config
		db          func(t *testing.T) apigwtest.DynamoDB
		wantStatus  int
		wantCode    string
		wantField   string
		wantHeaders map[string]string
		check       func(t *testing.T, resp events.APIGatewayProxyResponse)
	}{
		// GET /posts
		{
			name: "list newest first", event: "list-posts.json",
			edit: func(r *events.APIGatewayProxyRequest) { delete(r.QueryStringParameters, "limit") },
			cfg:  Config{CacheTTL: 5 * time.Minute, CORSOrigins: []string{"https://myblog.com"}},
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					if *in.IndexName != EntityIndex || *in.ScanIndexForward || *in.Limit != 11 || in.ExclusiveStartKey != nil {
						t.Errorf("query index %s forward %v limit %d start %v", *in.IndexName, *in.ScanIndexForward, *in.Limit, in.ExclusiveStartKey)
					}
					if got := in.ExpressionAttributeValues[":post"].(*types.AttributeValueMemberS).Value; got != EntityPost {
						t.Errorf("queried entity %q", got)
					}
					if strings.Contains(*in.ProjectionExpression, "body") {
						t.Errorf("listing reads bodies: %s", *in.ProjectionExpression)
					}
					return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{
						marshal(t, samplePost("newer", "2026-11-26T10:00:00.000Z")),
						marshal(t, samplePost("older", "2026-11-25T10:00:00.000Z")),
					}}, nil
				}}
			},
			wantStatus: 200,
			wantHeaders: map[string]string{"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "https://myblog.com",
				"Content-Type": "application/json"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				want := `{"items":[{"slug":"newer","title":"Post newer","author":"k3y1d2x9ab","publishedAt":"2026-11-26T10:00:00.000Z"},` +
					`{"slug":"older","title":"Post older","author":"k3y1d2x9ab","publishedAt":"2026-11-25T10:00:00.000Z"}]}`
				if resp.Body != want {
					t.Errorf("body\n%s\nwant\n%s", resp.Body, want)
				}
			},
		},
		{
			name: "list page with more to come", event: "list-posts.json", // limit=2
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					if *in.Limit != 3 {
						t.Errorf("Limit %d, want the page size plus one", *in.Limit)
					}
					return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{
						marshal(t, samplePost("c", "2026-11-26T10:00:00.000Z")),
						marshal(t, samplePost("b", "2026-11-25T10:00:00.000Z")),
						marshal(t, samplePost("a", "2026-11-24T10:00:00.000Z")),
					}}, nil
				}}
			},
			wantStatus:  200,
			wantHeaders: map[string]string{"Cache-Control": "no-store"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				p := apigwtest.Decode[apigw.Page[Post]](t, resp)
				want := token(`{"entity":"post","pk":"POST#b","publishedAt":"2026-11-25T10:00:00.000Z","sk":"POST"}`)
				if len(p.Items) != 2 || p.NextCursor != want {
					t.Errorf("page %+v, want 2 items and the cursor of post b", p)
				}
			},
		},
		{
			name: "list continues at the cursor", event: "list-posts.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				apigwtest.SetQuery(r, "cursor", token(`{"entity":"post","pk":"POST#b","publishedAt":"2026-11-25T10:00:00.000Z","sk":"POST"}`))
			},
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					var start map[string]string
					if err := attributevalue.UnmarshalMap(in.ExclusiveStartKey, &start); err != nil {
						t.Fatal(err)
					}
					if len(start) != 4 || start["pk"] != "POST#b" || start["publishedAt"] != "2026-11-25T10:00:00.000Z" {
						t.Errorf("ExclusiveStartKey %v", start)
					}
					return &dynamodb.QueryOutput{}, nil
				}}
			},
			wantStatus: 200,
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if resp.Body != `{"items":[]}` {
					t.Errorf("body %s", resp.Body)
				}
			},
		},
		{
			name: "list with a cursor into users", event: "list-posts.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				apigwtest.SetQuery(r, "cursor", token(`{"entity":"user","pk":"USER#a@example.com","publishedAt":"x","sk":"PROFILE"}`))
			},
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "cursor",
		},
		{
			name: "list with a malformed cursor", event: "list-posts.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				apigwtest.SetQuery(r, "cursor", token(`{"pk":"POST#b","sk":"POST"}`))
			},
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "cursor",
		},
		{
			name: "list with limit 51", event: "list-posts.json",
			edit:       func(r *events.APIGatewayProxyRequest) { apigwtest.SetQuery(r, "limit", "51") },
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "limit",
		},
		{
			name: "list while DynamoDB throttles", event: "list-posts.json",
			cfg: Config{CacheTTL: time.Minute},
			db: func(*testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(*dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					return nil, &types.RequestLimitExceeded{Message: aws.String("account limit")}
				}}
			},
			wantStatus: 503, wantCode: "unavailable",
			wantHeaders: map[string]string{"Cache-Control": "no-store", "Retry-After": "1"},
		},

		// GET /posts/{slug}
		{
			name: "get", event: "get-post.json", cfg: Config{CacheTTL: time.Minute},
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{GetItemFunc: func(in *dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
					var key map[string]string
					_ = attributevalue.UnmarshalMap(in.Key, &key)
					if len(key) != 2 || key["pk"] != "POST#hello-serverless" || key["sk"] != "POST" {
						t.Errorf("key %v", key)
					}
					post := samplePost("hello-serverless", "2026-11-26T10:00:00.000Z")
					post.Body = "Our first post."
					return &dynamodb.GetItemOutput{Item: marshal(t, post)}, nil
				}}
			},
			wantStatus:  200,
			wantHeaders: map[string]string{"Cache-Control": "public, max-age=60"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				want := `{"slug":"hello-serverless","title":"Post hello-serverless","body":"Our first post.","author":"k3y1d2x9ab","publishedAt":"2026-11-26T10:00:00.000Z"}`
				if resp.Body != want {
					t.Errorf("body\n%s\nwant\n%s", resp.Body, want)
				}
			},
		},
		{
			name: "get a missing post", event: "get-post.json", cfg: Config{CacheTTL: time.Minute},
			db: func(*testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{GetItemFunc: func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
					return &dynamodb.GetItemOutput{}, nil
				}}
			},
			wantStatus: 404, wantCode: "not_found",
			wantHeaders: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "get an impossible slug", event: "get-post.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.PathParameters["slug"] = "Hello_World" },
			db:         noDB,
			wantStatus: 404, wantCode: "not_found",
		},

		// POST /posts
		{
			name: "create post", event: "create-post.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{PutItemFunc: func(in *dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) {
					got := stored[Post](t, in)
					want := Post{Item: Item{PK: "POST#hello-serverless", SK: "POST", Entity: "post"}, Slug: "hello-serverless",
						Title: "Hello, serverless", Body: "Our first post.\n\nIt is served by Lambda.",
						Author: "k3y1d2x9ab", PublishedAt: "2026-11-27T10:00:00.000Z"}
					if got != want {
						t.Errorf("stored %+v\nwant %+v", got, want)
					}
					if *in.ConditionExpression != "attribute_not_exists(#pk)" || in.ExpressionAttributeNames["#pk"] != "pk" {
						t.Errorf("condition %q %v", *in.ConditionExpression, in.ExpressionAttributeNames)
					}
					return &dynamodb.PutItemOutput{}, nil
				}}
			},
			wantStatus: 201,
			// Relative, so that it resolves to /api/posts/hello-serverless on
			// the site and to /v1/posts/hello-serverless on the stage URL.
			wantHeaders: map[string]string{"Location": "posts/hello-serverless", "Cache-Control": "no-store"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if strings.Contains(resp.Body, "Xq9vT2mL") {
					t.Errorf("response contains the API key itself: %s", resp.Body)
				}
				if got := apigwtest.Decode[Post](t, resp); got.Slug != "hello-serverless" || got.PublishedAt != "2026-11-27T10:00:00.000Z" {
					t.Errorf("body %s", resp.Body)
				}
			},
		},
		{
			name: "create post as an IAM caller", event: "create-post.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				r.RequestContext.Identity.APIKey, r.RequestContext.Identity.APIKeyID = "", ""
				r.RequestContext.Identity.Caller = "AROAEXAMPLE:publisher"
			},
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{PutItemFunc: func(in *dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) {
					if got := stored[Post](t, in).Author; got != "AROAEXAMPLE:publisher" {
						t.Errorf("author %q", got)
					}
					return &dynamodb.PutItemOutput{}, nil
				}}
			},
			wantStatus: 201,
		},
		{
			name: "create post without a known caller", event: "create-post.json",
			edit: func(r *events.APIGatewayProxyRequest) { r.RequestContext.Identity = events.APIGatewayRequestIdentity{} },
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{PutItemFunc: func(in *dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) {
					if _, ok := in.Item["author"]; ok {
						t.Errorf("author stored without a caller: %v", in.Item["author"])
					}
					return &dynamodb.PutItemOutput{}, nil
				}}
			},
			wantStatus: 201,
		},
		{
			name: "create post with a 100-character slug", event: "create-post.json",
			edit:       withBody(`{"slug":"` + strings.Repeat("a", 50) + "-" + strings.Repeat("b", 49) + `","title":"t","body":"b"}`),
			db:         putOK,
			wantStatus: 201,
		},
		{
			name: "create post with an existing slug", event: "create-post.json",
			db:         putFails,
			wantStatus: 409, wantCode: "conflict",
		},
		{
			name: "create post with a 101-character slug", event: "create-post.json",
			edit:       withBody(`{"slug":"` + strings.Repeat("a", 101) + `","title":"t","body":"b"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "slug",
		},
		{
			name: "create post with upper case in the slug", event: "create-post.json",
			edit:       withBody(`{"slug":"Hello-world","title":"t","body":"b"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "slug",
		},
		{
			name: "create post with a double hyphen", event: "create-post.json",
			edit:       withBody(`{"slug":"hello--world","title":"t","body":"b"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "slug",
		},
		{
			name: "create post with a trailing hyphen", event: "create-post.json",
			edit:       withBody(`{"slug":"hello-","title":"t","body":"b"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "slug",
		},
		{
			name: "create post without title", event: "create-post.json",
			edit:       withBody(`{"slug":"a","body":"b"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "title",
		},
		{
			name: "create post without body", event: "create-post.json",
			edit:       withBody(`{"slug":"a","title":"t"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "body",
		},
		{
			name: "create post naming its own author", event: "create-post.json",
			edit:       withBody(`{"slug":"a","title":"t","body":"b","author":"someone famous"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "unknown_field", wantField: "author",
		},
		{
			name: "create post over 256 KiB", event: "create-post.json",
			edit:       withBody(`{"slug":"a","title":"t","body":"` + strings.Repeat("x", 256<<10) + `"}`),
			db:         noDB,
			wantStatus: 413, wantCode: "payload_too_large",
		},
		{
			name: "create post with a body of 50001 characters", event: "create-post.json",
			edit:       withBody(`{"slug":"a","title":"t","body":"` + strings.Repeat("x", 50_001) + `"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "body",
		},
		{
			name: "create post as a form", event: "create-post.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				apigwtest.SetHeader(r, "Content-Type", "multipart/form-data; boundary=x")
			},
			db:         noDB,
			wantStatus: 415, wantCode: "unsupported_media_type",
		},

		// POST /users
		{
			name: "sign up", event: "sign-up.json", cfg: Config{CORSOrigins: []string{"https://myblog.com"}},
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{PutItemFunc: func(in *dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) {
					got := stored[User](t, in)
					want := User{Item: Item{PK: "USER#riley.reader@example.com", SK: "PROFILE", Entity: "user"},
						Email: "Riley.Reader@Example.com", Name: "Riley Reader", CreatedAt: "2026-11-27T10:00:00.000Z"}
					if got != want {
						t.Errorf("stored %+v\nwant %+v", got, want)
					}
					if *in.ConditionExpression != "attribute_not_exists(#pk)" {
						t.Errorf("condition %q", *in.ConditionExpression)
					}
					return &dynamodb.PutItemOutput{}, nil
				}}
			},
			wantStatus:  202,
			wantHeaders: map[string]string{"Cache-Control": "no-store", "Access-Control-Allow-Origin": "https://myblog.com"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if want := `{"message":"` + signUpMessage + `"}`; resp.Body != want {
					t.Errorf("body %s, want %s", resp.Body, want)
				}
			},
		},
		{
			// Exactly the answer to a new address: sign-up reveals no one's
			// account. Nothing is written, so no second welcome mail.
			name: "sign up with an address that has signed up", event: "sign-up.json",
			db:          putFails, // and no GetItem: nothing about the existing user is read
			wantStatus:  202,
			wantHeaders: map[string]string{"Cache-Control": "no-store"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if want := `{"message":"` + signUpMessage + `"}`; resp.Body != want {
					t.Errorf("body %s, want %s", resp.Body, want)
				}
			},
		},
		{
			name: "sign up when the table fails", event: "sign-up.json",
			db: func(*testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{PutItemFunc: func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) {
					return nil, errors.New("table gone")
				}}
			},
			wantStatus: 500, wantCode: "internal",
		},
		{
			// API Gateway's rendering of {"name":"bad \xff\xfe utf8"}.
			name: "sign up with a name that was not UTF-8", event: "sign-up.json",
			edit:       withBody(`{"email":"r@example.com","name":"bad \ufffd\ufffd utf8"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "name",
		},
		{
			name: "sign up without name", event: "sign-up.json",
			edit:       withBody(`{"email":"r@example.com"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "name",
		},
		{
			name: "sign up with a 101-character name", event: "sign-up.json",
			edit:       withBody(`{"email":"r@example.com","name":"` + strings.Repeat("é", 101) + `"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "name",
		},
		{
			name: "sign up with a line break in the name", event: "sign-up.json",
			edit:       withBody(`{"email":"r@example.com","name":"Riley\r\nBcc: everyone@example.com"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "invalid_field", wantField: "name",
		},
		{
			name: "sign up choosing a key", event: "sign-up.json",
			edit:       withBody(`{"email":"r@example.com","name":"R","pk":"USER#admin@example.com"}`),
			db:         noDB,
			wantStatus: 400, wantCode: "unknown_field", wantField: "pk",
		},
		{
			name: "sign up with an empty body", event: "sign-up.json",
			edit:       withBody(""),
			db:         noDB,
			wantStatus: 400, wantCode: "missing_body",
		},

		// CORS: API Gateway answers preflights; the function names the
		// caller's origin when it is one of the allowed.
		{
			name: "second allowed origin", event: "get-post.json",
			cfg: Config{CORSOrigins: []string{"https://other.example", "https://myblog.com"}},
			db: func(t *testing.T) apigwtest.DynamoDB {
				return getPost(t, samplePost("hello-serverless", "2026-11-26T10:00:00.000Z"))
			},
			wantStatus: 200, wantHeaders: map[string]string{"Access-Control-Allow-Origin": "https://myblog.com", "Vary": "Origin"},
		},
		{
			name: "no CORS configured", event: "get-post.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return getPost(t, samplePost("hello-serverless", "2026-11-26T10:00:00.000Z"))
			},
			wantStatus: 200,
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if _, ok := resp.Headers["Access-Control-Allow-Origin"]; ok {
					t.Error("CORS header without CORS_ORIGINS")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := apigwtest.Event(t, tt.event)
			if tt.edit != nil {
				tt.edit(&req)
			}
			resp, err := newTestHandler(tt.db(t), tt.cfg).Handle(context.Background(), req)
			if err != nil {
				t.Fatalf("Handle returned error %v; errors must be responses", err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if tt.wantCode != "" {
				body := apigwtest.Decode[apigwtest.ErrorBody](t, resp)
				if body.Error.Code != tt.wantCode || body.Error.Field != tt.wantField || body.Error.Message == "" {
					t.Errorf("error %+v, want code %q field %q", body.Error, tt.wantCode, tt.wantField)
				}
			}
			for k, v := range tt.wantHeaders {
				if resp.Headers[k] != v {
					t.Errorf("header %s = %q, want %q", k, resp.Headers[k], v)
				}
			}
			if tt.check != nil {
				tt.check(t, resp)
			}
		})
	}
}

func TestValidEmail(t *testing.T) {
	for _, tt := range []struct {
		email string
		want  bool
	}{
		{"reader@example.com", true},
		{"Riley.Reader+blog@mail.example.co.uk", true},
		{"", false},
		{"reader", false},
		{"reader@", false},
		{"@example.com", false},
		{"Riley <reader@example.com>", false},
		{"<reader@example.com>", false},
		{"reader@example.com (Riley)", false},
		{"a@example.com, b@example.com", false},
		{" reader@example.com", false},
		{"reader@example.com\r\nBcc: x@example.com", false},
		{"r\ufffdader@example.com", false},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", false}, // 255 bytes
	} {
		if got := validEmail(tt.email); got != tt.want {
			t.Errorf("validEmail(%q) = %v, want %v", tt.email, got, tt.want)
		}
	}
}
