// Package thumbnails makes a thumbnail of every picture uploaded to S3:
// S3 "object created" → Lambda (functions/thumbnail, resizing with
// github.com/disintegration/imaging) → a thumbnails location that
// CloudFront can serve. A thumbnail's key is its upload's key under the
// thumbnail prefix and the size (uploads/2026/a.png →
// thumbnails/128/2026/a.png); its format is in its Content-Type.
//
// S3 "object removed" events reach the same function, which deletes the
// thumbnails of a deleted upload, so that a deleted picture stops being
// served (once caches expire: thumbnails are cached a day). Set
// Args.KeepAfterUploadDeleted to keep them.
//
// # Never a loop
//
// A function that writes into the bucket that triggers it can call itself
// forever. Three independent guards prevent it:
//
//  1. The uploads and thumbnails locations are disjoint: New refuses a
//     configuration where they are the same bucket and one prefix is a
//     prefix of the other (an empty prefix contains every other one), and
//     names both locations in the error.
//  2. The bucket notification fires only under the upload prefix, and only
//     for image suffixes, so the function's own writes never match it.
//  3. Lambda's recursive loop detection is set to Terminate
//     (aws:lambda/functionRecursionConfig), and the handler ignores keys
//     under its own output prefix.
//
// # One notification per bucket
//
// S3 keeps a single notification configuration per bucket: a second
// BucketNotification resource on the same bucket silently replaces the
// first. The pipeline owns the uploads bucket's notification, so any other
// route on that bucket goes in through Args.ExtraLambdaFunctions,
// ExtraQueues and ExtraTopics (with their permissions in ExtraDependsOn),
// and is merged into the same resource.
//
// The filter has one rule per suffix, in lower and upper case (.jpg and
// .JPG, ...): S3 suffix filters are case-sensitive and take one suffix per
// rule, so a mixed-case name such as photo.Jpg is not delivered. Add such
// spellings to Args.Suffixes if your uploads keep them.
//
// # Delivery
//
//   - DeliverDirect (default): S3 invokes the function asynchronously; a
//     lambda.Permission lets s3.amazonaws.com invoke it only for this bucket
//     (SourceArn) in this account (SourceAccount).
//   - DeliverSQS: S3 sends to a queue (SSE-SQS, TLS-only, a policy letting
//     only this bucket send) with a dead-letter queue after five receives;
//     an event-source mapping reports partial batch failures. Use it to
//     smooth bursts: its MaximumConcurrency matches the reserved concurrency,
//     so throttling never burns a message's receives.
//   - DeliverSNS: S3 publishes to a topic (encrypted with a customer managed
//     KMS key that S3 may use, TLS-only, only this bucket may publish) that
//     the function subscribes to; other subscribers can fan out from the
//     same topic (TopicArn). Deliveries SNS cannot make go to the
//     dead-letter queue.
//
// For the asynchronous modes (direct and SNS) a FunctionEventInvokeConfig
// bounds the retries and the event age and sends events that still fail to
// the dead-letter queue. In SQS mode the queue's redrive policy does that.
// Every queue is encrypted and refuses requests without TLS. The function
// has reserved concurrency, so a bulk upload cannot starve the account.
//
// # Least privilege
//
// The function's role may read objects under the upload prefix, read,
// write and (unless thumbnails are kept) delete objects under the thumbnail
// prefix, send to the dead-letter queue,
// and (SQS mode) receive from and delete on its queue. It may also list the
// two buckets: without s3:ListBucket, S3 answers a HEAD or GET of a missing
// key with 403 instead of 404, and the handler relies on 404 to tell "no
// thumbnail yet" and "upload already deleted" from a real error.
//
// # Serving thumbnails through CloudFront
//
// ThumbnailsDomainName and ThumbnailsBucketArn are what a StaticSite needs
// for an extra origin (staticsite.BucketOrigin) under /thumbnails/*; with
// ThumbnailPrefix "thumbnails/" the request path is the object key. The
// distribution can exist only after the bucket, so with ServedByCloudFront
// set, New leaves the thumbnails bucket's policy to the site: give the
// origin ThumbnailsObjectsArn as its ReadArn and the StaticSite attaches it,
// or call AllowCloudFront once with the distribution's ARN.
package thumbnails
