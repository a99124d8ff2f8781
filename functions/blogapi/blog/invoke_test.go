package blog

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"
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
	apigwtest.Invoke(t, newTestHandler(db, Config{CORSOrigins: []string{"https://myblog.com"}}).Handle, tests, func(t *testing.T, resp events.APIGatewayProxyResponse) {
		if resp.Headers["Access-Control-Allow-Origin"] != "https://myblog.com" {
			t.Errorf("no CORS header in %v", resp.Headers)
		}
	})
}
