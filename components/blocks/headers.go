package blocks

import (
	"cmp"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// HeaderPrecedence says which value a viewer gets when the origin's
// response already carries one of a policy's security headers.
type HeaderPrecedence string

const (
	// PolicyWins replaces the origin's value (CloudFront's Override true):
	// for content whose headers nobody sets on purpose, such as the files
	// of a bucket, so the policy is the one place they are decided.
	PolicyWins HeaderPrecedence = "policy"
	// OriginWins adds a header only to responses without it (Override
	// false): for an application that sets some itself (a page that may be
	// framed, its own Content-Security-Policy), which keeps the last word
	// while the policy fills the gaps.
	OriginWins HeaderPrecedence = "origin"
)

// DefaultHSTSMaxAgeSeconds is Strict-Transport-Security's default max-age:
// two years, what the HSTS preload list recommends.
const DefaultHSTSMaxAgeSeconds = 2 * 365 * 86400

// SecurityHeadersArgs configures NewSecurityHeadersPolicy.
type SecurityHeadersArgs struct {
	// Comment describes the policy (up to 128 characters).
	Comment string
	// Precedence is required: PolicyWins or OriginWins, for every header of
	// the policy.
	Precedence HeaderPrecedence
	// HSTSMaxAgeSeconds is Strict-Transport-Security's max-age, subdomains
	// included (default DefaultHSTSMaxAgeSeconds).
	HSTSMaxAgeSeconds int
	// ContentSecurityPolicy, if set, is sent as Content-Security-Policy,
	// together with "X-XSS-Protection: 0": that turns off browsers' legacy
	// XSS auditor, which could itself be abused, the CSP being the
	// protection. nil sends neither.
	ContentSecurityPolicy pulumi.StringInput
}

// NewSecurityHeadersPolicy creates a response headers policy named name
// that sends Strict-Transport-Security, "X-Content-Type-Options: nosniff",
// "X-Frame-Options: DENY", "Referrer-Policy: strict-origin-when-cross-origin"
// and, with args.ContentSecurityPolicy, that policy and
// "X-XSS-Protection: 0"; args.Precedence decides between them and the
// origin's own.
func NewSecurityHeadersPolicy(ctx *pulumi.Context, name string, args SecurityHeadersArgs, opts ...pulumi.ResourceOption) (*cloudfront.ResponseHeadersPolicy, error) {
	if args.Precedence != PolicyWins && args.Precedence != OriginWins {
		return nil, fmt.Errorf("response headers policy %s: Precedence %q: want %q or %q", name, args.Precedence, PolicyWins, OriginWins)
	}
	override := pulumi.Bool(args.Precedence == PolicyWins)
	headers := &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
		StrictTransportSecurity: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs{
			AccessControlMaxAgeSec: pulumi.Int(cmp.Or(args.HSTSMaxAgeSeconds, DefaultHSTSMaxAgeSeconds)),
			IncludeSubdomains:      pulumi.Bool(true),
			Override:               override,
		},
		ContentTypeOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs{Override: override},
		FrameOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs{
			FrameOption: pulumi.String("DENY"),
			Override:    override,
		},
		ReferrerPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs{
			ReferrerPolicy: pulumi.String("strict-origin-when-cross-origin"),
			Override:       override,
		},
	}
	if args.ContentSecurityPolicy != nil {
		headers.ContentSecurityPolicy = &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs{
			ContentSecurityPolicy: args.ContentSecurityPolicy,
			Override:              override,
		}
		headers.XssProtection = &cloudfront.ResponseHeadersPolicySecurityHeadersConfigXssProtectionArgs{
			Protection: pulumi.Bool(false),
			Override:   override,
		}
	}
	policy, err := cloudfront.NewResponseHeadersPolicy(ctx, name, &cloudfront.ResponseHeadersPolicyArgs{
		Name:                  pulumi.String(PhysicalName(ctx, name, 128)),
		Comment:               pulumi.String(args.Comment),
		SecurityHeadersConfig: headers,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating response headers policy %s: %w", name, err)
	}
	return policy, nil
}
