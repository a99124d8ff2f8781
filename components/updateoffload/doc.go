// Package updateoffload puts CloudFront in front of an application on EC2
// behind an Application Load Balancer, caches its software update files at
// the edge, and locks the load balancer so that only CloudFront reaches it.
// A release's download storm then hits the edge, not the fleet, and no
// application code changes. docs/update-offload.md has the full story,
// including when it pays off, with the arithmetic of a worked example.
//
// # Origin
//
// Args.Origin chooses the origin:
//
//   - OriginExisting: an ALB that already serves the application, named by
//     its DNS name (one its HTTPS listener has a certificate for: CloudFront
//     validates the origin's certificate against it, and no certificate can
//     cover *.elb.amazonaws.com), ARN, security group, HTTPS listener and
//     target group.
//   - OriginDemo: a self-contained origin for a dev stack. An ALB in the
//     given subnets, a launch template with IMDSv2 required and an encrypted
//     volume, and an Auto Scaling group whose user data serves update files.
//     With DemoDomainName and DemoHostedZone it gets an ACM certificate and
//     is reached over HTTPS. Without them it is reached over HTTP, as an
//     ALB's own name cannot carry a certificate; that exception is declared
//     with a policy suppression, and production stacks use an existing ALB
//     with https-only.
//
// # CloudFront
//
// The origin is reached https-only with TLSv1.2, the configured read and
// keep-alive timeouts and optional Origin Shield. Each update path pattern
// gets a behaviour with a long-TTL cache policy whose key holds nothing but
// the path (plus Args.VersionQueryParam, if set), with compression. The
// default behaviour passes the application through uncached: managed
// CachingDisabled and AllViewerExceptHostHeader, looked up by name. Viewers
// get HTTP/2 and HTTP/3, redirect to HTTPS and the configured price class;
// access logs go through standard logging v2 to a log group in us-east-1.
//
// # Locking the ALB
//
// Two locks, because the prefix list alone admits every CloudFront
// distribution, anyone's:
//
//   - The ALB's security group admits only the managed prefix list
//     com.amazonaws.global.cloudfront.origin-facing, looked up with
//     ec2.LookupManagedPrefixList (its ID differs per region).
//   - CloudFront sends the secret Args.OriginSecret in the header
//     Args.SecretHeaderName, and the listener forwards only requests carrying
//     it; everything else gets 403 (the demo listener's default action, or a
//     catch-all rule right after the forward rule on an existing listener).
//
// The secret is wrapped with pulumi.ToSecret, whatever the caller passed, so
// it is encrypted in the state, shown as [secret] in previews and snapshots,
// and never part of an output.
package updateoffload
