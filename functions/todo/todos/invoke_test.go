package todos

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
	stored := sampleTodo(alice, fixtureID, 3)
	db := apigwtest.DynamoDB{
		GetItemFunc: getFrom(t, stored),
		QueryFunc: func(*dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
			return &dynamodb.QueryOutput{Items: []map[string]types.AttributeValue{marshal(t, stored)}}, nil
		},
		PutItemFunc: func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) { return &dynamodb.PutItemOutput{}, nil },
		UpdateItemFunc: func(*dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error) {
			return nil, &types.ConditionalCheckFailedException{}
		},
		DeleteItemFunc: func(*dynamodb.DeleteItemInput) (*dynamodb.DeleteItemOutput, error) {
			return &dynamodb.DeleteItemOutput{}, nil
		},
	}
	tests := map[string]int{
		"list.json":      200,
		"get.json":       200,
		"create.json":    201,
		"update.json":    409, // the fixture replaces version 2; version 3 is stored
		"delete.json":    204,
		"no-claims.json": 401,
	}
	apigwtest.Invoke(t, newTestHandler(db, Config{}).Handle, tests, func(t *testing.T, resp events.APIGatewayProxyResponse) {
		if resp.Headers["Cache-Control"] == "" {
			t.Errorf("no Cache-Control in %v", resp.Headers)
		}
	})
}
