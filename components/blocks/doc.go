// Package blocks holds the secure building blocks the components are made
// of, for programs that compose their own: each secure default lives here
// once, and a bucket, function or queue you create with them is one any
// component accepts.
//
//   - NewFunction: a Go Lambda function built from source (package fnbuild),
//     with its own role, logs with retention, X-Ray and your statements.
//   - NewBucket, NewQueue, NewTable: private, encrypted, TLS-only storage.
//   - Statement and PolicyJSON: IAM documents whose ARNs are still outputs;
//     AllowCloudFrontRead and AllowLogDelivery: the resource-policy
//     statements CloudFront and log delivery need.
//   - CloudFront: NewDistribution (TLS 1.2+, NewDNSCertificate for a custom
//     domain), Behavior, NewCachePolicy, NewSecurityHeadersPolicy with an
//     explicit HeaderPrecedence, CustomOrigin, the access-log helpers and
//     InUSEast1.
//   - RegionalProvider: a provider for another region with the stack's own
//     aws: identity; NewAPIGatewayAccount: the region's API logging role.
//   - Stateful: the options that protect user data in production.
//   - NewComponent and RegisterOutputs: a component made the way this
//     module's are (checks first, children under it, outputs named once by
//     their `pulumi` tags).
//
// The helpers create plain resources under whatever parent the options
// name; they are not components, so the tree stays flat.
package blocks
