package todos

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/dev/testenv"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
	"github.com/gopherstack/serverless-arch/functions/internal/apigw/apigwtest"
)

// createTable creates the to-do table with the key schema the package
// documents, as the infrastructure does.
func createTable(t *testing.T, db *dynamodb.Client, name string) {
	t.Helper()
	ctx := context.Background()
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(PartitionKey), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(SortKey), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(SortKey), KeyType: types.KeyTypeRange},
		},
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

// user calls the handler as one Cognito user.
type user struct {
	h   *Handler
	sub string
}

func (u user) request(method, resource, id, body string, query map[string]string) events.APIGatewayProxyRequest {
	req := events.APIGatewayProxyRequest{
		Resource: resource, HTTPMethod: method, Path: "/todos", Body: body,
		QueryStringParameters: query,
		RequestContext: events.APIGatewayProxyRequestContext{
			Path: "/prod/todos", RequestID: "it-" + method,
			Authorizer: map[string]any{"claims": map[string]any{"sub": u.sub}},
		},
	}
	if id != "" {
		req.PathParameters = map[string]string{"id": id}
		req.Path += "/" + id
	}
	if body != "" {
		req.Headers = map[string]string{"content-type": "application/json"}
	}
	return req
}

// call sends a request and fails the test unless the answer has wantStatus.
func (u user) call(t *testing.T, wantStatus int, method, resource, id, body string, query map[string]string) events.APIGatewayProxyResponse {
	t.Helper()
	resp, err := u.h.Handle(context.Background(), u.request(method, resource, id, body, query))
	if err != nil {
		t.Fatalf("%s %s: %v", method, resource, err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("%s %s %s: status %d, want %d: %s", method, resource, id, resp.StatusCode, wantStatus, resp.Body)
	}
	return resp
}

// steppingClock returns a clock that advances a second per reading, so that
// every to-do has its own creation time; safe for concurrent use.
func steppingClock() func() time.Time {
	var ticks atomic.Int64
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	return func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Second) }
}

func TestIntegrationDynalite(t *testing.T) {
	endpoint := testenv.Dynalite(t)
	db := dynamodb.NewFromConfig(testenv.AWSConfig(t, endpoint))
	createTable(t, db, "todos")

	h := New(db, Config{TableName: "todos"})
	h.Now = steppingClock()
	asAlice, asBob := user{h, alice}, user{h, bob}

	t.Run("CRUD", func(t *testing.T) {
		created := apigwtest.Decode[Todo](t, asAlice.call(t, 201, "POST", "/todos", "", `{"title":"Buy oat milk","notes":"barista"}`, nil))
		if created.Version != 1 || created.Notes != "barista" || created.Done {
			t.Fatalf("created %+v", created)
		}
		if got := apigwtest.Decode[Todo](t, asAlice.call(t, 200, "GET", "/todos/{id}", created.ID, "", nil)); got != created {
			t.Fatalf("read %+v, want %+v", got, created)
		}

		updated := apigwtest.Decode[Todo](t, asAlice.call(t, 200, "PUT", "/todos/{id}", created.ID, `{"title":"Buy oat milk","done":true,"version":1}`, nil))
		if updated.Version != 2 || !updated.Done || updated.Notes != "" || updated.CreatedAt != created.CreatedAt || updated.UpdatedAt == created.UpdatedAt {
			t.Fatalf("updated %+v from %+v", updated, created)
		}
		if got := apigwtest.Decode[Todo](t, asAlice.call(t, 200, "GET", "/todos/{id}", created.ID, "", nil)); got != updated {
			t.Fatalf("read %+v after update, want %+v", got, updated)
		}

		// A second writer still holding version 1 loses, and learns the current version.
		conflict := apigwtest.Decode[apigwtest.ErrorBody](t, asAlice.call(t, 409, "PUT", "/todos/{id}", created.ID, `{"title":"Buy soy milk","done":false,"version":1}`, nil))
		if conflict.Error.Details["currentVersion"] != 2.0 {
			t.Fatalf("conflict %+v, want currentVersion 2", conflict.Error)
		}
		asAlice.call(t, 409, "DELETE", "/todos/{id}", created.ID, "", map[string]string{"version": "1"})
		asAlice.call(t, 204, "DELETE", "/todos/{id}", created.ID, "", map[string]string{"version": "2"})
		asAlice.call(t, 404, "GET", "/todos/{id}", created.ID, "", nil)
		asAlice.call(t, 404, "PUT", "/todos/{id}", created.ID, `{"title":"t","done":false,"version":2}`, nil)
		asAlice.call(t, 404, "DELETE", "/todos/{id}", created.ID, "", nil)
	})

	t.Run("owners cannot see each other's to-dos", func(t *testing.T) {
		secret := apigwtest.Decode[Todo](t, asAlice.call(t, 201, "POST", "/todos", "", `{"title":"Alice's secret"}`, nil))
		asBob.call(t, 201, "POST", "/todos", "", `{"title":"Bob's errand"}`, nil)

		asBob.call(t, 404, "GET", "/todos/{id}", secret.ID, "", nil)
		asBob.call(t, 404, "PUT", "/todos/{id}", secret.ID, `{"title":"pwned","done":true,"version":1}`, nil)
		asBob.call(t, 404, "DELETE", "/todos/{id}", secret.ID, "", nil)
		asBob.call(t, 404, "DELETE", "/todos/{id}", secret.ID, "", map[string]string{"version": "1"})

		bobs := apigwtest.Decode[apigw.Page[Todo]](t, asBob.call(t, 200, "GET", "/todos", "", "", nil))
		if len(bobs.Items) != 1 || bobs.Items[0].Title != "Bob's errand" {
			t.Fatalf("Bob lists %+v", bobs.Items)
		}
		if got := apigwtest.Decode[Todo](t, asAlice.call(t, 200, "GET", "/todos/{id}", secret.ID, "", nil)); got != secret {
			t.Fatalf("Alice's to-do changed to %+v", got)
		}
	})

	t.Run("pagination", func(t *testing.T) {
		carol := user{h, "c4r01000-0000-4000-8000-000000000000"}
		var created []string
		for i := range 45 {
			todo := apigwtest.Decode[Todo](t, carol.call(t, 201, "POST", "/todos", "", fmt.Sprintf(`{"title":"task %d"}`, i), nil))
			created = append(created, todo.ID)
		}
		var listed []string
		var sizes []int
		query := map[string]string{"limit": "20"}
		for len(sizes) < 5 {
			p := apigwtest.Decode[apigw.Page[Todo]](t, carol.call(t, 200, "GET", "/todos", "", "", query))
			sizes = append(sizes, len(p.Items))
			for _, todo := range p.Items {
				listed = append(listed, todo.ID)
			}
			if p.NextCursor == "" {
				break
			}
			// Nobody else can continue Carol's list.
			asAlice.call(t, 400, "GET", "/todos", "", "", map[string]string{"cursor": p.NextCursor})
			query = map[string]string{"limit": "20", "cursor": p.NextCursor}
		}
		if fmt.Sprint(sizes) != "[20 20 5]" {
			t.Errorf("page sizes %v, want [20 20 5]", sizes)
		}
		if fmt.Sprint(listed) != fmt.Sprint(created) {
			t.Errorf("listed ids are not the created ones in creation order:\n%v\n%v", listed, created)
		}
	})

	t.Run("concurrent updates: exactly one wins", func(t *testing.T) {
		todo := apigwtest.Decode[Todo](t, asAlice.call(t, 201, "POST", "/todos", "", `{"title":"race"}`, nil))
		statuses := make(chan int, 5)
		for i := range 5 {
			go func() {
				body := `{"title":"writer ` + strconv.Itoa(i) + `","done":true,"version":1}`
				resp, _ := h.Handle(context.Background(), asAlice.request(http.MethodPut, "/todos/{id}", todo.ID, body, nil))
				statuses <- resp.StatusCode
			}()
		}
		counts := map[int]int{}
		for range 5 {
			counts[<-statuses]++
		}
		if counts[200] != 1 || counts[409] != 4 {
			t.Errorf("statuses %v, want one 200 and four 409", counts)
		}
	})
}
