package updateoffload_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/updateoffload"
)

// An application served by an existing ALB gets a CDN for its update files.
// The recording shows the origin CloudFront reaches, the header it adds
// (its value is a secret) and the lock on the ALB's security group.
func Example() {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := updateoffload.New(ctx, "updates", updateoffload.Args{
			Origin:             updateoffload.OriginExisting,
			AlbDNSName:         pulumi.String("origin.example.com"), // covered by the listener's certificate
			AlbArn:             pulumi.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188"),
			AlbSecurityGroupID: pulumi.String("sg-0123456789abcdef0"),
			AlbListenerArn:     pulumi.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2"),
			AlbTargetGroupArn:  pulumi.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/73e2d6bc24d8a067"),
			OriginSecret:       pulumi.String("use-pulumi-config-RequireSecret-0123456789"),
			Paths:              []string{"/updates/*"},
		})
		return err
	}, stacktest.Project("serverless-arch"), stacktest.Stack("prod"))
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := rec.Get("aws:cloudfront/distribution:Distribution", "updates-cdn")
	origin := d.Inputs["origins"].([]any)[0].(map[string]any)
	header := origin["customHeaders"].([]any)[0].(map[string]any)
	fmt.Println("origin:", origin["domainName"], origin["customOriginConfig"].(map[string]any)["originProtocolPolicy"])
	fmt.Println("header:", header["name"], header["value"])
	in, _ := rec.Get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "updates-alb-from-cloudfront")
	fmt.Println("ALB admits:", in.Inputs["prefixListId"], "on port", in.Inputs["fromPort"])
	// Output:
	// origin: origin.example.com https-only
	// header: X-Origin-Verify [secret]
	// ALB admits: pl-3b927c52 on port 443
}
