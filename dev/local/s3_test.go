package local

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// fakeFunction is a runtime interface emulator that records S3 events and
// fails the first failures invocations.
type fakeFunction struct {
	mu       sync.Mutex
	events   []events.S3Event
	failures int
	srv      *httptest.Server
}

func newFakeFunction(t *testing.T, failures int) *fakeFunction {
	f := &fakeFunction{failures: failures}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev events.S3Event
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.events = append(f.events, ev)
		if len(f.events) <= f.failures {
			_, _ = w.Write([]byte(`{"errorMessage":"throttled by S3","errorType":"OperationError"}`))
			return
		}
		_, _ = w.Write([]byte("null"))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeFunction) received() []events.S3Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.events)
}

func startS3(t *testing.T, cfg S3Config) (*S3, *s3.Client, string) {
	t.Helper()
	srv, err := NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	client := s3.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		BaseEndpoint: aws.String(hs.URL),
	})
	return srv, client, hs.URL
}

func waitDeliveries(t *testing.T, srv *S3, n int, done func(Delivery) bool) []Delivery {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ds := srv.Deliveries()
		finished := 0
		for _, d := range ds {
			if done(d) {
				finished++
			}
		}
		if len(ds) >= n && finished >= n {
			return ds
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries after 10s: %+v", ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func notDone(d Delivery) bool { return d.Outcome != "pending" }

func TestS3NotifiesOnObjectsCreatedUnderTheFilter(t *testing.T) {
	fn := newFakeFunction(t, 0)
	srv, client, _ := startS3(t, S3Config{
		Region:  "eu-west-1",
		Buckets: []string{"media", "other"},
		Notifications: []Notification{{
			Bucket: "media", Prefix: "uploads/", Suffixes: []string{".jpg", ".JPG"}, Function: fn.srv.URL,
		}},
	})
	ctx := context.Background()
	put := func(bucket, key, body string) {
		t.Helper()
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatalf("PutObject %s/%s: %v", bucket, key, err)
		}
	}
	put("media", "uploads/summer 2026/café (1).jpg", "picture")
	put("media", "uploads/notes.txt", "not a picture")    // suffix filtered
	put("media", "thumbnails/128/x.jpg", "thumbnail")     // prefix filtered
	put("other", "uploads/a.jpg", "another bucket")       // bucket filtered
	put("media", "uploads/B.JPG", "upper-case extension") // second suffix
	if _, err := client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String("media"), Key: aws.String("uploads/copy.jpg"), CopySource: aws.String("other/uploads/a.jpg"),
	}); err != nil {
		t.Fatalf("CopyObject: %v", err)
	}

	ds := waitDeliveries(t, srv, 3, notDone)
	if len(ds) != 3 {
		t.Fatalf("%d deliveries, want 3: %+v", len(ds), ds)
	}
	got := fn.received()
	if len(got) != 3 {
		t.Fatalf("function got %d events, want 3", len(got))
	}
	rec := got[0].Records[0]
	sum := md5.Sum([]byte("picture"))
	for _, c := range []struct{ name, got, want string }{
		{"key", rec.S3.Object.Key, "uploads/summer+2026/caf%C3%A9+%281%29.jpg"},
		{"etag", rec.S3.Object.ETag, hex.EncodeToString(sum[:])},
		{"bucket", rec.S3.Bucket.Name, "media"},
		{"arn", rec.S3.Bucket.Arn, "arn:aws:s3:::media"},
		{"event", rec.EventName, "ObjectCreated:Put"},
		{"source", rec.EventSource, "aws:s3"},
		{"region", rec.AWSRegion, "eu-west-1"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if rec.S3.Object.Size != int64(len("picture")) {
		t.Errorf("size = %d", rec.S3.Object.Size)
	}
	if k := got[1].Records[0].S3.Object.Key; k != "uploads/B.JPG" {
		t.Errorf("second event key %q", k)
	}
	if e := got[2].Records[0]; e.EventName != "ObjectCreated:Copy" || e.S3.Object.Key != "uploads/copy.jpg" {
		t.Errorf("copy event = %s %s", e.EventName, e.S3.Object.Key)
	}
	if got[0].Records[0].S3.Object.Sequencer >= got[1].Records[0].S3.Object.Sequencer {
		t.Errorf("sequencers do not increase")
	}
	for _, d := range ds {
		if d.Outcome != "succeeded" || d.Attempts != 1 {
			t.Errorf("delivery %+v, want one successful attempt", d)
		}
	}
}

func TestS3RetriesFailedDeliveriesThenGivesUp(t *testing.T) {
	two, zero := 2, 0
	for _, tc := range []struct {
		name         string
		failures     int
		retries      *int
		wantAttempts int
		wantOutcome  string
	}{
		{"recovers on the second retry", 2, nil, 3, "succeeded"},
		{"gives up after Lambda's two retries", 10, &two, 3, "failed"},
		{"no retries", 10, &zero, 1, "failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := newFakeFunction(t, tc.failures)
			srv, client, _ := startS3(t, S3Config{
				Buckets:       []string{"media"},
				RetryDelay:    time.Millisecond,
				Notifications: []Notification{{Bucket: "media", Function: fn.srv.URL, MaximumRetryAttempts: tc.retries}},
			})
			if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String("media"), Key: aws.String("a.jpg"), Body: bytes.NewReader([]byte("x")),
			}); err != nil {
				t.Fatal(err)
			}
			ds := waitDeliveries(t, srv, 1, notDone)
			if d := ds[0]; d.Attempts != tc.wantAttempts || d.Outcome != tc.wantOutcome {
				t.Fatalf("delivery %+v, want %d attempts and %s", d, tc.wantAttempts, tc.wantOutcome)
			}
			if tc.wantOutcome == "failed" && !strings.Contains(ds[0].Error, "throttled by S3") {
				t.Errorf("error %q does not carry the function's error", ds[0].Error)
			}
			if n := len(fn.received()); n != tc.wantAttempts {
				t.Fatalf("function invoked %d times, want %d", n, tc.wantAttempts)
			}
		})
	}
}

func TestS3ListsDeliveriesOverHTTP(t *testing.T) {
	fn := newFakeFunction(t, 0)
	srv, client, url := startS3(t, S3Config{Buckets: []string{"media"}, Notifications: []Notification{{Bucket: "media", Function: fn.srv.URL}}})
	if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String("media"), Key: aws.String("a.png"), Body: strings.NewReader("x"),
	}); err != nil {
		t.Fatal(err)
	}
	waitDeliveries(t, srv, 1, notDone)
	resp, err := http.Get(url + DeliveriesPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var ds []Delivery
	if err := json.Unmarshal(body, &ds); err != nil || len(ds) != 1 || ds[0].Key != "a.png" || ds[0].Outcome != "succeeded" {
		t.Fatalf("GET %s = %s (%v)", DeliveriesPath, body, err)
	}
}

func TestS3TakesNotificationsOverHTTP(t *testing.T) {
	fn := newFakeFunction(t, 0)
	srv, client, url := startS3(t, S3Config{Buckets: []string{"media"}})
	put := func(key string) {
		t.Helper()
		if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{
			Bucket: aws.String("media"), Key: aws.String(key), Body: strings.NewReader("x"),
		}); err != nil {
			t.Fatal(err)
		}
	}
	put("uploads/before.png") // no notification yet: nothing is delivered

	ctx := context.Background()
	three := 3
	for _, bad := range [][]Notification{
		{{Bucket: "media"}},
		{{Function: fn.srv.URL}},
		{{Bucket: "media", Function: fn.srv.URL, MaximumRetryAttempts: &three}},
	} {
		err := PutNotifications(ctx, url, bad...)
		if err == nil || !strings.Contains(err.Error(), "400 Bad Request") {
			t.Errorf("PutNotifications(%+v) = %v, want a 400", bad, err)
		}
	}
	if err := PutNotifications(ctx, url, Notification{Bucket: "media", Prefix: "uploads/", Function: fn.srv.URL}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(url + NotificationsPath)
	if err != nil {
		t.Fatal(err)
	}
	var got []Notification
	err = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if err != nil || len(got) != 1 || got[0].Prefix != "uploads/" || got[0].Function != fn.srv.URL {
		t.Fatalf("GET %s = %+v (%v)", NotificationsPath, got, err)
	}

	put("elsewhere/a.png")
	put("uploads/after.png")
	ds := waitDeliveries(t, srv, 1, notDone)
	if len(ds) != 1 || ds[0].Key != "uploads/after.png" || ds[0].Outcome != "succeeded" {
		t.Fatalf("deliveries %+v, want only uploads/after.png", ds)
	}
	if evs := fn.received(); len(evs) != 1 || evs[0].Records[0].S3.Object.Key != "uploads/after.png" {
		t.Fatalf("function received %+v", evs)
	}
}

func TestS3NotifiesRemovalsWhenAsked(t *testing.T) {
	both, created := newFakeFunction(t, 0), newFakeFunction(t, 0)
	srv, client, _ := startS3(t, S3Config{Buckets: []string{"media"}, Notifications: []Notification{
		{Bucket: "media", Prefix: "uploads/", Events: []string{"s3:ObjectCreated:*", "s3:ObjectRemoved:*"}, Function: both.srv.URL},
		{Bucket: "media", Prefix: "uploads/", Function: created.srv.URL}, // created only, as S3's default here
	}})
	ctx := context.Background()
	for _, k := range []string{"uploads/a.png", "uploads/b.png", "uploads/c.png"} {
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String(k), Body: strings.NewReader("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("media"), Key: aws.String("uploads/a.png")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("media"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("uploads/b.png")}, {Key: aws.String("uploads/c.png")}},
	}}); err != nil {
		t.Fatal(err)
	}
	waitDeliveries(t, srv, 9, notDone) // 3 creations to each, 3 removals to one
	var removals []string
	for _, ev := range both.received() {
		r := ev.Records[0]
		if strings.HasPrefix(r.EventName, "ObjectRemoved:") {
			if r.EventName != "ObjectRemoved:Delete" || r.S3.Object.ETag != "" || r.S3.Object.Size != 0 {
				t.Errorf("removal event %+v, want ObjectRemoved:Delete without ETag or size", r)
			}
			removals = append(removals, r.S3.Object.Key)
		}
	}
	slices.Sort(removals)
	if want := []string{"uploads/a.png", "uploads/b.png", "uploads/c.png"}; !slices.Equal(removals, want) {
		t.Errorf("removals %q, want %q", removals, want)
	}
	for _, ev := range created.received() {
		if r := ev.Records[0]; !strings.HasPrefix(r.EventName, "ObjectCreated:") {
			t.Errorf("a created-only notification got %s", r.EventName)
		}
	}
	if err := (Notification{Bucket: "media", Function: "http://x", Events: []string{"s3:ObjectRestore:*"}}).Validate(); err == nil {
		t.Error("an event type s3local does not emit was accepted")
	}
}

// A lifecycle rule's expiration, stood in for by ExpirePath, deletes the
// object and notifies LifecycleExpiration:Delete to those who asked.
func TestS3NotifiesExpirations(t *testing.T) {
	fn := newFakeFunction(t, 0)
	srv, client, endpoint := startS3(t, S3Config{Buckets: []string{"media"}, Notifications: []Notification{
		{Bucket: "media", Prefix: "uploads/", Events: []string{"s3:ObjectCreated:*", "s3:LifecycleExpiration:*"}, Function: fn.srv.URL},
	}})
	ctx := context.Background()
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media"), Key: aws.String("uploads/old.png"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(endpoint+ExpirePath+"?bucket=media&key=uploads/old.png", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("expire: %s", resp.Status)
	}
	if _, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media"), Key: aws.String("uploads/old.png")}); err == nil {
		t.Fatal("the expired object is still there")
	}
	waitDeliveries(t, srv, 2, notDone)
	got := fn.received()
	if len(got) != 2 || got[1].Records[0].EventName != "LifecycleExpiration:Delete" || got[1].Records[0].S3.Object.Key != "uploads/old.png" {
		t.Fatalf("events %+v, want a creation then LifecycleExpiration:Delete", got)
	}
}

func TestEventKey(t *testing.T) {
	for key, want := range map[string]string{
		"uploads/summer 2026/café au lait (1).JPG": "uploads/summer+2026/caf%C3%A9+au+lait+%281%29.JPG",
		"a+b/c=d&e.png": "a%2Bb/c%3Dd%26e.png",
		"plain/key.jpg": "plain/key.jpg",
	} {
		if got := EventKey(key); got != want {
			t.Errorf("EventKey(%q) = %q, want %q", key, got, want)
		}
	}
}
