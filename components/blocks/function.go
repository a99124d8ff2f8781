package blocks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/fnbuild"
)

// FunctionsPath is the import path of the module's handler packages.
const FunctionsPath = "github.com/gopherstack/serverless-arch/functions/"

// PackageTag is the tag of every function NewFunction creates whose value
// is the import path of the Go package it was built from.
const PackageTag = "serverless-arch:package"

// Defaults of FunctionArgs, exported so that local runs give a function the
// same limits as the cloud.
const (
	DefaultMemorySize       = 256 // MB
	DefaultTimeout          = 10  // seconds
	DefaultLogRetentionDays = 30
)

// FunctionArgs configures NewFunction.
type FunctionArgs struct {
	// Package is the Go main package of the handler: an import path, or a
	// name under functions/ such as "todo".
	Package string
	// Architecture is fnbuild.ARM64 (default) or fnbuild.X86_64.
	Architecture string
	// MemorySize in MB (default DefaultMemorySize) and Timeout in seconds
	// (default DefaultTimeout).
	MemorySize int
	Timeout    int
	// LogRetentionDays of the function's log group (default 30).
	LogRetentionDays int
	// Environment variables. Never put secrets here: pass a secret's ARN
	// and read it at run time.
	Environment pulumi.StringMapInput
	// ReservedConcurrency caps concurrent executions, to protect a
	// downstream; nil leaves the function unreserved.
	ReservedConcurrency pulumi.IntPtrInput
	// VPC places the function in subnets with security groups.
	VPC *lambda.FunctionVpcConfigArgs
	// Uses are the resources the function uses, each with the actions it
	// calls (see Use): the role gets exactly those, key actions included,
	// and the environment the names the function finds them by.
	Uses []Use
	// Statements are further permissions, for what is not a resource the
	// function uses (e.g. a service without resource-level permissions).
	// Scope every statement to resource ARNs.
	Statements []Statement
	// Description shows in the Lambda console.
	Description string
}

// Function is a Lambda function with its role and log group.
type Function struct {
	Function *lambda.Function
	Role     *iam.Role
	LogGroup *cloudwatch.LogGroup
	// Artifact is the built archive the function runs.
	Artifact *fnbuild.Artifact
	// Policies are the role's inline policies; depend on them to use the
	// function only once it may do its work.
	Policies []pulumi.Resource
}

func (a *FunctionArgs) withDefaults() {
	if a.Architecture == "" {
		a.Architecture = fnbuild.ARM64
	}
	if a.MemorySize == 0 {
		a.MemorySize = DefaultMemorySize
	}
	if a.Timeout == 0 {
		a.Timeout = DefaultTimeout
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = DefaultLogRetentionDays
	}
	if len(a.Package) > 0 && a.Package[0] != '.' && !containsSlash(a.Package) {
		a.Package = FunctionsPath + a.Package
	}
}

// environment merges the variables of uses into given; a name set twice is
// an error, since one of the values would be lost.
func environment(given pulumi.StringMapInput, uses []Use) (pulumi.StringMapInput, error) {
	extra := pulumi.StringMap{}
	for _, u := range uses {
		for k, v := range u.Environment {
			if _, dup := extra[k]; dup {
				return nil, fmt.Errorf("environment variable %s is set by two uses", k)
			}
			extra[k] = v
		}
	}
	if len(extra) == 0 {
		return given, nil
	}
	if given == nil {
		return extra, nil
	}
	if m, ok := given.(pulumi.StringMap); ok {
		out := pulumi.StringMap{}
		for k, v := range m {
			out[k] = v
		}
		for k, v := range extra {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("environment variable %s is set by Environment and by a use", k)
			}
			out[k] = v
		}
		return out, nil
	}
	return pulumi.All(given, extra).ApplyT(func(v []any) (map[string]string, error) {
		out := map[string]string{}
		for k, val := range v[0].(map[string]string) {
			out[k] = val
		}
		for k, val := range v[1].(map[string]string) {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("environment variable %s is set by Environment and by a use", k)
			}
			out[k] = val
		}
		return out, nil
	}).(pulumi.StringMapOutput), nil
}

func containsSlash(s string) bool {
	for _, c := range s {
		if c == '/' {
			return true
		}
	}
	return false
}

// NewFunction builds args.Package from source and creates the function
// name, its role name-role (assumable by Lambda only), its log group
// name-logs with retention, and the role's inline policy name-policy.
//
// The log group is named /aws/lambda/<project>/<stack>/<name> and wired
// through the function's logging config, so it exists (with retention)
// before the first invocation rather than being created on demand by Lambda
// without one.
func NewFunction(ctx *pulumi.Context, name string, args FunctionArgs, opts ...pulumi.ResourceOption) (*Function, error) {
	args.withDefaults()
	art, err := fnbuild.Function(args.Package, args.Architecture)
	if err != nil {
		return nil, err
	}
	vars, err := environment(args.Environment, args.Uses)
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", name, err)
	}
	f := &Function{Artifact: art}
	if err := f.logsAndRole(ctx, name, &args, opts); err != nil {
		return nil, err
	}
	if err := f.function(ctx, name, &args, vars, opts); err != nil {
		return nil, err
	}
	return f, nil
}

// logsAndRole creates the function's log group and its role with the
// role's inline policy (see statements).
func (f *Function) logsAndRole(ctx *pulumi.Context, name string, args *FunctionArgs, opts []pulumi.ResourceOption) error {
	lg, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(fmt.Sprintf("/aws/lambda/%s/%s/%s", ctx.Project(), ctx.Stack(), name)),
		RetentionInDays: pulumi.Int(args.LogRetentionDays),
	}, opts...)
	if err != nil {
		return fmt.Errorf("creating log group of %s: %w", name, err)
	}
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		AssumeRolePolicy: AssumeRolePolicy("lambda.amazonaws.com"),
		Description:      pulumi.String("Execution role of " + name),
	}, opts...)
	if err != nil {
		return fmt.Errorf("creating role of %s: %w", name, err)
	}
	pol, err := iam.NewRolePolicy(ctx, name+"-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: PolicyJSON(statements(args, lg.Arn)...),
	}, opts...)
	if err != nil {
		return fmt.Errorf("creating policy of %s: %w", name, err)
	}
	f.LogGroup, f.Role, f.Policies = lg, role, []pulumi.Resource{pol}
	return nil
}

// statements are the role's permissions: writing to its own log group
// (logGroupArn) and X-Ray, managing its network interfaces in a VPC, then
// what its uses and args.Statements need.
func statements(args *FunctionArgs, logGroupArn pulumi.StringOutput) []Statement {
	stmts := []Statement{{
		Sid:       "WriteOwnLogs",
		Actions:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resources: pulumi.StringArray{pulumi.Sprintf("%s:log-stream:*", logGroupArn)},
	}, {
		// X-Ray has no resource-level permissions: "*" is the only
		// resource these actions accept.
		Sid:       "WriteTraces",
		Actions:   []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"},
		Resources: pulumi.StringArray{pulumi.String("*")},
	}}
	if args.VPC != nil {
		// Lambda manages the function's network interfaces with the role;
		// EC2 does not scope these actions to resources.
		stmts = append(stmts, Statement{
			Sid: "ManageVPCNetworkInterfaces",
			Actions: []string{
				"ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
				"ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:UnassignPrivateIpAddresses",
			},
			Resources: pulumi.StringArray{pulumi.String("*")},
		})
	}
	for _, u := range args.Uses {
		stmts = append(stmts, u.Statements()...)
	}
	return append(stmts, args.Statements...)
}

// function creates the function itself, with the environment vars, once
// its role may do its work and its log group exists.
func (f *Function) function(ctx *pulumi.Context, name string, args *FunctionArgs, vars pulumi.StringMapInput, opts []pulumi.ResourceOption) error {
	var env lambda.FunctionEnvironmentPtrInput
	if vars != nil {
		env = &lambda.FunctionEnvironmentArgs{Variables: vars}
	}
	var vpc lambda.FunctionVpcConfigPtrInput
	if args.VPC != nil {
		vpc = args.VPC
	}
	var desc pulumi.StringPtrInput
	if args.Description != "" {
		desc = pulumi.String(args.Description)
	}
	fn, err := lambda.NewFunction(ctx, name, &lambda.FunctionArgs{
		Description:                  desc,
		Runtime:                      pulumi.String("provided.al2023"),
		Handler:                      pulumi.String("bootstrap"),
		Architectures:                pulumi.StringArray{pulumi.String(args.Architecture)},
		Code:                         pulumi.NewFileArchive(f.Artifact.Path),
		SourceCodeHash:               pulumi.String(f.Artifact.Base64SHA256),
		Role:                         f.Role.Arn,
		MemorySize:                   pulumi.Int(args.MemorySize),
		Timeout:                      pulumi.Int(args.Timeout),
		Environment:                  env,
		ReservedConcurrentExecutions: args.ReservedConcurrency,
		VpcConfig:                    vpc,
		TracingConfig:                &lambda.FunctionTracingConfigArgs{Mode: pulumi.String("Active")},
		// Which source the code was built from, for operators and for
		// tools that run a recorded stack (local mode).
		Tags: pulumi.StringMap{PackageTag: pulumi.String(f.Artifact.Package)},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{
			LogFormat: pulumi.String("JSON"),
			LogGroup:  f.LogGroup.Name,
		},
	}, With(opts, pulumi.DependsOn(f.Policies), pulumi.DependsOn([]pulumi.Resource{f.LogGroup}))...)
	if err != nil {
		return fmt.Errorf("creating function %s: %w", name, err)
	}
	f.Function = fn
	return nil
}
