package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// cacheControl lets browsers and CloudFront keep a thumbnail a day, then
// revalidate it by ETag: a thumbnail's key is its upload's, and a new upload
// under that key replaces it, so it is not immutable. A replaced picture
// shows everywhere within a day, with no invalidation.
const cacheControl = "public, max-age=86400"

// maxRounds bounds how often one invocation follows an upload that keeps
// changing while its thumbnails are written; then the invocation fails and
// the platform retries it.
const maxRounds = 4

// source is one version of an upload: the one an event names, or the one
// S3 holds now. An empty etag means the upload does not exist.
type source struct {
	bucket, key string
	rel         string // key relative to the upload prefix
	etag        string // without quotes
	size        int64
}

func (s source) String() string {
	if s.etag == "" {
		return "deleted"
	}
	return s.etag
}

// processRecord makes the thumbnails of one uploaded object, or deletes
// those of a deleted one. It returns an error only when the record must be
// retried; everything that retrying cannot fix is logged, and recorded when
// it concerns a real upload.
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
	if isRemoval(r.EventName) {
		return h.removed(ctx, log, src)
	}
	return h.created(ctx, log, src)
}

// isRemoval reports the events of an upload that went away: a deletion or
// a delete marker (ObjectRemoved:*), or the expiry of a lifecycle rule
// (LifecycleExpiration:*).
func isRemoval(eventName string) bool {
	return strings.HasPrefix(eventName, "ObjectRemoved:") || strings.HasPrefix(eventName, "LifecycleExpiration:")
}

// ignore returns why an event is none of this function's business, or "".
func (h *Handler) ignore(eventName string, src source) string {
	switch {
	case !strings.HasPrefix(eventName, "ObjectCreated:") && !isRemoval(eventName):
		return "neither an ObjectCreated, ObjectRemoved nor LifecycleExpiration event: " + eventName
	case src.bucket == h.Config.Bucket && strings.HasPrefix(src.key, h.Config.Prefix):
		// Our own output. The infrastructure filters and Lambda's recursion
		// detection should stop it first; this check does not depend on them.
		return "inside the thumbnail prefix"
	case src.bucket == h.Config.Bucket && strings.HasPrefix(src.key, h.Config.SkipPrefix):
		return "inside the skip-record prefix"
	case !strings.HasPrefix(src.key, h.Config.UploadPrefix):
		return "outside the upload prefix"
	case src.key == h.Config.UploadPrefix || strings.HasSuffix(src.key, "/"):
		return "folder placeholder"
	}
	return ""
}

// created makes the thumbnails of src, a created upload, unless this
// version has them already or was skipped before.
func (h *Handler) created(ctx context.Context, log *slog.Logger, src source) error {
	if src.etag == "" || src.size <= 0 {
		// Hand-made or replayed events may lack them; S3's own always carry both.
		cur, err := h.current(ctx, src)
		if err != nil {
			return err
		}
		if cur.etag == "" {
			log.Info("ignored", "reason", "source no longer exists")
			return nil
		}
		src = cur
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
	return h.reconcile(ctx, log, src)
}

// removed deletes the thumbnails and the skip record of a deleted upload,
// so that a deleted picture stops being served. S3 does not order events:
// an upload that exists again (a newer version, whose own event makes its
// thumbnails) keeps them; so does the current version when an older one is
// deleted or expires. Deleting what is already gone succeeds, so a replay is
// harmless.
func (h *Handler) removed(ctx context.Context, log *slog.Logger, src source) error {
	cur, err := h.current(ctx, src)
	if err != nil {
		return err
	}
	if cur.etag != "" {
		log.Info("ignored", "reason", "the upload exists; its thumbnails stay")
		return nil
	}
	return h.reconcile(ctx, log, cur)
}

// reconcile makes the thumbnails match src (none for a deleted upload) and
// checks the upload again afterwards: if it changed meanwhile, a newer
// version or a deletion wins, and the thumbnails are made to match what is
// there now. S3 delivers events in no particular order, and the event of a
// newer version may have been handled before this one's writes landed, so
// only a check after the last write can tell.
//
// The rule that makes every interleaving end right: each invocation's last
// S3 write is followed by a check of the upload, and it stops only when that
// check finds the version it wrote for. Whichever write comes last, the
// invocation that made it looks again and follows the upload.
func (h *Handler) reconcile(ctx context.Context, log *slog.Logger, src source) error {
	for range maxRounds {
		if src.etag == "" && h.Config.KeepDeleted {
			log.Info("the upload is gone; its thumbnails are kept (KEEP_AFTER_UPLOAD_DELETED)")
			return nil
		}
		var err error
		if src.etag == "" {
			err = h.deleteAll(ctx, log, src)
		} else {
			err = h.make(ctx, log.With("etag", src.etag), src)
		}
		if err != nil {
			return err
		}
		cur, err := h.current(ctx, src)
		if err != nil {
			return err
		}
		if cur.etag == src.etag {
			return nil
		}
		log.Info("the upload changed while its thumbnails were written; following it", "was", src.String(), "now", cur.String())
		src = cur
	}
	return fmt.Errorf("s3://%s/%s changed %d times while its thumbnails were written; the retry catches up", src.bucket, src.key, maxRounds)
}

// make writes the thumbnails of src's version, or its skip record when it
// cannot have any. A version replaced or deleted before it was read is left
// alone: the check that follows finds what replaced it.
func (h *Handler) make(ctx context.Context, log *slog.Logger, src source) error {
	if limit := h.Config.Limits.MaxBytes; limit > 0 && src.size > limit {
		return h.skip(ctx, log, src, reasonTooLarge, fmt.Sprintf("source is %d bytes, limit %d", src.size, limit))
	}
	data, gone, err := h.download(ctx, src)
	if err != nil {
		return err
	}
	if gone != "" {
		log.Info("not made", "reason", gone)
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
	// An earlier version that could not have thumbnails left a skip
	// record; this one has them. (DELETE requests cost nothing.)
	if err := h.del(ctx, h.skipKey(src.rel)); err != nil {
		return err
	}
	log.Info("thumbnails written", "count", len(outs), "format", outs[0].Format.String())
	return nil
}

// deleteAll deletes everything the pipeline made of a deleted upload: its
// thumbnails in every configured size and in sizes no longer configured,
// and its skip record (also where older versions kept it).
func (h *Handler) deleteAll(ctx context.Context, log *slog.Logger, src source) error {
	keys := make([]string, 0, len(h.Config.Specs)+1)
	for _, spec := range h.Config.Specs {
		keys = append(keys, h.thumbnailKey(src.rel, spec.Size))
	}
	keys = append(keys, h.skipKey(src.rel))
	retired, err := h.retiredDirs(ctx)
	if err != nil {
		return err
	}
	for _, dir := range retired {
		if dir == h.Config.Prefix+legacySkipDir {
			keys = append(keys, dir+src.rel+".json")
		} else {
			keys = append(keys, dir+src.rel)
		}
	}
	for _, key := range keys {
		if err := h.del(ctx, key); err != nil {
			return err
		}
	}
	log.Info("thumbnails deleted with their upload", "count", len(h.Config.Specs), "retiredDirs", len(retired))
	return nil
}

// thumbnailKey is <prefix><size>/<rel>: the upload's own relative key, so
// that a client finds a thumbnail from the upload's key alone, two uploads
// (a.png, a.jpeg) never share one, and a format change replaces it in place.
// Its format is in its Content-Type.
func (h *Handler) thumbnailKey(rel string, size int) string {
	return h.Config.Prefix + strconv.Itoa(size) + "/" + rel
}

// skipKey is <skip prefix><rel>.json, outside the public thumbnail prefix.
func (h *Handler) skipKey(rel string) string {
	return h.Config.SkipPrefix + rel + ".json"
}

func unquote(etag string) string { return strings.Trim(etag, `"`) }
