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

var (
	readMethods = pulumi.StringArray{pulumi.String("GET"), pulumi.String("HEAD")}
	allMethods  = pulumi.StringArray{
		pulumi.String("DELETE"), pulumi.String("GET"), pulumi.String("HEAD"), pulumi.String("OPTIONS"),
		pulumi.String("PATCH"), pulumi.String("POST"), pulumi.String("PUT"),
	}
)

// managed looks up CloudFront's managed policies once each, by name.
type managed struct {
	ctx    *pulumi.Context
	parent pulumi.Resource
	cache  map[string]string
}

func (m *managed) cachePolicy(name string) (string, error) {
	if id, ok := m.cache[name]; ok {
		return id, nil
	}
	p, err := cloudfront.LookupCachePolicy(m.ctx, &cloudfront.LookupCachePolicyArgs{Name: &name}, pulumi.Parent(m.parent))
	if err != nil {
		return "", fmt.Errorf("looking up cache policy %s: %w", name, err)
	}
	m.cache[name] = *p.Id
	return *p.Id, nil
}

func (m *managed) originRequestPolicy(name string) (string, error) {
	if id, ok := m.cache[name]; ok {
		return id, nil
	}
	p, err := cloudfront.LookupOriginRequestPolicy(m.ctx, &cloudfront.LookupOriginRequestPolicyArgs{Name: &name}, pulumi.Parent(m.parent))
	if err != nil {
		return "", fmt.Errorf("looking up origin request policy %s: %w", name, err)
	}
	m.cache[name] = *p.Id
	return *p.Id, nil
}

// distribution creates the origin access control, the policies, functions
// and certificate the distribution needs, and the distribution.
func (s *StaticSite) distribution(ctx *pulumi.Context, name string, args *Args, child, east []pulumi.ResourceOption) (*cloudfront.Distribution, error) {
	lookups := &managed{ctx: ctx, parent: s, cache: map[string]string{}}

	oac, err := cloudfront.NewOriginAccessControl(ctx, name+"-oac", &cloudfront.OriginAccessControlArgs{
		Name:                          pulumi.String(blocks.PhysicalName(ctx, name+"-oac", 64)),
		Description:                   pulumi.String("Signs requests of " + name + " to its S3 origins"),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating origin access control of site %s: %w", name, err)
	}
	s.OriginAccessControl = oac

	headers, err := cloudfront.NewResponseHeadersPolicy(ctx, name+"-headers", &cloudfront.ResponseHeadersPolicyArgs{
		Name:    pulumi.String(blocks.PhysicalName(ctx, name+"-headers", 128)),
		Comment: pulumi.String("Security headers of " + name),
		SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
			StrictTransportSecurity: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs{
				AccessControlMaxAgeSec: pulumi.Int(63072000),
				IncludeSubdomains:      pulumi.Bool(true),
				Override:               pulumi.Bool(true),
			},
			ContentTypeOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs{Override: pulumi.Bool(true)},
			FrameOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs{
				FrameOption: pulumi.String("DENY"),
				Override:    pulumi.Bool(true),
			},
			ReferrerPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs{
				ReferrerPolicy: pulumi.String("strict-origin-when-cross-origin"),
				Override:       pulumi.Bool(true),
			},
			ContentSecurityPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs{
				ContentSecurityPolicy: args.ContentSecurityPolicy,
				Override:              pulumi.Bool(true),
			},
			// "X-XSS-Protection: 0" turns off the legacy XSS auditor, which
			// could itself be abused; the CSP is the protection.
			XssProtection: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigXssProtectionArgs{
				Protection: pulumi.Bool(false),
				Override:   pulumi.Bool(true),
			},
		},
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating response headers policy of site %s: %w", name, err)
	}

	htmlCache, err := cloudfront.NewCachePolicy(ctx, name+"-html-cache", &cloudfront.CachePolicyArgs{
		Name:                                     pulumi.String(blocks.PhysicalName(ctx, name+"-html", 128)),
		Comment:                                  pulumi.Sprintf("Files of %s that are not fingerprinted: at most %d s at the edge", name, args.HTMLMaxAgeSeconds),
		MinTtl:                                   pulumi.Int(0),
		DefaultTtl:                               pulumi.Int(args.HTMLMaxAgeSeconds),
		MaxTtl:                                   pulumi.Int(args.HTMLMaxAgeSeconds),
		ParametersInCacheKeyAndForwardedToOrigin: cacheKey("none"),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating HTML cache policy of site %s: %w", name, err)
	}

	router, err := cloudfront.NewFunction(ctx, name+"-router", &cloudfront.FunctionArgs{
		Name:    pulumi.String(blocks.PhysicalName(ctx, name+"-router", 64)),
		Runtime: pulumi.String("cloudfront-js-2.0"),
		Comment: pulumi.String("Index documents and SPA fallback of " + name),
		Code:    pulumi.String(routerCode(args.IndexDocument, args.SPAFallback)),
		Publish: pulumi.Bool(true),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating router function of site %s: %w", name, err)
	}

	optimized, err := lookups.cachePolicy("Managed-CachingOptimized")
	if err != nil {
		return nil, err
	}

	origins := cloudfront.DistributionOriginArray{&cloudfront.DistributionOriginArgs{
		OriginId:              pulumi.String(siteOriginID),
		DomainName:            s.Bucket.Bucket.BucketRegionalDomainName,
		OriginAccessControlId: oac.ID(),
	}}
	var ordered cloudfront.DistributionOrderedCacheBehaviorArray
	seenOrigins := map[string]bool{siteOriginID: true}
	strippers := map[string]*cloudfront.Function{}
	var originCache *cloudfront.CachePolicy
	for _, b := range args.Behaviors {
		if !seenOrigins[b.Origin.ID] {
			seenOrigins[b.Origin.ID] = true
			origins = append(origins, origin(b.Origin, oac))
		}
		cachePolicy := b.CachePolicyID
		if cachePolicy == nil {
			switch b.Caching {
			case CachingOptimized:
				cachePolicy = pulumi.String(optimized)
			case CachingDisabled:
				id, err := lookups.cachePolicy("Managed-CachingDisabled")
				if err != nil {
					return nil, err
				}
				cachePolicy = pulumi.String(id)
			case CachingOrigin:
				if originCache == nil {
					originCache, err = cloudfront.NewCachePolicy(ctx, name+"-origin-cache", &cloudfront.CachePolicyArgs{
						Name:                                     pulumi.String(blocks.PhysicalName(ctx, name+"-origin", 128)),
						Comment:                                  pulumi.String("Caches what the origin marks cacheable, by path and query string"),
						MinTtl:                                   pulumi.Int(0),
						DefaultTtl:                               pulumi.Int(0),
						MaxTtl:                                   pulumi.Int(args.OriginMaxAgeSeconds),
						ParametersInCacheKeyAndForwardedToOrigin: cacheKey("all"),
					}, child...)
					if err != nil {
						return nil, fmt.Errorf("creating origin cache policy of site %s: %w", name, err)
					}
				}
				cachePolicy = originCache.ID()
			}
		}
		requestPolicy := b.OriginRequestPolicyID
		if requestPolicy == nil && !b.Origin.Bucket {
			id, err := lookups.originRequestPolicy("Managed-AllViewerExceptHostHeader")
			if err != nil {
				return nil, err
			}
			requestPolicy = pulumi.String(id)
		}
		var fns cloudfront.DistributionOrderedCacheBehaviorFunctionAssociationArray
		if b.StripPrefix != "" {
			fn := strippers[b.StripPrefix]
			if fn == nil {
				slug := strings.ReplaceAll(strings.Trim(b.StripPrefix, "/"), "/", "-")
				fn, err = cloudfront.NewFunction(ctx, name+"-strip-"+slug, &cloudfront.FunctionArgs{
					Name:    pulumi.String(blocks.PhysicalName(ctx, name+"-strip-"+slug, 64)),
					Runtime: pulumi.String("cloudfront-js-2.0"),
					Comment: pulumi.String("Removes " + b.StripPrefix + " before requests reach their origin"),
					Code:    pulumi.String(stripCode(b.StripPrefix)),
					Publish: pulumi.Bool(true),
				}, child...)
				if err != nil {
					return nil, fmt.Errorf("creating %s prefix function of site %s: %w", b.StripPrefix, name, err)
				}
				strippers[b.StripPrefix] = fn
			}
			fns = append(fns, &cloudfront.DistributionOrderedCacheBehaviorFunctionAssociationArgs{
				EventType:   pulumi.String("viewer-request"),
				FunctionArn: fn.Arn,
			})
		}
		methods := allMethods
		if b.Origin.Bucket {
			methods = readMethods
		}
		ordered = append(ordered, &cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:             pulumi.String(b.PathPattern),
			TargetOriginId:          pulumi.String(b.Origin.ID),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          methods,
			CachedMethods:           readMethods,
			Compress:                pulumi.Bool(true),
			CachePolicyId:           cachePolicy,
			OriginRequestPolicyId:   requestPolicy,
			ResponseHeadersPolicyId: headers.ID(),
			FunctionAssociations:    fns,
		})
	}
	for _, p := range args.ImmutablePaths {
		ordered = append(ordered, &cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:             pulumi.String(p),
			TargetOriginId:          pulumi.String(siteOriginID),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          readMethods,
			CachedMethods:           readMethods,
			Compress:                pulumi.Bool(true),
			CachePolicyId:           pulumi.String(optimized),
			ResponseHeadersPolicyId: headers.ID(),
		})
	}

	var errorResponses cloudfront.DistributionCustomErrorResponseArray
	if args.ErrorDocument != "" {
		errorResponses = append(errorResponses, &cloudfront.DistributionCustomErrorResponseArgs{
			ErrorCode:          pulumi.Int(404),
			ResponseCode:       pulumi.Int(404),
			ResponsePagePath:   pulumi.String("/" + args.ErrorDocument),
			ErrorCachingMinTtl: pulumi.Int(args.HTMLMaxAgeSeconds),
		})
	}

	viewerCert := &cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)}
	var aliases pulumi.StringArray
	var zoneID string
	if args.DomainName != "" {
		var certArn pulumi.StringOutput
		certArn, zoneID, err = s.certificate(ctx, name, args, child, east)
		if err != nil {
			return nil, err
		}
		aliases = pulumi.StringArray{pulumi.String(args.DomainName)}
		viewerCert = &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      certArn,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		}
	}

	dist, err := cloudfront.NewDistribution(ctx, name+"-distribution", &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Comment:           pulumi.String(name),
		Aliases:           aliases,
		DefaultRootObject: pulumi.String(args.IndexDocument),
		HttpVersion:       pulumi.String("http2and3"),
		IsIpv6Enabled:     pulumi.Bool(true),
		PriceClass:        args.PriceClass,
		WebAclId:          args.WebACLArn,
		Origins:           origins,
		DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:          pulumi.String(siteOriginID),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          readMethods,
			CachedMethods:           readMethods,
			Compress:                pulumi.Bool(true),
			CachePolicyId:           htmlCache.ID(),
			ResponseHeadersPolicyId: headers.ID(),
			FunctionAssociations: cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArray{
				&cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArgs{
					EventType:   pulumi.String("viewer-request"),
					FunctionArn: router.Arn,
				},
			},
		},
		OrderedCacheBehaviors: ordered,
		CustomErrorResponses:  errorResponses,
		Restrictions: &cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: viewerCert,
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating distribution of site %s: %w", name, err)
	}
	if args.DomainName == "" {
		policy.Suppress(ctx, dist, "no custom domain is configured: the site is served on its *.cloudfront.net name, which only CloudFront's default certificate covers; set a domain to get TLSv1.2_2021 with SNI", "CF-TLS-CERTIFICATE")
		return dist, nil
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
			return nil, fmt.Errorf("creating %s alias of site %s: %w", typ, name, err)
		}
	}
	return dist, nil
}

// origin is the distribution origin for o; bucket origins sign with oac.
func origin(o Origin, oac *cloudfront.OriginAccessControl) *cloudfront.DistributionOriginArgs {
	out := &cloudfront.DistributionOriginArgs{OriginId: pulumi.String(o.ID), DomainName: o.DomainName}
	if o.Path != nil {
		out.OriginPath = o.Path
	}
	if o.Bucket {
		out.OriginAccessControlId = oac.ID()
		return out
	}
	out.CustomOriginConfig = &cloudfront.DistributionOriginCustomOriginConfigArgs{
		HttpPort:             pulumi.Int(80),
		HttpsPort:            pulumi.Int(443),
		OriginProtocolPolicy: pulumi.String("https-only"),
		OriginSslProtocols:   pulumi.StringArray{pulumi.String("TLSv1.2")},
	}
	return out
}

// cacheKey keys the cache by path (and the query string when queryStrings
// is "all"), never by cookies or headers, and lets CloudFront serve gzip
// and Brotli.
func cacheKey(queryStrings string) *cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs {
	return &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs{
		CookiesConfig:              &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginCookiesConfigArgs{CookieBehavior: pulumi.String("none")},
		HeadersConfig:              &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigArgs{HeaderBehavior: pulumi.String("none")},
		QueryStringsConfig:         &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigArgs{QueryStringBehavior: pulumi.String(queryStrings)},
		EnableAcceptEncodingGzip:   pulumi.Bool(true),
		EnableAcceptEncodingBrotli: pulumi.Bool(true),
	}
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

// certificate requests the custom domain's certificate in us-east-1,
// validates it in Route 53 and returns its ARN (once validated) and the
// zone's ID.
func (s *StaticSite) certificate(ctx *pulumi.Context, name string, args *Args, child, east []pulumi.ResourceOption) (pulumi.StringOutput, string, error) {
	zone, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{Name: &args.HostedZone, PrivateZone: pulumi.BoolRef(false)}, pulumi.Parent(s))
	if err != nil {
		return pulumi.StringOutput{}, "", fmt.Errorf("looking up hosted zone %s of site %s: %w", args.HostedZone, name, err)
	}
	arn, err := blocks.NewDNSCertificate(ctx, name, blocks.CertificateArgs{
		Domain: args.DomainName, ZoneID: pulumi.String(zone.ZoneId), KeyAlgorithm: "EC_prime256v1",
	}, east, child)
	if err != nil {
		return pulumi.StringOutput{}, "", fmt.Errorf("site %s: %w", name, err)
	}
	return arn, zone.ZoneId, nil
}
