package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
)

// ObjectStore is the part of the S3 client the handler uses.
type ObjectStore interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	DeleteObjects(ctx context.Context, in *s3.DeleteObjectsInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectsOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

// Handler makes thumbnails of uploaded pictures and deletes those of
// deleted ones.
type Handler struct {
	S3     ObjectStore
	Config Config
	// Log receives one line per object; nil means slog.Default().
	Log *slog.Logger
}

func (h *Handler) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.Default()
}

// Handle accepts the three deliveries the ThumbnailPipeline component offers
// and tells them apart by the event itself:
//
//   - an S3 notification invoking the function directly;
//   - SQS messages whose bodies are S3 notifications (or SNS envelopes of
//     them); the answer is an events.SQSEventResponse listing the messages
//     to retry;
//   - SNS messages whose Message is an S3 notification;
//
// and a settings.SweepRequest, which the component sends when the sizes change.
//
// S3's s3:TestEvent is ignored wherever it appears. For direct and SNS
// delivery an error is returned when any object must be retried: Lambda's
// asynchronous retries, then the on-failure destination, take it from there.
func (h *Handler) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Records []map[string]json.RawMessage `json:"Records"`
		Event   string                       `json:"Event"`
		Sweep   *string                      `json:"sweep"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("decoding event: %w", err)
	}
	if probe.Sweep != nil {
		var req settings.SweepRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, fmt.Errorf("decoding sweep request: %w", err)
		}
		return h.sweep(ctx, req)
	}
	if probe.Event == s3TestEvent {
		h.log().Info("ignored", "reason", "s3:TestEvent")
		return nil, nil
	}
	if len(probe.Records) == 0 {
		return nil, errors.New("event has no Records and is not an s3:TestEvent")
	}
	switch source := eventSource(probe.Records[0]); source {
	case "aws:s3":
		var ev events.S3Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("decoding S3 event: %w", err)
		}
		return nil, h.processRecords(ctx, ev.Records)
	case "aws:sqs":
		var ev events.SQSEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("decoding SQS event: %w", err)
		}
		return h.handleSQS(ctx, ev), nil
	case "aws:sns":
		var ev events.SNSEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("decoding SNS event: %w", err)
		}
		var errs []error
		for _, r := range ev.Records {
			if err := h.processNotification(ctx, r.SNS.Message); err != nil {
				errs = append(errs, fmt.Errorf("SNS message %s: %w", r.SNS.MessageID, err))
			}
		}
		return nil, errors.Join(errs...)
	default:
		return nil, fmt.Errorf("unsupported event source %q", source)
	}
}

const s3TestEvent = "s3:TestEvent"

// eventSource reads a record's source: S3 and SQS records spell the field
// eventSource, SNS records EventSource.
func eventSource(rec map[string]json.RawMessage) string {
	for _, k := range []string{"eventSource", "EventSource"} {
		var s string
		if json.Unmarshal(rec[k], &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

// handleSQS reports every message that must be retried; a message that can
// never be understood is also reported, so that it reaches the queue's
// dead-letter queue after maxReceiveCount attempts.
func (h *Handler) handleSQS(ctx context.Context, ev events.SQSEvent) events.SQSEventResponse {
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for _, m := range ev.Records {
		if err := h.processNotification(ctx, m.Body); err != nil {
			h.log().Error("message will be retried", "messageId", m.MessageId, "error", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp
}

// processNotification handles the S3 notification carried in an SQS body or
// an SNS message, unwrapping an SNS envelope first (SNS to SQS without raw
// message delivery).
func (h *Handler) processNotification(ctx context.Context, body string) error {
	var n struct {
		Records []events.S3EventRecord `json:"Records"`
		Event   string                 `json:"Event"`
		Type    string                 `json:"Type"`
		Message string                 `json:"Message"`
	}
	if err := json.Unmarshal([]byte(body), &n); err != nil {
		return fmt.Errorf("decoding S3 notification: %w", err)
	}
	switch {
	case n.Type == "Notification" && n.Message != "":
		return h.processNotification(ctx, n.Message)
	case n.Event == s3TestEvent:
		h.log().Info("ignored", "reason", "s3:TestEvent")
		return nil
	case len(n.Records) == 0:
		return errors.New("message is not an S3 notification: no Records")
	}
	for _, r := range n.Records {
		if r.EventSource != "aws:s3" {
			return fmt.Errorf("message carries a %q record, not an S3 notification", r.EventSource)
		}
	}
	return h.processRecords(ctx, n.Records)
}

// processRecords handles every record and joins the errors of those to retry.
func (h *Handler) processRecords(ctx context.Context, recs []events.S3EventRecord) error {
	var errs []error
	for _, r := range recs {
		if err := h.processRecord(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
