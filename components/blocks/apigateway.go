package blocks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/policy"
)

// Log groups API Gateway writes to: execution logs go to a group it names
// itself, access logs to the groups ServerlessAPI creates under
// APIGatewayAccessLogPrefix.
const (
	APIGatewayExecutionLogPrefix = "API-Gateway-Execution-Logs_"
	APIGatewayAccessLogPrefix    = "/aws/apigateway/"
)

// NewAPIGatewayAccount sets the API Gateway account settings of the region
// of opts' provider: the role API Gateway assumes to write execution and
// access logs. Without it, a stage with logging fails to deploy ("CloudWatch
// Logs role ARN must be set in account settings").
//
// The setting is a singleton per account and region, shared by every REST
// API there: create it once per program, before any API with logging, and
// pass it to each of them. The role may write only to API Gateway's own
// execution log groups and to access log groups under
// APIGatewayAccessLogPrefix. On destroy the setting is reset.
func NewAPIGatewayAccount(ctx *pulumi.Context, name string, opts ...pulumi.ResourceOption) (*apigateway.Account, error) {
	invoke := invokeOptions(opts)
	id, err := aws.GetCallerIdentity(ctx, nil, invoke...)
	if err != nil {
		return nil, fmt.Errorf("looking up the account for %s: %w", name, err)
	}
	region, err := aws.GetRegion(ctx, nil, invoke...)
	if err != nil {
		return nil, fmt.Errorf("looking up the region for %s: %w", name, err)
	}
	logs := func(suffix string) pulumi.String {
		return pulumi.String(fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region.Name, id.AccountId, suffix))
	}

	role, err := iam.NewRole(ctx, name+"-cloudwatch-role", &iam.RoleArgs{
		AssumeRolePolicy: AssumeRolePolicy("apigateway.amazonaws.com"),
		Description:      pulumi.String("Lets API Gateway write the execution and access logs of REST APIs in this region"),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating API Gateway logging role: %w", err)
	}
	pol, err := iam.NewRolePolicy(ctx, name+"-cloudwatch-policy", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: PolicyJSON(Statement{
			Sid:       "WriteAPILogs",
			Actions:   []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
			Resources: pulumi.StringArray{logs(APIGatewayExecutionLogPrefix + "*"), logs(APIGatewayAccessLogPrefix + "*")},
		}, Statement{
			// API Gateway lists log groups to find its own.
			// DescribeLogGroups has no resource-level permission (Service
			// Authorization Reference, CloudWatch Logs): a statement scoped
			// to log-group ARNs never matches it, so "*" is the only
			// resource that grants it. It returns names and settings, no
			// log data.
			Sid:       "FindLogGroups",
			Actions:   []string{"logs:DescribeLogGroups"},
			Resources: pulumi.StringArray{pulumi.String("*")},
		}),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating API Gateway logging policy: %w", err)
	}
	policy.Suppress(ctx, pol, "logs:DescribeLogGroups supports no resource-level permission and returns log group names only; "+
		"every write is scoped to API Gateway's own log groups", "IAM-WILDCARD-RESOURCE")
	acct, err := apigateway.NewAccount(ctx, name, &apigateway.AccountArgs{
		CloudwatchRoleArn: role.Arn,
		ResetOnDelete:     pulumi.Bool(true),
	}, With(opts, pulumi.DependsOn([]pulumi.Resource{pol}))...)
	if err != nil {
		return nil, fmt.Errorf("setting API Gateway account logging role: %w", err)
	}
	return acct, nil
}

// invokeOptions carries the parent and provider of resource options over to
// invokes, so data sources answer for the same region as the resources.
func invokeOptions(opts []pulumi.ResourceOption) []pulumi.InvokeOption {
	ro, err := pulumi.NewResourceOptions(opts...)
	if err != nil {
		return nil
	}
	var out []pulumi.InvokeOption
	if ro.Parent != nil {
		out = append(out, pulumi.Parent(ro.Parent))
	}
	if ro.Provider != nil {
		out = append(out, pulumi.Provider(ro.Provider))
	}
	return out
}
