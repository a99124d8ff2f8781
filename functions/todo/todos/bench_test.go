package todos

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
	"github.com/gopherstack/serverless-arch/functions/internal/apigw/apigwtest"
)

// The read path is measured against a baseline in the same run, so figures
// are reported as ratios: go test -run '^$' -bench . -benchmem ./functions/todo/todos

func benchTodos(b *testing.B) ([]Todo, []map[string]types.AttributeValue) {
	todos := make([]Todo, 20)
	items := make([]map[string]types.AttributeValue, 20)
	for i := range todos {
		todos[i] = sampleTodo(alice, todoID(i), int64(i+1))
		todos[i].Notes = "Remember the receipt for the expense report."
		items[i] = marshal(b, todos[i])
	}
	return todos, items
}

// BenchmarkListTodos is GET /todos answering a page of 20 to-dos from the fake
// client: routing, claims, query parameters, decoding the items and encoding
// the response.
func BenchmarkListTodos(b *testing.B) {
	_, items := benchTodos(b)
	db := apigwtest.DynamoDB{QueryFunc: func(*dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
		return &dynamodb.QueryOutput{Items: items}, nil
	}}
	h := newTestHandler(db, Config{})
	req := apigwtest.Event(b, "list.json")
	req.QueryStringParameters = map[string]string{"limit": "20"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, _ := h.Handle(ctx, req)
		if resp.StatusCode != 200 {
			b.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
		}
	}
}

// BenchmarkBaselineEncode20 only JSON-encodes the same 20 to-dos: the least
// work any list endpoint does.
func BenchmarkBaselineEncode20(b *testing.B) {
	todos, _ := benchTodos(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(apigw.Page[Todo]{Items: todos}); err != nil {
			b.Fatal(err)
		}
	}
}
