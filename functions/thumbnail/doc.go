// Command thumbnail makes thumbnails of pictures uploaded to S3, and deletes
// them when their picture is deleted or expires. It is a Lambda function
// behind the ThumbnailPipeline component, which delivers S3 "object
// created", "object removed" and "lifecycle expiration" notifications
// directly, through an SQS queue, or through an SNS topic; one Handle method
// accepts all three (see Handler.Handle).
//
// # From upload to thumbnails
//
// For each object in an event the function:
//
//  1. URL-decodes the key (S3 sends "+" for spaces and %xx for the rest).
//  2. Ignores what is not its business: events other than ObjectCreated,
//     ObjectRemoved and LifecycleExpiration, keys outside UPLOAD_PREFIX,
//     folder placeholders, and anything under THUMBNAIL_PREFIX or
//     SKIP_PREFIX in THUMBNAIL_BUCKET, which is its own output. The last
//     check is the in-code guard against S3 → Lambda → S3 loops; the
//     component's notification filter and Lambda's recursion detection are
//     the other two.
//  3. Skips the work if this version of the upload was handled before: every
//     thumbnail (and every skip record) carries the source's ETag and key in
//     its metadata, so a HeadObject per size answers the question.
//  4. Compares the object's size (from the event, or HeadObject) with
//     MAX_SOURCE_BYTES before downloading anything, then downloads with
//     If-Match on the event's ETag (and checks the ETag of what came back),
//     so thumbnails are never labelled with the ETag of other bytes.
//  5. Hands the bytes to functions/thumbnail/internal/thumbnail, which checks the declared
//     width × height against MAX_PIXELS before decoding (a few bytes can
//     declare a gigapixel image), applies EXIF orientation and encodes one
//     thumbnail per size.
//  6. Writes each thumbnail to <THUMBNAIL_PREFIX><size>/<key relative to
//     UPLOAD_PREFIX>: the upload's own key, extension included, so a client
//     finds a thumbnail from the upload's key alone and two uploads (a.png,
//     a.jpeg) never share one. Its format (JPEG or PNG) is in its
//     Content-Type, along with Cache-Control
//     "public, max-age=86400" (a replaced upload's thumbnail shows within a
//     day, with no invalidation) and the metadata source-etag
//     and source-key (percent-encoded, as S3 metadata is ASCII).
//  7. Checks the upload again (HeadObject). If it was replaced or deleted
//     while the thumbnails were made, they are made again for what is there
//     now, or deleted; and so on until a check finds the version the last
//     writes were for (at most four rounds, then the event is retried).
//
// # Newer versions and deletions win
//
// S3 delivers events late, twice and in no particular order, and two
// invocations for one key can overlap. Without step 7, an invocation that
// read version A could write A's thumbnails after B's invocation wrote B's
// (an older upload overwriting newer thumbnails), or after a deletion's
// clean-up (thumbnails of a deleted picture, public for good). With it,
// whichever invocation writes last looks at the upload afterwards and
// follows it, so every interleaving ends with the thumbnails of the upload
// S3 holds, or none. TestInterleavings checks it against the S3 emulator for
// every order of two uploads and a deletion of one key, with the
// invocations' S3 calls interleaved.
//
// # Deleted and expired uploads, retired sizes
//
// An ObjectRemoved event (a deletion, or a delete marker in a versioned
// bucket) and a LifecycleExpiration event (a lifecycle rule deleted the
// upload or put a delete marker on it) delete the upload's thumbnails, in
// every configured size and in every size no longer configured, and its skip
// record, so a deleted picture stops being served once caches expire. S3
// does not order events: if the upload exists when the event arrives (a
// newer version, whose own event makes its thumbnails, or the current
// version when an older one was deleted or expired), nothing is deleted; if
// it is back once they are deleted, its thumbnails are made again.
//
// When SIZES loses a size, the component sends the function a sweep request
// ({"sweep":"retired-sizes","sizes":"<SIZES>"}) on that deployment: every
// object under THUMBNAIL_PREFIX in a numbered folder that is no longer a
// size goes, a thousand per request (and the skip records that earlier
// versions kept under <THUMBNAIL_PREFIX>_skipped/). Objects of other names
// under THUMBNAIL_PREFIX are left alone.
//
// # Failures
//
// Uploads that can never have thumbnails (not an image, corrupt, or over a
// limit) are not retried. Each loses the thumbnails of an earlier version
// and leaves a skip record, a small JSON object (SkipRecord) at
// <SKIP_PREFIX><relative key>.json with the reason, the detail and the
// source ETag, and a warning in the log. SKIP_PREFIX is outside
// THUMBNAIL_PREFIX, which the site serves: bucket names, keys, sizes and
// failure reasons are nobody's business. The record also makes a replay of
// the same event a no-op, while a new upload under the same key (a new ETag)
// is tried afresh.
//
// Anything else, such as an S3 error, is retried by the platform: direct and
// SNS deliveries get an error back (Lambda's asynchronous retries, then the
// on-failure destination), SQS deliveries list the message in
// batchItemFailures (the queue's redrive policy, then its dead-letter queue).
// An event the function cannot parse goes the same way, so that it ends up
// somewhere a person can look at it.
//
// # Configuration
//
//	THUMBNAIL_BUCKET  bucket the thumbnails are written to (required)
//	THUMBNAIL_PREFIX  key prefix of thumbnails, served publicly (required)
//	SKIP_PREFIX       key prefix of skip records, outside THUMBNAIL_PREFIX (required)
//	KEEP_AFTER_UPLOAD_DELETED  true keeps the thumbnails of deleted uploads
//	UPLOAD_PREFIX     key prefix of uploads; empty means the whole bucket
//	SIZES             comma-separated edge lengths in pixels, e.g. 1024,512,128
//	FORMAT            auto (PNG when the picture has transparency), jpeg or png; default auto
//	QUALITY           JPEG quality 1..100; default 80
//	MAX_SOURCE_BYTES  largest upload processed; default 52428800 (50 MiB)
//	MAX_PIXELS        largest declared width × height; default 50000000
//
// AWS endpoints and credentials come from the usual SDK environment.
package main
