package updateoffload

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
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
	o.Ingress, err = admit(ctx, name+"-alb-from-cloudfront", withRoomForPrefixList(ctx, name, args, pl, invoke),
		"HTTPS from CloudFront origin-facing servers only", 443, source{prefixList: pulumi.String(pl.id)}, child)
	if err != nil {
		return nil, fmt.Errorf("admitting CloudFront to the ALB of %s: %w", name, err)
	}
	o.ForwardRule, err = forwardRule(ctx, name, args, args.AlbListenerArn, args.RulePriority, args.AlbTargetGroupArn, secret, child)
	if err != nil {
		return nil, err
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

// source is where an ingress rule admits traffic from: a prefix list or
// another security group.
type source struct{ prefixList, group pulumi.StringInput }

// admit creates the ingress rule resourceName letting TCP on port into
// group from.
func admit(ctx *pulumi.Context, resourceName string, group pulumi.StringInput, description string, port int, from source, child []pulumi.ResourceOption) (*vpc.SecurityGroupIngressRule, error) {
	return vpc.NewSecurityGroupIngressRule(ctx, resourceName, &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           group,
		Description:               pulumi.String(description),
		PrefixListId:              from.prefixList,
		ReferencedSecurityGroupId: from.group,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(port),
		ToPort:                    pulumi.Int(port),
	}, child...)
}

// forwardRule creates the listener rule that forwards the requests carrying
// the secret header to the application's target group.
func forwardRule(ctx *pulumi.Context, name string, args *Args, listenerArn pulumi.StringInput, priority int, targetGroupArn pulumi.StringInput, secret pulumi.StringOutput, child []pulumi.ResourceOption) (*lb.ListenerRule, error) {
	rule, err := lb.NewListenerRule(ctx, name+"-forward-cloudfront", &lb.ListenerRuleArgs{
		ListenerArn: listenerArn,
		Priority:    pulumi.Int(priority),
		Conditions:  secretHeader(args.SecretHeaderName, secret),
		Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: targetGroupArn,
		}},
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating the secret-header rule of %s: %w", name, err)
	}
	return rule, nil
}
