package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/gopherstack/serverless-arch/components/thumbnails"
	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/dev/testenv"
	"github.com/gopherstack/serverless-arch/dev/testimg"
)

// call sends a request with body as JSON (if not nil) through send and
// decodes a JSON answer into out (if not nil).
func call(t *testing.T, method, url string, headers map[string]string, body any, out any) int {
	t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
		headers = maps.Clone(headers)
		if headers == nil {
			headers = map[string]string{}
		}
		headers["Content-Type"] = "application/json"
	}
	status, _, answer := send(t, method, url, headers, raw)
	if out != nil && len(answer) > 0 {
		if err := json.Unmarshal(answer, out); err != nil {
			t.Fatalf("%s %s answered %d %s: %v", method, url, status, answer, err)
		}
	}
	return status
}

// signIn mints a local sign-in token for user, as a developer would.
func signIn(t *testing.T, env *local.Env, user string) map[string]string {
	t.Helper()
	var tok struct{ Token, Sub string }
	if status := call(t, "GET", env.TokenURL+"?user="+user, nil, nil, &tok); status != 200 || tok.Token == "" {
		t.Fatalf("minting a token for %s: %d %+v", user, status, tok)
	}
	return map[string]string{"Authorization": "Bearer " + tok.Token}
}

// eventually retries check until it returns "" or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, check func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		problem := check()
		if problem == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, problem)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type todo struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Done    bool   `json:"done"`
	Version int    `json:"version"`
}

type apiError struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

func TestTodoCRUDKeepsUsersApart(t *testing.T) {
	env := startLocal(t, local.Options{})
	alice, bob := signIn(t, env, "alice"), signIn(t, env, "bob")
	todos := env.TodoAPIURL + "/todos"

	var milk, eggs, bobs todo
	for _, c := range []struct {
		who   map[string]string
		title string
		into  *todo
	}{{alice, "Buy milk", &milk}, {alice, "Buy eggs", &eggs}, {bob, "Walk the dog", &bobs}} {
		if status := call(t, "POST", todos, c.who, map[string]any{"title": c.title}, c.into); status != 201 || c.into.ID == "" {
			t.Fatalf("create %q: %d %+v", c.title, status, c.into)
		}
	}

	list := func(who map[string]string) []string {
		var page struct{ Items []todo }
		if status := call(t, "GET", todos+"?limit=10", who, nil, &page); status != 200 {
			t.Fatalf("list: %d", status)
		}
		var titles []string
		for _, it := range page.Items {
			titles = append(titles, it.Title)
		}
		return titles
	}
	t.Run("each user lists only their own", func(t *testing.T) {
		if got := list(alice); fmt.Sprint(got) != "[Buy milk Buy eggs]" {
			t.Errorf("alice lists %v", got)
		}
		if got := list(bob); fmt.Sprint(got) != "[Walk the dog]" {
			t.Errorf("bob lists %v", got)
		}
	})

	t.Run("another user's to-do does not exist for you", func(t *testing.T) {
		mine := todos + "/" + milk.ID
		var e apiError
		for _, c := range []struct {
			method string
			body   any
		}{
			{"GET", nil},
			{"PUT", map[string]any{"title": "Bob was here", "done": true, "version": 1}},
			{"DELETE", nil},
		} {
			if status := call(t, c.method, mine, bob, c.body, &e); status != 404 {
				t.Errorf("bob %s alice's to-do: %d %+v, want 404", c.method, status, e)
			}
		}
		var still todo
		if status := call(t, "GET", mine, alice, nil, &still); status != 200 || still.Title != "Buy milk" || still.Version != 1 {
			t.Fatalf("alice's to-do after bob's attempts: %d %+v", status, still)
		}
	})

	t.Run("update with optimistic locking", func(t *testing.T) {
		var updated todo
		status := call(t, "PUT", todos+"/"+milk.ID, alice, map[string]any{"title": "Buy oat milk", "done": true, "version": 1}, &updated)
		if status != 200 || updated.Version != 2 || !updated.Done || updated.Title != "Buy oat milk" {
			t.Fatalf("update: %d %+v", status, updated)
		}
		var e apiError
		if status := call(t, "PUT", todos+"/"+milk.ID, alice, map[string]any{"title": "stale", "done": false, "version": 1}, &e); status != 409 {
			t.Fatalf("stale update: %d %+v, want 409", status, e)
		}
	})

	t.Run("delete", func(t *testing.T) {
		if status := call(t, "DELETE", todos+"/"+eggs.ID, alice, nil, nil); status != 204 {
			t.Fatalf("delete: %d", status)
		}
		if status := call(t, "GET", todos+"/"+eggs.ID, alice, nil, nil); status != 404 {
			t.Fatalf("read after delete: %d", status)
		}
		if got := list(alice); fmt.Sprint(got) != "[Buy oat milk]" {
			t.Errorf("alice lists %v after the delete", got)
		}
		if got := list(bob); fmt.Sprint(got) != "[Walk the dog]" {
			t.Errorf("bob lists %v after alice's changes", got)
		}
	})

	t.Run("bad input is a 4xx with a JSON error", func(t *testing.T) {
		// API Gateway's model refuses an empty title; the function, a
		// blank one, naming the field.
		var e apiError
		if status := call(t, "POST", todos, alice, map[string]any{"title": ""}, &e); status != 400 || e.Error.Code != "BAD_REQUEST_BODY" {
			t.Errorf("empty title: %d %+v", status, e)
		}
		e = apiError{}
		if status := call(t, "POST", todos, alice, map[string]any{"title": "  "}, &e); status != 400 || e.Error.Field != "title" {
			t.Errorf("blank title: %d %+v", status, e)
		}
		e = apiError{}
		if status := call(t, "GET", todos, nil, nil, &e); status != 401 || e.Error.Code != "UNAUTHORIZED" {
			t.Errorf("no token: %d %+v", status, e)
		}
		e = apiError{}
		if status := call(t, "GET", todos, map[string]string{"Authorization": "Bearer forged.token.value"}, nil, &e); status != 401 {
			t.Errorf("forged token: %d %+v", status, e)
		}
	})
}

// mailsTo returns the mails the SES emulator accepted for address (compared
// without regard to case, as mail domains are).
func mailsTo(t *testing.T, env *local.Env, address string) []testenv.SESMail {
	t.Helper()
	var out []testenv.SESMail
	for _, m := range testenv.SESMails(t, env.SES.Endpoint) {
		if strings.EqualFold(strings.Join(m.Destination.To, ","), address) {
			out = append(out, m)
		}
	}
	return out
}

func TestSignUpSendsExactlyOneWelcomeMail(t *testing.T) {
	env := startLocal(t, local.Options{})
	users := env.SiteURL + "/api/users" // through the site, as the browser calls it
	if status := call(t, "POST", users, nil, map[string]string{"email": "Ada@Example.com", "name": "Ada Lovelace"}, nil); status != 202 {
		t.Fatalf("sign-up: %d", status)
	}
	eventually(t, 30*time.Second, func() string {
		if n := len(mailsTo(t, env, "ada@example.com")); n != 1 {
			return fmt.Sprintf("%d welcome mails for ada@example.com, want 1", n)
		}
		return ""
	})
	mail := mailsTo(t, env, "ada@example.com")[0]
	if mail.From != env.Settings.Sender || mail.Subject != "Welcome, Ada Lovelace!" || !strings.Contains(mail.Body.Text, "Hi Ada Lovelace,") {
		t.Errorf("mail = %+v", mail)
	}

	// The stream delivers at least once: replay every batch the mailer got,
	// twice, straight to the function, as a retried batch would arrive.
	batches := env.Feeder.Delivered()
	if len(batches) == 0 {
		t.Fatal("the feeder delivered no batch")
	}
	for range 2 {
		for _, b := range batches {
			payload, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			out, err := env.Mailer.Invoke(context.Background(), payload)
			if err != nil || string(out) != `{"batchItemFailures":[]}` {
				t.Fatalf("replaying a batch: %s, %v", out, err)
			}
		}
	}

	// Signing up again with the same address changes nothing (and is
	// answered as the first time: see TestSignUpRevealsNoAccount).
	if status := call(t, "POST", users, nil, map[string]string{"email": "ada@example.com", "name": "Ada again"}, nil); status != 202 {
		t.Fatalf("second sign-up: %d, want 202", status)
	}
	if err := env.Feeder.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // room for a stray mail to arrive
	if n := len(mailsTo(t, env, "ada@example.com")); n != 1 {
		t.Fatalf("%d welcome mails after the replays, want exactly 1", n)
	}
	if failed := env.Feeder.Failed(); len(failed) != 0 {
		t.Fatalf("the feeder gave up on %d records", len(failed))
	}

	// The operator's re-drive of held mails finds nothing to send: the
	// ledger says the mail went out.
	out, err := env.Mailer.Invoke(context.Background(), []byte(`{"redrive":"ledger"}`))
	if err != nil || !strings.Contains(string(out), `"sent":0`) {
		t.Fatalf("ledger re-drive: %s, %v", out, err)
	}
	if n := len(mailsTo(t, env, "ada@example.com")); n != 1 {
		t.Fatalf("%d welcome mails after the re-drive, want exactly 1", n)
	}
}

// s3Client talks to local mode's S3 as a user's tools would.
func s3Client(env *local.Env) *s3.Client {
	return s3.NewFromConfig(aws.Config{
		Region:       env.Settings.Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDE2E", "e2e-secret", ""),
		BaseEndpoint: aws.String(env.S3.Endpoint),
	})
}

func upload(t *testing.T, env *local.Env, key string, body []byte, contentType string) {
	t.Helper()
	_, err := s3Client(env).PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(env.Settings.UploadsBucket), Key: aws.String(env.Settings.UploadPrefix + key),
		Body: bytes.NewReader(body), ContentType: aws.String(contentType),
	})
	if err != nil {
		t.Fatalf("uploading %s: %v", key, err)
	}
}

// deliveries reads s3local's record of its notifications.
func deliveries(t *testing.T, env *local.Env) map[string]local.Delivery {
	t.Helper()
	var ds []local.Delivery
	if status := call(t, "GET", env.S3.Endpoint+local.DeliveriesPath, nil, nil, &ds); status != 200 {
		t.Fatalf("reading deliveries: %d", status)
	}
	out := map[string]local.Delivery{}
	for _, d := range ds {
		out[d.Key] = d
	}
	return out
}

// fetch GETs a URL and returns status, content type and body.
func fetch(t *testing.T, url string) (int, string, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func TestUploadMakesEveryThumbnail(t *testing.T) {
	env := startLocal(t, local.Options{})
	photo := testimg.JPEG(t, testimg.Smooth(2400, 1800), 90)
	logo := image.NewNRGBA(image.Rect(0, 0, 600, 300))
	for y := range 300 {
		for x := range 600 {
			logo.SetNRGBA(x, y, color.NRGBA{R: 200, G: uint8(x), B: 50, A: uint8(y / 2)})
		}
	}
	upload(t, env, "summer 2026/beach.jpg", photo, "image/jpeg")
	upload(t, env, "logo.png", testimg.PNG(t, logo), "image/png")

	eventually(t, 60*time.Second, func() string {
		ds := deliveries(t, env)
		for _, k := range []string{"uploads/summer 2026/beach.jpg", "uploads/logo.png"} {
			if ds[k].Outcome != "succeeded" {
				return fmt.Sprintf("delivery of %s: %+v", k, ds[k])
			}
		}
		return ""
	})

	for _, size := range env.Settings.Sizes {
		for _, c := range []struct {
			path, contentType string
			w, h              int
		}{
			// Served through the site, as CloudFront serves /thumbnails/*.
			{fmt.Sprintf("%d/summer%%202026/beach.jpg", size), "image/jpeg", size, size * 3 / 4},
			// Transparency keeps PNG; never larger than the source.
			{fmt.Sprintf("%d/logo.png", size), "image/png", min(size, 600), min(size, 600) / 2},
		} {
			t.Run(c.path, func(t *testing.T) {
				status, ct, body := fetch(t, env.SiteURL+"/"+env.Settings.ThumbnailPrefix+c.path)
				if status != 200 || ct != c.contentType {
					t.Fatalf("GET: %d %s, want 200 %s", status, ct, c.contentType)
				}
				cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if "image/"+format != c.contentType || cfg.Width != c.w || cfg.Height != c.h {
					t.Fatalf("thumbnail is a %dx%d %s, want %dx%d %s", cfg.Width, cfg.Height, format, c.w, c.h, c.contentType)
				}
			})
		}
	}
}

// Deleting an upload, or a lifecycle rule expiring it, takes its
// thumbnails off the site.
func TestDeletedUploadLosesItsThumbnails(t *testing.T) {
	env := startLocal(t, local.Options{})
	for _, tc := range []struct {
		name, event string
		remove      func(t *testing.T, key string)
	}{
		{"to delete/old.jpg", "ObjectRemoved:Delete", func(t *testing.T, key string) {
			if _, err := s3Client(env).DeleteObject(context.Background(), &s3.DeleteObjectInput{
				Bucket: aws.String(env.Settings.UploadsBucket), Key: aws.String(key),
			}); err != nil {
				t.Fatal(err)
			}
		}},
		{"to expire/old.jpg", "LifecycleExpiration:Delete", func(t *testing.T, key string) {
			q := url.Values{"bucket": {env.Settings.UploadsBucket}, "key": {key}}
			if status := call(t, "POST", env.S3.Endpoint+local.ExpirePath+"?"+q.Encode(), nil, nil, nil); status != http.StatusNoContent {
				t.Fatalf("expiring %s: %d", key, status)
			}
		}},
	} {
		t.Run(tc.event, func(t *testing.T) {
			key := env.Settings.UploadPrefix + tc.name
			upload(t, env, tc.name, testimg.JPEG(t, testimg.Smooth(800, 600), 85), "image/jpeg")
			thumb := func(size int) string {
				return fmt.Sprintf("%s/%s%d/%s", env.SiteURL, env.Settings.ThumbnailPrefix, size, strings.ReplaceAll(tc.name, " ", "%20"))
			}
			eventually(t, 60*time.Second, func() string {
				if d := deliveries(t, env)[key]; d.Outcome != "succeeded" {
					return fmt.Sprintf("delivery of the upload: %+v", d)
				}
				return ""
			})
			for _, size := range env.Settings.Sizes {
				if status, _, _ := fetch(t, thumb(size)); status != 200 {
					t.Fatalf("%d px thumbnail: %d before the removal", size, status)
				}
			}
			tc.remove(t, key)
			eventually(t, 60*time.Second, func() string {
				if d := deliveries(t, env)[key]; d.EventName != tc.event || d.Outcome != "succeeded" {
					return fmt.Sprintf("delivery of the removal: %+v", d)
				}
				return ""
			})
			for _, size := range env.Settings.Sizes {
				if status, _, _ := fetch(t, thumb(size)); status == 200 {
					t.Errorf("the %d px thumbnail is still served after %s", size, tc.event)
				}
			}
		})
	}
}

func TestCorruptUploadIsSkippedAndRecorded(t *testing.T) {
	env := startLocal(t, local.Options{})
	upload(t, env, "broken.jpg", []byte("this is not a JPEG, whatever its name says"), "image/jpeg")

	key := "uploads/broken.jpg"
	eventually(t, 60*time.Second, func() string {
		if d := deliveries(t, env)[key]; d.Outcome != "succeeded" {
			return fmt.Sprintf("delivery %+v", d)
		}
		return ""
	})
	// The skip record says why, in private: the site serves the thumbnail
	// prefix, and the record names buckets, keys, sizes and the failure.
	out, err := s3Client(env).GetObject(context.Background(), &s3.GetObjectInput{
		Bucket: aws.String(env.Settings.ThumbnailsBucket), Key: aws.String(env.Settings.SkipPrefix + "broken.jpg.json"),
	})
	if err != nil {
		t.Fatalf("reading the skip record: %v", err)
	}
	var record map[string]any
	if err := json.NewDecoder(out.Body).Decode(&record); err != nil {
		t.Fatal(err)
	}
	out.Body.Close()
	if record["reason"] == nil || record["reason"] == "" {
		t.Errorf("skip record %v has no reason", record)
	}
	for _, path := range []string{
		env.Settings.ThumbnailPrefix + "_skipped/broken.jpg.json", // where it used to be
		env.Settings.ThumbnailPrefix + "../" + thumbnails.DefaultSkipPrefix + "broken.jpg.json",
		env.Settings.ThumbnailPrefix + "%2e%2e/" + thumbnails.DefaultSkipPrefix + "broken.jpg.json",
		thumbnails.DefaultSkipPrefix + "broken.jpg.json",
	} {
		if status, _, body := fetch(t, env.SiteURL+"/"+path); status == 200 && bytes.Contains(body, []byte("broken.jpg")) {
			t.Errorf("GET /%s serves the skip record: %s", path, body)
		}
	}
	for _, size := range env.Settings.Sizes {
		if status, _, _ := fetch(t, fmt.Sprintf("%s/%s%d/broken.jpg", env.SiteURL, env.Settings.ThumbnailPrefix, size)); status == 200 {
			t.Errorf("a %d px thumbnail exists for the corrupt upload", size)
		}
	}
	// Not retried: one invocation, still one after the retry delay has
	// passed more than once.
	time.Sleep(3 * time.Second)
	if d := deliveries(t, env)[key]; d.Attempts != 1 || d.Outcome != "succeeded" {
		t.Fatalf("delivery %+v, want exactly one attempt", d)
	}
}
