// Package blocks holds the secure building blocks every component shares, so
// that each secure default lives in exactly one place:
//
//   - PolicyJSON renders IAM policy documents whose ARNs are still outputs.
//   - NewBucket creates a private S3 bucket: all four public-access blocks,
//     BucketOwnerEnforced, SSE, versioning, aborting incomplete multipart
//     uploads, and (through Bucket.AttachPolicy) a TLS-only bucket policy.
//   - NewFunction creates a Go Lambda function built from source by
//     components/fnbuild, with its own role, a log group with retention, JSON
//     logs, X-Ray tracing and least-privilege statements.
//   - Stateful returns the options that protect user data in production.
//
// The helpers create plain resources under whatever parent the options name;
// they are not components themselves, so the resource tree stays flat under
// the component that uses them.
package blocks
