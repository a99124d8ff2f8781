// Command thumbnail is the ThumbnailPipeline's Lambda function: it makes the
// thumbnails of pictures uploaded to S3 and deletes them when their picture is
// deleted or expires. Handler.Handle accepts S3 "object created", "object
// removed" and "lifecycle expiration" notifications delivered directly,
// through an SQS queue or through an SNS topic, and the sweep request a
// deployment sends when sizes are retired.
//
// For each upload it ignores its own output (the in-code guard against S3 →
// Lambda → S3 loops), skips a version it handled before (every thumbnail
// carries its source's ETag), checks the size before downloading and the
// declared pixels before decoding, writes one thumbnail per size with
// functions/thumbnail/internal/thumbnail, then checks the upload again and
// follows it, so a newer version or a deletion wins whatever the order of
// events. An upload that can never have thumbnails gets a skip record
// (SkipRecord) instead of a retry; any other failure is returned for the
// platform to retry and, in the end, to dead-letter.
//
// LoadConfig reads and checks the environment (see Config); AWS endpoints
// and credentials come from the SDK's. Each step, and why, is in
// [Thumbnails: loop-proof, loss-proof, never stale].
//
// [Thumbnails: loop-proof, loss-proof, never stale]: https://github.com/gopherstack/serverless-arch/blob/main/docs/thumbnails.md
package main
