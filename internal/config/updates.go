package config

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/updateoffload"
)

// UpdatesSecretKey is the key of the secret the CDN sends the ALB. Its value
// is never kept in UpdatesConfig: the program reads it as a secret output.
const UpdatesSecretKey = "updatesOriginSecret"

// UpdatesConfig configures the software-update offload (UpdateOffloadCDN).
type UpdatesConfig struct {
	// CDN is the component's arguments as the updates* keys set them,
	// checked as updateoffload.New checks them (updateoffload.Check). The
	// program adds what the configuration does not hold: the secret, the
	// us-east-1 provider, log retention, protection and, with OriginShield,
	// Origin Shield's region.
	CDN updateoffload.Args
	// OriginShield turns Origin Shield on in the origin's (home) region.
	OriginShield bool
}

// Keys of the update CDN that set no field of updateoffload.Args.
const (
	updatesDemoOriginKey   = "updatesDemoOrigin"
	updatesOriginShieldKey = "updatesOriginShield"
)

// updatesKeys are the config keys of the fields of updateoffload.Args the
// configuration sets, so that a problem the component finds names the key.
// Read them with updatesKey.
var updatesKeys = map[string]string{
	"AlbDNSName":                "updatesAlbDnsName",
	"AlbArn":                    "updatesAlbArn",
	"AlbSecurityGroupID":        "updatesAlbSecurityGroupId",
	"AlbListenerArn":            "updatesAlbListenerArn",
	"AlbTargetGroupArn":         "updatesAlbTargetGroupArn",
	"RulePriority":              "updatesAlbRulePriority",
	"AlbSecurityGroupRuleQuota": "updatesAlbSecurityGroupRuleQuota",
	"DemoVpcID":                 "updatesDemoVpcId",
	"DemoSubnetIDs":             "updatesDemoSubnetIds",
	"DemoDomainName":            "updatesDemoDomainName",
	"DemoHostedZone":            "updatesDemoHostedZone",
	"Paths":                     "updatesPaths",
	"VersionQueryParam":         "updatesVersionQueryParam",
	"CacheDays":                 "updatesCacheDays",
	"PriceClass":                "updatesPriceClass",
	"OriginReadTimeout":         "updatesOriginReadTimeout",
	"OriginKeepaliveTimeout":    "updatesOriginKeepaliveTimeout",
	"SecretHeaderName":          "updatesOriginSecretHeader",
	"DomainName":                "updatesDomainName",
	"CertificateArn":            "updatesCertificateArn",
}

// albFields are the fields of updateoffload.Args naming an existing ALB.
var albFields = []string{"AlbDNSName", "AlbArn", "AlbSecurityGroupID", "AlbListenerArn", "AlbTargetGroupArn"}

// updatesKey is the config key of field of updateoffload.Args. A field
// without one is a programming error, which it refuses loudly.
func updatesKey(field string) string {
	k, ok := updatesKeys[field]
	if !ok {
		panic(fmt.Sprintf("config: updateoffload.Args.%s has no config key in updatesKeys", field))
	}
	return k
}

// What the component cannot check: the names of resources it receives as
// inputs, which the configuration holds as plain strings.
var (
	albArn         = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer/app/([A-Za-z0-9-]+)/([0-9a-f]+)$`)
	listenerArn    = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:listener/app/([A-Za-z0-9-]+)/([0-9a-f]+)/[0-9a-f]+$`)
	targetGroupArn = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$`)
	certificateArn = regexp.MustCompile(`^arn:aws:acm:us-east-1:\d{12}:certificate/[0-9a-f-]+$`)
	securityGroup  = regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`)
)

func (u *UpdatesConfig) load(r *reader, c *Config) {
	key := updatesKey
	a := &u.CDN
	u.loadOrigin(r, c)
	a.RulePriority = r.Int(key("RulePriority"), updateoffload.DefaultRulePriority, 1, updateoffload.MaxRulePriority)
	a.AlbSecurityGroupRuleQuota = r.Int(key("AlbSecurityGroupRuleQuota"), updateoffload.DefaultSecurityGroupRuleQuota,
		updateoffload.DefaultSecurityGroupRuleQuota, updateoffload.MaxSecurityGroupRuleQuota)
	a.Paths = r.Strings(key("Paths"), updateoffload.DefaultPaths())
	if len(a.Paths) == 0 {
		// Left empty, the component would cache its default paths.
		r.fail(key("Paths"), "[]", `at least one path pattern, such as ["/updates/*"]`)
	}
	a.VersionQueryParam = r.String(key("VersionQueryParam"), "")
	a.CacheDays = r.Int(key("CacheDays"), updateoffload.DefaultCacheDays, 1, updateoffload.MaxCacheDays)
	a.PriceClass = r.OneOf(key("PriceClass"), updateoffload.DefaultPriceClass, updateoffload.PriceClasses...)
	a.OriginReadTimeout = r.Int(key("OriginReadTimeout"), updateoffload.DefaultOriginReadTimeout, 1, updateoffload.MaxOriginTimeout)
	a.OriginKeepaliveTimeout = r.Int(key("OriginKeepaliveTimeout"), updateoffload.DefaultOriginKeepaliveTimeout, 1, updateoffload.MaxOriginTimeout)
	u.OriginShield = r.Bool(updatesOriginShieldKey, false)
	a.SecretHeaderName = r.String(key("SecretHeaderName"), updateoffload.DefaultSecretHeaderName)
	checkSecret(r)
	a.DomainName = r.String(key("DomainName"), "")
	if arn := r.String(key("CertificateArn"), ""); arn != "" {
		if !certificateArn.MatchString(arn) {
			r.fail(key("CertificateArn"), arn, "an ACM certificate ARN in us-east-1 (CloudFront takes certificates only from there)")
		}
		a.CertificateArn = pulumi.String(arn)
	}
	// The rest is checked by the component's own rules.
	reportComponentProblems(r, updateoffload.Check(*a))
}

// reportComponentProblems reports each of problems, which
// updateoffload.Check found, under the config key of its field. Origin and
// OriginSecret have none and are checked here instead: the origin is
// chosen by which keys are set, and the secret never enters UpdatesConfig.
// A problem of any other field without a key is reported under the
// field's name rather than dropped.
func reportComponentProblems(r *reader, problems []*updateoffload.ArgError) {
	for _, p := range problems {
		k, ok := updatesKeys[p.Field]
		switch {
		case ok:
			r.fail(k, p.Value, p.Want)
		case p.Field == "Origin" || p.Field == "OriginSecret":
			// Checked by loadOrigin and checkSecret.
		default:
			r.errs = append(r.errs, &Error{Key: "updateoffload.Args." + p.Field, Value: p.Value, Allowed: p.Want})
		}
	}
}

// loadOrigin chooses the origin by the keys set (an existing ALB's or
// updatesDemoOrigin) and sets it up in u.CDN.
func (u *UpdatesConfig) loadOrigin(r *reader, c *Config) {
	a, key := &u.CDN, updatesKey
	alb := readExistingALB(r)
	demo := r.Bool(updatesDemoOriginKey, false)
	vpc := r.String(key("DemoVpcID"), "")
	subnets := r.Strings(key("DemoSubnetIDs"), nil)
	a.DemoDomainName = r.String(key("DemoDomainName"), "")
	a.DemoHostedZone = r.String(key("DemoHostedZone"), "")
	switch {
	case alb.configured() && demo:
		r.fail(updatesDemoOriginKey, "true", fmt.Sprintf("false while an existing ALB is configured (%s = %q): choose one origin, the existing ALB or the demo origin", key("AlbDNSName"), alb.dnsName))
	case alb.configured():
		a.Origin = updateoffload.OriginExisting
		alb.check(r, c)
		alb.set(a)
	case demo:
		a.Origin = updateoffload.OriginDemo
		checkDemo(r, vpc, subnets)
		a.DemoVpcID, a.DemoSubnetIDs = pulumi.String(vpc), pulumi.ToStringArray(subnets)
	default:
		albKeys := make([]string, len(albFields))
		for i, f := range albFields {
			albKeys[i] = key(f)
		}
		r.fail(key("AlbDNSName"), "", fmt.Sprintf("an origin for the update CDN: an existing ALB (%s) or a demo origin (%s: true with %s and %s)",
			strings.Join(albKeys, ", "), updatesDemoOriginKey, key("DemoVpcID"), key("DemoSubnetIDs")))
	}
}

// existingALB is the existing ALB as the updatesAlb* keys name it.
type existingALB struct {
	dnsName, arn, securityGroup, listener, targetGroup string
}

func readExistingALB(r *reader) existingALB {
	key := updatesKey
	return existingALB{
		dnsName:       r.String(key("AlbDNSName"), ""),
		arn:           r.String(key("AlbArn"), ""),
		securityGroup: r.String(key("AlbSecurityGroupID"), ""),
		listener:      r.String(key("AlbListenerArn"), ""),
		targetGroup:   r.String(key("AlbTargetGroupArn"), ""),
	}
}

func (e existingALB) configured() bool {
	return e.dnsName != "" || e.arn != "" || e.securityGroup != "" || e.listener != "" || e.targetGroup != ""
}

// set passes the keys that are set to the component, which reports the
// others as missing.
func (e existingALB) set(a *updateoffload.Args) {
	in := func(v string) pulumi.StringInput {
		if v == "" {
			return nil
		}
		return pulumi.String(v)
	}
	a.AlbDNSName, a.AlbArn, a.AlbSecurityGroupID = in(e.dnsName), in(e.arn), in(e.securityGroup)
	a.AlbListenerArn, a.AlbTargetGroupArn = in(e.listener), in(e.targetGroup)
}

// check checks the names of the ALB's parts that are set: their format,
// the stack's region, and that the listener is the load balancer's.
func (e existingALB) check(r *reader, c *Config) {
	key := updatesKey
	if e.dnsName != "" && !blocks.IsHostname(e.dnsName) {
		r.fail(key("AlbDNSName"), e.dnsName, "a DNS name covered by the ALB's HTTPS certificate, such as origin.example.com")
	}
	if e.securityGroup != "" && !securityGroup.MatchString(e.securityGroup) {
		r.fail(key("AlbSecurityGroupID"), e.securityGroup, "a security group ID such as sg-0123456789abcdef0")
	}
	var lbName, lbID string
	if e.arn != "" {
		m := albArn.FindStringSubmatch(e.arn)
		switch {
		case m == nil:
			r.fail(key("AlbArn"), e.arn, "an application load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)")
		case m[1] != c.Region:
			r.fail(key("AlbArn"), e.arn, "a load balancer in the stack's region "+c.Region+" (aws:region), where its security group rule and prefix list live")
		default:
			lbName, lbID = m[2], m[3]
		}
	}
	if e.listener != "" {
		m := listenerArn.FindStringSubmatch(e.listener)
		switch {
		case m == nil:
			r.fail(key("AlbListenerArn"), e.listener, "an application load balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<lb id>/<id>)")
		case lbName != "" && (m[2] != lbName || m[3] != lbID):
			r.fail(key("AlbListenerArn"), e.listener, "a listener of the load balancer "+key("AlbArn")+" "+e.arn)
		}
	}
	if e.targetGroup != "" {
		if m := targetGroupArn.FindStringSubmatch(e.targetGroup); m == nil || m[1] != c.Region {
			r.fail(key("AlbTargetGroupArn"), e.targetGroup, "a target group ARN in the stack's region "+c.Region)
		}
	}
}

// checkDemo checks the demo origin's VPC and subnets.
func checkDemo(r *reader, vpc string, subnets []string) {
	key := updatesKey
	if !vpcIDPattern.MatchString(vpc) {
		r.fail(key("DemoVpcID"), vpc, "the VPC of the demo origin, such as vpc-0123456789abcdef0")
	}
	distinct := map[string]bool{}
	for _, s := range subnets {
		if subnetIDPattern.MatchString(s) {
			distinct[s] = true
		}
	}
	if len(distinct) < 2 || len(distinct) != len(subnets) {
		raw, _ := json.Marshal(subnets)
		r.fail(key("DemoSubnetIDs"), string(raw), "two or more distinct public subnet IDs in different Availability Zones of "+key("DemoVpcID")+" (an ALB needs two)")
	}
}

// checkSecret checks the secret where the configuration holds it: the
// component only sees it as a secret output.
func checkSecret(r *reader) {
	howToSet := updateoffload.OriginSecretWant + ", set with: pulumi config set --secret " + UpdatesSecretKey + ` "$(openssl rand -hex 32)"`
	if secret := r.Required(UpdatesSecretKey, howToSet); secret != "" && !updateoffload.ValidOriginSecret(secret) {
		// Never echo a secret: the error shows a marker instead.
		r.fail(UpdatesSecretKey, "[secret]", howToSet)
	}
}
