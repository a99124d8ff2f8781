package blog

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/dev/testenv"
	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
	"github.com/gopherstack/serverless-arch/functions/internal/apigw/apigwtest"
)

// createTable creates the blog table and its index as the package documents
// them, as the infrastructure does.
func createTable(t *testing.T, db *dynamodb.Client, name string) {
	t.Helper()
	ctx := context.Background()
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(PartitionKey), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(SortKey), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(EntityIndexPartitionKey), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(EntityIndexSortKey), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(SortKey), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName: aws.String(EntityIndex),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(EntityIndexPartitionKey), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(EntityIndexSortKey), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("creating table: %v", err)
	}
	waiter := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 50 * time.Millisecond })
	if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatalf("waiting for table: %v", err)
	}
}

// call sends a request to h and fails the test unless the answer has
// wantStatus.
func call(t *testing.T, h *Handler, wantStatus int, method, resource string, params, query map[string]string, body string) events.APIGatewayProxyResponse {
	t.Helper()
	req := events.APIGatewayProxyRequest{Resource: resource, HTTPMethod: method, PathParameters: params,
		QueryStringParameters: query, Body: body}
	if body != "" {
		req.Headers = map[string]string{"Content-Type": "application/json"}
	}
	if method == "POST" && resource == "/posts" {
		req.RequestContext.Identity.APIKeyID = "publisher-key"
	}
	resp, err := h.Handle(context.Background(), req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, resource, err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("%s %s: status %d, want %d: %s", method, resource, resp.StatusCode, wantStatus, resp.Body)
	}
	return resp
}

func scanEntity(t *testing.T, db *dynamodb.Client, table, entity string) []map[string]types.AttributeValue {
	t.Helper()
	out, err := db.Scan(context.Background(), &dynamodb.ScanInput{
		TableName:                 aws.String(table),
		FilterExpression:          aws.String("#entity = :entity"),
		ExpressionAttributeNames:  map[string]string{"#entity": AttrEntity},
		ExpressionAttributeValues: map[string]types.AttributeValue{":entity": &types.AttributeValueMemberS{Value: entity}},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("scanning: %v", err)
	}
	return out.Items
}

func TestIntegrationDynalite(t *testing.T) {
	endpoint := testenv.Dynalite(t)
	db := dynamodb.NewFromConfig(testenv.AWSConfig(t, endpoint))
	createTable(t, db, "blog")

	h := New(db, Config{TableName: "blog"})
	var ticks atomic.Int64 // every write gets its own time
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h.Now = func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }

	t.Run("sign-up twice", func(t *testing.T) {
		first := call(t, h, 202, "POST", "/users", nil, nil, `{"email":"Riley.Reader@Example.com","name":"Riley Reader"}`)
		again := call(t, h, 202, "POST", "/users", nil, nil, `{"email":"riley.reader@EXAMPLE.com","name":"Impostor"}`)
		if first.Body != again.Body {
			t.Errorf("a known address is answered %s, a new one %s: sign-up tells them apart", again.Body, first.Body)
		}

		users := scanEntity(t, db, "blog", EntityUser)
		if len(users) != 1 {
			t.Fatalf("%d user items, want exactly 1", len(users))
		}
		// The welcome mailer reads entity, email and name from the new image.
		var image map[string]any
		if err := attributevalue.UnmarshalMap(users[0], &image); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"pk": "USER#riley.reader@example.com", "sk": "PROFILE", "entity": "user",
			"email": "Riley.Reader@Example.com", "name": "Riley Reader", "createdAt": image["createdAt"]}
		if fmt.Sprint(image) != fmt.Sprint(want) {
			t.Errorf("stored user %v\nwant %v", image, want)
		}
	})

	t.Run("posts", func(t *testing.T) {
		var slugs []string
		for i := range 7 {
			slug := fmt.Sprintf("post-%d", i)
			call(t, h, 201, "POST", "/posts", nil, nil, `{"slug":"`+slug+`","title":"Post `+slug+`","body":"Body of `+slug+`"}`)
			slugs = append(slugs, slug)
		}
		call(t, h, 409, "POST", "/posts", nil, nil, `{"slug":"post-3","title":"Again","body":"Overwritten?"}`)

		got := apigwtest.Decode[Post](t, call(t, h, 200, "GET", "/posts/{slug}", map[string]string{"slug": "post-3"}, nil, ""))
		if got.Title != "Post post-3" || got.Body != "Body of post-3" || got.Author != "publisher-key" {
			t.Errorf("post-3 is %+v", got)
		}
		call(t, h, 404, "GET", "/posts/{slug}", map[string]string{"slug": "no-such-post"}, nil, "")

		var listed []string
		var sizes []int
		query := map[string]string{"limit": "3"}
		for len(sizes) < 5 {
			p := apigwtest.Decode[apigw.Page[Post]](t, call(t, h, 200, "GET", "/posts", nil, query, ""))
			sizes = append(sizes, len(p.Items))
			for _, post := range p.Items {
				if post.Body != "" {
					t.Errorf("listing carries the body of %s", post.Slug)
				}
				listed = append(listed, post.Slug)
			}
			if p.NextCursor == "" {
				break
			}
			query = map[string]string{"limit": "3", "cursor": p.NextCursor}
		}
		slices.Reverse(slugs)
		if fmt.Sprint(sizes) != "[3 3 1]" || fmt.Sprint(listed) != fmt.Sprint(slugs) {
			t.Errorf("pages of %v listed %v, want [3 3 1] pages of %v (newest first, no users)", sizes, listed, slugs)
		}
	})
}
