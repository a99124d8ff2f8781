package config

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Origins of the updates architecture.
const (
	// UpdatesOriginExisting is an existing ALB, named by the updatesAlb* keys.
	UpdatesOriginExisting = "existing"
	// UpdatesOriginDemo is a demo ALB + Auto Scaling group the stack
	// creates (updatesDemoOrigin: true).
	UpdatesOriginDemo = "demo"
)

// UpdatesSecretKey is the key of the secret the CDN sends the ALB. Its value
// is never kept in UpdatesConfig: the program reads it as a secret output.
const UpdatesSecretKey = "updatesOriginSecret"

// UpdatesConfig configures the software-update offload (UpdateOffloadCDN).
type UpdatesConfig struct {
	// Origin is UpdatesOriginExisting or UpdatesOriginDemo.
	Origin string

	// AlbDNSName is the name CloudFront connects to over HTTPS: one the
	// ALB's HTTPS listener has a certificate for (a CNAME or alias of the
	// ALB), since no certificate can cover *.elb.amazonaws.com.
	AlbDNSName string
	// AlbArn, AlbSecurityGroupID, AlbListenerArn (its HTTPS listener) and
	// AlbTargetGroupArn (where the application is served) name the rest of
	// the existing ALB.
	AlbArn             string
	AlbSecurityGroupID string
	AlbListenerArn     string
	AlbTargetGroupArn  string
	// AlbRulePriority is the first of the two listener rule priorities the
	// lock-down takes (it and the next one).
	AlbRulePriority int
	// AlbSecurityGroupRuleQuota is the account's quota of inbound rules per
	// security group, against which the preview checks the existing group.
	AlbSecurityGroupRuleQuota int

	// DemoVpcID and DemoSubnetIDs (two or more, in different zones) place
	// the demo origin.
	DemoVpcID     string
	DemoSubnetIDs []string
	// DemoDomainName and DemoHostedZone give the demo ALB a name with an
	// ACM certificate, so CloudFront reaches it over HTTPS; without them the
	// demo origin is reached over HTTP.
	DemoDomainName string
	DemoHostedZone string

	// Paths are the cached path patterns, e.g. ["/updates/*"].
	Paths []string
	// VersionQueryParam, when set, is the one query string in the cache
	// key of update paths (e.g. "v").
	VersionQueryParam string
	// CacheDays is the default TTL of update files in days.
	CacheDays int
	// PriceClass is PriceClass_100, PriceClass_200 or PriceClass_All.
	PriceClass string
	// OriginReadTimeout and OriginKeepaliveTimeout are in seconds.
	OriginReadTimeout      int
	OriginKeepaliveTimeout int
	// OriginShield turns Origin Shield on in the origin's (home) region.
	OriginShield bool
	// SecretHeader is the header that carries the shared secret.
	SecretHeader string

	// DomainName and CertificateArn (ACM, us-east-1) serve the CDN on a
	// custom domain; "" serves it on its cloudfront.net name.
	DomainName     string
	CertificateArn string
}

var (
	albArn         = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer/app/([A-Za-z0-9-]+)/([0-9a-f]+)$`)
	listenerArn    = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:listener/app/([A-Za-z0-9-]+)/([0-9a-f]+)/[0-9a-f]+$`)
	targetGroupArn = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$`)
	certificateArn = regexp.MustCompile(`^arn:aws:acm:us-east-1:\d{12}:certificate/[0-9a-f-]+$`)
	securityGroup  = regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`)
	vpcID          = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	subnetID       = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
	hostName       = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	headerName     = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	queryParam     = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	pathPattern    = regexp.MustCompile(`^/[A-Za-z0-9_.*$/~"'@:+&-]{1,254}$`)
	// The secret is matched by an ALB header condition, where * and ? are
	// wildcards, so it is kept to characters that match only themselves.
	secretValue = regexp.MustCompile(`^[!-)+->@-~]{32,128}$`)
)

// reservedOriginHeaders are headers CloudFront does not let a distribution
// add to origin requests.
var reservedOriginHeaders = []string{
	"cache-control", "connection", "content-length", "cookie", "host", "if-match", "if-modified-since",
	"if-none-match", "if-range", "if-unmodified-since", "max-forwards", "pragma", "proxy-authorization",
	"proxy-connection", "range", "request-range", "te", "trailer", "transfer-encoding", "upgrade", "via",
	"x-real-ip", "x-forwarded-proto", "x-forwarded-for",
}

// albKeys are the keys of an existing ALB.
var albKeys = []string{"updatesAlbDnsName", "updatesAlbArn", "updatesAlbSecurityGroupId", "updatesAlbListenerArn", "updatesAlbTargetGroupArn"}

func (u *UpdatesConfig) load(r *reader, c *Config) {
	u.AlbDNSName = r.String("updatesAlbDnsName", "")
	u.AlbArn = r.String("updatesAlbArn", "")
	u.AlbSecurityGroupID = r.String("updatesAlbSecurityGroupId", "")
	u.AlbListenerArn = r.String("updatesAlbListenerArn", "")
	u.AlbTargetGroupArn = r.String("updatesAlbTargetGroupArn", "")
	u.AlbRulePriority = r.Int("updatesAlbRulePriority", 1, 1, 49998)
	u.AlbSecurityGroupRuleQuota = r.Int("updatesAlbSecurityGroupRuleQuota", 60, 60, 1000)
	demo := r.Bool("updatesDemoOrigin", false)
	u.DemoVpcID = r.String("updatesDemoVpcId", "")
	u.DemoSubnetIDs = r.Strings("updatesDemoSubnetIds", nil)
	u.DemoDomainName = r.String("updatesDemoDomainName", "")
	u.DemoHostedZone = r.String("updatesDemoHostedZone", "")

	existing := u.AlbDNSName != "" || u.AlbArn != "" || u.AlbSecurityGroupID != "" || u.AlbListenerArn != "" || u.AlbTargetGroupArn != ""
	switch {
	case existing && demo:
		r.fail("updatesDemoOrigin", "true", fmt.Sprintf("false while an existing ALB is configured (updatesAlbDnsName = %q): choose one origin, the existing ALB or the demo origin", u.AlbDNSName))
	case existing:
		u.Origin = UpdatesOriginExisting
		u.checkExistingALB(r, c)
	case demo:
		u.Origin = UpdatesOriginDemo
		u.checkDemo(r)
	default:
		r.fail("updatesAlbDnsName", "", "an origin for the update CDN: an existing ALB (updatesAlbDnsName, updatesAlbArn, updatesAlbSecurityGroupId, updatesAlbListenerArn, updatesAlbTargetGroupArn) or a demo origin (updatesDemoOrigin: true with updatesDemoVpcId and updatesDemoSubnetIds)")
	}

	u.Paths = r.Strings("updatesPaths", []string{"/updates/*"})
	u.checkPaths(r)
	u.VersionQueryParam = r.String("updatesVersionQueryParam", "")
	if u.VersionQueryParam != "" && !queryParam.MatchString(u.VersionQueryParam) {
		r.fail("updatesVersionQueryParam", u.VersionQueryParam, `"" (no query string in the cache key) or a query parameter name such as v`)
	}
	u.CacheDays = r.Int("updatesCacheDays", 30, 1, 365)
	u.PriceClass = r.OneOf("updatesPriceClass", "PriceClass_100", "PriceClass_100", "PriceClass_200", "PriceClass_All")
	u.OriginReadTimeout = r.Int("updatesOriginReadTimeout", 30, 1, 180)
	u.OriginKeepaliveTimeout = r.Int("updatesOriginKeepaliveTimeout", 5, 1, 180)
	u.OriginShield = r.Bool("updatesOriginShield", false)

	u.SecretHeader = r.String("updatesOriginSecretHeader", "X-Origin-Verify")
	lower := strings.ToLower(u.SecretHeader)
	if !headerName.MatchString(u.SecretHeader) || slices.Contains(reservedOriginHeaders, lower) ||
		strings.HasPrefix(lower, "x-amz-") || strings.HasPrefix(lower, "x-edge-") {
		r.fail("updatesOriginSecretHeader", u.SecretHeader, "a header name CloudFront may add to origin requests, such as X-Origin-Verify (letters, digits and -; not X-Amz-*, X-Edge-*, Host, Cookie, ...)")
	}
	const howToSet = "a secret of 32 to 128 printable ASCII characters other than space, * and ? (wildcards in ALB rules), set with: pulumi config set --secret " + UpdatesSecretKey + ` "$(openssl rand -hex 32)"`
	if secret := r.Required(UpdatesSecretKey, howToSet); secret != "" && !secretValue.MatchString(secret) {
		// Never echo a secret: the error shows a marker instead.
		r.fail(UpdatesSecretKey, "[secret]", howToSet)
	}

	u.DomainName = r.String("updatesDomainName", "")
	u.CertificateArn = r.String("updatesCertificateArn", "")
	switch {
	case u.DomainName != "" && !hostName.MatchString(u.DomainName):
		r.fail("updatesDomainName", u.DomainName, `"" or a domain name such as updates.example.com`)
	case u.DomainName != "" && u.CertificateArn == "":
		r.fail("updatesCertificateArn", "", "the ARN of an ACM certificate in us-east-1 for updatesDomainName "+u.DomainName)
	case u.DomainName == "" && u.CertificateArn != "":
		r.fail("updatesDomainName", "", "the domain name the certificate updatesCertificateArn is for")
	}
	if u.CertificateArn != "" && !certificateArn.MatchString(u.CertificateArn) {
		r.fail("updatesCertificateArn", u.CertificateArn, "an ACM certificate ARN in us-east-1 (CloudFront takes certificates only from there)")
	}
}

func (u *UpdatesConfig) checkExistingALB(r *reader, c *Config) {
	for i, v := range []string{u.AlbDNSName, u.AlbArn, u.AlbSecurityGroupID, u.AlbListenerArn, u.AlbTargetGroupArn} {
		if v == "" {
			r.fail(albKeys[i], "", "a value: an existing ALB needs all of "+strings.Join(albKeys, ", "))
		}
	}
	if u.AlbDNSName != "" && !hostName.MatchString(u.AlbDNSName) {
		r.fail("updatesAlbDnsName", u.AlbDNSName, "a DNS name covered by the ALB's HTTPS certificate, such as origin.example.com")
	}
	if u.AlbSecurityGroupID != "" && !securityGroup.MatchString(u.AlbSecurityGroupID) {
		r.fail("updatesAlbSecurityGroupId", u.AlbSecurityGroupID, "a security group ID such as sg-0123456789abcdef0")
	}
	var lbName, lbID string
	if u.AlbArn != "" {
		m := albArn.FindStringSubmatch(u.AlbArn)
		switch {
		case m == nil:
			r.fail("updatesAlbArn", u.AlbArn, "an application load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)")
		case m[1] != c.Region:
			r.fail("updatesAlbArn", u.AlbArn, "a load balancer in the stack's region "+c.Region+" (aws:region), where its security group rule and prefix list live")
		default:
			lbName, lbID = m[2], m[3]
		}
	}
	if u.AlbListenerArn != "" {
		m := listenerArn.FindStringSubmatch(u.AlbListenerArn)
		switch {
		case m == nil:
			r.fail("updatesAlbListenerArn", u.AlbListenerArn, "an application load balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<lb id>/<id>)")
		case lbName != "" && (m[2] != lbName || m[3] != lbID):
			r.fail("updatesAlbListenerArn", u.AlbListenerArn, "a listener of the load balancer updatesAlbArn "+u.AlbArn)
		}
	}
	if u.AlbTargetGroupArn != "" {
		if m := targetGroupArn.FindStringSubmatch(u.AlbTargetGroupArn); m == nil || m[1] != c.Region {
			r.fail("updatesAlbTargetGroupArn", u.AlbTargetGroupArn, "a target group ARN in the stack's region "+c.Region)
		}
	}
}

func (u *UpdatesConfig) checkDemo(r *reader) {
	if !vpcID.MatchString(u.DemoVpcID) {
		r.fail("updatesDemoVpcId", u.DemoVpcID, "the VPC of the demo origin, such as vpc-0123456789abcdef0")
	}
	distinct := map[string]bool{}
	for _, s := range u.DemoSubnetIDs {
		if subnetID.MatchString(s) {
			distinct[s] = true
		}
	}
	if len(distinct) < 2 || len(distinct) != len(u.DemoSubnetIDs) {
		raw, _ := json.Marshal(u.DemoSubnetIDs)
		r.fail("updatesDemoSubnetIds", string(raw), "two or more distinct public subnet IDs in different Availability Zones of updatesDemoVpcId (an ALB needs two)")
	}
	switch {
	case u.DemoDomainName != "" && !hostName.MatchString(u.DemoDomainName):
		r.fail("updatesDemoDomainName", u.DemoDomainName, `"" or a domain name such as origin.dev.example.com`)
	case u.DemoDomainName != "" && u.DemoHostedZone == "":
		r.fail("updatesDemoHostedZone", "", "the Route 53 public zone of updatesDemoDomainName "+u.DemoDomainName)
	case u.DemoDomainName == "" && u.DemoHostedZone != "":
		r.fail("updatesDemoDomainName", "", "a name in the zone updatesDemoHostedZone "+u.DemoHostedZone)
	case u.DemoDomainName != "" && u.DemoDomainName != u.DemoHostedZone && !strings.HasSuffix(u.DemoDomainName, "."+strings.TrimSuffix(u.DemoHostedZone, ".")):
		r.fail("updatesDemoDomainName", u.DemoDomainName, "a name inside the zone updatesDemoHostedZone "+u.DemoHostedZone)
	}
}

func (u *UpdatesConfig) checkPaths(r *reader) {
	if len(u.Paths) == 0 || len(u.Paths) > 20 {
		raw, _ := json.Marshal(u.Paths)
		r.fail("updatesPaths", string(raw), "a list of 1 to 20 path patterns such as [\"/updates/*\"]")
		return
	}
	seen := map[string]bool{}
	for _, p := range u.Paths {
		switch {
		case !strings.HasPrefix(p, "/"):
			r.fail("updatesPaths", p, `path patterns that start with /, such as "/updates/*"`)
		case p == "/*" || p == "/":
			r.fail("updatesPaths", p, "patterns narrower than the whole site: the default behaviour stays uncached for the application")
		case !pathPattern.MatchString(p):
			r.fail("updatesPaths", p, "a CloudFront path pattern (up to 255 of A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + &)")
		case seen[p]:
			r.fail("updatesPaths", p, "distinct path patterns")
		}
		seen[p] = true
	}
}
