package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// Object metadata written on every thumbnail and skip record; HeadObject
// returns the keys lower-cased.
const (
	metaSourceETag = "source-etag"
	metaSourceKey  = "source-key" // percent-encoded: S3 metadata is ASCII
)

// cacheControl lets browsers and CloudFront keep a thumbnail a day, then
// revalidate it by ETag: a thumbnail's key is its upload's, and a new upload
// under that key replaces it, so it is not immutable. A replaced picture
// shows everywhere within a day, with no invalidation.
const cacheControl = "public, max-age=86400"

// skippedDir is the folder, under the thumbnail prefix, of skip records.
const skippedDir = "_skipped/"

// source is one uploaded object named by an S3 event.
type source struct {
	bucket, key string
	rel         string // key relative to the upload prefix
	etag        string // without quotes
	size        int64
}

// processRecord makes the thumbnails of one uploaded object, or deletes
// those of a deleted one. It returns an error only when the record must be
// retried; everything that retrying cannot
// fix is logged, and recorded when it concerns a real upload.
func (h *Handler) processRecord(ctx context.Context, r events.S3EventRecord) error {
	key, err := url.QueryUnescape(r.S3.Object.Key)
	if err != nil {
		return fmt.Errorf("decoding key %q: %w", r.S3.Object.Key, err)
	}
	src := source{bucket: r.S3.Bucket.Name, key: key, etag: unquote(r.S3.Object.ETag), size: r.S3.Object.Size}
	log := h.log().With("bucket", src.bucket, "key", src.key)
	if reason := h.ignore(r.EventName, src); reason != "" {
		log.Info("ignored", "reason", reason)
		return nil
	}
	src.rel = strings.TrimPrefix(key, h.Config.UploadPrefix)
	if strings.HasPrefix(r.EventName, "ObjectRemoved:") {
		return h.removed(ctx, log, src)
	}
	return h.created(ctx, log, src)
}

// created makes the thumbnails of src, a created upload, unless this
// version has them already or was skipped before.
func (h *Handler) created(ctx context.Context, log *slog.Logger, src source) error {
	if src.etag == "" || src.size <= 0 {
		// Hand-made or replayed events may lack them; S3's own always carry both.
		head, err := h.headUpload(ctx, src)
		if err != nil {
			return err
		}
		if head == nil {
			log.Info("ignored", "reason", "source no longer exists")
			return nil
		}
		src.etag, src.size = unquote(aws.ToString(head.ETag)), aws.ToInt64(head.ContentLength)
	}
	log = log.With("etag", src.etag)

	done, err := h.alreadyDone(ctx, src)
	if err != nil {
		return err
	}
	if done != "" {
		log.Info("ignored", "reason", done)
		return nil
	}

	if limit := h.Config.Limits.MaxBytes; limit > 0 && src.size > limit {
		return h.skip(ctx, log, src, reasonTooLarge, fmt.Sprintf("source is %d bytes, limit %d", src.size, limit))
	}
	data, gone, err := h.download(ctx, src)
	if err != nil {
		return err
	}
	if gone != "" {
		log.Info("ignored", "reason", gone)
		return nil
	}
	if limit := h.Config.Limits.MaxBytes; limit > 0 && int64(len(data)) > limit {
		return h.skip(ctx, log, src, reasonTooLarge, fmt.Sprintf("source is over %d bytes", limit))
	}

	outs, err := thumbnail.Generate(data, h.Config.Specs, h.Config.Limits)
	switch {
	case errors.Is(err, thumbnail.ErrTooLarge):
		return h.skip(ctx, log, src, reasonTooLarge, err.Error())
	case errors.Is(err, thumbnail.ErrUnsupported):
		return h.skip(ctx, log, src, reasonUnsupported, err.Error())
	case errors.Is(err, thumbnail.ErrCorrupt):
		return h.skip(ctx, log, src, reasonCorrupt, err.Error())
	case err != nil:
		// Not the upload's fault (a bad spec would be a configuration bug):
		// retry, and let the on-failure destination keep the event.
		return fmt.Errorf("making thumbnails of s3://%s/%s: %w", src.bucket, src.key, err)
	}
	for _, o := range outs {
		if err := h.put(ctx, h.thumbnailKey(src.rel, o.Spec.Size), src, o.ContentType, cacheControl, o.Data); err != nil {
			return err
		}
	}
	log.Info("thumbnails written", "count", len(outs), "format", outs[0].Format.String())
	return nil
}

// ignore returns why an event is none of this function's business, or "".
func (h *Handler) ignore(eventName string, src source) string {
	switch {
	case !strings.HasPrefix(eventName, "ObjectCreated:") && !strings.HasPrefix(eventName, "ObjectRemoved:"):
		return "neither an ObjectCreated nor an ObjectRemoved event: " + eventName
	case src.bucket == h.Config.Bucket && strings.HasPrefix(src.key, h.Config.Prefix):
		// Our own output. The infrastructure filters and Lambda's recursion
		// detection should stop it first; this check does not depend on them.
		return "inside the thumbnail prefix"
	case !strings.HasPrefix(src.key, h.Config.UploadPrefix):
		return "outside the upload prefix"
	case src.key == h.Config.UploadPrefix || strings.HasSuffix(src.key, "/"):
		return "folder placeholder"
	}
	return ""
}

// thumbnailKey is <prefix><size>/<rel>: the upload's own relative key, so
// that a client finds a thumbnail from the upload's key alone, two uploads
// (a.png, a.jpeg) never share one, and a format change replaces it in place.
// Its format is in its Content-Type.
func (h *Handler) thumbnailKey(rel string, size int) string {
	return h.Config.Prefix + strconv.Itoa(size) + "/" + rel
}

func (h *Handler) skipKey(rel string) string {
	return h.Config.Prefix + skippedDir + rel + ".json"
}

// removed deletes the thumbnails and the skip record of a deleted upload,
// so that a deleted picture stops being served. S3 does not order events,
// so an upload that exists again (a newer version, whose own event makes its
// thumbnails) keeps them; so does the current version when an older one is
// deleted, and one re-created while they were being deleted gets them back.
// Deleting what is already gone succeeds, so a replay is harmless.
func (h *Handler) removed(ctx context.Context, log *slog.Logger, src source) error {
	head, err := h.headUpload(ctx, src)
	if err != nil {
		return err
	}
	if head != nil {
		log.Info("ignored", "reason", "the upload exists again; its thumbnails stay")
		return nil
	}
	keys := make([]string, 0, len(h.Config.Specs)+1)
	for _, spec := range h.Config.Specs {
		keys = append(keys, h.thumbnailKey(src.rel, spec.Size))
	}
	keys = append(keys, h.skipKey(src.rel))
	for _, key := range keys {
		if _, err := h.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(h.Config.Bucket), Key: aws.String(key)}); err != nil {
			return fmt.Errorf("deleting s3://%s/%s: %w", h.Config.Bucket, key, err)
		}
	}
	log.Info("thumbnails deleted with their upload", "count", len(h.Config.Specs))

	// An upload re-created after the first check may have had its new
	// thumbnails made and deleted just now, and its own event may be over:
	// look again, and make them if so.
	if head, err = h.headUpload(ctx, src); err != nil {
		return err
	}
	if head != nil {
		log.Info("the upload was re-created meanwhile; making its thumbnails again")
		return h.created(ctx, log, source{bucket: src.bucket, key: src.key, rel: src.rel})
	}
	return nil
}

// headUpload reads the upload's current metadata; nil means it is gone.
func (h *Handler) headUpload(ctx context.Context, src source) (*s3.HeadObjectOutput, error) {
	head, err := h.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(src.bucket), Key: aws.String(src.key)})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading s3://%s/%s: %w", src.bucket, src.key, err)
	}
	return head, nil
}

// alreadyDone reports, as a reason to log, whether this version of the upload
// was handled before: every thumbnail, or a skip record, carries its ETag.
func (h *Handler) alreadyDone(ctx context.Context, src source) (string, error) {
	all := true
	for _, spec := range h.Config.Specs {
		ok, err := h.isFrom(ctx, h.thumbnailKey(src.rel, spec.Size), src)
		if err != nil {
			return "", err
		}
		if !ok {
			all = false
			break
		}
	}
	if all {
		return "thumbnails of this version exist", nil
	}
	ok, err := h.isFrom(ctx, h.skipKey(src.rel), src)
	if err != nil || !ok {
		return "", err
	}
	return "this version was skipped before", nil
}

// isFrom reports whether key exists in the thumbnail bucket and was made from
// this version of src.
func (h *Handler) isFrom(ctx context.Context, key string, src source) (bool, error) {
	head, err := h.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(h.Config.Bucket), Key: aws.String(key)})
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("checking s3://%s/%s: %w", h.Config.Bucket, key, err)
	}
	return head.Metadata[metaSourceETag] == src.etag && head.Metadata[metaSourceKey] == escapeKey(src.key), nil
}

// download reads the upload, refusing a version other than the event's: a
// newer upload has its own event, and thumbnails must carry the ETag of the
// bytes they were made from. gone explains an upload that is no more.
func (h *Handler) download(ctx context.Context, src source) (data []byte, gone string, err error) {
	out, err := h.S3.GetObject(ctx, &s3.GetObjectInput{
		Bucket:  aws.String(src.bucket),
		Key:     aws.String(src.key),
		IfMatch: aws.String(`"` + src.etag + `"`),
	})
	switch {
	case isNotFound(err):
		return nil, "source no longer exists", nil
	case isAPIError(err, "PreconditionFailed"):
		return nil, "source was replaced since the event; its own event follows", nil
	case err != nil:
		return nil, "", fmt.Errorf("downloading s3://%s/%s: %w", src.bucket, src.key, err)
	}
	defer out.Body.Close()
	// One byte over the limit is enough to know it is over.
	limit := h.Config.Limits.MaxBytes
	if limit <= 0 {
		limit = 1 << 62
	}
	data, err = io.ReadAll(io.LimitReader(out.Body, limit+1))
	if err != nil {
		return nil, "", fmt.Errorf("downloading s3://%s/%s: %w", src.bucket, src.key, err)
	}
	return data, "", nil
}

func (h *Handler) put(ctx context.Context, key string, src source, contentType, cache string, body []byte) error {
	_, err := h.S3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(h.Config.Bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String(contentType),
		CacheControl:  aws.String(cache),
		Metadata:      map[string]string{metaSourceETag: src.etag, metaSourceKey: escapeKey(src.key)},
	})
	if err != nil {
		return fmt.Errorf("writing s3://%s/%s: %w", h.Config.Bucket, key, err)
	}
	return nil
}

// Skip reasons.
const (
	reasonTooLarge    = "too-large"
	reasonUnsupported = "unsupported"
	reasonCorrupt     = "corrupt"
)

// SkipRecord is the JSON object written to
// <THUMBNAIL_PREFIX>_skipped/<key relative to UPLOAD_PREFIX>.json when an
// upload cannot have thumbnails. It carries the source's ETag (also in its
// metadata, like a thumbnail), so the same version is not tried again, and a
// new upload under the same key is.
type SkipRecord struct {
	SourceBucket string `json:"sourceBucket"`
	SourceKey    string `json:"sourceKey"`
	SourceETag   string `json:"sourceETag"`
	SourceSize   int64  `json:"sourceSize"`
	// Reason is too-large, unsupported or corrupt.
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// skip records that src cannot have thumbnails. Retrying would not help, so
// the record is not retried unless the skip record cannot be written.
func (h *Handler) skip(ctx context.Context, log *slog.Logger, src source, reason, detail string) error {
	body, _ := json.Marshal(SkipRecord{ // cannot fail: strings and a number
		SourceBucket: src.bucket, SourceKey: src.key, SourceETag: src.etag, SourceSize: src.size,
		Reason: reason, Detail: detail,
	})
	if err := h.put(ctx, h.skipKey(src.rel), src, "application/json", "no-store", body); err != nil {
		return err
	}
	log.Warn("skipped", "reason", reason, "detail", detail)
	return nil
}

func unquote(etag string) string { return strings.Trim(etag, `"`) }

// escapeKey percent-encodes a key for metadata, keeping slashes readable.
func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// isNotFound recognises S3's answers for a missing object: NoSuchKey from
// GetObject, NotFound (a bare 404) from HeadObject.
func isNotFound(err error) bool {
	return isAPIError(err, "NoSuchKey") || isAPIError(err, "NotFound")
}

func isAPIError(err error, code string) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == code
}
