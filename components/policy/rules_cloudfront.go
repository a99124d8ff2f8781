package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const typeOriginAccessControl = "aws:cloudfront/originAccessControl:OriginAccessControl"

var distributionTypes = []string{typeDistribution}

var cloudFrontRules = []Rule{
	{
		ID:          "CF-ORIGIN-ACCESS-CONTROL",
		Mirrors:     []string{"AwsSolutions-CFR7", "CKV2_AWS_46"},
		Description: "S3 origins are reached through the bucket's REST endpoint with an origin access control (OAC) that always signs; not through a legacy origin access identity (OAI) or a static-website endpoint, which needs a public bucket.",
		Types:       distributionTypes,
		Check:       checkDistributionOAC,
	},
	{
		ID:          "CF-VIEWER-HTTPS",
		Mirrors:     []string{"CKV_AWS_34"},
		Description: "Every cache behaviour sets viewerProtocolPolicy redirect-to-https or https-only.",
		Types:       distributionTypes,
		Check:       checkDistributionViewerHTTPS,
	},
	{
		ID:          "CF-TLS-CERTIFICATE",
		Mirrors:     []string{"AwsSolutions-CFR4", "CKV_AWS_174", "CKV2_AWS_42"},
		Description: "The distribution serves a custom (ACM or IAM) certificate with SNI and minimumProtocolVersion TLSv1.2_2021 or newer; the default *.cloudfront.net certificate allows TLSv1.",
		Types:       distributionTypes,
		Check:       checkDistributionTLS,
	},
	{
		ID:          "CF-LOGGING",
		Mirrors:     []string{"AwsSolutions-CFR3", "CKV_AWS_86"},
		Description: "The distribution logs viewer requests: standard logging v1 (loggingConfig.bucket) or v2 (a CloudWatch LogDeliverySource of type ACCESS_LOGS for it, with a LogDelivery).",
		Types:       distributionTypes,
		Check:       checkDistributionLogging,
	},
	{
		ID:          "CF-RESPONSE-HEADERS",
		Mirrors:     []string{"CKV2_AWS_32"},
		Description: "Every cache behaviour attaches a response headers policy; one defined in the stack sets security headers (securityHeadersConfig).",
		Types:       distributionTypes,
		Check:       checkDistributionResponseHeaders,
	},
	{
		ID:          "CF-DEFAULT-ROOT-OBJECT",
		Mirrors:     []string{"CKV_AWS_305"},
		Description: "A distribution with an S3 origin sets defaultRootObject, so a request for / does not list or error on the bucket root.",
		Types:       distributionTypes,
		Check:       checkDistributionDefaultRoot,
	},
	{
		ID:          "CF-ORIGIN-HTTPS",
		Mirrors:     []string{"AwsSolutions-CFR5", "CKV2_AWS_72"},
		Description: "Custom origins are reached with originProtocolPolicy https-only and without SSLv3, TLSv1 or TLSv1.1 in originSslProtocols.",
		Types:       distributionTypes,
		Check:       checkDistributionOriginHTTPS,
	},
}

type originKind int

const (
	customOrigin originKind = iota
	s3Origin
	s3WebsiteOrigin
)

func kindOfOrigin(s *Stack, origin any) originKind {
	domain := str(origin, "domainName")
	if _, website, ok := s3Domain(domain); ok {
		if website {
			return s3WebsiteOrigin
		}
		return s3Origin
	}
	if at(origin, "s3OriginConfig") != nil || len(s.Referenced(domain, bucketTypes...)) > 0 {
		return s3Origin
	}
	return customOrigin
}

func originLabel(origin any) string {
	if id := str(origin, "originId"); id != "" {
		return strconv.Quote(id)
	}
	return strconv.Quote(str(origin, "domainName"))
}

func checkDistributionOAC(s *Stack, d recording.Resource) []string {
	var problems []string
	for _, o := range list(d.Inputs, "origins") {
		label := originLabel(o)
		if str(o, "s3OriginConfig.originAccessIdentity") != "" {
			problems = append(problems, fmt.Sprintf("origin %s uses a legacy origin access identity; use an origin access control", label))
			continue
		}
		switch kindOfOrigin(s, o) {
		case s3WebsiteOrigin:
			problems = append(problems, fmt.Sprintf("origin %s is an S3 website endpoint, which needs a public bucket; use the bucket's REST endpoint with an origin access control", label))
		case s3Origin:
			oac := str(o, "originAccessControlId")
			if oac == "" {
				problems = append(problems, fmt.Sprintf("S3 origin %s has no origin access control", label))
				continue
			}
			for _, c := range s.Referenced(oac, typeOriginAccessControl) {
				if got := str(c.Inputs, "signingBehavior"); got != "always" {
					problems = append(problems, fmt.Sprintf("origin access control %q of origin %s has signingBehavior %q, not always", c.Name, label, got))
				}
			}
		}
	}
	return problems
}

// behaviours returns the default cache behaviour and the ordered ones, each
// with a label for messages.
func behaviours(d recording.Resource) (labels []string, items []any) {
	if b := at(d.Inputs, "defaultCacheBehavior"); b != nil {
		labels, items = append(labels, "the default behaviour"), append(items, b)
	}
	for _, b := range list(d.Inputs, "orderedCacheBehaviors") {
		labels, items = append(labels, fmt.Sprintf("behaviour %q", str(b, "pathPattern"))), append(items, b)
	}
	return labels, items
}

func checkDistributionViewerHTTPS(_ *Stack, d recording.Resource) []string {
	var problems []string
	labels, items := behaviours(d)
	for i, b := range items {
		if p := str(b, "viewerProtocolPolicy"); p != "redirect-to-https" && p != "https-only" {
			problems = append(problems, fmt.Sprintf("%s has viewerProtocolPolicy %q; use redirect-to-https or https-only", labels[i], p))
		}
	}
	return problems
}

var cloudFrontPolicyVersion = regexp.MustCompile(`^TLSv1\.([0-9])_([0-9]{4})$`)

// modernTLSPolicy reports whether a CloudFront security policy name is
// TLSv1.2_2021 or newer.
func modernTLSPolicy(p string) bool {
	m := cloudFrontPolicyVersion.FindStringSubmatch(p)
	if m == nil {
		return false
	}
	minor, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[2])
	return minor > 2 || minor == 2 && year >= 2021
}

func checkDistributionTLS(_ *Stack, d recording.Resource) []string {
	vc := at(d.Inputs, "viewerCertificate")
	custom := str(vc, "acmCertificateArn") != "" || str(vc, "iamCertificateId") != ""
	if isTrue(vc, "cloudfrontDefaultCertificate") || !custom {
		return []string{"uses the default *.cloudfront.net certificate, which allows TLSv1; serve a custom certificate with minimumProtocolVersion TLSv1.2_2021"}
	}
	var problems []string
	if v := str(vc, "minimumProtocolVersion"); !modernTLSPolicy(v) {
		problems = append(problems, fmt.Sprintf("minimumProtocolVersion is %q; use TLSv1.2_2021 or newer", v))
	}
	if m := str(vc, "sslSupportMethod"); m != "" && m != "sni-only" {
		problems = append(problems, fmt.Sprintf("sslSupportMethod is %q; use sni-only (dedicated-IP viewers may negotiate TLSv1)", m))
	}
	return problems
}

func checkDistributionLogging(s *Stack, d recording.Resource) []string {
	if str(d.Inputs, "loggingConfig.bucket") != "" {
		return nil
	}
	var sources []recording.Resource
	for _, src := range s.OfType(typeLogDeliverySrc) {
		if str(src.Inputs, "logType") == "ACCESS_LOGS" && logsDistribution(s, src, d) {
			sources = append(sources, src)
		}
	}
	if len(sources) == 0 {
		return []string{"access logging is off; set loggingConfig or add a CloudWatch LogDeliverySource (ACCESS_LOGS) with a LogDelivery"}
	}
	for _, src := range sources {
		if len(s.Referencing(src, typeLogDelivery, "deliverySourceName")) > 0 {
			return nil
		}
	}
	return []string{fmt.Sprintf("log delivery source %q has no LogDelivery sending it anywhere", sources[0].Name)}
}

// logsDistribution reports whether log delivery source src is for
// distribution d. Its resourceArn holds the distribution's ARN, which embeds
// the ID CloudFront generates; a recording has no IDs, so when the ARN names
// no distribution of the stack, a distribution ARN is taken to be d's if src
// was created next to d (same parent component) or d is the only
// distribution.
func logsDistribution(s *Stack, src, d recording.Resource) bool {
	arn := str(src.Inputs, "resourceArn")
	if s.RefersTo(arn, d) {
		return true
	}
	if !strings.HasPrefix(arn, "arn:aws:cloudfront::") || !strings.Contains(arn, ":distribution/") ||
		len(s.Referenced(arn, typeDistribution)) > 0 {
		return false
	}
	return (d.Parent != "" && src.Parent == d.Parent) || len(s.OfType(typeDistribution)) == 1
}

func checkDistributionResponseHeaders(s *Stack, d recording.Resource) []string {
	var problems []string
	labels, items := behaviours(d)
	for i, b := range items {
		id := str(b, "responseHeadersPolicyId")
		if id == "" {
			problems = append(problems, fmt.Sprintf("%s has no response headers policy; attach one with security headers", labels[i]))
			continue
		}
		for _, p := range s.Referenced(id, typeResponseHeadersPolicy) {
			if m, _ := at(p.Inputs, "securityHeadersConfig").(map[string]any); len(m) == 0 {
				problems = append(problems, fmt.Sprintf("%s uses response headers policy %q, which sets no security headers", labels[i], p.Name))
			}
		}
	}
	return problems
}

func checkDistributionDefaultRoot(s *Stack, d recording.Resource) []string {
	if str(d.Inputs, "defaultRootObject") != "" {
		return nil
	}
	for _, o := range list(d.Inputs, "origins") {
		if kindOfOrigin(s, o) == s3Origin {
			return []string{fmt.Sprintf("S3 origin %s is served without a defaultRootObject", originLabel(o))}
		}
	}
	return nil
}

func checkDistributionOriginHTTPS(_ *Stack, d recording.Resource) []string {
	var problems []string
	for _, o := range list(d.Inputs, "origins") {
		c := at(o, "customOriginConfig")
		if c == nil {
			continue
		}
		label := originLabel(o)
		if p := str(c, "originProtocolPolicy"); p != "https-only" {
			problems = append(problems, fmt.Sprintf("origin %s has originProtocolPolicy %q; use https-only", label, p))
		}
		var weak []string
		for _, p := range strs(c, "originSslProtocols") {
			if slices.Contains([]string{"SSLv3", "TLSv1", "TLSv1.1"}, p) {
				weak = append(weak, p)
			}
		}
		if len(weak) > 0 {
			problems = append(problems, fmt.Sprintf("origin %s allows %v in originSslProtocols; allow only TLSv1.2", label, weak))
		}
	}
	return problems
}
