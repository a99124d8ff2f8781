// Package updateoffload puts CloudFront in front of an application on EC2
// behind an Application Load Balancer, caches its software update files at
// the edge, and locks the load balancer so that only CloudFront reaches it.
// A release's download storm then hits the edge, not the fleet, and no
// application code changes.
//
// Args.Origin chooses the origin. OriginExisting names an ALB that already
// serves the application: a DNS name its HTTPS listener has a certificate
// for (no certificate covers *.elb.amazonaws.com), its ARN, security group,
// HTTPS listener and target group. OriginDemo builds a self-contained origin
// for a dev stack (an ALB and an Auto Scaling group serving update files),
// reached over HTTPS given DemoDomainName and DemoHostedZone, else over HTTP.
//
// Each update path pattern is cached long, keyed on the path alone (plus
// Args.VersionQueryParam); everything else passes through uncached. Two locks
// keep everyone else off the ALB: its security group admits only CloudFront's
// origin-facing prefix list (CloudFrontPrefixList), and the listener forwards
// only requests carrying Args.OriginSecret in Args.SecretHeaderName, which
// CloudFront adds. The secret is wrapped with pulumi.ToSecret whatever the
// caller passed, and no output carries it. [Software-update offload] explains
// the locks, the demo origin, and when the CDN pays off, with a worked example.
//
// [Software-update offload]: https://github.com/gopherstack/serverless-arch/blob/main/docs/update-offload.md
package updateoffload
