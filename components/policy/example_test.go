package policy_test

import (
	"fmt"
	"log"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/recording"
)

// Check a recorded stack. In a stack's test the resources come from running
// the program under pulumi.WithMocks (components/stacktest records them) and the
// suppressions from policy.Suppressions(ctx) once the run has returned; then
// the test fails on report.Err().
func ExampleCheck() {
	const stack = "urn:pulumi:prod::shop::"
	resources := []recording.Resource{
		{
			URN: stack + "aws:lambda/permission:Permission::thumbnail-s3", Type: "aws:lambda/permission:Permission", Name: "thumbnail-s3",
			Inputs: map[string]any{"function": "thumbnail", "action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com"},
		},
		{
			URN: stack + "aws:iam/rolePolicy:RolePolicy::thumbnail-policy", Type: "aws:iam/rolePolicy:RolePolicy", Name: "thumbnail-policy",
			Inputs: map[string]any{"role": "thumbnail", "policy": `{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::photos/*"}]}`},
		},
		{
			URN: stack + "aws:apigateway/method:Method::health-get", Type: "aws:apigateway/method:Method", Name: "health-get",
			Inputs: map[string]any{"restApi": "api", "resourceId": "health", "httpMethod": "GET", "authorization": "NONE"},
		},
	}
	suppressions := []policy.Suppression{{
		URN:    stack + "aws:apigateway/method:Method::health-get",
		Rules:  []string{"APIGW-AUTHORIZER"},
		Reason: "load balancer health check; returns no data",
	}}

	report := policy.Check(resources, suppressions, policy.Production(true))
	fmt.Print(report)
	// Output:
	// 2 failed, 1 suppressed, 3 resources checked
	// FAIL aws:iam/rolePolicy:RolePolicy "thumbnail-policy": IAM-WILDCARD-ACTION (AwsSolutions-IAM5, Serverless-IAMNoWildcardPermissions, CKV_AWS_62, CKV_AWS_63): the policy allows wildcard action "s3:*"; list the actions needed
	// FAIL aws:lambda/permission:Permission "thumbnail-s3": LAMBDA-PERMISSION-SCOPED (CKV_AWS_364): lets any s3.amazonaws.com resource in any account invoke the function; set sourceArn (and sourceAccount)
	// SUPPRESSED aws:apigateway/method:Method "health-get": APIGW-AUTHORIZER (AwsSolutions-APIG4, CKV_AWS_59): GET is open to anyone (authorization NONE); attach an authorizer, or suppress with the reason the route is public
	//     because: load balancer health check; returns no data
}

// Check a stack saved as JSON, with its suppressions file, without running
// the program.
func ExampleLoadSnapshot() {
	resources, err := policy.LoadSnapshot("testdata/downloads.json")
	if err != nil {
		log.Fatal(err)
	}
	suppressions, err := policy.LoadSuppressions("testdata/downloads.suppressions.json")
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range policy.Check(resources, suppressions).Failed() {
		fmt.Printf("%s %s: %s\n", f.Name, f.Rule, f.Message)
	}
	// Output:
	// worker-logs LOGS-RETENTION: retentionInDays is not set, so logs are kept forever
	// jobs POLICY-SUPPRESSION: suppression of SQS-ENCRYPTION excuses no finding (reason was "queue holds only object keys"); remove it
	// jobs SQS-TLS-ONLY: no queue policy; add a QueuePolicy denying sqs:* when aws:SecureTransport is false
}

// Check the inputs AWS accepts at create time. The security group rule's
// description has an apostrophe, which EC2 refuses; the Lambda function's
// logical name is autonamed with 8 more characters, past Lambda's 64.
func ExampleConstraints() {
	const stack = "urn:pulumi:prod::shop::"
	resources := []recording.Resource{
		{
			URN: stack + "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::alb-from-cloudfront", Type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Name: "alb-from-cloudfront",
			Inputs: map[string]any{"securityGroupId": "sg-0123456789abcdef0", "prefixListId": "pl-3b927c52", "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0,
				"description": "CloudFront's origin-facing servers only"},
		},
		{
			URN: stack + "aws:lambda/function:Function::thumbnail-maker-for-uploaded-pictures-of-the-product-catalog", Type: "aws:lambda/function:Function",
			Name: "thumbnail-maker-for-uploaded-pictures-of-the-product-catalog", Inputs: map[string]any{"runtime": "provided.al2023", "memorySize": 1024.0},
		},
	}
	for _, f := range policy.Check(resources, nil, policy.WithRules(policy.Constraints()...)).Failed() {
		fmt.Printf("%s %s:\n  %s\n", f.Name, f.Rule, f.Message)
	}
	// Output:
	// thumbnail-maker-for-uploaded-pictures-of-the-product-catalog AWS-NAME-LENGTH:
	//   name "thumbnail-maker-for-uploaded-pictures-of-the-product-catalog-0a1b2c3" (autonamed from "thumbnail-maker-for-uploaded-pictures-of-the-product-catalog": Pulumi adds 8 characters) is 68 characters; Lambda function names are at most 64 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html)
	// alb-from-cloudfront AWS-SG-RULE-DESCRIPTION:
	//   description "CloudFront's origin-facing servers only" has "'"; allowed are a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=;{}!$* (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html)
}
