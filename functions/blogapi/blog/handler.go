package blog

import (
	"context"
	"fmt"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
)

// DB is the part of the DynamoDB client the Handler uses.
type DB interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Handler answers the blog API's events.
type Handler struct {
	db     DB
	table  string
	router apigw.Router
	now    func() time.Time
}

// New returns a Handler keeping posts and users in cfg.TableName through db.
func New(db DB, cfg Config) *Handler {
	h := &Handler{db: db, table: cfg.TableName, now: time.Now}
	h.router.Responder = apigw.Responder{MaxAge: cfg.CacheTTL, Public: true}
	h.router.AllowOrigins = cfg.CORSOrigins
	h.router.Handle(http.MethodGet, "/posts", h.listPosts)
	h.router.Handle(http.MethodPost, "/posts", h.createPost)
	h.router.Handle(http.MethodGet, "/posts/{slug}", h.getPost)
	h.router.Handle(http.MethodPost, "/users", h.signUp)
	return h
}

// Handle answers an API Gateway REST proxy event. Every outcome, including
// failures, is an HTTP response, so the error is always nil.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return h.router.Serve(ctx, req), nil
}

// page is the answer to GET /posts.
type page struct {
	Items      []Post `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

// indexKey lists the attributes of a LastEvaluatedKey from the index: the
// table's key and the index's key.
var indexKey = []string{PartitionKey, SortKey, EntityIndexPartitionKey, EntityIndexSortKey}

func (h *Handler) listPosts(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	limit, err := apigw.QueryInt(req, "limit", defaultPageSize, 1, maxPageSize)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	cursor, err := apigw.ParseCursor(req.QueryStringParameters["cursor"], indexKey...)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if cursor != nil && (cursor[EntityIndexPartitionKey] != EntityPost || cursor[SortKey] != PostSortKey ||
		!strings.HasPrefix(cursor[PartitionKey], PostKeyPrefix)) {
		return events.APIGatewayProxyResponse{}, apigw.Invalid("cursor", "cursor does not point into the post list")
	}

	// Bodies stay out of listings.
	out, err := h.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              &h.table,
		IndexName:              aws.String(EntityIndex),
		KeyConditionExpression: aws.String("#entity = :post"),
		ProjectionExpression:   aws.String("#pk, #sk, #entity, #slug, #title, #author, #publishedAt"),
		ExpressionAttributeNames: map[string]string{"#pk": PartitionKey, "#sk": SortKey, "#entity": AttrEntity,
			"#slug": "slug", "#title": "title", "#author": "author", "#publishedAt": EntityIndexSortKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{":post": &types.AttributeValueMemberS{Value: EntityPost}},
		ScanIndexForward:          aws.Bool(false), // newest first
		ExclusiveStartKey:         cursor.Key(),
		Limit:                     aws.Int32(int32(limit + 1)), // see apigw.NextPage
	})
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("querying posts: %w", err)
	}
	posts := make([]Post, 0, len(out.Items))
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &posts); err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("decoding posts: %w", err)
	}
	items, next, err := apigw.NextPage(posts, limit, func(p Post) apigw.Cursor {
		return apigw.Cursor{PartitionKey: p.PK, SortKey: p.SK, EntityIndexPartitionKey: p.Entity, EntityIndexSortKey: p.PublishedAt}
	}, out.LastEvaluatedKey)
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("paginating posts: %w", err)
	}
	result := page{Items: items, NextCursor: next}
	return h.router.Responder.Read(result), nil
}

var errNoSuchPost = apigw.NotFound("no such post")

func (h *Handler) getPost(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	slug := req.PathParameters["slug"]
	if !validSlug(slug) {
		return events.APIGatewayProxyResponse{}, errNoSuchPost // no post can have it
	}
	out, err := h.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &h.table, Key: postKey(slug)})
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("reading post %s: %w", slug, err)
	}
	if out.Item == nil {
		return events.APIGatewayProxyResponse{}, errNoSuchPost
	}
	var post Post
	if err := attributevalue.UnmarshalMap(out.Item, &post); err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("decoding post %s: %w", slug, err)
	}
	return h.router.Responder.Read(post), nil
}

// createPostRequest is the body of POST /posts.
type createPostRequest struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	Body  string `json:"body"`
}

func (h *Handler) createPost(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	var in createPostRequest
	if err := apigw.DecodeJSON(req, maxPostRequestBytes, &in); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if !validSlug(in.Slug) {
		return events.APIGatewayProxyResponse{}, apigw.Invalid("slug",
			"slug must be words of lower-case letters and digits joined by single hyphens, at most 100 characters")
	}
	if err := apigw.CheckText("title", in.Title, 1, maxTitleChars, false); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if err := apigw.CheckText("body", in.Body, 1, maxPostBodyChars, true); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}

	// API Gateway authorized the caller; record who it was.
	author := req.RequestContext.Identity.APIKeyID
	if author == "" {
		author = req.RequestContext.Identity.Caller
	}
	post := Post{PK: PostKeyPrefix + in.Slug, SK: PostSortKey, Entity: EntityPost, Slug: in.Slug,
		Title: in.Title, Body: in.Body, Author: author, PublishedAt: h.now().UTC().Format(timeLayout)}
	if err := h.putNew(ctx, post); err != nil {
		if apigw.ConditionFailed(err) {
			return events.APIGatewayProxyResponse{}, apigw.Conflict("a post with this slug already exists", nil)
		}
		return events.APIGatewayProxyResponse{}, fmt.Errorf("storing post %s: %w", in.Slug, err)
	}
	resp := h.router.Responder.Write(http.StatusCreated, post)
	resp.Headers["Location"] = apigw.Location(req, post.Slug)
	return resp, nil
}

// signUpRequest is the body of POST /users.
type signUpRequest struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// SignUpAccepted is the answer to every valid sign-up, whether the address
// is new or not: 202 with this body.
type SignUpAccepted struct {
	Message string `json:"message"`
}

// signUpMessage says what happens without saying whether the address had
// signed up before.
const signUpMessage = "Thank you. Unless this address has signed up before, a welcome e-mail is on its way."

func (h *Handler) signUp(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	var in signUpRequest
	if err := apigw.DecodeJSON(req, apigw.DefaultMaxBodyBytes, &in); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if !validEmail(in.Email) {
		return events.APIGatewayProxyResponse{}, apigw.Invalid("email", "email must be a single e-mail address such as reader@example.com, without a display name")
	}
	if err := apigw.CheckText("name", in.Name, 1, maxNameChars, false); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}

	user := User{PK: UserKeyPrefix + strings.ToLower(in.Email), SK: UserSortKey, Entity: EntityUser,
		Email: in.Email, Name: in.Name, CreatedAt: h.now().UTC().Format(timeLayout)}
	// An address that has signed up keeps its account as it is: nothing is
	// written, so no second welcome mail goes out (the mailer reacts to
	// inserts only), and the answer is the same as for a new address, so
	// that sign-up tells no one which addresses have accounts.
	if err := h.putNew(ctx, user); err != nil && !apigw.ConditionFailed(err) {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("storing user: %w", err)
	}
	return h.router.Responder.Write(http.StatusAccepted, SignUpAccepted{Message: signUpMessage}), nil
}

// putNew stores item unless an item with its partition key exists, in which
// case the error is a ConditionalCheckFailedException and nothing is written.
func (h *Handler) putNew(ctx context.Context, item any) error {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return fmt.Errorf("encoding item: %w", err)
	}
	_, err = h.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                &h.table,
		Item:                     av,
		ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
		ExpressionAttributeNames: map[string]string{"#pk": PartitionKey},
	})
	return err
}

func postKey(slug string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		PartitionKey: &types.AttributeValueMemberS{Value: PostKeyPrefix + slug},
		SortKey:      &types.AttributeValueMemberS{Value: PostSortKey},
	}
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func validSlug(slug string) bool {
	return len(slug) <= maxSlugChars && slugPattern.MatchString(slug)
}

// validEmail accepts a single bare address: net/mail must parse it to itself,
// which rules out display names, angle brackets, comments and lists.
func validEmail(s string) bool {
	if s == "" || len(s) > maxEmailBytes || strings.ContainsRune(s, utf8.RuneError) {
		return false
	}
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Name == "" && addr.Address == s
}
