package welcomemailer

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ses"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sesv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// createSES creates the configuration set, the identity (with DKIM records
// when a zone is given) and the template.
func (m *WelcomeMailer) createSES(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) error {
	cs, err := sesv2.NewConfigurationSet(ctx, name+"-config-set", &sesv2.ConfigurationSetArgs{
		ConfigurationSetName: pulumi.String(blocks.PhysicalName(ctx, name, 64)),
		DeliveryOptions:      &sesv2.ConfigurationSetDeliveryOptionsArgs{TlsPolicy: pulumi.String("REQUIRE")},
		ReputationOptions:    &sesv2.ConfigurationSetReputationOptionsArgs{ReputationMetricsEnabled: pulumi.Bool(true)},
		SendingOptions:       &sesv2.ConfigurationSetSendingOptionsArgs{SendingEnabled: pulumi.Bool(true)},
		SuppressionOptions: &sesv2.ConfigurationSetSuppressionOptionsArgs{
			SuppressedReasons: pulumi.StringArray{pulumi.String("BOUNCE"), pulumi.String("COMPLAINT")},
		},
	}, parent)
	if err != nil {
		return fmt.Errorf("creating SES configuration set of %s: %w", name, err)
	}
	m.ConfigurationSet = cs

	idArgs := &sesv2.EmailIdentityArgs{
		EmailIdentity:        pulumi.String(args.Identity),
		ConfigurationSetName: cs.ConfigurationSetName,
	}
	if !IsAddress(args.Identity) {
		idArgs.DkimSigningAttributes = &sesv2.EmailIdentityDkimSigningAttributesArgs{
			NextSigningKeyLength: pulumi.String("RSA_2048_BIT"),
		}
	}
	identity, err := sesv2.NewEmailIdentity(ctx, name+"-identity", idArgs, parent)
	if err != nil {
		return fmt.Errorf("creating SES identity of %s: %w", name, err)
	}
	m.Identity = identity

	if args.HostedZoneID != nil {
		tokens := identity.DkimSigningAttributes.Tokens()
		// Easy DKIM always issues three tokens.
		for i := range 3 {
			token := tokens.Index(pulumi.Int(i))
			if _, err := route53.NewRecord(ctx, fmt.Sprintf("%s-dkim-%d", name, i), &route53.RecordArgs{
				ZoneId:  args.HostedZoneID,
				Name:    pulumi.Sprintf("%s._domainkey.%s", token, args.Identity),
				Type:    pulumi.String("CNAME"),
				Ttl:     pulumi.Int(1800),
				Records: pulumi.StringArray{pulumi.Sprintf("%s.dkim.amazonses.com", token)},
			}, parent); err != nil {
				return fmt.Errorf("publishing DKIM record %d of %s: %w", i, name, err)
			}
		}
	}

	tpl, err := ses.NewTemplate(ctx, name+"-template", &ses.TemplateArgs{
		// SES v1 and v2 share one template store: a template created here
		// is what SES v2 SendEmail finds under Content.Template.TemplateName.
		Name:    pulumi.String(blocks.PhysicalName(ctx, name+"-welcome", 64)),
		Subject: pulumi.String(args.Subject),
		Text:    pulumi.String(args.Text),
		Html:    pulumi.String(args.HTML),
	}, parent)
	if err != nil {
		return fmt.Errorf("creating SES template of %s: %w", name, err)
	}
	m.Template = tpl
	return nil
}
