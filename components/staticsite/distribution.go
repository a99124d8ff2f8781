package staticsite

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
)

// distribution creates the distribution and what it needs first: the
// origin access control, the security headers policy, the default
// behaviour's cache policy and router function, the extra behaviours and
// the custom domain's certificate; then the domain's alias records.
func (s *StaticSite) distribution(ctx *pulumi.Context, name string, args *Args, child, east []pulumi.ResourceOption) error {
	if err := s.originAccessControl(ctx, name, child); err != nil {
		return err
	}
	// The site's files carry no security headers of their own: the policy
	// decides them all.
	headers, err := blocks.NewSecurityHeadersPolicy(ctx, name+"-headers", blocks.SecurityHeadersArgs{
		Comment:               "Security headers of " + name,
		Precedence:            blocks.PolicyWins,
		ContentSecurityPolicy: args.ContentSecurityPolicy,
	}, child...)
	if err != nil {
		return err
	}
	defaultBehavior, err := s.defaultBehavior(ctx, name, args, headers.ID(), child)
	if err != nil {
		return err
	}
	r := newRoutes(ctx, name, s, headers.ID(), child)
	if err := r.add(args); err != nil {
		return err
	}
	domain, zoneID, err := s.customDomain(ctx, name, args, child, east)
	if err != nil {
		return err
	}
	s.Distribution, err = blocks.NewDistribution(ctx, name+"-distribution", domain, &cloudfront.DistributionArgs{
		Comment:               pulumi.String(name),
		DefaultRootObject:     pulumi.String(args.IndexDocument),
		PriceClass:            args.PriceClass,
		WebAclId:              args.WebACLArn,
		Origins:               r.origins,
		DefaultCacheBehavior:  defaultBehavior.Default(),
		OrderedCacheBehaviors: r.ordered,
		CustomErrorResponses:  errorResponses(args),
	}, child...)
	if err != nil {
		return fmt.Errorf("site %s: %w", name, err)
	}
	return s.aliases(ctx, name, args, zoneID, child)
}

// originAccessControl creates the origin access control that signs the
// requests to the site's bucket and to bucket origins.
func (s *StaticSite) originAccessControl(ctx *pulumi.Context, name string, child []pulumi.ResourceOption) error {
	oac, err := cloudfront.NewOriginAccessControl(ctx, name+"-oac", &cloudfront.OriginAccessControlArgs{
		Name:                          pulumi.String(blocks.PhysicalName(ctx, name+"-oac", 64)),
		Description:                   pulumi.String("Signs requests of " + name + " to its S3 origins"),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, child...)
	if err != nil {
		return fmt.Errorf("creating origin access control of site %s: %w", name, err)
	}
	s.OriginAccessControl = oac
	return nil
}

// defaultBehavior serves the site's files that are not fingerprinted: at
// most HTMLMaxAgeSeconds from the edge, through the router function.
func (s *StaticSite) defaultBehavior(ctx *pulumi.Context, name string, args *Args, headers pulumi.StringInput, child []pulumi.ResourceOption) (blocks.Behavior, error) {
	htmlCache, err := blocks.NewCachePolicy(ctx, name+"-html",
		pulumi.Sprintf("Files of %s that are not fingerprinted: at most %d s at the edge", name, args.HTMLMaxAgeSeconds),
		args.HTMLMaxAgeSeconds, args.HTMLMaxAgeSeconds, blocks.CacheKey("none"), child...)
	if err != nil {
		return blocks.Behavior{}, fmt.Errorf("site %s: %w", name, err)
	}
	router, err := newFunction(ctx, name+"-router", "Index documents and SPA fallback of "+name,
		routerCode(args.IndexDocument, args.SPAFallback), child)
	if err != nil {
		return blocks.Behavior{}, fmt.Errorf("creating router function of site %s: %w", name, err)
	}
	return blocks.Behavior{
		OriginID:                siteOriginID,
		CachePolicyID:           htmlCache.ID(),
		ResponseHeadersPolicyID: headers,
		ViewerRequest:           router.Arn,
	}, nil
}

// newFunction creates the published CloudFront Function name running code.
func newFunction(ctx *pulumi.Context, name, comment, code string, child []pulumi.ResourceOption) (*cloudfront.Function, error) {
	return cloudfront.NewFunction(ctx, name, &cloudfront.FunctionArgs{
		Name:    pulumi.String(blocks.PhysicalName(ctx, name, 64)),
		Runtime: pulumi.String("cloudfront-js-2.0"),
		Comment: pulumi.String(comment),
		Code:    pulumi.String(code),
		Publish: pulumi.Bool(true),
	}, child...)
}

// errorResponses maps S3's 404 to the error document, if there is one.
func errorResponses(args *Args) cloudfront.DistributionCustomErrorResponseArray {
	if args.ErrorDocument == "" {
		return nil
	}
	return cloudfront.DistributionCustomErrorResponseArray{&cloudfront.DistributionCustomErrorResponseArgs{
		ErrorCode:          pulumi.Int(404),
		ResponseCode:       pulumi.Int(404),
		ResponsePagePath:   pulumi.String("/" + args.ErrorDocument),
		ErrorCachingMinTtl: pulumi.Int(args.HTMLMaxAgeSeconds),
	}}
}

// customDomain requests the custom domain's certificate in us-east-1 and
// validates it in Route 53; it returns the domain with the certificate's
// ARN (once validated) and the zone's ID, or nothing without a domain.
func (s *StaticSite) customDomain(ctx *pulumi.Context, name string, args *Args, child, east []pulumi.ResourceOption) (blocks.CustomDomain, string, error) {
	if args.DomainName == "" {
		return blocks.CustomDomain{}, "", nil
	}
	zone, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{Name: &args.HostedZone, PrivateZone: pulumi.BoolRef(false)}, pulumi.Parent(s))
	if err != nil {
		return blocks.CustomDomain{}, "", fmt.Errorf("looking up hosted zone %s of site %s: %w", args.HostedZone, name, err)
	}
	arn, err := blocks.NewDNSCertificate(ctx, name, blocks.CertificateArgs{
		Domain: args.DomainName, ZoneID: pulumi.String(zone.ZoneId), KeyAlgorithm: "EC_prime256v1",
	}, east, child)
	if err != nil {
		return blocks.CustomDomain{}, "", fmt.Errorf("site %s: %w", name, err)
	}
	return blocks.CustomDomain{Name: args.DomainName, CertificateArn: arn}, zone.ZoneId, nil
}

// aliases points the custom domain at the distribution (A and AAAA
// records in the zone zoneID).
func (s *StaticSite) aliases(ctx *pulumi.Context, name string, args *Args, zoneID string, child []pulumi.ResourceOption) error {
	dist := s.Distribution
	if args.DomainName == "" {
		policy.Suppress(ctx, dist, "no custom domain is configured: the site is served on its *.cloudfront.net name, which only CloudFront's default certificate covers; set a domain to get TLSv1.2_2021 with SNI", "CF-TLS-CERTIFICATE")
		return nil
	}
	for _, typ := range []string{"A", "AAAA"} {
		_, err := route53.NewRecord(ctx, name+"-alias-"+strings.ToLower(typ), &route53.RecordArgs{
			ZoneId: pulumi.String(zoneID),
			Name:   pulumi.String(args.DomainName),
			Type:   pulumi.String(typ),
			Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
				Name:                 dist.DomainName,
				ZoneId:               dist.HostedZoneId,
				EvaluateTargetHealth: pulumi.Bool(false),
			}},
		}, child...)
		if err != nil {
			return fmt.Errorf("creating %s alias of site %s: %w", typ, name, err)
		}
	}
	return nil
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// routerCode is the viewer-request function of the default behaviour.
func routerCode(index string, spa bool) string {
	return fmt.Sprintf(`// Generated by staticsite: index documents%s.
var INDEX = %s;
var SPA = %t;

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + INDEX;
  } else if (SPA && uri.lastIndexOf('.') < uri.lastIndexOf('/')) {
    // No file extension: a client-side route.
    request.uri = '/' + INDEX;
  }
  return request;
}
`, map[bool]string{true: " and SPA fallback", false: ""}[spa], jsString(index), spa)
}

// stripCode is the viewer-request function that removes prefix.
func stripCode(prefix string) string {
	return fmt.Sprintf(`// Generated by staticsite: removes a path prefix before the origin request.
var PREFIX = %s;

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === PREFIX || uri.startsWith(PREFIX + '/')) {
    request.uri = uri.substring(PREFIX.length) || '/';
  }
  return request;
}
`, jsString(prefix))
}
