package local

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
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

// Notifications returns a copy of the notifications.
func (s *S3) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.notifications)
}
