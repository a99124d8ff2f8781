// Package thumbnails makes a thumbnail of every picture uploaded to S3:
// S3 "object created" → Lambda (functions/thumbnail, resizing with
// github.com/disintegration/imaging) → a thumbnails location that
// CloudFront can serve. A thumbnail's key is its upload's key under the
// thumbnail prefix and the size (uploads/2026/a.png →
// thumbnails/128/2026/a.png); its format is in its Content-Type.
//
// S3 "object removed" and "lifecycle expiration" events reach the same
// function, which deletes the thumbnails of a deleted or expired upload, so
// that a deleted picture stops being served (once caches expire: thumbnails
// are cached a day). Set Args.KeepAfterUploadDeleted to keep them.
//
// The function checks the upload again after writing its thumbnails and
// follows it: a newer version or a deletion always wins over an invocation
// that read an older version, whatever the order the events arrive in (see
// functions/thumbnail).
//
// Uploads that cannot have thumbnails get a skip record (bucket, key, ETag,
// size, reason) under Args.SkipPrefix, beside the thumbnails, never among
// them: only the thumbnail prefix is served.
//
// Every deployment that changes Args.Sizes invokes the function once with a
// sweep request (a lambda.Invocation, <name>-sweep), which deletes the
// thumbnails of sizes no longer made; the deletion of an upload also
// deletes its thumbnails in every size it finds. A sweep cut short by the
// function's timeout answers "done":false in the Invocation's result:
// invoke the function again with the same input.
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
// # Capacity
//
// One invocation makes every size of one upload. Decoding and resizing a
// 13–24 megapixel photo takes 140–200 ms of one core (tests/bench/thumbnails);
// at the default 1024 MB, a little over half a vCPU, plus downloading a few
// megabytes and writing the thumbnails, count about half a second. With the
// default ReservedConcurrency of 5 the pipeline makes about ten photos'
// thumbnails a second; the rest wait, and nothing is lost while they do:
//
//   - Direct and SNS delivery: Lambda queues asynchronous events and retries
//     throttled ones (not counted against MaximumRetryAttempts) until
//     MaximumEventAgeSeconds; older events go to the dead-letter queue.
//     Worked figure: a burst of 1,000 photos is done in about 100 s; at the
//     default age of an hour, about 36,000 photos fit in one burst (10 a
//     second × 3,600 s) before events reach the dead-letter queue.
//   - SQS delivery: the queue keeps messages for days, and the mapping's
//     MaximumConcurrency matches the reserved concurrency, so waiting burns
//     none of a message's receives; a burst only takes longer.
//
// Raise ReservedConcurrency for bigger bursts, within the account's
// concurrency (the function counts against it): 50 makes a 1,000-photo
// burst take about 10 s.
//
// # Least privilege
//
// The function's role may read objects under the upload prefix, read,
// write and delete objects under the thumbnail and skip prefixes (deletions
// remove the thumbnails of deleted uploads, of pictures replaced by
// something that is not one, and of retired sizes, and stale skip records),
// send to the dead-letter queue, and (SQS mode) receive from and delete on
// its queue. It may also list the two buckets: without s3:ListBucket, S3
// answers a HEAD or GET of a missing key with 403 instead of 404, and the
// handler relies on 404 to tell "no thumbnail yet" and "upload already
// deleted" from a real error; it also lists the thumbnail prefix's folders
// to find retired sizes.
//
// # Serving thumbnails through CloudFront
//
// ThumbnailsDomainName and ThumbnailsBucketArn are what a StaticSite needs
// for an extra origin (staticsite.BucketOrigin) under /thumbnails/*; with
// ThumbnailPrefix "thumbnails/" the request path is the object key. Grant
// the distribution ThumbnailsObjectsArn, never the whole bucket, which holds
// the skip records too. The
// distribution can exist only after the bucket, so with ServedByCloudFront
// set, New leaves the thumbnails bucket's policy to the site: give the
// origin ThumbnailsObjectsArn as its ReadArn and the StaticSite attaches it,
// or call AllowCloudFront once with the distribution's ARN.
package thumbnails
