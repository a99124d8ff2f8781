package updateoffload

import (
	"encoding/base64"
	"fmt"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Origin is the load balancer behind the CDN and what locks it down.
type Origin struct {
	// DomainName is the name CloudFront connects to.
	DomainName pulumi.StringOutput
	// LoadBalancerArn is the ALB's ARN.
	LoadBalancerArn pulumi.StringOutput
	// Ingress admits CloudFront's origin-facing prefix list to the ALB.
	Ingress *vpc.SecurityGroupIngressRule
	// ForwardRule forwards requests that carry the secret header.
	ForwardRule *lb.ListenerRule
	// DenyRule (existing ALB) answers every other request with 403; on the
	// demo listener its default action does.
	DenyRule *lb.ListenerRule

	// The demo origin's resources; nil for an existing ALB.
	LoadBalancer   *lb.LoadBalancer
	Listener       *lb.Listener
	TargetGroup    *lb.TargetGroup
	LaunchTemplate *ec2.LaunchTemplate
	Group          *autoscaling.Group
	SecurityGroup  *ec2.SecurityGroup

	lockdown string
	protocol string // "https" or "http"
	// ready is what must exist before CloudFront sends traffic.
	ready []pulumi.Resource
}

var forbidden = &lb.ListenerRuleActionFixedResponseArgs{
	ContentType: pulumi.String("text/plain"),
	MessageBody: pulumi.String("Forbidden"),
	StatusCode:  pulumi.String("403"),
}

// secretHeader is the listener condition that matches only CloudFront's
// requests.
func secretHeader(header string, secret pulumi.StringOutput) lb.ListenerRuleConditionArray {
	return lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
		HttpHeader: &lb.ListenerRuleConditionHttpHeaderArgs{
			HttpHeaderName: pulumi.String(header),
			Values:         pulumi.StringArray{secret},
		},
	}}
}

// existingOrigin locks an existing ALB down: a prefix-list ingress rule on
// its security group, and on its HTTPS listener a rule forwarding requests
// with the secret header to the application, followed by a catch-all 403.
// The listener's default action and its other rules are left alone; they
// are shadowed by the catch-all, so an application with several routing
// rules adds the header condition to them instead.
func existingOrigin(ctx *pulumi.Context, name string, args *Args, pl prefixList, secret pulumi.StringOutput, child []pulumi.ResourceOption, invoke pulumi.InvokeOption) (*Origin, error) {
	o := &Origin{
		DomainName:      args.AlbDNSName.ToStringOutput(),
		LoadBalancerArn: args.AlbArn.ToStringOutput(),
		lockdown:        LockdownAdded,
		protocol:        "https",
	}
	var err error
	o.Ingress, err = vpc.NewSecurityGroupIngressRule(ctx, name+"-alb-from-cloudfront", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: withRoomForPrefixList(ctx, name, args, pl, invoke),
		Description:     pulumi.String("HTTPS from CloudFront origin-facing servers only"),
		PrefixListId:    pulumi.String(pl.id),
		IpProtocol:      pulumi.String("tcp"),
		FromPort:        pulumi.Int(443),
		ToPort:          pulumi.Int(443),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("admitting CloudFront to the ALB of %s: %w", name, err)
	}
	o.ForwardRule, err = lb.NewListenerRule(ctx, name+"-forward-cloudfront", &lb.ListenerRuleArgs{
		ListenerArn: args.AlbListenerArn,
		Priority:    pulumi.Int(args.RulePriority),
		Conditions:  secretHeader(args.SecretHeaderName, secret),
		Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: args.AlbTargetGroupArn,
		}},
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating the secret-header rule of %s: %w", name, err)
	}
	o.DenyRule, err = lb.NewListenerRule(ctx, name+"-deny-others", &lb.ListenerRuleArgs{
		ListenerArn: args.AlbListenerArn,
		Priority:    pulumi.Int(args.RulePriority + 1),
		Conditions: lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
			PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.StringArray{pulumi.String("*")}},
		}},
		Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{Type: pulumi.String("fixed-response"), FixedResponse: forbidden}},
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating the catch-all 403 rule of %s: %w", name, err)
	}
	o.ready = []pulumi.Resource{o.Ingress, o.ForwardRule}
	return o, nil
}

// demoOrigin creates a small application that serves update files: an ALB
// whose security group admits only CloudFront, a listener that answers 403
// unless the secret header is present, and an Auto Scaling group of
// IMDSv2-only instances with encrypted volumes behind it.
func demoOrigin(ctx *pulumi.Context, name string, args *Args, prefixListID string, secret pulumi.StringOutput, child []pulumi.ResourceOption, invoke pulumi.InvokeOption) (*Origin, error) {
	o := &Origin{lockdown: LockdownExclusive, protocol: "http"}
	port, listenerProtocol := 80, "HTTP"
	if args.DemoDomainName != "" {
		o.protocol, port, listenerProtocol = "https", 443, "HTTPS"
	}

	albSG, err := ec2.NewSecurityGroup(ctx, name+"-alb-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.DemoVpcID,
		Description: pulumi.String("Demo update origin ALB: CloudFront only"),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating ALB security group of %s: %w", name, err)
	}
	o.SecurityGroup = albSG
	serverSG, err := ec2.NewSecurityGroup(ctx, name+"-server-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.DemoVpcID,
		Description: pulumi.String("Demo update servers: the ALB only"),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating server security group of %s: %w", name, err)
	}
	o.Ingress, err = vpc.NewSecurityGroupIngressRule(ctx, name+"-alb-from-cloudfront", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: albSG.ID(),
		Description:     pulumi.String("CloudFront origin-facing servers only"),
		PrefixListId:    pulumi.String(prefixListID),
		IpProtocol:      pulumi.String("tcp"),
		FromPort:        pulumi.Int(port),
		ToPort:          pulumi.Int(port),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("admitting CloudFront to the ALB of %s: %w", name, err)
	}
	// Security groups created by Pulumi start without egress: open exactly
	// the path from the ALB to the servers.
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-alb-to-servers", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           albSG.ID(),
		Description:               pulumi.String("HTTP to the update servers"),
		ReferencedSecurityGroupId: serverSG.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
	}, child...); err != nil {
		return nil, fmt.Errorf("letting the ALB of %s reach its servers: %w", name, err)
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-servers-from-alb", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           serverSG.ID(),
		Description:               pulumi.String("HTTP from the ALB only"),
		ReferencedSecurityGroupId: albSG.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(80),
		ToPort:                    pulumi.Int(80),
	}, child...); err != nil {
		return nil, fmt.Errorf("admitting the ALB to the servers of %s: %w", name, err)
	}

	alb, err := lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		SecurityGroups:           pulumi.StringArray{albSG.ID()},
		Subnets:                  args.DemoSubnetIDs,
		DropInvalidHeaderFields:  pulumi.Bool(true),
		EnableDeletionProtection: pulumi.Bool(args.Protect),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating ALB of %s: %w", name, err)
	}
	o.LoadBalancer = alb
	o.LoadBalancerArn = alb.Arn
	tg, err := lb.NewTargetGroup(ctx, name+"-tg", &lb.TargetGroupArgs{
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
		return nil, fmt.Errorf("creating target group of %s: %w", name, err)
	}
	o.TargetGroup = tg

	lt, err := ec2.NewLaunchTemplate(ctx, name+"-lt", &ec2.LaunchTemplateArgs{
		Description: pulumi.String("Demo update server of " + name),
		// The latest Amazon Linux 2023 for arm64, resolved by EC2 at launch.
		ImageId:              pulumi.String("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"),
		InstanceType:         pulumi.String(args.DemoInstanceType),
		VpcSecurityGroupIds:  pulumi.StringArray{serverSG.ID()},
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
		return nil, fmt.Errorf("creating launch template of %s: %w", name, err)
	}
	o.LaunchTemplate = lt
	o.Group, err = autoscaling.NewGroup(ctx, name+"-asg", &autoscaling.GroupArgs{
		MinSize:                pulumi.Int(1),
		MaxSize:                pulumi.Int(2),
		DesiredCapacity:        pulumi.Int(1),
		VpcZoneIdentifiers:     args.DemoSubnetIDs,
		TargetGroupArns:        pulumi.StringArray{tg.Arn},
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
		return nil, fmt.Errorf("creating Auto Scaling group of %s: %w", name, err)
	}

	listener := &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(port),
		Protocol:        pulumi.String(listenerProtocol),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("fixed-response"),
			FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
				ContentType: forbidden.ContentType, MessageBody: forbidden.MessageBody, StatusCode: forbidden.StatusCode,
			},
		}},
	}
	o.DomainName = alb.DnsName
	if args.DemoDomainName != "" {
		certArn, ready, err := demoCertificate(ctx, name, args, alb, child, invoke)
		if err != nil {
			return nil, err
		}
		listener.CertificateArn = certArn
		listener.SslPolicy = pulumi.String("ELBSecurityPolicy-TLS13-1-2-2021-06")
		o.DomainName = pulumi.String(args.DemoDomainName).ToStringOutput()
		o.ready = append(o.ready, ready...)
	}
	o.Listener, err = lb.NewListener(ctx, name+"-listener", listener, child...)
	if err != nil {
		return nil, fmt.Errorf("creating listener of %s: %w", name, err)
	}
	o.ForwardRule, err = lb.NewListenerRule(ctx, name+"-forward-cloudfront", &lb.ListenerRuleArgs{
		ListenerArn: o.Listener.Arn,
		Priority:    pulumi.Int(1),
		Conditions:  secretHeader(args.SecretHeaderName, secret),
		Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: tg.Arn,
		}},
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating the secret-header rule of %s: %w", name, err)
	}
	o.ready = append(o.ready, o.Ingress, o.ForwardRule)
	return o, nil
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
