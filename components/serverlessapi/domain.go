package serverlessapi

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// DomainArgs serves the API on a custom domain name. Plain values: they
// decide which resources exist.
type DomainArgs struct {
	// Name is the domain name, e.g. api.example.com.
	Name string
	// HostedZone is the public Route 53 hosted zone that holds Name; default
	// Name without its first label (example.com).
	HostedZone string
	// BasePath maps the API under a path of the domain; empty maps it at
	// the root.
	BasePath string
}

func (d *DomainArgs) zone() string {
	if d.HostedZone != "" {
		return d.HostedZone
	}
	return d.Name[strings.Index(d.Name, ".")+1:]
}

func (d *DomainArgs) validate() error {
	if !blocks.IsHostname(d.Name) {
		return fmt.Errorf("domain %q: want a lower-case DNS name such as api.example.com", d.Name)
	}
	if z := d.zone(); !blocks.InZone(d.Name, z) {
		return fmt.Errorf("hosted zone %q: want a DNS name that %s is in", z, d.Name)
	}
	if strings.Contains(d.BasePath, "/") {
		return fmt.Errorf("base path %q: want a single path segment", d.BasePath)
	}
	return nil
}

// domain, if the API has a custom domain, creates the regional certificate
// (validated through DNS), the custom domain name with TLS 1.2 at least,
// its mapping to the stage and the alias record, and makes its URL the
// API's.
func (b *builder) domain() error {
	ctx, d, n := b.ctx, b.args.Domain, b.name
	if d == nil {
		return nil
	}
	zone, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{Name: pulumi.StringRef(d.zone())}, pulumi.Parent(b.c))
	if err != nil {
		return fmt.Errorf("looking up hosted zone %s: %w", d.zone(), err)
	}
	certArn, err := blocks.NewDNSCertificate(ctx, n, blocks.CertificateArgs{
		Domain: d.Name, ZoneID: pulumi.String(zone.ZoneId), RecordName: n + "-certificate-validation",
	}, b.child, b.child)
	if err != nil {
		return err
	}
	dn, err := apigateway.NewDomainName(ctx, n+"-domain", &apigateway.DomainNameArgs{
		DomainName:             pulumi.String(d.Name),
		RegionalCertificateArn: certArn,
		EndpointConfiguration:  &apigateway.DomainNameEndpointConfigurationArgs{Types: pulumi.String("REGIONAL")},
		SecurityPolicy:         pulumi.String("TLS_1_2"),
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating domain name: %w", err)
	}
	if _, err := apigateway.NewBasePathMapping(ctx, n+"-base-path", &apigateway.BasePathMappingArgs{
		DomainName: dn.DomainName,
		RestApi:    b.api.ID(),
		StageName:  b.c.Stage.StageName,
		BasePath:   optional(d.BasePath),
	}, b.child...); err != nil {
		return fmt.Errorf("mapping domain to stage: %w", err)
	}
	if _, err := route53.NewRecord(ctx, n+"-domain", &route53.RecordArgs{
		ZoneId: pulumi.String(zone.ZoneId),
		Name:   pulumi.String(d.Name),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
			Name:                 dn.RegionalDomainName,
			ZoneId:               dn.RegionalZoneId,
			EvaluateTargetHealth: pulumi.Bool(false),
		}},
	}, b.child...); err != nil {
		return fmt.Errorf("creating alias record: %w", err)
	}
	url := "https://" + d.Name + "/"
	if d.BasePath != "" {
		url += d.BasePath + "/"
	}
	b.url = pulumi.String(url).ToStringOutput()
	return nil
}
