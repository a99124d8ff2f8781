package updateoffload

import (
	"encoding/base64"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// demoOrigin creates a small application that serves update files: an ALB
// whose security group admits only CloudFront, a listener that answers 403
// unless the secret header is present, and an Auto Scaling group of
// IMDSv2-only instances with encrypted volumes behind it.
func demoOrigin(ctx *pulumi.Context, name string, args *Args, prefixListID string, secret pulumi.StringOutput, child []pulumi.ResourceOption, invoke pulumi.InvokeOption) (*Origin, error) {
	o := &Origin{lockdown: LockdownExclusive, protocol: "http"}
	if args.DemoDomainName != "" {
		o.protocol = "https"
	}
	servers, err := o.demoSecurityGroups(ctx, name, args, prefixListID, child)
	if err != nil {
		return nil, err
	}
	if err := o.demoLoadBalancer(ctx, name, args, child); err != nil {
		return nil, err
	}
	if err := o.demoServers(ctx, name, args, servers, child); err != nil {
		return nil, err
	}
	if err := o.demoListener(ctx, name, args, secret, child, invoke); err != nil {
		return nil, err
	}
	o.ready = append(o.ready, o.Ingress, o.ForwardRule)
	return o, nil
}

// port is the port CloudFront reaches the demo ALB on.
func (o *Origin) port() int {
	if o.protocol == "https" {
		return 443
	}
	return 80
}

// demoSecurityGroups creates the ALB's group, which admits only CloudFront's
// origin-facing servers, and the servers' group, which admits only the ALB,
// and returns the servers' group.
func (o *Origin) demoSecurityGroups(ctx *pulumi.Context, name string, args *Args, prefixListID string, child []pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	group := func(suffix, description string) (*ec2.SecurityGroup, error) {
		sg, err := ec2.NewSecurityGroup(ctx, name+suffix, &ec2.SecurityGroupArgs{VpcId: args.DemoVpcID, Description: pulumi.String(description)}, child...)
		if err != nil {
			return nil, fmt.Errorf("creating security group %s%s: %w", name, suffix, err)
		}
		return sg, nil
	}
	albSG, err := group("-alb-sg", "Demo update origin ALB: CloudFront only")
	if err != nil {
		return nil, err
	}
	o.SecurityGroup = albSG
	serverSG, err := group("-server-sg", "Demo update servers: the ALB only")
	if err != nil {
		return nil, err
	}
	o.Ingress, err = admit(ctx, name+"-alb-from-cloudfront", albSG.ID(), "CloudFront origin-facing servers only", o.port(),
		source{prefixList: pulumi.String(prefixListID)}, child)
	if err != nil {
		return nil, fmt.Errorf("admitting CloudFront to the ALB of %s: %w", name, err)
	}
	// Security groups created by Pulumi start without egress: open exactly
	// the path from the ALB to the servers.
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-alb-to-servers", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: albSG.ID(), ReferencedSecurityGroupId: serverSG.ID(),
		Description: pulumi.String("HTTP to the update servers"),
		IpProtocol:  pulumi.String("tcp"), FromPort: pulumi.Int(80), ToPort: pulumi.Int(80),
	}, child...); err != nil {
		return nil, fmt.Errorf("letting the ALB of %s reach its servers: %w", name, err)
	}
	if _, err := admit(ctx, name+"-servers-from-alb", serverSG.ID(), "HTTP from the ALB only", 80, source{group: albSG.ID()}, child); err != nil {
		return nil, fmt.Errorf("admitting the ALB to the servers of %s: %w", name, err)
	}
	return serverSG, nil
}

// demoLoadBalancer creates the ALB in the demo subnets and the servers'
// target group.
func (o *Origin) demoLoadBalancer(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	alb, err := lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		SecurityGroups:           pulumi.StringArray{o.SecurityGroup.ID()},
		Subnets:                  args.DemoSubnetIDs,
		DropInvalidHeaderFields:  pulumi.Bool(true),
		EnableDeletionProtection: pulumi.Bool(args.Protect),
	}, child...)
	if err != nil {
		return fmt.Errorf("creating ALB of %s: %w", name, err)
	}
	o.LoadBalancer = alb
	o.LoadBalancerArn = alb.Arn
	o.DomainName = alb.DnsName
	o.TargetGroup, err = lb.NewTargetGroup(ctx, name+"-tg", &lb.TargetGroupArgs{
		VpcId:               args.DemoVpcID,
		Port:                pulumi.Int(80),
		Protocol:            pulumi.String("HTTP"),
		TargetType:          pulumi.String("instance"),
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Path: pulumi.String("/healthz"), Protocol: pulumi.String("HTTP"), Matcher: pulumi.String("200"),
		},
	}, child...)
	if err != nil {
		return fmt.Errorf("creating target group of %s: %w", name, err)
	}
	return nil
}

// demoServers creates the servers' launch template and their Auto Scaling
// group in the target group.
func (o *Origin) demoServers(ctx *pulumi.Context, name string, args *Args, servers *ec2.SecurityGroup, child []pulumi.ResourceOption) error {
	lt, err := ec2.NewLaunchTemplate(ctx, name+"-lt", &ec2.LaunchTemplateArgs{
		Description: pulumi.String("Demo update server of " + name),
		// The latest Amazon Linux 2023 for arm64, resolved by EC2 at launch.
		ImageId:              pulumi.String("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"),
		InstanceType:         pulumi.String(args.DemoInstanceType),
		VpcSecurityGroupIds:  pulumi.StringArray{servers.ID()},
		UserData:             pulumi.String(base64.StdEncoding.EncodeToString([]byte(demoUserData))),
		UpdateDefaultVersion: pulumi.Bool(true),
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"), // IMDSv2 only
			HttpPutResponseHopLimit: pulumi.Int(1),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				Encrypted:           pulumi.String("true"),
				VolumeType:          pulumi.String("gp3"),
				VolumeSize:          pulumi.Int(8),
				DeleteOnTermination: pulumi.String("true"),
			},
		}},
	}, child...)
	if err != nil {
		return fmt.Errorf("creating launch template of %s: %w", name, err)
	}
	o.LaunchTemplate = lt
	o.Group, err = autoscaling.NewGroup(ctx, name+"-asg", &autoscaling.GroupArgs{
		MinSize:                pulumi.Int(1),
		MaxSize:                pulumi.Int(2),
		DesiredCapacity:        pulumi.Int(1),
		VpcZoneIdentifiers:     args.DemoSubnetIDs,
		TargetGroupArns:        pulumi.StringArray{o.TargetGroup.Arn},
		HealthCheckType:        pulumi.String("ELB"),
		HealthCheckGracePeriod: pulumi.Int(120),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id:      lt.ID(),
			Version: pulumi.Sprintf("%d", lt.LatestVersion),
		},
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy:    pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{MinHealthyPercentage: pulumi.Int(50)},
		},
	}, child...)
	if err != nil {
		return fmt.Errorf("creating Auto Scaling group of %s: %w", name, err)
	}
	return nil
}

// demoListener creates the ALB's listener, whose default action answers
// 403 (over HTTPS with the demo domain's certificate, when there is one),
// and the rule forwarding CloudFront's requests to the servers.
func (o *Origin) demoListener(ctx *pulumi.Context, name string, args *Args, secret pulumi.StringOutput, child []pulumi.ResourceOption, invoke pulumi.InvokeOption) error {
	listener := &lb.ListenerArgs{
		LoadBalancerArn: o.LoadBalancer.Arn,
		Port:            pulumi.Int(o.port()),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("fixed-response"),
			FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
				ContentType: forbidden.ContentType, MessageBody: forbidden.MessageBody, StatusCode: forbidden.StatusCode,
			},
		}},
	}
	if args.DemoDomainName != "" {
		certArn, ready, err := demoCertificate(ctx, name, args, o.LoadBalancer, child, invoke)
		if err != nil {
			return err
		}
		listener.Protocol = pulumi.String("HTTPS")
		listener.CertificateArn = certArn
		listener.SslPolicy = pulumi.String("ELBSecurityPolicy-TLS13-1-2-2021-06")
		o.DomainName = pulumi.String(args.DemoDomainName).ToStringOutput()
		o.ready = append(o.ready, ready...)
	}
	var err error
	o.Listener, err = lb.NewListener(ctx, name+"-listener", listener, child...)
	if err != nil {
		return fmt.Errorf("creating listener of %s: %w", name, err)
	}
	o.ForwardRule, err = forwardRule(ctx, name, args, o.Listener.Arn, 1, o.TargetGroup.Arn, secret, child)
	return err
}

// demoCertificate issues a DNS-validated certificate for the demo origin's
// name and points the name at the ALB.
func demoCertificate(ctx *pulumi.Context, name string, args *Args, alb *lb.LoadBalancer, child []pulumi.ResourceOption, invoke pulumi.InvokeOption) (pulumi.StringOutput, []pulumi.Resource, error) {
	zone, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{Name: pulumi.StringRef(args.DemoHostedZone), PrivateZone: pulumi.BoolRef(false)}, invoke)
	if err != nil {
		return pulumi.StringOutput{}, nil, fmt.Errorf("looking up zone %s for %s: %w", args.DemoHostedZone, name, err)
	}
	arn, err := blocks.NewDNSCertificate(ctx, name+"-origin", blocks.CertificateArgs{
		Domain: args.DemoDomainName, ZoneID: pulumi.String(zone.ZoneId),
		CertificateName: name + "-origin-cert", RecordName: name + "-origin-cert-validation", ValidationName: name + "-origin-cert-valid",
	}, child, child)
	if err != nil {
		return pulumi.StringOutput{}, nil, fmt.Errorf("origin of %s: %w", name, err)
	}
	alias, err := route53.NewRecord(ctx, name+"-origin-alias", &route53.RecordArgs{
		ZoneId: pulumi.String(zone.ZoneId),
		Name:   pulumi.String(args.DemoDomainName),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
			Name: alb.DnsName, ZoneId: alb.ZoneId, EvaluateTargetHealth: pulumi.Bool(true),
		}},
	}, child...)
	if err != nil {
		return pulumi.StringOutput{}, nil, fmt.Errorf("pointing %s at the ALB of %s: %w", args.DemoDomainName, name, err)
	}
	return arn, []pulumi.Resource{alias}, nil
}

// demoUserData turns an Amazon Linux 2023 instance into an update server:
// Python's static file server (a dynamic user, with only the capability to
// bind port 80) serves a page standing in for the application at /, a
// health check at /healthz and release files under /updates/.
const demoUserData = `#!/bin/bash
set -euo pipefail
mkdir -p /srv/www/updates
cd /srv/www
echo ok > healthz
cat > index.html <<'EOF'
<!doctype html><title>Demo application</title><p>This page comes from the application and is never cached.</p>
EOF
for platform in linux-arm64 linux-amd64 windows-amd64; do
  head -c 16777216 /dev/zero > "updates/app-1.0.0-${platform}.bin"
done
printf '{"version":"1.0.0"}\n' > updates/latest.json
cat > /etc/systemd/system/demo-updates.service <<'EOF'
[Unit]
Description=Demo update server
After=network-online.target

[Service]
DynamicUser=yes
AmbientCapabilities=CAP_NET_BIND_SERVICE
WorkingDirectory=/srv/www
ExecStart=/usr/bin/python3 -m http.server 80 --bind 0.0.0.0
Restart=always

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload
systemctl enable --now demo-updates.service
`
