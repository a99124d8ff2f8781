package main

import (
	"context"
	"encoding/json"
	"log/slog"
)

// Skip reasons.
const (
	reasonTooLarge    = "too-large"
	reasonUnsupported = "unsupported"
	reasonCorrupt     = "corrupt"
)

// SkipRecord is the JSON object written to <SKIP_PREFIX><key relative to
// UPLOAD_PREFIX>.json when an upload cannot have thumbnails. It lives
// outside the thumbnail prefix, which the site serves: bucket names, keys
// and failure reasons are nobody else's business. It carries the source's
// ETag (also in its metadata, like a thumbnail), so the same version is not
// tried again, and a new upload under the same key is.
type SkipRecord struct {
	SourceBucket string `json:"sourceBucket"`
	SourceKey    string `json:"sourceKey"`
	SourceETag   string `json:"sourceETag"`
	SourceSize   int64  `json:"sourceSize"`
	// Reason is too-large, unsupported or corrupt.
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// skip records that src cannot have thumbnails, after deleting those of an
// earlier version: a picture replaced by something that is not one must
// not go on showing the old picture. Retrying would not help, so the record
// is not retried unless S3 fails.
func (h *Handler) skip(ctx context.Context, log *slog.Logger, src source, reason, detail string) error {
	for _, spec := range h.Config.Specs {
		if err := h.del(ctx, h.thumbnailKey(src.rel, spec.Size)); err != nil {
			return err
		}
	}
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
