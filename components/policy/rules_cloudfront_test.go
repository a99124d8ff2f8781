package policy

import (
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// secureCDN is a distribution in front of an S3 bucket (through an origin
// access control) and an API (a custom origin), which every CloudFront rule
// accepts. edit, if given, changes the distribution's freshly built inputs.
func secureCDN(edit func(in obj)) []recording.Resource {
	in := obj{
		"enabled":           true,
		"defaultRootObject": "index.html",
		"origins": arr{
			obj{"originId": "site", "domainName": "site-a1b2.s3.us-east-1.amazonaws.com", "originAccessControlId": "cdn-oac"},
			obj{"originId": "api", "domainName": "abc123.execute-api.us-east-1.amazonaws.com", "originPath": "/prod",
				"customOriginConfig": obj{"httpPort": 80.0, "httpsPort": 443.0, "originProtocolPolicy": "https-only", "originSslProtocols": arr{"TLSv1.2"}}},
		},
		"defaultCacheBehavior": obj{"targetOriginId": "site", "viewerProtocolPolicy": "redirect-to-https", "responseHeadersPolicyId": "cdn-headers"},
		"orderedCacheBehaviors": arr{obj{"pathPattern": "/api/*", "targetOriginId": "api", "viewerProtocolPolicy": "https-only",
			// AWS managed SecurityHeadersPolicy, referenced by its ID.
			"responseHeadersPolicyId": "67f7725c-6f97-4210-82d7-5512b31e9d03"}},
		"viewerCertificate": obj{"acmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
			"sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021"},
		"loggingConfig": obj{"bucket": "logs-c3d4.s3.amazonaws.com", "prefix": "cdn/"},
	}
	if edit != nil {
		edit(in)
	}
	return []recording.Resource{
		res(typeDistribution, "cdn", in),
		res(typeOriginAccessControl, "cdn-oac", obj{"name": "cdn-oac", "originAccessControlOriginType": "s3",
			"signingBehavior": "always", "signingProtocol": "sigv4"}),
		res(typeResponseHeadersPolicy, "cdn-headers", obj{"name": "cdn-headers",
			"securityHeadersConfig": obj{"strictTransportSecurity": obj{"accessControlMaxAgeSec": 63072000.0, "override": true}}}),
	}
}

func origin(in obj, i int) obj { return in["origins"].(arr)[i].(obj) }

func cloudFrontCases() []ruleCase {
	v2Logging := plus(secureCDN(func(in obj) { delete(in, "loggingConfig") }),
		res(typeLogDeliverySrc, "cdn-access", obj{"name": "cdn-access", "logType": "ACCESS_LOGS",
			"resourceArn": "arn:aws:cloudfront::123456789012:distribution/cdn"}),
		res(typeLogDelivery, "cdn-access-delivery", obj{"deliverySourceName": "cdn-access",
			"deliveryDestinationArn": "arn:aws:logs:us-east-1:123456789012:delivery-destination:cdn-logs"}),
	)
	// Under mocks a distribution's ID is generated, so the source's ARN
	// names an ID the recording does not hold; the source sits in the same
	// component as the distribution.
	component := urnPrefix + "serverless-arch:cdn:CDN::site"
	v2ByParent := func(extra ...recording.Resource) []recording.Resource {
		stack := plus(v2Logging, extra...)
		for i := range stack {
			stack[i].Parent = component
		}
		stack = with(stack, "cdn-access", func(in obj) { in["resourceArn"] = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL" })
		return stack
	}
	other := res(typeDistribution, "other-cdn", obj{})
	elsewhere := v2ByParent(other)
	for i := range elsewhere {
		if elsewhere[i].Name == "cdn-access" {
			elsewhere[i].Parent = urnPrefix + "serverless-arch:cdn:CDN::other"
		}
	}
	apiOnly := secureCDN(func(in obj) {
		delete(in, "defaultRootObject")
		in["origins"] = arr{origin(in, 1)}
	})
	return []ruleCase{
		{name: "S3 origin with OAC", rule: "CF-ORIGIN-ACCESS-CONTROL", stack: secureCDN(nil)},
		{name: "legacy OAI", rule: "CF-ORIGIN-ACCESS-CONTROL", stack: secureCDN(func(in obj) {
			o := origin(in, 0)
			delete(o, "originAccessControlId")
			o["s3OriginConfig"] = obj{"originAccessIdentity": "origin-access-identity/cloudfront/E2QWRUHEXAMPLE"}
		}), want: "legacy origin access identity"},
		{name: "website endpoint", rule: "CF-ORIGIN-ACCESS-CONTROL", stack: secureCDN(func(in obj) {
			origin(in, 0)["domainName"] = "site-a1b2.s3-website-us-east-1.amazonaws.com"
		}), want: "S3 website endpoint"},
		{name: "S3 origin without OAC", rule: "CF-ORIGIN-ACCESS-CONTROL", stack: secureCDN(func(in obj) {
			delete(origin(in, 0), "originAccessControlId")
		}), want: `S3 origin "site" has no origin access control`},
		{name: "OAC that never signs", rule: "CF-ORIGIN-ACCESS-CONTROL", stack: with(secureCDN(nil), "cdn-oac", func(in obj) {
			in["signingBehavior"] = "never"
		}), want: `signingBehavior "never"`},

		{name: "HTTPS everywhere", rule: "CF-VIEWER-HTTPS", stack: secureCDN(nil)},
		{name: "ordered behaviour allows HTTP", rule: "CF-VIEWER-HTTPS", stack: secureCDN(func(in obj) {
			in["orderedCacheBehaviors"].(arr)[0].(obj)["viewerProtocolPolicy"] = "allow-all"
		}), want: `behaviour "/api/*" has viewerProtocolPolicy "allow-all"`},

		{name: "custom certificate TLSv1.2_2021", rule: "CF-TLS-CERTIFICATE", stack: secureCDN(nil)},
		{name: "newer security policy", rule: "CF-TLS-CERTIFICATE", stack: secureCDN(func(in obj) {
			in["viewerCertificate"].(obj)["minimumProtocolVersion"] = "TLSv1.3_2025"
		})},
		{name: "default certificate", rule: "CF-TLS-CERTIFICATE", stack: secureCDN(func(in obj) {
			in["viewerCertificate"] = obj{"cloudfrontDefaultCertificate": true}
		}), want: "default *.cloudfront.net certificate"},
		{name: "old security policy", rule: "CF-TLS-CERTIFICATE", stack: secureCDN(func(in obj) {
			in["viewerCertificate"].(obj)["minimumProtocolVersion"] = "TLSv1.2_2019"
		}), want: `minimumProtocolVersion is "TLSv1.2_2019"`},
		{name: "dedicated IP", rule: "CF-TLS-CERTIFICATE", stack: secureCDN(func(in obj) {
			in["viewerCertificate"].(obj)["sslSupportMethod"] = "vip"
		}), want: `sslSupportMethod is "vip"`},

		{name: "standard logging v1", rule: "CF-LOGGING", stack: secureCDN(nil)},
		{name: "standard logging v2", rule: "CF-LOGGING", stack: v2Logging},
		{name: "v2 source in the same component", rule: "CF-LOGGING", stack: v2ByParent(other)},
		{name: "v2 source of the only distribution", rule: "CF-LOGGING", stack: with(v2Logging, "cdn-access", func(in obj) {
			in["resourceArn"] = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
		})},
		{name: "v2 source in another component", rule: "CF-LOGGING", stack: elsewhere, want: "access logging is off"},
		{name: "no logging", rule: "CF-LOGGING", stack: secureCDN(func(in obj) { delete(in, "loggingConfig") }), want: "access logging is off"},
		{name: "v2 source without delivery", rule: "CF-LOGGING", stack: without(v2Logging, "cdn-access-delivery"), want: `"cdn-access" has no LogDelivery`},

		{name: "headers on every behaviour", rule: "CF-RESPONSE-HEADERS", stack: secureCDN(nil)},
		{name: "behaviour without headers", rule: "CF-RESPONSE-HEADERS", stack: secureCDN(func(in obj) {
			delete(in["orderedCacheBehaviors"].(arr)[0].(obj), "responseHeadersPolicyId")
		}), want: `behaviour "/api/*" has no response headers policy`},
		{name: "policy without security headers", rule: "CF-RESPONSE-HEADERS", stack: with(secureCDN(nil), "cdn-headers", func(in obj) {
			delete(in, "securityHeadersConfig")
			in["corsConfig"] = obj{"originOverride": true}
		}), want: "sets no security headers"},

		{name: "root object set", rule: "CF-DEFAULT-ROOT-OBJECT", stack: secureCDN(nil)},
		{name: "API-only distribution", rule: "CF-DEFAULT-ROOT-OBJECT", stack: apiOnly},
		{name: "S3 origin without root object", rule: "CF-DEFAULT-ROOT-OBJECT", stack: secureCDN(func(in obj) {
			delete(in, "defaultRootObject")
		}), want: "without a defaultRootObject"},

		{name: "custom origin over TLS 1.2", rule: "CF-ORIGIN-HTTPS", stack: secureCDN(nil)},
		{name: "custom origin over HTTP", rule: "CF-ORIGIN-HTTPS", stack: secureCDN(func(in obj) {
			origin(in, 1)["customOriginConfig"].(obj)["originProtocolPolicy"] = "http-only"
		}), want: `originProtocolPolicy "http-only"`},
		{name: "custom origin allows TLSv1", rule: "CF-ORIGIN-HTTPS", stack: secureCDN(func(in obj) {
			origin(in, 1)["customOriginConfig"].(obj)["originSslProtocols"] = arr{"TLSv1", "TLSv1.2"}
		}), want: "allows [TLSv1]"},
	}
}

func TestCloudFrontRules(t *testing.T) { runRuleCases(t, cloudFrontCases()) }

func TestModernTLSPolicy(t *testing.T) {
	for p, want := range map[string]bool{
		"TLSv1.2_2021": true, "TLSv1.2_2025": true, "TLSv1.3_2025": true,
		"TLSv1.2_2019": false, "TLSv1.2_2018": false, "TLSv1.1_2016": false, "TLSv1": false, "SSLv3": false, "": false,
	} {
		if got := modernTLSPolicy(p); got != want {
			t.Errorf("modernTLSPolicy(%q) = %v, want %v", p, got, want)
		}
	}
}
