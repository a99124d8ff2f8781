//go:build deps

// Package deps pins the modules the project builds with, so that go mod tidy keeps them
// while packages that use them are being written.
package deps

import (
	_ "github.com/aws/aws-lambda-go/events"
	_ "github.com/aws/aws-lambda-go/lambda"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	_ "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	_ "github.com/aws/aws-sdk-go-v2/service/s3"
	_ "github.com/aws/aws-sdk-go-v2/service/sesv2"
	_ "github.com/disintegration/imaging"
	_ "github.com/johannesboyne/gofakes3"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dax"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sesv2"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)
