package todos

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
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

// The fixtures' caller (the Cognito sub in testdata/*.json), another user,
// and the to-do id the fixtures address.
const (
	alice     = "6f1e2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
	bob       = "0b0b0b0b-1111-4222-8333-944444444444"
	fixtureID = "019ac0ffee008f3a2b1c4d5e6f70"
)

var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// getFrom answers GetItem from stored to-dos by the requested key, as
// DynamoDB would.
func getFrom(t *testing.T, stored ...Todo) func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
	return func(in *dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
		owner, id := keyOf(t, in.Key)
		for _, todo := range stored {
			if todo.Owner == owner && todo.ID == id {
				return &dynamodb.GetItemOutput{Item: marshal(t, todo)}, nil
			}
		}
		return &dynamodb.GetItemOutput{}, nil
	}
}

func keyOf(t *testing.T, key map[string]types.AttributeValue) (owner, id string) {
	t.Helper()
	if len(key) != 2 {
		t.Errorf("key %v has %d attributes, want owner and id", key, len(key))
	}
	o, _ := key["owner"].(*types.AttributeValueMemberS)
	i, _ := key["id"].(*types.AttributeValueMemberS)
	if o == nil || i == nil {
		t.Fatalf("key %v lacks string owner or id", key)
	}
	return o.Value, i.Value
}

func marshal(t testing.TB, todo Todo) map[string]types.AttributeValue {
	t.Helper()
	item, err := attributevalue.MarshalMap(todo)
	if err != nil {
		t.Fatal(err)
	}
	return item
}

func sampleTodo(owner, id string, version int64) Todo {
	return Todo{Owner: owner, ID: id, Title: "Buy oat milk", Done: false, Version: version,
		CreatedAt: "2026-11-26T09:00:00Z", UpdatedAt: "2026-11-26T09:30:00Z"}
}

// todoID returns the n-th id of a sequence of valid to-do ids.
func todoID(n int) string { return fmt.Sprintf("019ac0ffee00%016x", n) }

func setCaller(req *events.APIGatewayProxyRequest, sub string) {
	req.RequestContext.Authorizer = map[string]any{"claims": map[string]any{"sub": sub}}
}

func newTestHandler(db DB, cfg Config) *Handler {
	if cfg.TableName == "" {
		cfg.TableName = "todos-test"
	}
	h := New(db, cfg)
	h.Now = func() time.Time { return testNow }
	h.Router.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	return h
}

func TestHandler(t *testing.T) {
	throttled := &types.ProvisionedThroughputExceededException{Message: aws.String("slow down")}
	conditionFailed := &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}

	tests := []struct {
		name        string
		event       string
		edit        func(*events.APIGatewayProxyRequest)
		cacheTTL    time.Duration
		db          func(t *testing.T) apigwtest.DynamoDB
		wantStatus  int
		wantCode    string // error code, for 4xx and 5xx
		wantField   string
		wantHeaders map[string]string
		check       func(t *testing.T, resp events.APIGatewayProxyResponse)
	}{
		// GET /todos
		{
			name: "list first page", event: "list.json",
			edit: func(r *events.APIGatewayProxyRequest) { delete(r.QueryStringParameters, "limit") },
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					if got := in.ExpressionAttributeValues[":owner"].(*types.AttributeValueMemberS).Value; got != alice {
						t.Errorf("queried owner %q, want the caller %q", got, alice)
					}
					if *in.TableName != "todos-test" || *in.Limit != 21 || in.ExclusiveStartKey != nil || !*in.ConsistentRead {
						t.Errorf("query table %s limit %d start %v consistent %v", *in.TableName, *in.Limit, in.ExclusiveStartKey, *in.ConsistentRead)
					}
					return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{
						marshal(t, sampleTodo(alice, todoID(1), 1)), marshal(t, sampleTodo(alice, todoID(2), 4)),
					}}, nil
				}}
			},
			wantStatus:  200,
			wantHeaders: map[string]string{"Cache-Control": "no-store", "Content-Type": "application/json"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				p := apigwtest.Decode[apigw.Page[Todo]](t, resp)
				if len(p.Items) != 2 || p.Items[0].ID != todoID(1) || p.Items[1].Version != 4 || p.NextCursor != "" {
					t.Errorf("page %+v", p)
				}
				if strings.Contains(resp.Body, alice) {
					t.Errorf("body exposes the owner: %s", resp.Body)
				}
			},
		},
		{
			name: "list empty", event: "list.json", cacheTTL: 30 * time.Second,
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(*dynamodb.QueryInput) (*dynamodb.QueryOutput, error) { return &dynamodb.QueryOutput{}, nil }}
			},
			wantStatus:  200,
			wantHeaders: map[string]string{"Cache-Control": "private, max-age=30"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if resp.Body != `{"items":[]}` {
					t.Errorf("body %s, want an empty items array", resp.Body)
				}
			},
		},
		{
			name: "list page with more to come", event: "list.json", // limit=2
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					if *in.Limit != 3 {
						t.Errorf("Limit %d, want the page size plus one", *in.Limit)
					}
					out := &dynamodb.QueryOutput{LastEvaluatedKey: key(alice, todoID(3))}
					for i := 1; i <= 3; i++ {
						out.Items = append(out.Items, marshal(t, sampleTodo(alice, todoID(i), 1)))
					}
					return out, nil
				}}
			},
			wantStatus: 200,
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				p := apigwtest.Decode[apigw.Page[Todo]](t, resp)
				if len(p.Items) != 2 {
					t.Fatalf("%d items, want 2", len(p.Items))
				}
				raw, err := base64.RawURLEncoding.DecodeString(p.NextCursor)
				if err != nil || string(raw) != `{"id":"`+todoID(2)+`","owner":"`+alice+`"}` {
					t.Errorf("nextCursor %q = %s, want the key of the last item returned", p.NextCursor, raw)
				}
			},
		},
		{
			name: "list continues at the cursor", event: "list.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				apigwtest.SetQuery(r, "cursor", base64.RawURLEncoding.EncodeToString([]byte(`{"id":"`+todoID(2)+`","owner":"`+alice+`"}`)))
			},
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					if owner, id := keyOf(t, in.ExclusiveStartKey); owner != alice || id != todoID(2) {
						t.Errorf("ExclusiveStartKey %s/%s", owner, id)
					}
					return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{marshal(t, sampleTodo(alice, todoID(3), 1))}}, nil
				}}
			},
			wantStatus: 200,
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if p := apigwtest.Decode[apigw.Page[Todo]](t, resp); len(p.Items) != 1 || p.NextCursor != "" {
					t.Errorf("page %+v, want the last item and no cursor", p)
				}
			},
		},
		{
			name: "list stopped early by DynamoDB", event: "list.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{marshal(t, sampleTodo(alice, todoID(1), 1))},
						LastEvaluatedKey: key(alice, todoID(1))}, nil
				}}
			},
			wantStatus: 200,
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				raw, _ := base64.RawURLEncoding.DecodeString(apigwtest.Decode[apigw.Page[Todo]](t, resp).NextCursor)
				if string(raw) != `{"id":"`+todoID(1)+`","owner":"`+alice+`"}` {
					t.Errorf("cursor %s, want LastEvaluatedKey", raw)
				}
			},
		},
		{
			name: "list with another owner's cursor", event: "list.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				apigwtest.SetQuery(r, "cursor", base64.RawURLEncoding.EncodeToString([]byte(`{"id":"`+todoID(2)+`","owner":"`+bob+`"}`)))
			},
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "cursor",
		},
		{
			name: "list with malformed cursor", event: "list.json",
			edit:       func(r *events.APIGatewayProxyRequest) { apigwtest.SetQuery(r, "cursor", "not a cursor") },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "cursor",
		},
		{
			name: "list with limit 0", event: "list.json",
			edit:       func(r *events.APIGatewayProxyRequest) { apigwtest.SetQuery(r, "limit", "0") },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "limit",
		},
		{
			name: "list with limit 101", event: "list.json",
			edit:       func(r *events.APIGatewayProxyRequest) { apigwtest.SetQuery(r, "limit", "101") },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "limit",
		},
		{
			name: "list without Cognito claims", event: "no-claims.json",
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 401, wantCode: "unauthorized",
		},
		{
			name: "list while DynamoDB throttles", event: "list.json",
			db: func(*testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(*dynamodb.QueryInput) (*dynamodb.QueryOutput, error) { return nil, throttled }}
			},
			wantStatus: 503, wantCode: "unavailable",
			wantHeaders: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "list with a corrupt stored item", event: "list.json",
			db: func(*testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{QueryFunc: func(*dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
					return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{{"version": &types.AttributeValueMemberS{Value: "x"}}}}, nil
				}}
			},
			wantStatus: 500, wantCode: "internal",
		},

		// GET /todos/{id}
		{
			name: "get", event: "get.json", cacheTTL: time.Minute,
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{GetItemFunc: getFrom(t, sampleTodo(alice, fixtureID, 2))}
			},
			wantStatus:  200,
			wantHeaders: map[string]string{"Cache-Control": "private, max-age=60"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				want := `{"id":"` + fixtureID + `","title":"Buy oat milk","done":false,"version":2,"createdAt":"2026-11-26T09:00:00Z","updatedAt":"2026-11-26T09:30:00Z"}`
				if resp.Body != want {
					t.Errorf("body\n%s\nwant\n%s", resp.Body, want)
				}
			},
		},
		{
			name: "get someone else's to-do", event: "get.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{GetItemFunc: getFrom(t, sampleTodo(bob, fixtureID, 1))}
			},
			wantStatus: 404, wantCode: "not_found",
			wantHeaders: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "get a malformed id", event: "get.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.PathParameters["id"] = "../" + fixtureID },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 404, wantCode: "not_found",
		},
		{
			name: "get while DynamoDB fails", event: "get.json",
			db: func(*testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{GetItemFunc: func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
					return nil, errors.New("operation error DynamoDB: GetItem, https response error StatusCode: 400, ResourceNotFoundException")
				}}
			},
			wantStatus: 500, wantCode: "internal",
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if strings.Contains(resp.Body, "ResourceNotFound") {
					t.Errorf("body leaks the cause: %s", resp.Body)
				}
			},
		},

		// POST /todos
		{
			name: "create", event: "create.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{PutItemFunc: func(in *dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) {
					var got Todo
					if err := attributevalue.UnmarshalMap(in.Item, &got); err != nil {
						t.Fatal(err)
					}
					want := Todo{Owner: alice, ID: got.ID, Title: "Buy oat milk", Notes: "The barista one, not the light one.",
						Version: 1, CreatedAt: "2026-11-27T10:00:00Z", UpdatedAt: "2026-11-27T10:00:00Z"}
					if got != want {
						t.Errorf("stored %+v\nwant %+v", got, want)
					}
					if !validID(got.ID) || !strings.HasPrefix(got.ID, fmt.Sprintf("%012x", testNow.UnixMilli())) {
						t.Errorf("id %q is not time-ordered", got.ID)
					}
					if *in.ConditionExpression != "attribute_not_exists(#id)" {
						t.Errorf("condition %q", *in.ConditionExpression)
					}
					return &dynamodb.PutItemOutput{}, nil
				}}
			},
			wantStatus:  201,
			wantHeaders: map[string]string{"Cache-Control": "no-store", "Content-Type": "application/json"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				got := apigwtest.Decode[Todo](t, resp)
				if resp.Headers["Location"] != "todos/"+got.ID { // relative: right on every domain
					t.Errorf("Location %q for id %q", resp.Headers["Location"], got.ID)
				}
				if got.Version != 1 || got.Title != "Buy oat milk" || got.Owner != "" {
					t.Errorf("body %s", resp.Body)
				}
			},
		},
		{
			name: "create with an owner in the body", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"x","owner":"` + bob + `"}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "unknown_field", wantField: "owner",
		},
		{
			name: "create without title", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"notes":"x"}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "title",
		},
		{
			name: "create with a blank title", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"   "}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "title",
		},
		{
			name: "create with a title of 201 characters", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"` + strings.Repeat("ü", 201) + `"}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "title",
		},
		{
			name: "create with notes of 2001 characters", event: "create.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				r.Body = `{"title":"x","notes":"` + strings.Repeat("n", 2001) + `"}`
			},
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "notes",
		},
		{
			name: "create with done as a string", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"x","done":"yes"}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "done",
		},
		{
			name: "create with malformed JSON", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"x",}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_json",
		},
		{
			name: "create as text/plain", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { apigwtest.SetHeader(r, "Content-Type", "text/plain") },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 415, wantCode: "unsupported_media_type",
		},
		{
			name: "create with a body over 16 KiB", event: "create.json",
			edit: func(r *events.APIGatewayProxyRequest) {
				r.Body = `{"title":"x","notes":"` + strings.Repeat(" ", 16<<10) + `"}`
			},
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 413, wantCode: "payload_too_large",
		},
		{
			name: "create without Cognito claims", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.RequestContext.Authorizer = nil },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 401, wantCode: "unauthorized",
		},

		// PUT /todos/{id}
		{
			name: "update", event: "update.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{UpdateItemFunc: func(in *dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error) {
					if owner, id := keyOf(t, in.Key); owner != alice || id != fixtureID {
						t.Errorf("updated %s/%s", owner, id)
					}
					if got := in.ExpressionAttributeValues[":expected"].(*types.AttributeValueMemberN).Value; got != "2" {
						t.Errorf("expected version %s, want the body's 2", got)
					}
					if !strings.Contains(*in.ConditionExpression, "#version = :expected") {
						t.Errorf("condition %q does not check the version", *in.ConditionExpression)
					}
					updated := sampleTodo(alice, fixtureID, 3)
					updated.Done, updated.Notes = true, "The barista one."
					return &dynamodb.UpdateItemOutput{Attributes: marshal(t, updated)}, nil
				}}
			},
			wantStatus:  200,
			wantHeaders: map[string]string{"Cache-Control": "no-store"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if got := apigwtest.Decode[Todo](t, resp); got.Version != 3 || !got.Done || got.Notes != "The barista one." {
					t.Errorf("body %s", resp.Body)
				}
			},
		},
		{
			name: "update clearing the notes", event: "update.json",
			edit: func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"t","done":false,"version":2}` },
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{UpdateItemFunc: func(in *dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error) {
					if !strings.HasSuffix(*in.UpdateExpression, " REMOVE #notes") || in.ExpressionAttributeValues[":notes"] != nil {
						t.Errorf("update %q does not remove the notes", *in.UpdateExpression)
					}
					return &dynamodb.UpdateItemOutput{Attributes: marshal(t, sampleTodo(alice, fixtureID, 3))}, nil
				}}
			},
			wantStatus: 200,
		},
		{
			name: "update with a stale version", event: "update.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{
					UpdateItemFunc: func(*dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error) { return nil, conditionFailed },
					GetItemFunc:    getFrom(t, sampleTodo(alice, fixtureID, 5)),
				}
			},
			wantStatus: 409, wantCode: "conflict",
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if v := apigwtest.Decode[apigwtest.ErrorBody](t, resp).Error.Details["currentVersion"]; v != 5.0 {
					t.Errorf("currentVersion %v, want 5", v)
				}
			},
		},
		{
			name: "update someone else's to-do", event: "update.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{
					UpdateItemFunc: func(*dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error) { return nil, conditionFailed },
					GetItemFunc:    getFrom(t, sampleTodo(bob, fixtureID, 2)),
				}
			},
			wantStatus: 404, wantCode: "not_found",
		},
		{
			name: "update without version", event: "update.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"t","done":true}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "version",
		},
		{
			name: "update with version 0", event: "update.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"t","done":true,"version":0}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "version",
		},
		{
			name: "update without done", event: "update.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"t","version":1}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "done",
		},
		{
			name: "update changing the id", event: "update.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"id":"x","title":"t","done":true,"version":1}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "unknown_field", wantField: "id",
		},

		// DELETE /todos/{id}
		{
			name: "delete with version", event: "delete.json", // ?version=3
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{DeleteItemFunc: func(in *dynamodb.DeleteItemInput) (*dynamodb.DeleteItemOutput, error) {
					if owner, id := keyOf(t, in.Key); owner != alice || id != fixtureID {
						t.Errorf("deleted %s/%s", owner, id)
					}
					if *in.ConditionExpression != "attribute_exists(#id) AND #version = :expected" ||
						in.ExpressionAttributeValues[":expected"].(*types.AttributeValueMemberN).Value != "3" {
						t.Errorf("condition %q values %v", *in.ConditionExpression, in.ExpressionAttributeValues)
					}
					return &dynamodb.DeleteItemOutput{}, nil
				}}
			},
			wantStatus:  204,
			wantHeaders: map[string]string{"Cache-Control": "no-store"},
			check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if resp.Body != "" {
					t.Errorf("204 with body %q", resp.Body)
				}
			},
		},
		{
			name: "delete without version", event: "delete.json",
			edit: func(r *events.APIGatewayProxyRequest) { delete(r.QueryStringParameters, "version") },
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{DeleteItemFunc: func(in *dynamodb.DeleteItemInput) (*dynamodb.DeleteItemOutput, error) {
					if *in.ConditionExpression != "attribute_exists(#id)" || in.ExpressionAttributeValues != nil {
						t.Errorf("condition %q values %v", *in.ConditionExpression, in.ExpressionAttributeValues)
					}
					return &dynamodb.DeleteItemOutput{}, nil
				}}
			},
			wantStatus: 204,
		},
		{
			name: "delete a missing to-do", event: "delete.json",
			edit: func(r *events.APIGatewayProxyRequest) { delete(r.QueryStringParameters, "version") },
			db: func(*testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{DeleteItemFunc: func(*dynamodb.DeleteItemInput) (*dynamodb.DeleteItemOutput, error) { return nil, conditionFailed }}
			},
			wantStatus: 404, wantCode: "not_found",
		},
		{
			name: "delete with a stale version", event: "delete.json",
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{
					DeleteItemFunc: func(*dynamodb.DeleteItemInput) (*dynamodb.DeleteItemOutput, error) { return nil, conditionFailed },
					GetItemFunc:    getFrom(t, sampleTodo(alice, fixtureID, 4)),
				}
			},
			wantStatus: 409, wantCode: "conflict",
		},
		{
			name: "delete someone else's to-do with version", event: "delete.json",
			edit: func(r *events.APIGatewayProxyRequest) { setCaller(r, bob) },
			db: func(t *testing.T) apigwtest.DynamoDB {
				return apigwtest.DynamoDB{
					DeleteItemFunc: func(*dynamodb.DeleteItemInput) (*dynamodb.DeleteItemOutput, error) { return nil, conditionFailed },
					GetItemFunc:    getFrom(t, sampleTodo(alice, fixtureID, 3)),
				}
			},
			wantStatus: 404, wantCode: "not_found",
		},
		{
			name: "delete with a malformed version", event: "delete.json",
			edit:       func(r *events.APIGatewayProxyRequest) { apigwtest.SetQuery(r, "version", "latest") },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "version",
		},

		// Text that was not UTF-8, as API Gateway hands it over.
		{
			name: "create with a title that was not UTF-8", event: "create.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.Body = `{"title":"bad \ufffd\ufffd utf8"}` },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 400, wantCode: "invalid_field", wantField: "title",
		},

		// API Gateway forwards only the API's routes: anything else is a
		// deployment fault, never a client's.
		{
			name: "unknown method", event: "get.json",
			edit:       func(r *events.APIGatewayProxyRequest) { r.HTTPMethod = "PATCH" },
			db:         func(*testing.T) apigwtest.DynamoDB { return apigwtest.DynamoDB{} },
			wantStatus: 500, wantCode: "internal",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := apigwtest.Event(t, tt.event)
			if tt.edit != nil {
				tt.edit(&req)
			}
			h := newTestHandler(tt.db(t), Config{CacheTTL: tt.cacheTTL})
			resp, err := h.Handle(context.Background(), req)
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
				if resp.Headers["Content-Type"] != "application/json" {
					t.Errorf("error Content-Type %q", resp.Headers["Content-Type"])
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

// A generated id that is taken is drawn again: the to-do is created, and
// the one holding the id is not overwritten.
func TestCreateRetriesATakenID(t *testing.T) {
	taken := todoID(7)
	conditionFailed := &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
	tests := []struct {
		name       string
		ids        []string // what newID draws, in turn
		wantStatus int
		wantID     string
		wantPuts   int
	}{
		{name: "free id", ids: []string{todoID(1)}, wantStatus: 201, wantID: todoID(1), wantPuts: 1},
		{name: "taken once", ids: []string{taken, todoID(2)}, wantStatus: 201, wantID: todoID(2), wantPuts: 2},
		{name: "taken twice", ids: []string{taken, taken, todoID(3)}, wantStatus: 201, wantID: todoID(3), wantPuts: 3},
		{name: "taken every time", ids: []string{taken, taken, taken, todoID(4)}, wantStatus: 500, wantPuts: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			puts := 0
			h := newTestHandler(apigwtest.DynamoDB{PutItemFunc: func(in *dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) {
				puts++
				if _, id := keyOf(t, map[string]types.AttributeValue{PartitionKey: in.Item[PartitionKey], SortKey: in.Item[SortKey]}); id == taken {
					return nil, conditionFailed
				}
				return &dynamodb.PutItemOutput{}, nil
			}}, Config{})
			draws := tt.ids
			h.newID = func(time.Time) string { id := draws[0]; draws = draws[1:]; return id }
			resp, _ := h.Handle(context.Background(), apigwtest.Event(t, "create.json"))
			if resp.StatusCode != tt.wantStatus || puts != tt.wantPuts {
				t.Fatalf("status %d after %d writes, want %d after %d; body %s", resp.StatusCode, puts, tt.wantStatus, tt.wantPuts, resp.Body)
			}
			if tt.wantID != "" && (apigwtest.Decode[Todo](t, resp).ID != tt.wantID || resp.Headers["Location"] != "todos/"+tt.wantID) {
				t.Errorf("created %s at %s, want id %s", resp.Body, resp.Headers["Location"], tt.wantID)
			}
		})
	}
}

func TestNewID(t *testing.T) {
	earlier, later := newID(testNow), newID(testNow.Add(time.Millisecond))
	same := newID(testNow)
	if !validID(earlier) || !validID(later) {
		t.Fatalf("ids %q, %q are not valid", earlier, later)
	}
	if earlier >= later {
		t.Errorf("id %q of an earlier to-do sorts after %q", earlier, later)
	}
	if earlier == same {
		t.Errorf("two ids in the same millisecond are equal: %q", same)
	}
}
