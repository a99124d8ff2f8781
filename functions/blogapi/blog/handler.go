package blog

import (
	"context"
	"fmt"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
)

// DB is the part of the DynamoDB client the Handler uses: GetItem, PutItem
// and Query.
type DB = apigw.ItemStore

// Handler answers the blog API's events.
type Handler struct {
	apigw.Service[DB]
}

// New returns a Handler keeping posts and users in cfg.TableName through db.
// Everyone reads the same posts, so CDNs may cache them.
func New(db DB, cfg Config) *Handler {
	h := &Handler{apigw.NewService(db, cfg, apigw.PublicReads)}
	h.Router.Handle(http.MethodGet, "/posts", h.listPosts)
	h.Router.Handle(http.MethodPost, "/posts", h.createPost)
	h.Router.Handle(http.MethodGet, "/posts/{slug}", h.getPost)
	h.Router.Handle(http.MethodPost, "/users", h.signUp)
	return h
}

// indexKey lists the attributes of a LastEvaluatedKey from the index: the
// table's key and the index's key.
var indexKey = []string{PartitionKey, SortKey, EntityIndexPartitionKey, EntityIndexSortKey}

func (h *Handler) listPosts(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	limit, cursor, err := apigw.PageParams(req, defaultPageSize, maxPageSize, indexKey...)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if cursor != nil && (cursor[EntityIndexPartitionKey] != EntityPost || cursor[SortKey] != PostSortKey ||
		!strings.HasPrefix(cursor[PartitionKey], PostKeyPrefix)) {
		return events.APIGatewayProxyResponse{}, apigw.Invalid("cursor", "cursor does not point into the post list")
	}

	// Bodies stay out of listings.
	page, err := apigw.QueryPage(ctx, h.DB, &dynamodb.QueryInput{
		TableName:              &h.Table,
		IndexName:              aws.String(EntityIndex),
		KeyConditionExpression: aws.String("#entity = :post"),
		ProjectionExpression:   aws.String("#pk, #sk, #entity, #slug, #title, #author, #publishedAt"),
		ExpressionAttributeNames: map[string]string{"#pk": PartitionKey, "#sk": SortKey, "#entity": AttrEntity,
			"#slug": "slug", "#title": "title", "#author": "author", "#publishedAt": EntityIndexSortKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{":post": &types.AttributeValueMemberS{Value: EntityPost}},
		ScanIndexForward:          aws.Bool(false), // newest first
		ExclusiveStartKey:         cursor.Key(),
	}, limit, func(p Post) apigw.Cursor {
		return apigw.Cursor{PartitionKey: p.PK, SortKey: p.SK, EntityIndexPartitionKey: p.Entity, EntityIndexSortKey: p.PublishedAt}
	})
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("listing posts: %w", err)
	}
	return h.Router.Responder.Read(page), nil
}

var errNoSuchPost = apigw.NotFound("no such post")

func (h *Handler) getPost(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	slug := req.PathParameters["slug"]
	if !validSlug(slug) {
		return events.APIGatewayProxyResponse{}, errNoSuchPost // no post can have it
	}
	post, err := apigw.GetItem[Post](ctx, h.DB, &dynamodb.GetItemInput{TableName: &h.Table, Key: postKey(slug)}, errNoSuchPost)
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("reading post %s: %w", slug, err)
	}
	return h.Router.Responder.Read(post), nil
}

func (h *Handler) createPost(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	var in struct { // the body of POST /posts
		Slug  string `json:"slug"`
		Title string `json:"title"`
		Body  string `json:"body"`
	}
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
	post := Post{Item: postItem(in.Slug), Slug: in.Slug,
		Title: in.Title, Body: in.Body, Author: author, PublishedAt: h.Now().UTC().Format(timeLayout)}
	if err := apigw.PutNew(ctx, h.DB, h.Table, PartitionKey, post); err != nil {
		if apigw.ConditionFailed(err) {
			return events.APIGatewayProxyResponse{}, apigw.Conflict("a post with this slug already exists", nil)
		}
		return events.APIGatewayProxyResponse{}, fmt.Errorf("storing post %s: %w", in.Slug, err)
	}
	return h.Router.Responder.Created(req, post.Slug, post), nil
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
	var in struct { // the body of POST /users
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := apigw.DecodeJSON(req, apigw.DefaultMaxBodyBytes, &in); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	if !validEmail(in.Email) {
		return events.APIGatewayProxyResponse{}, apigw.Invalid("email", "email must be a single e-mail address such as reader@example.com, without a display name")
	}
	if err := apigw.CheckText("name", in.Name, 1, maxNameChars, false); err != nil {
		return events.APIGatewayProxyResponse{}, err
	}

	user := User{Item: userItem(in.Email), Email: in.Email, Name: in.Name, CreatedAt: h.Now().UTC().Format(timeLayout)}
	// An address that has signed up keeps its account as it is: nothing is
	// written, so no second welcome mail goes out (the mailer reacts to
	// inserts only), and the answer is the same as for a new address, so
	// that sign-up tells no one which addresses have accounts.
	if err := apigw.PutNew(ctx, h.DB, h.Table, PartitionKey, user); err != nil && !apigw.ConditionFailed(err) {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("storing user: %w", err)
	}
	return h.Router.Responder.Write(http.StatusAccepted, SignUpAccepted{Message: signUpMessage}), nil
}

// postKey is the table key of the post with this slug.
func postKey(slug string) map[string]types.AttributeValue {
	item := postItem(slug)
	return map[string]types.AttributeValue{
		PartitionKey: &types.AttributeValueMemberS{Value: item.PK},
		SortKey:      &types.AttributeValueMemberS{Value: item.SK},
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
