package blocks

import (
	"cmp"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CertificateArgs configures NewDNSCertificate.
type CertificateArgs struct {
	// Domain is the certificate's name; ZoneID the Route 53 public zone
	// that holds it, where the validation record goes.
	Domain string
	ZoneID pulumi.StringInput
	// KeyAlgorithm is ACM's key algorithm, e.g. "EC_prime256v1"; "" for
	// ACM's default, RSA_2048.
	KeyAlgorithm string
	// CertificateName, RecordName and ValidationName name the three
	// resources (default <name>-certificate, <name>-certificate-dns and
	// <name>-certificate-validation), for components whose deployed stacks
	// hold them under other names.
	CertificateName, RecordName, ValidationName string
}

// NewDNSCertificate requests an ACM certificate for args.Domain, publishes
// its DNS validation record in the zone and waits for ACM to issue it. It
// returns the ARN of the issued certificate: use it, not the request's, so
// nothing is attached before validation. certOpts place the certificate
// (a CloudFront certificate must be in us-east-1); recordOpts the record.
func NewDNSCertificate(ctx *pulumi.Context, name string, args CertificateArgs, certOpts, recordOpts []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	ca := &acm.CertificateArgs{DomainName: pulumi.String(args.Domain), ValidationMethod: pulumi.String("DNS")}
	if args.KeyAlgorithm != "" {
		ca.KeyAlgorithm = pulumi.String(args.KeyAlgorithm)
	}
	cert, err := acm.NewCertificate(ctx, cmp.Or(args.CertificateName, name+"-certificate"), ca, certOpts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("requesting the certificate of %s: %w", args.Domain, err)
	}
	option := cert.DomainValidationOptions.Index(pulumi.Int(0))
	record, err := route53.NewRecord(ctx, cmp.Or(args.RecordName, name+"-certificate-dns"), &route53.RecordArgs{
		ZoneId:         args.ZoneID,
		Name:           option.ResourceRecordName().Elem(),
		Type:           option.ResourceRecordType().Elem(),
		Records:        pulumi.StringArray{option.ResourceRecordValue().Elem()},
		Ttl:            pulumi.Int(300),
		AllowOverwrite: pulumi.Bool(true),
	}, recordOpts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("publishing the validation record of %s: %w", args.Domain, err)
	}
	valid, err := acm.NewCertificateValidation(ctx, cmp.Or(args.ValidationName, name+"-certificate-validation"), &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{record.Fqdn},
	}, certOpts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("waiting for the certificate of %s: %w", args.Domain, err)
	}
	return valid.CertificateArn, nil
}
