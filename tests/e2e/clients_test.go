package e2e

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/tests/contract/blogclient"
	"github.com/gopherstack/serverless-arch/tests/contract/todoclient"
)

// The to-do flow of a mobile app, through the client generated from the
// to-do API's document: create, page through the list, read, update, lose
// an update race, delete conditionally.
func testTodoClient(t *testing.T, env *local.Env) {
	ctx := context.Background()
	token := signIn(t, env, "generated-client")["Authorization"]
	c, err := todoclient.NewClientWithResponses(env.TodoAPIURL, todoclient.WithHTTPClient(client),
		todoclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, title := range []string{"Buy milk", "Walk the dog", "Call Ada"} {
		notes := "from the generated client"
		created, err := c.CreateTodoWithResponse(ctx, todoclient.CreateTodoJSONRequestBody{Title: title, Notes: &notes})
		if err != nil || created.StatusCode() != 201 || created.JSON201 == nil || created.Headers201 == nil {
			t.Fatalf("create %q: %v %s", title, err, body(created))
		}
		if at := resolve(t, env.TodoAPIURL+"/todos", created.Headers201.Location); at != env.TodoAPIURL+"/todos/"+created.JSON201.Id {
			t.Errorf("Location %s, want the to-do %s", at, created.JSON201.Id)
		}
		ids = append(ids, created.JSON201.Id)
	}

	var listed []string
	params := &todoclient.ListTodosParams{Limit: ptr(2)}
	for pages := 0; ; pages++ {
		page, err := c.ListTodosWithResponse(ctx, params)
		if err != nil || page.JSON200 == nil || pages > 3 {
			t.Fatalf("list: %v %s", err, body(page))
		}
		for _, it := range page.JSON200.Items {
			listed = append(listed, it.Id)
		}
		if page.JSON200.NextCursor == nil {
			break
		}
		params.Cursor = page.JSON200.NextCursor
	}
	if !slices.Equal(listed, ids) {
		t.Errorf("listed %v, want %v in creation order", listed, ids)
	}

	got, err := c.GetTodoWithResponse(ctx, ids[0])
	if err != nil || got.JSON200 == nil || got.JSON200.Title != "Buy milk" || got.JSON200.Version != 1 {
		t.Fatalf("get: %v %s", err, body(got))
	}
	update := todoclient.UpdateTodoJSONRequestBody{Title: "Buy oat milk", Done: true, Version: 1}
	if up, err := c.UpdateTodoWithResponse(ctx, ids[0], update); err != nil || up.JSON200 == nil || up.JSON200.Version != 2 || !up.JSON200.Done {
		t.Fatalf("update: %v %s", err, body(up))
	}
	lost, err := c.UpdateTodoWithResponse(ctx, ids[0], update) // still at version 1
	if err != nil || lost.JSON409 == nil || fmt.Sprint(lost.JSON409.Error.Details) != "map[currentVersion:2]" {
		t.Fatalf("stale update: %v %s, want 409 naming version 2", err, body(lost))
	}
	if del, err := c.DeleteTodoWithResponse(ctx, ids[0], &todoclient.DeleteTodoParams{Version: ptr(1)}); err != nil || del.JSON409 == nil {
		t.Fatalf("stale delete: %v %s", err, body(del))
	}
	if del, err := c.DeleteTodoWithResponse(ctx, ids[0], &todoclient.DeleteTodoParams{Version: ptr(2)}); err != nil || del.StatusCode() != 204 {
		t.Fatalf("delete: %v %s", err, body(del))
	}
	if gone, err := c.GetTodoWithResponse(ctx, ids[0]); err != nil || gone.JSON404 == nil || gone.JSON404.Error.Code != "not_found" {
		t.Fatalf("read after delete: %v %s", err, body(gone))
	}
}

// The blog's flows through the client generated from the blog API's
// document, through the site as the front end calls it: publish, read
// where Location says, list, sign up twice.
func testBlogClient(t *testing.T, env *local.Env) {
	ctx := context.Background()
	c, err := blogclient.NewClientWithResponses(env.SiteURL+"/api", blogclient.WithHTTPClient(client))
	if err != nil {
		t.Fatal(err)
	}
	author := blogclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("x-api-key", env.Settings.APIKey)
		return nil
	})
	authorClient, err := blogclient.NewClientWithResponses(env.SiteURL+"/api", blogclient.WithHTTPClient(client), author)
	if err != nil {
		t.Fatal(err)
	}
	post := blogclient.PostPostsJSONRequestBody{Slug: "from-the-generated-client", Title: "Generated", Body: "Hello from oapi-codegen."}
	if denied, err := c.PostPostsWithResponse(ctx, post); err != nil || denied.JSON403 == nil {
		t.Fatalf("publishing without the key: %v %s", err, body(denied))
	}
	created, err := authorClient.PostPostsWithResponse(ctx, post)
	if err != nil || created.JSON201 == nil || created.Headers201 == nil {
		t.Fatalf("publish: %v %s", err, body(created))
	}
	if again, err := authorClient.PostPostsWithResponse(ctx, post); err != nil || again.JSON409 == nil {
		t.Fatalf("publishing the slug again: %v %s", err, body(again))
	}
	at := resolve(t, env.SiteURL+"/api/posts", created.Headers201.Location)
	if at != env.SiteURL+"/api/posts/"+post.Slug {
		t.Errorf("Location points to %s", at)
	}
	read, err := c.GetPostsBySlugWithResponse(ctx, post.Slug)
	if err != nil || read.JSON200 == nil || read.JSON200.Body == nil || *read.JSON200.Body != post.Body {
		t.Fatalf("read: %v %s", err, body(read))
	}
	list, err := c.GetPostsWithResponse(ctx, &blogclient.GetPostsParams{Limit: ptr(50)})
	if err != nil || list.JSON200 == nil {
		t.Fatalf("list: %v %s", err, body(list))
	}
	var slugs []string
	for _, p := range list.JSON200.Items {
		slugs = append(slugs, p.Slug)
	}
	if !slices.Contains(slugs, post.Slug) {
		t.Errorf("the list %v lacks %s", slugs, post.Slug)
	}
	if missing, err := c.GetPostsBySlugWithResponse(ctx, "no-such-post"); err != nil || missing.JSON404 == nil {
		t.Fatalf("missing post: %v %s", err, body(missing))
	}
	signUp := blogclient.PostUsersJSONRequestBody{Email: "generated@example.com", Name: "Generated"}
	first, err := c.PostUsersWithResponse(ctx, signUp)
	second, err2 := c.PostUsersWithResponse(ctx, signUp)
	if err != nil || err2 != nil || first.JSON202 == nil || second.JSON202 == nil || first.JSON202.Message != second.JSON202.Message {
		t.Fatalf("sign-up twice: %v %v %s %s", err, err2, body(first), body(second))
	}
}

// body is what a generated client's response says, for failure messages:
// its status and body.
func body(r any) string {
	v := reflect.ValueOf(r)
	if !v.IsValid() || v.IsNil() {
		return "(no response)"
	}
	e := v.Elem()
	status := "(no status)"
	if h, ok := e.FieldByName("HTTPResponse").Interface().(*http.Response); ok && h != nil {
		status = h.Status
	}
	return fmt.Sprintf("%s %.300s", status, e.FieldByName("Body").Bytes())
}

func ptr[T any](v T) *T { return &v }
