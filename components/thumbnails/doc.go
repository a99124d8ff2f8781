// Package thumbnails makes a thumbnail of every picture uploaded to S3:
// S3 events → Lambda (functions/thumbnail) → a thumbnails location that
// CloudFront can serve. A thumbnail's key is its upload's key under the
// thumbnail prefix and the size (uploads/2026/a.png gives
// thumbnails/128/2026/a.png); its format is in its Content-Type. Deleting or
// expiring an upload deletes its thumbnails, a newer upload always wins over a
// late event, uploads that cannot have thumbnails get a skip record under
// Args.SkipPrefix, and a deployment that drops a size sweeps it away. New
// refuses upload and thumbnail locations that overlap, one of three guards
// against a loop.
//
// Delivery chooses how events reach the function: DeliverDirect (S3 invokes
// it), DeliverSQS (through a queue, to smooth bursts) or DeliverSNS (a topic
// others can subscribe to); failures end in a dead-letter queue in each. The
// pipeline owns the uploads bucket's notification (S3 keeps one per bucket):
// add other routes with Args.ExtraLambdaFunctions, ExtraQueues, ExtraTopics.
//
// To serve thumbnails under /thumbnails/* of a StaticSite, set
// ServedByCloudFront and give the site an origin on ThumbnailsDomainName with
// ReadArn ThumbnailsObjectsArn (staticsite.BucketOrigin), or call
// AllowCloudFront with the distribution's ARN.
// [Thumbnails: loop-proof, loss-proof, never stale] explains each guarantee,
// the delivery modes, capacity and permissions.
//
// [Thumbnails: loop-proof, loss-proof, never stale]: https://github.com/gopherstack/serverless-arch/blob/main/docs/thumbnails.md
package thumbnails
