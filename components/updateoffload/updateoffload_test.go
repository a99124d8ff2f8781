package updateoffload_test

import (
	"context"

	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/updateoffload"
)

const (
	typeDistribution = "aws:cloudfront/distribution:Distribution"
	typeCachePolicy  = "aws:cloudfront/cachePolicy:CachePolicy"
	typeIngress      = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeRule         = "aws:lb/listenerRule:ListenerRule"
	typeListener     = "aws:lb/listener:Listener"
	typeALB          = "aws:lb/loadBalancer:LoadBalancer"
	typeTemplate     = "aws:ec2/launchTemplate:LaunchTemplate"
	typeGroup        = "aws:autoscaling/group:Group"
	typeLogSource    = "aws:cloudwatch/logDeliverySource:LogDeliverySource"
	typeLogDelivery  = "aws:cloudwatch/logDelivery:LogDelivery"

	secret          = "0123456789abcdef0123456789abcdef"
	cloudFrontList  = "pl-3b927c52" // what the mocks answer for the origin-facing list
	cachingOff      = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	allViewerNoHost = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

	albArn      = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188"
	listenerArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2"
	tgArn       = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/73e2d6bc24d8a067"
)

func existingArgs() updateoffload.Args {
	return updateoffload.Args{
		Origin:             updateoffload.OriginExisting,
		AlbDNSName:         pulumi.String("origin.example.com"),
		AlbArn:             pulumi.String(albArn),
		AlbSecurityGroupID: pulumi.String("sg-0123456789abcdef0"),
		AlbListenerArn:     pulumi.String(listenerArn),
		AlbTargetGroupArn:  pulumi.String(tgArn),
		OriginSecret:       pulumi.String(secret),
		OriginShieldRegion: "us-east-1",
		OriginReadTimeout:  45,
		PriceClass:         "PriceClass_All",
		Paths:              []string{"/updates/*", "/downloads/*.zip"},
		DomainName:         "updates.example.com",
		CertificateArn:     pulumi.String("arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"),
	}
}

func demoArgs() updateoffload.Args {
	return updateoffload.Args{
		Origin:        updateoffload.OriginDemo,
		DemoVpcID:     pulumi.String("vpc-0123456789abcdef0"),
		DemoSubnetIDs: pulumi.ToStringArray([]string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"}),
		OriginSecret:  pulumi.String(secret),
	}
}

// seen holds values read from the component's outputs while the program
// ran: the recording shows secrets only as "[secret]".
type seen struct {
	headerValue, ruleValue string
	updatesPolicyID        string
	distArn, albDNS        string
	lockdown               string
	cachedPaths            []string
}

func await[T any](t *testing.T, o pulumi.Output) T {
	t.Helper()
	r, err := internals.UnsafeAwaitOutput(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := r.Value.(T)
	return v
}

func run(t *testing.T, args updateoffload.Args) (*stacktest.Recording, *seen) {
	t.Helper()
	s := &seen{}
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "east", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		args.USEast1 = east
		c, err := updateoffload.New(ctx, "updates", args)
		if err != nil {
			return err
		}
		s.headerValue = await[string](t, c.Distribution.Origins.Index(pulumi.Int(0)).CustomHeaders().Index(pulumi.Int(0)).Value())
		s.ruleValue = await[string](t, c.Origin.ForwardRule.Conditions.Index(pulumi.Int(0)).HttpHeader().Values().Index(pulumi.Int(0)))
		s.updatesPolicyID = await[string](t, c.UpdatesPolicy.ID().ToStringOutput())
		s.distArn = await[string](t, c.DistributionArn)
		s.lockdown = await[string](t, c.LockdownMode)
		s.cachedPaths = await[[]string](t, c.CachedPaths)
		if c.Origin.LoadBalancer != nil {
			s.albDNS = await[string](t, c.Origin.LoadBalancer.DnsName)
		}
		return nil
	}, stacktest.Project("serverless-arch"), stacktest.Stack("test"))
	if err != nil {
		t.Fatal(err)
	}
	return rec, s
}

func distribution(t *testing.T, rec *stacktest.Recording) map[string]any {
	t.Helper()
	return rec.Must(t, typeDistribution, "updates-cdn").Inputs
}

func TestExistingALBIsTheOriginAndIsLockedDown(t *testing.T) {
	rec, s := run(t, existingArgs())
	d := distribution(t, rec)
	origins := d["origins"].([]any)
	if len(origins) != 1 {
		t.Fatalf("%d origins, want 1", len(origins))
	}
	o := origins[0].(map[string]any)
	if o["domainName"] != "origin.example.com" {
		t.Errorf("origin domain %v, want the ALB's DNS name from config", o["domainName"])
	}
	c := o["customOriginConfig"].(map[string]any)
	if c["originProtocolPolicy"] != "https-only" || !slices.Equal(toStrings(c["originSslProtocols"]), []string{"TLSv1.2"}) ||
		c["originReadTimeout"] != 45.0 || c["originKeepaliveTimeout"] != 5.0 {
		t.Errorf("origin config %v", c)
	}
	if shield := o["originShield"].(map[string]any); shield["enabled"] != true || shield["originShieldRegion"] != "us-east-1" {
		t.Errorf("origin shield %v", shield)
	}

	ingress := rec.Must(t, typeIngress, "updates-alb-from-cloudfront").Inputs
	if ingress["prefixListId"] != cloudFrontList || ingress["securityGroupId"] != "sg-0123456789abcdef0" ||
		ingress["fromPort"] != 443.0 || ingress["toPort"] != 443.0 || ingress["cidrIpv4"] != nil {
		t.Errorf("ingress %v, want 443 from the looked-up prefix list %s on the ALB's group", ingress, cloudFrontList)
	}
	if len(rec.OfType(typeIngress)) != 1 {
		t.Errorf("%d ingress rules, want only the prefix-list one", len(rec.OfType(typeIngress)))
	}

	headers := o["customHeaders"].([]any)
	header := headers[0].(map[string]any)
	fwd := rec.Must(t, typeRule, "updates-forward-cloudfront").Inputs
	cond := fwd["conditions"].([]any)[0].(map[string]any)["httpHeader"].(map[string]any)
	if header["name"] != "X-Origin-Verify" || cond["httpHeaderName"] != header["name"] {
		t.Errorf("CloudFront sends %v, the listener rule checks %v", header["name"], cond["httpHeaderName"])
	}
	if s.headerValue != secret || s.ruleValue != secret {
		t.Errorf("CloudFront sends %q, the rule expects %q; want both the configured secret", s.headerValue, s.ruleValue)
	}
	if fwd["listenerArn"] != listenerArn || fwd["priority"] != 1.0 {
		t.Errorf("forward rule on %v priority %v", fwd["listenerArn"], fwd["priority"])
	}
	if a := fwd["actions"].([]any)[0].(map[string]any); a["type"] != "forward" || a["targetGroupArn"] != tgArn {
		t.Errorf("forward rule action %v", a)
	}
	deny := rec.Must(t, typeRule, "updates-deny-others").Inputs
	denyAction := deny["actions"].([]any)[0].(map[string]any)
	if deny["priority"] != 2.0 || denyAction["type"] != "fixed-response" || denyAction["fixedResponse"].(map[string]any)["statusCode"] != "403" ||
		!slices.Equal(toStrings(deny["conditions"].([]any)[0].(map[string]any)["pathPattern"].(map[string]any)["values"]), []string{"*"}) {
		t.Errorf("catch-all rule %v, want every other request answered 403 right after the forward rule", deny)
	}
	if s.lockdown != updateoffload.LockdownAdded {
		t.Errorf("lock-down %q", s.lockdown)
	}
}

func TestBehaviours(t *testing.T) {
	rec, s := run(t, existingArgs())
	d := distribution(t, rec)
	def := d["defaultCacheBehavior"].(map[string]any)
	if def["cachePolicyId"] != cachingOff || def["originRequestPolicyId"] != allViewerNoHost {
		t.Errorf("default behaviour uses cache policy %v and origin request policy %v, want managed CachingDisabled and AllViewerExceptHostHeader", def["cachePolicyId"], def["originRequestPolicyId"])
	}
	if len(toStrings(def["allowedMethods"])) != 7 {
		t.Errorf("default behaviour allows %v, want every method for the application", def["allowedMethods"])
	}
	ordered := d["orderedCacheBehaviors"].([]any)
	var patterns []string
	for _, b := range ordered {
		m := b.(map[string]any)
		patterns = append(patterns, m["pathPattern"].(string))
		if m["cachePolicyId"] != s.updatesPolicyID {
			t.Errorf("behaviour %v uses cache policy %v, want the long-TTL policy %s", m["pathPattern"], m["cachePolicyId"], s.updatesPolicyID)
		}
		if m["compress"] != true || m["viewerProtocolPolicy"] != "redirect-to-https" || m["originRequestPolicyId"] != nil {
			t.Errorf("behaviour %v: compress %v, viewer %v, origin request policy %v", m["pathPattern"], m["compress"], m["viewerProtocolPolicy"], m["originRequestPolicyId"])
		}
	}
	if !slices.Equal(patterns, []string{"/updates/*", "/downloads/*.zip"}) || !slices.Equal(s.cachedPaths, patterns) {
		t.Errorf("behaviours %v, cachedPaths output %v", patterns, s.cachedPaths)
	}
	if def["viewerProtocolPolicy"] != "redirect-to-https" || d["httpVersion"] != "http2and3" || d["priceClass"] != "PriceClass_All" {
		t.Errorf("viewer side: %v %v %v", def["viewerProtocolPolicy"], d["httpVersion"], d["priceClass"])
	}
	if vc := d["viewerCertificate"].(map[string]any); vc["minimumProtocolVersion"] != "TLSv1.2_2021" || !slices.Equal(toStrings(d["aliases"]), []string{"updates.example.com"}) {
		t.Errorf("custom domain: aliases %v certificate %v", d["aliases"], vc)
	}

	p := rec.Must(t, typeCachePolicy, "updates-updates-cache").Inputs
	if p["defaultTtl"] != 30*86400.0 || p["maxTtl"] != 365*86400.0 || p["minTtl"] != 0.0 {
		t.Errorf("update cache policy TTLs %v/%v/%v", p["minTtl"], p["defaultTtl"], p["maxTtl"])
	}
	key := p["parametersInCacheKeyAndForwardedToOrigin"].(map[string]any)
	if key["cookiesConfig"].(map[string]any)["cookieBehavior"] != "none" || key["headersConfig"].(map[string]any)["headerBehavior"] != "none" ||
		key["queryStringsConfig"].(map[string]any)["queryStringBehavior"] != "none" {
		t.Errorf("update cache key %v, want no cookies, headers or query strings", key)
	}
}

func TestVersionParameterIsTheOnlyQueryStringInTheKey(t *testing.T) {
	args := existingArgs()
	args.VersionQueryParam = "v"
	rec, _ := run(t, args)
	qs := rec.Must(t, typeCachePolicy, "updates-updates-cache").Inputs["parametersInCacheKeyAndForwardedToOrigin"].(map[string]any)["queryStringsConfig"].(map[string]any)
	if qs["queryStringBehavior"] != "whitelist" || !slices.Equal(toStrings(qs["queryStrings"].(map[string]any)["items"]), []string{"v"}) {
		t.Errorf("query strings %v, want only v", qs)
	}
}

func TestAccessLogsV2InUSEast1(t *testing.T) {
	rec, s := run(t, existingArgs())
	src := rec.Must(t, typeLogSource, "updates-logs-source")
	if src.Inputs["resourceArn"] != s.distArn || src.Inputs["logType"] != "ACCESS_LOGS" {
		t.Errorf("log source %v, want ACCESS_LOGS of %s", src.Inputs, s.distArn)
	}
	east := rec.Must(t, "pulumi:providers:aws", "east")
	for _, r := range []stacktest.Resource{src, rec.Must(t, typeLogDelivery, "updates-logs-delivery"), rec.Must(t, "aws:cloudwatch/logGroup:LogGroup", "updates-access-logs")} {
		if r.Provider != east.URN {
			t.Errorf("%s %s uses provider %q, want the us-east-1 one", r.Type, r.Name, r.Provider)
		}
	}
}

func TestSecretStaysSecret(t *testing.T) {
	for _, args := range []updateoffload.Args{existingArgs(), demoArgs()} {
		rec, _ := run(t, args)
		snap, err := rec.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(snap), secret) {
			t.Errorf("%s: the secret appears in the snapshot", args.Origin)
		}
		h := distribution(t, rec)["origins"].([]any)[0].(map[string]any)["customHeaders"].([]any)[0].(map[string]any)
		rule := rec.Must(t, typeRule, "updates-forward-cloudfront").Inputs["conditions"].([]any)[0].(map[string]any)["httpHeader"].(map[string]any)
		if h["value"] != "[secret]" || !slices.Equal(toStrings(rule["values"]), []string{"[secret]"}) {
			t.Errorf("%s: header value %v, rule values %v; want both recorded as secrets", args.Origin, h["value"], rule["values"])
		}
	}
}

func TestDemoOrigin(t *testing.T) {
	rec, s := run(t, demoArgs())
	o := distribution(t, rec)["origins"].([]any)[0].(map[string]any)
	if s.albDNS == "" || o["domainName"] != s.albDNS {
		t.Errorf("origin domain %v, want the demo ALB's DNS name %q", o["domainName"], s.albDNS)
	}
	if p := o["customOriginConfig"].(map[string]any)["originProtocolPolicy"]; p != "http-only" {
		t.Errorf("demo origin without a domain reached with %v, want http-only", p)
	}
	alb := rec.Must(t, typeALB, "updates-alb").Inputs
	if alb["dropInvalidHeaderFields"] != true || alb["internal"] != false {
		t.Errorf("ALB %v", alb)
	}
	ingress := rec.Must(t, typeIngress, "updates-alb-from-cloudfront").Inputs
	if ingress["prefixListId"] != cloudFrontList || ingress["fromPort"] != 80.0 {
		t.Errorf("ALB ingress %v", ingress)
	}
	listener := rec.Must(t, typeListener, "updates-listener").Inputs
	def := listener["defaultActions"].([]any)[0].(map[string]any)
	if def["type"] != "fixed-response" || def["fixedResponse"].(map[string]any)["statusCode"] != "403" {
		t.Errorf("listener default action %v, want 403", def)
	}
	if s.headerValue != secret || s.ruleValue != secret {
		t.Errorf("header %q rule %q", s.headerValue, s.ruleValue)
	}
	lt := rec.Must(t, typeTemplate, "updates-lt").Inputs
	if lt["metadataOptions"].(map[string]any)["httpTokens"] != "required" {
		t.Error("launch template does not require IMDSv2")
	}
	ebs := lt["blockDeviceMappings"].([]any)[0].(map[string]any)["ebs"].(map[string]any)
	if ebs["encrypted"] != "true" {
		t.Error("launch template volume is not encrypted")
	}
	asg := rec.Must(t, typeGroup, "updates-asg").Inputs
	if tgs := toStrings(asg["targetGroupArns"]); len(tgs) != 1 || !strings.Contains(tgs[0], ":targetgroup/updates-tg/") {
		t.Errorf("ASG serves %v, want the demo target group", tgs)
	}
	if s.lockdown != updateoffload.LockdownExclusive {
		t.Errorf("lock-down %q", s.lockdown)
	}
	var excused []string
	for _, sup := range policy.Suppressions(rec.Context) {
		excused = append(excused, sup.Rules...)
	}
	if !slices.Contains(excused, "CF-ORIGIN-HTTPS") {
		t.Errorf("the HTTP demo origin carries no reasoned exception: %v", excused)
	}
}

func TestDemoOriginWithDomainUsesHTTPS(t *testing.T) {
	args := demoArgs()
	args.DemoDomainName = "origin.dev.example.com"
	args.DemoHostedZone = "example.com"
	rec, _ := run(t, args)
	o := distribution(t, rec)["origins"].([]any)[0].(map[string]any)
	if o["domainName"] != "origin.dev.example.com" || o["customOriginConfig"].(map[string]any)["originProtocolPolicy"] != "https-only" {
		t.Errorf("origin %v, want https-only to origin.dev.example.com", o)
	}
	listener := rec.Must(t, typeListener, "updates-listener").Inputs
	if listener["protocol"] != "HTTPS" || listener["port"] != 443.0 || !strings.HasPrefix(listener["certificateArn"].(string), "arn:aws:acm:us-east-1:") {
		t.Errorf("listener %v", listener)
	}
	alias := rec.Must(t, "aws:route53/record:Record", "updates-origin-alias").Inputs
	if alias["name"] != "origin.dev.example.com" || alias["type"] != "A" {
		t.Errorf("alias %v", alias)
	}
	if ingress := rec.Must(t, typeIngress, "updates-alb-from-cloudfront").Inputs; ingress["fromPort"] != 443.0 {
		t.Errorf("ingress port %v, want 443", ingress["fromPort"])
	}
}

func TestPassesPolicyRules(t *testing.T) {
	demo := demoArgs()
	demo.Protect = true
	demo.DemoDomainName, demo.DemoHostedZone = "origin.example.com", "example.com"
	for name, args := range map[string]updateoffload.Args{"existing": existingArgs(), "demo": demo, "demo-http": demoArgs()} {
		t.Run(name, func(t *testing.T) {
			rec, _ := run(t, args)
			if err := policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.Production(args.Protect || name == "existing"), policy.WithConstraints()).Err(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRefusesBadArgs(t *testing.T) {
	both := existingArgs()
	both.DemoVpcID = pulumi.String("vpc-0123456789abcdef0")
	noSecret := demoArgs()
	noSecret.OriginSecret = nil
	relative := demoArgs()
	relative.Paths = []string{"updates/*"}
	everything := demoArgs()
	everything.Paths = []string{"/*"}
	reserved := demoArgs()
	reserved.SecretHeaderName = "X-Amz-Verify"
	noCert := demoArgs()
	noCert.DomainName = "updates.example.com"
	outside := demoArgs()
	outside.DemoDomainName, outside.DemoHostedZone = "origin.example.org", "example.com"
	long := demoArgs()
	long.CacheDays = 400
	for _, tc := range []struct {
		name string
		args updateoffload.Args
		want string
	}{
		{"neither origin", updateoffload.Args{OriginSecret: pulumi.String(secret)}, `Origin is missing: want "existing" (an existing ALB) or "demo"`},
		{"both origins", both, `DemoVpcID "(set)": want none, as Origin is "existing": choose one origin`},
		{"no secret", noSecret, "OriginSecret is missing"},
		{"relative path", relative, `Paths "updates/*": want path patterns that start with /`},
		{"whole site", everything, "want patterns narrower than the whole site"},
		{"reserved header", reserved, `SecretHeaderName "X-Amz-Verify": want a header name CloudFront may add`},
		{"domain without certificate", noCert, "CertificateArn is missing: want the ARN of an ACM certificate in us-east-1"},
		{"demo name outside its zone", outside, `DemoDomainName "origin.example.org": want a name inside the demo origin's zone example.com`},
		{"cache days", long, `CacheDays "400": want a whole number from 1 to 365`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stacktest.Run(func(ctx *pulumi.Context) error {
				east, err := aws.NewProvider(ctx, "east", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
				if err != nil {
					return err
				}
				tc.args.USEast1 = east
				_, err = updateoffload.New(ctx, "updates", tc.args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}
