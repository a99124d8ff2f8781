package updateoffload

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// Limits New checks Args against.
const (
	// MaxRulePriority is the highest RulePriority: the catch-all 403 takes
	// the next one, and an ALB's rule priorities end at 50000.
	MaxRulePriority = 49999
	// MaxSecurityGroupRuleQuota is the highest AlbSecurityGroupRuleQuota:
	// rules per group times groups per network interface may not exceed
	// 1000.
	MaxSecurityGroupRuleQuota = 1000
	// MaxPaths is the most path patterns: with the default behaviour they
	// fill CloudFront's default quota of 25 cache behaviours per
	// distribution.
	MaxPaths = 24
	// MaxCacheDays is the longest CacheDays: a year, the cache policy's
	// maximum TTL.
	MaxCacheDays = 365
	// MaxOriginTimeout is the longest OriginReadTimeout and
	// OriginKeepaliveTimeout in seconds; above 60 needs a quota increase.
	MaxOriginTimeout = 180
)

// PriceClasses are the values of Args.PriceClass (blocks.PriceClasses).
var PriceClasses = blocks.PriceClasses

// OriginSecretWant says what an origin secret may be: the listener matches
// it with a header condition, where * and ? are wildcards, so it holds only
// characters that match themselves, and enough of them not to be guessed.
const OriginSecretWant = "a secret of 32 to 128 printable ASCII characters other than space, * and ? (wildcards in ALB rules)"

var (
	secretValue = regexp.MustCompile(`^[!-)+->@-~]{32,128}$`)
	headerName  = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	queryParam  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	pathPattern = regexp.MustCompile(`^/[A-Za-z0-9_.*$/~"'@:+&-]{1,254}$`)
)

// reservedOriginHeaders are headers CloudFront does not let a distribution
// add to origin requests (besides X-Amz-* and X-Edge-*).
var reservedOriginHeaders = []string{
	"cache-control", "connection", "content-length", "cookie", "host", "if-match", "if-modified-since",
	"if-none-match", "if-range", "if-unmodified-since", "max-forwards", "pragma", "proxy-authorization",
	"proxy-connection", "range", "request-range", "te", "trailer", "transfer-encoding", "upgrade", "via",
	"x-real-ip", "x-forwarded-proto", "x-forwarded-for",
}

// ValidOriginSecret reports whether secret is what OriginSecretWant says.
// New cannot check Args.OriginSecret, an input that stays secret; check
// the value where you read it.
func ValidOriginSecret(secret string) bool { return secretValue.MatchString(secret) }

// ArgError is a value of Args that New refuses: the field, the value as
// given ("" when it is missing) and what the field accepts.
type ArgError struct {
	Field, Value, Want string
}

func (e *ArgError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s is missing: want %s", e.Field, e.Want)
	}
	return fmt.Sprintf("%s %q: want %s", e.Field, e.Value, e.Want)
}

// Check returns every problem New would refuse args for, with New's
// defaults applied first; nil when there is none. A program that validates
// its own settings before it calls New (its stack configuration, say) names
// its own key for each ArgError's Field.
func Check(args Args) []*ArgError {
	args.withDefaults()
	c := &checker{}
	c.origin(&args)
	c.paths(args.Paths)
	c.settings(&args)
	c.names(&args)
	return c.problems
}

// validate joins Check's problems into New's error.
func (a *Args) validate() error {
	var errs []error
	for _, p := range Check(*a) {
		errs = append(errs, p)
	}
	return errors.Join(errs...)
}

type checker struct{ problems []*ArgError }

func (c *checker) fail(field, value, want string) {
	c.problems = append(c.problems, &ArgError{Field: field, Value: value, Want: want})
}

// input is an input field of Args and whether it is set.
type input struct {
	field string
	set   bool
}

// missing reports each of inputs that is not set.
func (c *checker) missing(want string, inputs []input) {
	for _, in := range inputs {
		if !in.set {
			c.fail(in.field, "", want)
		}
	}
}

// unwanted reports each of inputs that is set although the origin takes
// none of them.
func (c *checker) unwanted(inputs []input, origin string) {
	for _, in := range inputs {
		if in.set {
			c.fail(in.field, "(set)", fmt.Sprintf("none, as Origin is %q: choose one origin", origin))
		}
	}
}

func (c *checker) origin(a *Args) {
	existing := []input{{"AlbDNSName", a.AlbDNSName != nil}, {"AlbArn", a.AlbArn != nil},
		{"AlbSecurityGroupID", a.AlbSecurityGroupID != nil}, {"AlbListenerArn", a.AlbListenerArn != nil}, {"AlbTargetGroupArn", a.AlbTargetGroupArn != nil}}
	demo := []input{{"DemoVpcID", a.DemoVpcID != nil}, {"DemoSubnetIDs", a.DemoSubnetIDs != nil}}
	switch a.Origin {
	case OriginExisting:
		c.missing("a value: an existing ALB needs all of its DNS name, ARN, security group, HTTPS listener and target group", existing)
		c.unwanted(demo, a.Origin)
	case OriginDemo:
		c.missing("a value: a demo origin needs a VPC and two or more public subnets in it", demo)
		c.unwanted(existing, a.Origin)
		c.demoDomain(a.DemoDomainName, a.DemoHostedZone)
	default:
		c.fail("Origin", a.Origin, fmt.Sprintf("%q (an existing ALB) or %q (a demo origin)", OriginExisting, OriginDemo))
	}
	if a.OriginSecret == nil {
		c.fail("OriginSecret", "", "the secret header value that proves a request came through CloudFront")
	}
}

func (c *checker) demoDomain(name, zone string) {
	switch {
	case name != "" && !blocks.IsHostname(name):
		c.fail("DemoDomainName", name, `"" or a domain name such as origin.dev.example.com`)
	case name != "" && zone == "":
		c.fail("DemoHostedZone", "", "the Route 53 public zone of the demo origin's name "+name)
	case name == "" && zone != "":
		c.fail("DemoDomainName", "", "a name in the demo origin's zone "+zone)
	case name != "" && !blocks.InZone(name, zone):
		c.fail("DemoDomainName", name, "a name inside the demo origin's zone "+zone)
	}
}

func (c *checker) paths(paths []string) {
	if len(paths) > MaxPaths {
		raw, _ := json.Marshal(paths)
		c.fail("Paths", string(raw), fmt.Sprintf("a list of 1 to %d path patterns such as [\"/updates/*\"]", MaxPaths))
	}
	seen := map[string]bool{}
	for _, p := range paths {
		switch {
		case !strings.HasPrefix(p, "/"):
			c.fail("Paths", p, `path patterns that start with /, such as "/updates/*"`)
		case p == "/*" || p == "/":
			c.fail("Paths", p, "patterns narrower than the whole site: the default behaviour stays uncached for the application")
		case !pathPattern.MatchString(p):
			c.fail("Paths", p, "a CloudFront path pattern (up to 255 of A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + &)")
		case seen[p]:
			c.fail("Paths", p, "distinct path patterns")
		}
		seen[p] = true
	}
}

// settings checks the numbers and the price class.
func (c *checker) settings(a *Args) {
	c.within("RulePriority", a.RulePriority, 1, MaxRulePriority)
	c.within("AlbSecurityGroupRuleQuota", a.AlbSecurityGroupRuleQuota, DefaultSecurityGroupRuleQuota, MaxSecurityGroupRuleQuota)
	c.within("CacheDays", a.CacheDays, 1, MaxCacheDays)
	c.within("OriginReadTimeout", a.OriginReadTimeout, 1, MaxOriginTimeout)
	c.within("OriginKeepaliveTimeout", a.OriginKeepaliveTimeout, 1, MaxOriginTimeout)
	if !slices.Contains(PriceClasses, a.PriceClass) {
		c.fail("PriceClass", a.PriceClass, "one of "+strings.Join(PriceClasses, ", "))
	}
}

func (c *checker) within(field string, n, lo, hi int) {
	if n < lo || n > hi {
		c.fail(field, strconv.Itoa(n), fmt.Sprintf("a whole number from %d to %d", lo, hi))
	}
}

// names checks the header, the query parameter and the custom domain.
func (c *checker) names(a *Args) {
	lower := strings.ToLower(a.SecretHeaderName)
	if !headerName.MatchString(a.SecretHeaderName) || slices.Contains(reservedOriginHeaders, lower) ||
		strings.HasPrefix(lower, "x-amz-") || strings.HasPrefix(lower, "x-edge-") {
		c.fail("SecretHeaderName", a.SecretHeaderName, "a header name CloudFront may add to origin requests, such as X-Origin-Verify (letters, digits and -; not X-Amz-*, X-Edge-*, Host, Cookie, ...)")
	}
	if a.VersionQueryParam != "" && !queryParam.MatchString(a.VersionQueryParam) {
		c.fail("VersionQueryParam", a.VersionQueryParam, `"" (no query string in the cache key) or a query parameter name such as v`)
	}
	switch {
	case a.DomainName != "" && !blocks.IsHostname(a.DomainName):
		c.fail("DomainName", a.DomainName, `"" or a domain name such as updates.example.com`)
	case a.DomainName != "" && a.CertificateArn == nil:
		c.fail("CertificateArn", "", "the ARN of an ACM certificate in us-east-1 for the CDN's domain name "+a.DomainName)
	case a.DomainName == "" && a.CertificateArn != nil:
		c.fail("DomainName", "", "the domain name the CDN's certificate is for")
	}
}
