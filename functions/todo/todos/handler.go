package todos

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
)

// DB is the part of the DynamoDB client the Handler uses.
type DB interface {
	apigw.ItemStore
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

// Handler answers the to-do API's events.
type Handler struct {
	apigw.Service[DB]
	newID func(now time.Time) string
}

// New returns a Handler storing to-dos in cfg.TableName through db. Each
// caller reads only their own to-dos, so only their own client may cache
// them.
func New(db DB, cfg Config) *Handler {
	h := &Handler{Service: apigw.NewService(db, cfg, apigw.PrivateReads), newID: newID}
	h.Router.Handle(http.MethodGet, "/todos", h.list)
	h.Router.Handle(http.MethodPost, "/todos", h.create)
	h.Router.Handle(http.MethodGet, "/todos/{id}", h.get)
	h.Router.Handle(http.MethodPut, "/todos/{id}", h.update)
	h.Router.Handle(http.MethodDelete, "/todos/{id}", h.delete)
	return h
}

func (h *Handler) list(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	owner, err := apigw.CognitoSub(req)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	limit, cursor, err := apigw.PageParams(req, defaultPageSize, maxPageSize, PartitionKey, SortKey)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if cursor != nil && cursor[PartitionKey] != owner {
		return events.APIGatewayProxyResponse{}, apigw.Invalid("cursor", "cursor belongs to another list")
	}

	page, err := apigw.QueryPage(ctx, h.DB, &dynamodb.QueryInput{
		TableName:                 &h.Table,
		KeyConditionExpression:    aws.String("#owner = :owner"),
		ExpressionAttributeNames:  map[string]string{"#owner": PartitionKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{":owner": &types.AttributeValueMemberS{Value: owner}},
		ExclusiveStartKey:         cursor.Key(),
		ConsistentRead:            aws.Bool(true),
	}, limit, func(t Todo) apigw.Cursor {
		return apigw.Cursor{PartitionKey: owner, SortKey: t.ID}
	})
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("listing to-dos: %w", err)
	}
	return h.Router.Responder.Read(page), nil
}

func (h *Handler) get(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	owner, id, err := ownerAndID(req)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	todo, err := h.fetch(ctx, owner, id)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return h.Router.Responder.Read(todo), nil
}

func (h *Handler) create(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	owner, err := apigw.CognitoSub(req)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	var in struct { // the body of POST /todos
		Title string `json:"title"`
		Notes string `json:"notes"`
		Done  bool   `json:"done"`
	}
	if err := apigw.DecodeJSON(req, maxBodyBytes, &in); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if err := validate(in.Title, in.Notes); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}

	now := h.Now().UTC()
	stamp := now.Format(time.RFC3339)
	todo := Todo{Owner: owner, Title: in.Title, Notes: in.Notes, Done: in.Done,
		Version: 1, CreatedAt: stamp, UpdatedAt: stamp}
	if err := h.insert(ctx, &todo, now); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return h.Router.Responder.Created(req, todo.ID, todo), nil
}

// idAttempts is how many ids insert draws before it gives up. A collision
// of 64 random bits within one millisecond of one user's list does not
// happen twice in a row unless the random source is broken.
const idAttempts = 3

// insert stores todo under a fresh id, drawing another one when the id is
// taken: the condition turns a collision into a retry instead of
// overwriting the to-do that has the id.
func (h *Handler) insert(ctx context.Context, todo *Todo, now time.Time) error {
	for range idAttempts {
		todo.ID = h.newID(now)
		err := apigw.PutNew(ctx, h.DB, h.Table, SortKey, todo)
		if !apigw.ConditionFailed(err) {
			if err != nil {
				return fmt.Errorf("storing to-do %s: %w", todo.ID, err)
			}
			return nil
		}
	}
	return fmt.Errorf("storing a to-do: %d ids in a row were taken", idAttempts)
}

func (h *Handler) update(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	owner, id, err := ownerAndID(req)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	var in struct { // the full new state, and the version it replaces
		Title   *string `json:"title"`
		Notes   string  `json:"notes"`
		Done    *bool   `json:"done"`
		Version *int64  `json:"version"`
	}
	if err := apigw.DecodeJSON(req, maxBodyBytes, &in); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	switch {
	case in.Title == nil:
		return events.APIGatewayProxyResponse{}, apigw.Invalid("title", "title is required")
	case in.Done == nil:
		return events.APIGatewayProxyResponse{}, apigw.Invalid("done", "done is required")
	case in.Version == nil || *in.Version < 1:
		return events.APIGatewayProxyResponse{}, apigw.Invalid("version", "version is required: the version of the to-do this update replaces")
	}
	if err := validate(*in.Title, in.Notes); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}

	names := map[string]string{"#id": SortKey, "#title": "title", "#done": "done", "#version": "version",
		"#updatedAt": "updatedAt", "#notes": "notes"}
	values := map[string]types.AttributeValue{
		":title":    &types.AttributeValueMemberS{Value: *in.Title},
		":done":     &types.AttributeValueMemberBOOL{Value: *in.Done},
		":expected": versionValue(*in.Version),
		":one":      versionValue(1),
		":now":      &types.AttributeValueMemberS{Value: h.Now().UTC().Format(time.RFC3339)},
	}
	update := "SET #title = :title, #done = :done, #updatedAt = :now, #version = #version + :one"
	if in.Notes != "" {
		update += ", #notes = :notes"
		values[":notes"] = &types.AttributeValueMemberS{Value: in.Notes}
	} else {
		update += " REMOVE #notes"
	}
	out, err := h.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &h.Table,
		Key:                       key(owner, id),
		UpdateExpression:          &update,
		ConditionExpression:       aws.String("attribute_exists(#id) AND #version = :expected"),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
		ReturnValues:              types.ReturnValueAllNew,
	})
	if apigw.ConditionFailed(err) {
		return events.APIGatewayProxyResponse{}, h.explainFailedCondition(ctx, owner, id)
	}
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("updating to-do %s: %w", id, err)
	}
	var todo Todo
	if err := attributevalue.UnmarshalMap(out.Attributes, &todo); err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("decoding updated to-do %s: %w", id, err)
	}
	return h.Router.Responder.Write(http.StatusOK, todo), nil
}

func (h *Handler) delete(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	owner, id, err := ownerAndID(req)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	in := &dynamodb.DeleteItemInput{
		TableName:                &h.Table,
		Key:                      key(owner, id),
		ExpressionAttributeNames: map[string]string{"#id": SortKey},
	}
	condition := "attribute_exists(#id)"
	_, conditional := req.QueryStringParameters["version"]
	if conditional {
		version, err := apigw.QueryInt(req, "version", 0, 1, math.MaxInt)
		if err != nil {
			return events.APIGatewayProxyResponse{}, err
		}
		condition += " AND #version = :expected"
		in.ExpressionAttributeNames["#version"] = "version"
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":expected": versionValue(int64(version))}
	}
	in.ConditionExpression = &condition
	_, err = h.DB.DeleteItem(ctx, in)
	if apigw.ConditionFailed(err) {
		if !conditional {
			return events.APIGatewayProxyResponse{}, errNotFound
		}
		return events.APIGatewayProxyResponse{}, h.explainFailedCondition(ctx, owner, id)
	}
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("deleting to-do %s: %w", id, err)
	}
	return h.Router.Responder.NoContent(), nil
}

// conflictDetails tells a client that lost an optimistic-concurrency race
// which version to read and merge with.
type conflictDetails struct {
	CurrentVersion int64 `json:"currentVersion"`
}

// explainFailedCondition tells apart the two reasons a conditional write
// fails: the to-do is missing (404) or has another version (409). It reads the
// item again rather than asking DynamoDB to return it on failure
// (ReturnValuesOnConditionCheckFailure): the failure path is rare, and the
// read works the same against every DynamoDB implementation.
func (h *Handler) explainFailedCondition(ctx context.Context, owner, id string) error {
	current, err := h.fetch(ctx, owner, id)
	if err != nil {
		return err // errNotFound if it is missing
	}
	return apigw.Conflict(fmt.Sprintf("the to-do has changed: it is at version %d", current.Version),
		conflictDetails{CurrentVersion: current.Version})
}

// fetch reads one of owner's to-dos; errNotFound if there is none with this
// id.
func (h *Handler) fetch(ctx context.Context, owner, id string) (*Todo, error) {
	todo, err := apigw.GetItem[Todo](ctx, h.DB, &dynamodb.GetItemInput{
		TableName:      &h.Table,
		Key:            key(owner, id),
		ConsistentRead: aws.Bool(true),
	}, errNotFound)
	if err != nil {
		return nil, fmt.Errorf("reading to-do %s: %w", id, err)
	}
	return todo, nil
}

var errNotFound = apigw.NotFound("no such to-do")

// ownerAndID returns the caller and the {id} path parameter. An id that the
// function cannot have generated names no to-do, so it is a 404 without
// asking DynamoDB (which would also reject an empty key).
func ownerAndID(req *events.APIGatewayProxyRequest) (owner, id string, err error) {
	owner, err = apigw.CognitoSub(req)
	if err != nil {
		return "", "", err
	}
	id = req.PathParameters["id"]
	if !validID(id) {
		return "", "", errNotFound
	}
	return owner, id, nil
}

func validate(title, notes string) error {
	if err := apigw.CheckText("title", title, 1, maxTitleChars, false); err != nil {
		return err
	}
	return apigw.CheckText("notes", notes, 0, maxNotesChars, true)
}

func key(owner, id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		PartitionKey: &types.AttributeValueMemberS{Value: owner},
		SortKey:      &types.AttributeValueMemberS{Value: id},
	}
}

func versionValue(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// idLen is the length of the ids newID makes.
const idLen = 28

// newID makes a to-do id: 12 hex digits of the creation time in milliseconds,
// so that ids (the sort key) list to-dos in creation order, then 16 random hex
// digits, so that ids made in the same millisecond do not collide.
func newID(now time.Time) string {
	var random [8]byte
	_, _ = rand.Read(random[:]) // crypto/rand.Read never fails
	return fmt.Sprintf("%012x", now.UnixMilli()) + hex.EncodeToString(random[:])
}

func validID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for _, c := range []byte(id) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
