// Command thumbnail makes thumbnails of pictures uploaded to S3, and deletes
// them when their picture is deleted. It is a Lambda function behind the
// ThumbnailPipeline component, which delivers S3 "object created" and
// "object removed" notifications directly, through an SQS queue, or through
// an SNS topic; one Handle method accepts all three (see Handler.Handle).
//
// # From upload to thumbnails
//
// For each object in an event the function:
//
//  1. URL-decodes the key (S3 sends "+" for spaces and %xx for the rest).
//  2. Ignores what is not its business: events other than ObjectCreated and
//     ObjectRemoved, keys outside UPLOAD_PREFIX, folder placeholders, and anything under
//     THUMBNAIL_PREFIX in THUMBNAIL_BUCKET, which is its own output. The
//     last check is the in-code guard against S3 → Lambda → S3 loops; the
//     component's notification filter and Lambda's recursion detection are
//     the other two.
//  3. Skips the work if this version of the upload was handled before: every
//     thumbnail (and every skip record) carries the source's ETag and key in
//     its metadata, so a HeadObject per size answers the question.
//  4. Compares the object's size (from the event, or HeadObject) with
//     MAX_SOURCE_BYTES before downloading anything, then downloads with
//     If-Match on the event's ETag, so thumbnails are never labelled with
//     the ETag of other bytes. A replaced or deleted upload is left to its
//     own event.
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
//
// # Deleted uploads
//
// An ObjectRemoved event (a deletion, or a delete marker in a versioned
// bucket) deletes the upload's thumbnails and skip record, so a deleted
// picture stops being served once caches expire. S3 does not order events:
// if the upload exists again when the event arrives (a newer version, whose
// own event makes its thumbnails, or the current version when an older one
// was deleted), nothing is deleted; if it is back once they are deleted,
// its thumbnails are made again.
//
// # Failures
//
// Uploads that can never have thumbnails (not an image, corrupt, or over a
// limit) are not retried. Each leaves a skip record, a small JSON object
// (SkipRecord) at <THUMBNAIL_PREFIX>_skipped/<relative key>.json with the
// reason, the detail and the source ETag, and a warning in the log. The
// record also makes a replay of the same event a no-op, while a new upload
// under the same key (a new ETag) is tried afresh.
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
//	THUMBNAIL_PREFIX  key prefix of thumbnails and skip records (required)
//	UPLOAD_PREFIX     key prefix of uploads; empty means the whole bucket
//	SIZES             comma-separated edge lengths in pixels, e.g. 1024,512,128
//	FORMAT            auto (PNG when the picture has transparency), jpeg or png; default auto
//	QUALITY           JPEG quality 1..100; default 80
//	MAX_SOURCE_BYTES  largest upload processed; default 52428800 (50 MiB)
//	MAX_PIXELS        largest declared width × height; default 50000000
//
// AWS endpoints and credentials come from the usual SDK environment.
package main
