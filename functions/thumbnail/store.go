package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

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

// legacySkipDir is where, under the thumbnail prefix, earlier versions kept
// skip records, publicly; they go with their upload or with a sweep.
const legacySkipDir = "_skipped/"

// current reads which version of src's upload S3 holds now: its ETag and
// size, or an empty ETag when it is gone.
func (h *Handler) current(ctx context.Context, src source) (source, error) {
	head, err := h.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(src.bucket), Key: aws.String(src.key)})
	src.etag, src.size = "", 0
	if isNotFound(err) {
		return src, nil
	}
	if err != nil {
		return src, fmt.Errorf("reading s3://%s/%s: %w", src.bucket, src.key, err)
	}
	src.etag, src.size = unquote(aws.ToString(head.ETag)), aws.ToInt64(head.ContentLength)
	return src, nil
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

// download reads the upload, refusing a version other than src's: with
// If-Match, and by the ETag of what came back, for stores that ignore
// If-Match on GET. Thumbnails must carry the ETag of the bytes they were
// made from. gone explains an upload that is no more, or no more this
// version.
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
		return nil, "source was replaced since the event", nil
	case err != nil:
		return nil, "", fmt.Errorf("downloading s3://%s/%s: %w", src.bucket, src.key, err)
	}
	defer out.Body.Close()
	if got := unquote(aws.ToString(out.ETag)); got != "" && got != src.etag {
		return nil, "source was replaced since the event", nil
	}
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

// del deletes key from the thumbnail bucket; a missing key is no error.
func (h *Handler) del(ctx context.Context, key string) error {
	if _, err := h.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(h.Config.Bucket), Key: aws.String(key)}); err != nil {
		return fmt.Errorf("deleting s3://%s/%s: %w", h.Config.Bucket, key, err)
	}
	return nil
}

// retiredDirs lists the folders under the thumbnail prefix that the
// configuration no longer makes: sizes taken out of SIZES, and the skip
// records of earlier versions (legacySkipDir). Everything else there is
// left alone.
func (h *Handler) retiredDirs(ctx context.Context) ([]string, error) {
	var dirs []string
	p := s3.NewListObjectsV2Paginator(h.S3, &s3.ListObjectsV2Input{
		Bucket: aws.String(h.Config.Bucket), Prefix: aws.String(h.Config.Prefix), Delimiter: aws.String("/"),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing s3://%s/%s: %w", h.Config.Bucket, h.Config.Prefix, err)
		}
		for _, cp := range page.CommonPrefixes {
			dir := aws.ToString(cp.Prefix)
			name := strings.TrimSuffix(strings.TrimPrefix(dir, h.Config.Prefix), "/")
			size, err := strconv.Atoi(name)
			retiredSize := err == nil && strconv.Itoa(size) == name &&
				!slices.ContainsFunc(h.Config.Specs, func(s thumbnail.Spec) bool { return s.Size == size })
			if retiredSize || name+"/" == legacySkipDir {
				dirs = append(dirs, dir)
			}
		}
	}
	return dirs, nil
}

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
