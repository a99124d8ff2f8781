package local

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/johannesboyne/gofakes3"
)

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
