// Package blocks holds the secure building blocks the components are made
// of, for programs that compose their own: each secure default lives here
// once, and a bucket, function or queue you create with them is one any
// component accepts.
//
//   - NewFunction creates a Go Lambda function built from source (package
//     fnbuild: reproducible, cached by content, from any module), with its own
//     role, a log group with retention, JSON logs, X-Ray tracing and the
//     statements you give it.
//   - NewBucket creates a private S3 bucket: all four public-access blocks,
//     BucketOwnerEnforced, SSE, versioning, aborting incomplete multipart
//     uploads, and (through Bucket.AttachPolicy) a TLS-only bucket policy.
//   - NewQueue and NewTable do the same for SQS queues and DynamoDB tables.
//   - Statement and PolicyJSON write IAM policy documents whose ARNs are
//     still outputs; AllowCloudFrontRead and AllowLogDelivery are the
//     resource-policy statements CloudFront and log delivery need.
//   - RegionalProvider makes a provider for another region that deploys with
//     the stack's own aws: identity (profile, assumed role, account guards,
//     default tags); NewAPIGatewayAccount sets the region's API Gateway
//     logging role once per program.
//   - For CloudFront: NewDistribution (TLS 1.2+, a custom domain with its
//     DNS-validated certificate from NewDNSCertificate), Behavior,
//     NewCachePolicy with CacheKey, NewSecurityHeadersPolicy (HSTS and the
//     rest, with an explicit HeaderPrecedence over the origin's headers),
//     CustomOrigin, the standard access logs (NewAccessLogGroup,
//     NewAccessLogSource, DeliverAccessLogs) and InUSEast1 for the
//     resources CloudFront reads only there.
//   - Stateful returns the options that protect user data in production.
//   - NewComponent and RegisterOutputs make a component the way this
//     module's are made: checks first, children under it, outputs named
//     once by their `pulumi` tags.
//
// The helpers create plain resources under whatever parent the options name;
// they are not components themselves, so the resource tree stays flat under
// the component that uses them.
package blocks
