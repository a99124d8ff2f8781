package config

import (
	"encoding/json"
	"regexp"

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

// updatesKeys are the config keys of the fields of updateoffload.Args the
// configuration sets, so that a problem the component finds names the key.
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

// What the component cannot check: the names of resources it receives as
// inputs, which the configuration holds as plain strings.
var (
	albArn         = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer/app/([A-Za-z0-9-]+)/([0-9a-f]+)$`)
	listenerArn    = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:listener/app/([A-Za-z0-9-]+)/([0-9a-f]+)/[0-9a-f]+$`)
	targetGroupArn = regexp.MustCompile(`^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$`)
	certificateArn = regexp.MustCompile(`^arn:aws:acm:us-east-1:\d{12}:certificate/[0-9a-f-]+$`)
	securityGroup  = regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`)
	vpcID          = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	subnetID       = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
)

func (u *UpdatesConfig) load(r *reader, c *Config) {
	key := func(field string) string { return updatesKeys[field] }
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
	u.OriginShield = r.Bool("updatesOriginShield", false)
	a.SecretHeaderName = r.String(key("SecretHeaderName"), updateoffload.DefaultSecretHeaderName)
	checkSecret(r)
	a.DomainName = r.String(key("DomainName"), "")
	if arn := r.String(key("CertificateArn"), ""); arn != "" {
		if !certificateArn.MatchString(arn) {
			r.fail(key("CertificateArn"), arn, "an ACM certificate ARN in us-east-1 (CloudFront takes certificates only from there)")
		}
		a.CertificateArn = pulumi.String(arn)
	}

	// The rest is checked by the component's own rules. The origin is
	// chosen above, by which keys are set, and the secret never enters
	// UpdatesConfig: both are checked here instead.
	for _, p := range updateoffload.Check(*a) {
		if k, ok := updatesKeys[p.Field]; ok {
			r.fail(k, p.Value, p.Want)
		}
	}
}

// loadOrigin chooses the origin by the keys set (an existing ALB's or
// updatesDemoOrigin) and sets it up in u.CDN.
func (u *UpdatesConfig) loadOrigin(r *reader, c *Config) {
	a := &u.CDN
	alb := readExistingALB(r)
	demo := r.Bool("updatesDemoOrigin", false)
	vpc := r.String("updatesDemoVpcId", "")
	subnets := r.Strings("updatesDemoSubnetIds", nil)
	a.DemoDomainName = r.String("updatesDemoDomainName", "")
	a.DemoHostedZone = r.String("updatesDemoHostedZone", "")
	switch {
	case alb.configured() && demo:
		r.fail("updatesDemoOrigin", "true", "false while an existing ALB is configured (updatesAlbDnsName = \""+alb.dnsName+"\"): choose one origin, the existing ALB or the demo origin")
	case alb.configured():
		a.Origin = updateoffload.OriginExisting
		alb.check(r, c)
		alb.set(a)
	case demo:
		a.Origin = updateoffload.OriginDemo
		checkDemo(r, vpc, subnets)
		a.DemoVpcID, a.DemoSubnetIDs = pulumi.String(vpc), pulumi.ToStringArray(subnets)
	default:
		r.fail("updatesAlbDnsName", "", "an origin for the update CDN: an existing ALB (updatesAlbDnsName, updatesAlbArn, updatesAlbSecurityGroupId, updatesAlbListenerArn, updatesAlbTargetGroupArn) or a demo origin (updatesDemoOrigin: true with updatesDemoVpcId and updatesDemoSubnetIds)")
	}
}

// existingALB is the existing ALB as the updatesAlb* keys name it.
type existingALB struct {
	dnsName, arn, securityGroup, listener, targetGroup string
}

func readExistingALB(r *reader) existingALB {
	return existingALB{
		dnsName:       r.String("updatesAlbDnsName", ""),
		arn:           r.String("updatesAlbArn", ""),
		securityGroup: r.String("updatesAlbSecurityGroupId", ""),
		listener:      r.String("updatesAlbListenerArn", ""),
		targetGroup:   r.String("updatesAlbTargetGroupArn", ""),
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
	if e.dnsName != "" && !blocks.IsHostname(e.dnsName) {
		r.fail("updatesAlbDnsName", e.dnsName, "a DNS name covered by the ALB's HTTPS certificate, such as origin.example.com")
	}
	if e.securityGroup != "" && !securityGroup.MatchString(e.securityGroup) {
		r.fail("updatesAlbSecurityGroupId", e.securityGroup, "a security group ID such as sg-0123456789abcdef0")
	}
	var lbName, lbID string
	if e.arn != "" {
		m := albArn.FindStringSubmatch(e.arn)
		switch {
		case m == nil:
			r.fail("updatesAlbArn", e.arn, "an application load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)")
		case m[1] != c.Region:
			r.fail("updatesAlbArn", e.arn, "a load balancer in the stack's region "+c.Region+" (aws:region), where its security group rule and prefix list live")
		default:
			lbName, lbID = m[2], m[3]
		}
	}
	if e.listener != "" {
		m := listenerArn.FindStringSubmatch(e.listener)
		switch {
		case m == nil:
			r.fail("updatesAlbListenerArn", e.listener, "an application load balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<lb id>/<id>)")
		case lbName != "" && (m[2] != lbName || m[3] != lbID):
			r.fail("updatesAlbListenerArn", e.listener, "a listener of the load balancer updatesAlbArn "+e.arn)
		}
	}
	if e.targetGroup != "" {
		if m := targetGroupArn.FindStringSubmatch(e.targetGroup); m == nil || m[1] != c.Region {
			r.fail("updatesAlbTargetGroupArn", e.targetGroup, "a target group ARN in the stack's region "+c.Region)
		}
	}
}

// checkDemo checks the demo origin's VPC and subnets.
func checkDemo(r *reader, vpc string, subnets []string) {
	if !vpcID.MatchString(vpc) {
		r.fail("updatesDemoVpcId", vpc, "the VPC of the demo origin, such as vpc-0123456789abcdef0")
	}
	distinct := map[string]bool{}
	for _, s := range subnets {
		if subnetID.MatchString(s) {
			distinct[s] = true
		}
	}
	if len(distinct) < 2 || len(distinct) != len(subnets) {
		raw, _ := json.Marshal(subnets)
		r.fail("updatesDemoSubnetIds", string(raw), "two or more distinct public subnet IDs in different Availability Zones of updatesDemoVpcId (an ALB needs two)")
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
