package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

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
