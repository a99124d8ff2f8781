// Package apigwtest helps test API Gateway proxy handlers: it loads event
// fixtures, sends them through the Lambda runtime, decodes responses and
// fakes the DynamoDB client.
package apigwtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Event loads a REST API proxy event fixture from testdata/name.
func Event(t testing.TB, name string) events.APIGatewayProxyRequest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayProxyRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatalf("decoding %s: %v", name, err)
	}
	return req
}

// SetHeader replaces a header in both header maps of req.
func SetHeader(req *events.APIGatewayProxyRequest, name, value string) {
	if req.Headers == nil {
		req.Headers = map[string]string{}
	}
	if req.MultiValueHeaders == nil {
		req.MultiValueHeaders = map[string][]string{}
	}
	req.Headers[name] = value
	req.MultiValueHeaders[name] = []string{value}
}

// SetQuery replaces a query string parameter of req.
func SetQuery(req *events.APIGatewayProxyRequest, name, value string) {
	if req.QueryStringParameters == nil {
		req.QueryStringParameters = map[string]string{}
	}
	req.QueryStringParameters[name] = value
}

// ErrorBody is the JSON error body of the apigw package.
type ErrorBody struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Field   string         `json:"field"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

// Decode decodes a response body as JSON into a T.
func Decode[T any](t testing.TB, resp events.APIGatewayProxyResponse) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("body %q: %v", resp.Body, err)
	}
	return v
}

// Invoke sends each fixture in testdata through the Lambda runtime's JSON
// decoding and encoding, as the service would, to handler (a handler
// function as lambda.Start takes it). fixtures maps a file name to the
// status its answer must have; every body must be JSON, and check, unless
// nil, looks further at each answer.
func Invoke(t *testing.T, handler any, fixtures map[string]int, check func(*testing.T, events.APIGatewayProxyResponse)) {
	h := lambda.NewHandler(handler)
	for fixture, wantStatus := range fixtures {
		t.Run(fixture, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", fixture))
			if err != nil {
				t.Fatal(err)
			}
			out, err := h.Invoke(context.Background(), raw)
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
			if resp.Body != "" && !json.Valid([]byte(resp.Body)) {
				t.Errorf("body is not JSON: %s", resp.Body)
			}
			if check != nil {
				check(t, resp)
			}
		})
	}
}

// ErrUnexpectedCall is returned for an operation a DynamoDB fake has no
// func for, so that a test notices calls it did not expect.
var ErrUnexpectedCall = errors.New("unexpected DynamoDB call")

// DynamoDB adapts one func per DynamoDB operation to the client's methods.
type DynamoDB struct {
	GetItemFunc    func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error)
	PutItemFunc    func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error)
	UpdateItemFunc func(*dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error)
	DeleteItemFunc func(*dynamodb.DeleteItemInput) (*dynamodb.DeleteItemOutput, error)
	QueryFunc      func(*dynamodb.QueryInput) (*dynamodb.QueryOutput, error)
}

func (f DynamoDB) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return call("GetItem", f.GetItemFunc, in)
}

func (f DynamoDB) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return call("PutItem", f.PutItemFunc, in)
}

func (f DynamoDB) UpdateItem(_ context.Context, in *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	return call("UpdateItem", f.UpdateItemFunc, in)
}

func (f DynamoDB) DeleteItem(_ context.Context, in *dynamodb.DeleteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	return call("DeleteItem", f.DeleteItemFunc, in)
}

func (f DynamoDB) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return call("Query", f.QueryFunc, in)
}

func call[In, Out any](op string, fn func(In) (*Out, error), in In) (*Out, error) {
	if fn == nil {
		return nil, fmt.Errorf("%s: %w", op, ErrUnexpectedCall)
	}
	return fn(in)
}
