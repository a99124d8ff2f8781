package local

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Notification routes "object created" events of a bucket to a function,
// like an S3 bucket notification with a Lambda destination.
type Notification struct {
	Bucket string `json:"bucket"`
	// Prefix and Suffixes filter the keys, as S3's filter rules do (suffixes
	// are case-sensitive; none means any key).
	Prefix   string   `json:"prefix,omitempty"`
	Suffixes []string `json:"suffixes,omitempty"`
	// Events are the event types delivered, as S3 names them:
	// "s3:ObjectCreated:*", "s3:ObjectRemoved:*" and
	// "s3:LifecycleExpiration:*" (see ExpirePath); none means
	// "s3:ObjectCreated:*".
	Events []string `json:"events,omitempty"`
	// Function is the function's invocation URL (Function.URL).
	Function string `json:"function"`
	// MaximumRetryAttempts of a failed asynchronous invocation (Lambda's
	// default is 2); then the event is recorded as failed, where Lambda
	// would send it to the on-failure destination.
	MaximumRetryAttempts *int `json:"maximumRetryAttempts,omitempty"`
}

// Validate reports a notification that could never be delivered.
func (n Notification) Validate() error {
	if n.Bucket == "" || n.Function == "" {
		return errors.New("a notification needs a bucket and a function")
	}
	for _, e := range n.Events {
		if e != eventsCreated && e != eventsRemoved && e != eventsExpired {
			return fmt.Errorf("event %q: want %q, %q or %q", e, eventsCreated, eventsRemoved, eventsExpired)
		}
	}
	if n.MaximumRetryAttempts != nil && (*n.MaximumRetryAttempts < 0 || *n.MaximumRetryAttempts > 2) {
		return fmt.Errorf("maximumRetryAttempts %d: Lambda allows 0 to 2", *n.MaximumRetryAttempts)
	}
	return nil
}

// The event types a Notification may name.
const (
	eventsCreated = "s3:ObjectCreated:*"
	eventsRemoved = "s3:ObjectRemoved:*"
	eventsExpired = "s3:LifecycleExpiration:*"
)

func (n Notification) matches(eventName, bucket, key string) bool {
	if n.Bucket != bucket || !strings.HasPrefix(key, n.Prefix) {
		return false
	}
	types := n.Events
	if len(types) == 0 {
		types = []string{eventsCreated}
	}
	if !slices.ContainsFunc(types, func(t string) bool { return strings.HasPrefix("s3:"+eventName, strings.TrimSuffix(t, "*")) }) {
		return false
	}
	return len(n.Suffixes) == 0 || slices.ContainsFunc(n.Suffixes, func(s string) bool { return strings.HasSuffix(key, s) })
}

// S3Config configures an S3 server.
type S3Config struct {
	// Region is reported in events (default us-east-1).
	Region string
	// Buckets are created at start.
	Buckets []string
	// Notifications are the bucket notifications.
	Notifications []Notification
	// RetryDelay is the wait before each retry of a failed delivery
	// (Lambda waits a minute, then two; default 1 second).
	RetryDelay time.Duration
	// Log receives delivery outcomes; nil means slog.Default().
	Log *slog.Logger
}

// Delivery is what happened to one event notification.
type Delivery struct {
	Bucket    string `json:"bucket"`
	Key       string `json:"key"`
	ETag      string `json:"etag"`
	EventName string `json:"eventName"`
	Function  string `json:"function"`
	// Attempts counts invocations so far.
	Attempts int `json:"attempts"`
	// Outcome is "pending", "succeeded" or "failed" (retries exhausted:
	// what Lambda would send to the on-failure destination).
	Outcome string `json:"outcome"`
	// Error is the last invocation's error.
	Error string `json:"error,omitempty"`
}

// DeliveriesPath is where an S3 server lists its deliveries as JSON. No
// bucket can be named like its first segment.
const DeliveriesPath = "/_local/deliveries"

// ExpirePath stands in for a lifecycle rule, which local mode has no clock
// for: POST ExpirePath?bucket=<bucket>&key=<key> deletes the object as an
// expiration does, notifying LifecycleExpiration:Delete instead of
// ObjectRemoved:Delete.
const ExpirePath = "/_local/expire"

// NotificationsPath is where an S3 server lists its notifications (GET) and
// takes a new set of them as a JSON array (PUT), as
// PutBucketNotificationConfiguration replaces a bucket's. Local mode sets
// them once the function they invoke runs, which itself needs the server's
// address: the server can pick its own free port, with no race for it.
const NotificationsPath = "/_local/notifications"

// S3 is an in-memory S3 (gofakes3) that also emulates bucket
// notifications: after an object is created (PUT, POST upload, copy or a
// completed multipart upload) or deleted (DELETE, multi-object delete)
// under a notification's filter and event types, the notification's
// function is invoked asynchronously with an S3 event, as S3 invokes a
// Lambda destination. Failed invocations are retried after
// RetryDelay up to MaximumRetryAttempts times, then recorded as failed.
//
// Clients must use path-style addressing; the AWS SDK does so by itself for
// an endpoint given as an IP address.
type S3 struct {
	cfg     S3Config
	backend gofakes3.Backend
	handler http.Handler
	client  *http.Client
	log     *slog.Logger

	mu            sync.Mutex
	notifications []Notification
	deliveries    []*Delivery
	queues        map[string]chan job // by function URL: one invocation at a time
	sequence      uint64
	wg            sync.WaitGroup
	ctx           context.Context
	cancel        context.CancelFunc
}

type job struct {
	event    []byte
	delivery *Delivery
	retries  int
}

// NewS3 creates the server and its buckets.
func NewS3(cfg S3Config) (*S3, error) {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = time.Second
	}
	if err := validateNotifications(cfg.Notifications); err != nil {
		return nil, err
	}
	s := &S3{cfg: cfg, notifications: slices.Clone(cfg.Notifications), queues: map[string]chan job{}, client: &http.Client{}, log: cfg.Log}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	mem := s3mem.New()
	for _, b := range cfg.Buckets {
		if err := mem.CreateBucket(b); err != nil {
			return nil, fmt.Errorf("creating bucket %s: %w", b, err)
		}
	}
	s.backend = &notifyingBackend{Backend: mem, s: s}
	s.handler = gofakes3.New(s.backend, gofakes3.WithoutVersioning()).Server()
	return s, nil
}

func (s *S3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == DeliveriesPath && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Deliveries())
	case r.URL.Path == ExpirePath && r.Method == http.MethodPost:
		bucket, key := r.URL.Query().Get("bucket"), r.URL.Query().Get("key")
		if err := s.Expire(bucket, key); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == NotificationsPath && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Notifications())
	case r.URL.Path == NotificationsPath && r.Method == http.MethodPut:
		var ns []Notification
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ns); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "notifications: " + err.Error()})
			return
		}
		if err := s.SetNotifications(ns); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, s.Notifications())
	default:
		s.handler.ServeHTTP(w, r)
	}
}

func validateNotifications(ns []Notification) error {
	for i, n := range ns {
		if err := n.Validate(); err != nil {
			return fmt.Errorf("notification %d: %w", i, err)
		}
	}
	return nil
}

// SetNotifications replaces the notifications; objects created from then
// on are matched against the new set.
func (s *S3) SetNotifications(ns []Notification) error {
	if err := validateNotifications(ns); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifications = slices.Clone(ns)
	return nil
}

// PutNotifications replaces the notifications of the S3 server at endpoint
// (an s3local).
func PutNotifications(ctx context.Context, endpoint string, ns ...Notification) error {
	body, err := json.Marshal(ns)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, endpoint+NotificationsPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("setting the S3 notifications: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("setting the S3 notifications: %s: %s", resp.Status, bytes.TrimSpace(b))
	}
	return nil
}

// Expire deletes an object as a lifecycle expiration does: the
// notification is LifecycleExpiration:Delete.
func (s *S3) Expire(bucket, key string) error {
	if bucket == "" || key == "" {
		return errors.New("expire needs a bucket and a key")
	}
	if _, err := s.backend.(*notifyingBackend).Backend.DeleteObject(bucket, key); err != nil {
		return fmt.Errorf("expiring s3://%s/%s: %w", bucket, key, err)
	}
	s.notify("LifecycleExpiration:Delete", bucket, key)
	return nil
}

// Notifications returns a copy of the notifications.
func (s *S3) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.notifications)
}

// Deliveries returns a copy of every delivery so far, oldest first.
func (s *S3) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.deliveries))
	for i, d := range s.deliveries {
		out[i] = *d
	}
	return out
}

// Close stops delivering; pending retries are dropped.
func (s *S3) Close() {
	s.cancel()
	s.mu.Lock()
	for _, q := range s.queues {
		close(q)
	}
	s.queues = map[string]chan job{}
	s.mu.Unlock()
	s.wg.Wait()
}

// notify is called after an object was stored (eventName ObjectCreated:*),
// deleted (ObjectRemoved:*) or expired (LifecycleExpiration:*). Removal and
// expiration events carry no ETag or size, as S3's do not.
func (s *S3) notify(eventName, bucket, key string) {
	var targets []Notification
	for _, n := range s.Notifications() {
		if n.matches(eventName, bucket, key) {
			targets = append(targets, n)
		}
	}
	if len(targets) == 0 {
		return
	}
	var etag string
	var size int64
	if strings.HasPrefix(eventName, "ObjectCreated:") {
		obj, err := s.backend.HeadObject(bucket, key)
		if err != nil {
			s.log.Error("notification: reading the new object", "bucket", bucket, "key", key, "error", err)
			return
		}
		obj.Contents.Close()
		etag, size = hex.EncodeToString(obj.Hash), obj.Size
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return
	}
	s.sequence++
	for _, n := range targets {
		event, err := json.Marshal(s.event(eventName, bucket, key, etag, size, s.sequence))
		if err != nil {
			s.log.Error("notification: encoding the event", "error", err)
			continue
		}
		d := &Delivery{Bucket: bucket, Key: key, ETag: etag, EventName: eventName, Function: n.Function, Outcome: "pending"}
		s.deliveries = append(s.deliveries, d)
		retries := 2
		if n.MaximumRetryAttempts != nil {
			retries = *n.MaximumRetryAttempts
		}
		select {
		case s.queue(n.Function) <- job{event: event, delivery: d, retries: retries}:
		default: // never block an upload; Lambda would throttle
			d.Outcome, d.Error = "failed", "too many pending deliveries"
		}
	}
}

// queue returns the function's queue, starting its worker; s.mu is held.
func (s *S3) queue(function string) chan job {
	q, ok := s.queues[function]
	if !ok {
		q = make(chan job, 1024)
		s.queues[function] = q
		s.wg.Add(1)
		go s.deliver(function, q)
	}
	return q
}

// deliver invokes function for each job, one at a time.
func (s *S3) deliver(function string, q chan job) {
	defer s.wg.Done()
	for j := range q {
		for attempt := 0; ; attempt++ {
			if attempt > 0 {
				select {
				case <-time.After(s.cfg.RetryDelay):
				case <-s.ctx.Done():
					return
				}
			}
			err := s.invoke(function, j.event)
			s.mu.Lock()
			d := j.delivery
			d.Attempts++
			switch {
			case err == nil:
				d.Outcome, d.Error = "succeeded", ""
			case attempt >= j.retries:
				d.Outcome, d.Error = "failed", err.Error()
			default:
				d.Error = err.Error()
			}
			s.mu.Unlock()
			if err == nil {
				break
			}
			if attempt >= j.retries {
				s.log.Error("notification failed after retries; Lambda would send it to the on-failure destination",
					"bucket", d.Bucket, "key", d.Key, "attempts", d.Attempts, "error", err)
				break
			}
			s.log.Warn("notification failed, retrying", "bucket", d.Bucket, "key", d.Key, "attempt", d.Attempts, "error", err)
		}
	}
}

// invoke posts the event to the function's runtime interface emulator.
func (s *S3) invoke(function string, event []byte) error {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, function, bytes.NewReader(event))
	if err != nil {
		return err
	}
	// Asynchronous invocations are invisible to the uploader; this header
	// only documents it for the function's logs.
	req.Header.Set("X-Amz-Invocation-Type", "Event")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("invocation answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	if fe := parseFunctionError(function, body); fe != nil {
		return fmt.Errorf("%s: %s", fe.Type, fe.Message)
	}
	return nil
}

// event builds the notification S3 sends for a created object.
func (s *S3) event(eventName, bucket, key, etag string, size int64, seq uint64) events.S3Event {
	return events.S3Event{Records: []events.S3EventRecord{{
		EventVersion:      "2.1",
		EventSource:       "aws:s3",
		AWSRegion:         s.cfg.Region,
		EventTime:         time.Now().UTC(),
		EventName:         eventName,
		PrincipalID:       events.S3UserIdentity{PrincipalID: "AWS:LOCAL"},
		RequestParameters: events.S3RequestParameters{SourceIPAddress: "127.0.0.1"},
		ResponseElements:  map[string]string{"x-amz-request-id": fmt.Sprintf("%016X", seq)},
		S3: events.S3Entity{
			SchemaVersion:   "1.0",
			ConfigurationID: "local-" + bucket,
			Bucket: events.S3Bucket{
				Name:          bucket,
				OwnerIdentity: events.S3UserIdentity{PrincipalID: "LOCAL"},
				Arn:           "arn:aws:s3:::" + bucket,
			},
			Object: events.S3Object{
				Key:       EventKey(key),
				Size:      size,
				ETag:      etag,
				Sequencer: fmt.Sprintf("%016X", seq),
			},
		},
	}}}
}

// EventKey encodes an object key as S3 event notifications carry it: URL
// query encoding (a space is "+"), with "/" left as it is.
func EventKey(key string) string {
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

// notifyingBackend reports objects created and deleted through gofakes3.
type notifyingBackend struct {
	gofakes3.Backend
	s *S3
}

func (b *notifyingBackend) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, conditions *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	res, err := b.Backend.PutObject(bucket, key, meta, input, size, conditions)
	if err == nil {
		b.s.notify("ObjectCreated:Put", bucket, key)
	}
	return res, err
}

func (b *notifyingBackend) DeleteObject(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	res, err := b.Backend.DeleteObject(bucket, key)
	if err == nil {
		b.s.notify("ObjectRemoved:Delete", bucket, key)
	}
	return res, err
}

func (b *notifyingBackend) DeleteMulti(bucket string, keys ...string) (gofakes3.MultiDeleteResult, error) {
	res, err := b.Backend.DeleteMulti(bucket, keys...)
	if err == nil {
		for _, d := range res.Deleted {
			b.s.notify("ObjectRemoved:Delete", bucket, d.Key)
		}
	}
	return res, err
}

func (b *notifyingBackend) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (gofakes3.CopyObjectResult, error) {
	res, err := b.Backend.CopyObject(srcBucket, srcKey, dstBucket, dstKey, meta)
	if err == nil {
		b.s.notify("ObjectCreated:Copy", dstBucket, dstKey)
	}
	return res, err
}
