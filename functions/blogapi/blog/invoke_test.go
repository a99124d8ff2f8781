package blog

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw/apigwtest"
)

// TestInvoke sends each fixture through the Lambda runtime's JSON decoding and
// encoding, as the service would.
func TestInvoke(t *testing.T) {
	post := samplePost("hello-serverless", "2026-11-26T10:00:00.000Z")
	db := apigwtest.DynamoDB{
		GetItemFunc: func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
			return &dynamodb.GetItemOutput{Item: marshal(t, post)}, nil
		},
		QueryFunc: func(*dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
			return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{marshal(t, post)}}, nil
		},
		PutItemFunc: func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) { return &dynamodb.PutItemOutput{}, nil },
	}
	tests := map[string]int{
		"list-posts.json":  200,
		"get-post.json":    200,
		"create-post.json": 201,
		"sign-up.json":     202,
	}
	handler := lambda.NewHandler(newTestHandler(db, Config{CORSOrigins: []string{"https://myblog.com"}}).Handle)
	for fixture, wantStatus := range tests {
		t.Run(fixture, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", fixture))
			if err != nil {
				t.Fatal(err)
			}
			out, err := handler.Invoke(context.Background(), raw)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			var resp events.APIGatewayProxyResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("response %s: %v", out, err)
			}
			if resp.StatusCode != wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, wantStatus, resp.Body)
			}
			if resp.Headers["Access-Control-Allow-Origin"] != "https://myblog.com" {
				t.Errorf("no CORS header in %s", out)
			}
			if resp.Body != "" && !json.Valid([]byte(resp.Body)) {
				t.Errorf("body is not JSON: %s", resp.Body)
			}
		})
	}
}
