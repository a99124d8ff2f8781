package serverlessapi_test

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

// A private, cached read and a validated write, served by one function
// and authorized by a Cognito user pool. Run offline, the example prints
// what each route got: the permission scoped to it and, for the cached
// read, its cache key, which holds the caller's token.
func Example() {
	program := func(ctx *pulumi.Context) error {
		fn, err := blocks.NewFunction(ctx, "notes-fn", blocks.FunctionArgs{Package: helloPackage})
		if err != nil {
			return err
		}
		users, err := cognito.NewUserPool(ctx, "users", &cognito.UserPoolArgs{})
		if err != nil {
			return err
		}
		_, err = serverlessapi.New(ctx, "notes", serverlessapi.Args{
			Routes: []serverlessapi.Route{
				{Method: "GET", Path: "/notes/{id}", FunctionArn: fn.Function.Arn, Auth: serverlessapi.AuthCognito, Cache: true},
				{Method: "POST", Path: "/notes", FunctionArn: fn.Function.Arn, Auth: serverlessapi.AuthCognito,
					BodySchema: `{"type":"object","required":["text"],"properties":{"text":{"type":"string","maxLength":500}}}`},
			},
			UserPoolArns: pulumi.StringArray{users.Arn},
			CacheSizeGB:  "0.5",
			CORSOrigins:  []string{"https://notes.example.com"},
		})
		return err
	}

	rec, err := stacktest.Run(program, stacktest.Project("demo"), stacktest.Stack("dev"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range rec.OfType("aws:lambda/permission:Permission") {
		arn := p.Inputs["sourceArn"].(string)
		fmt.Println(p.Name, "may be invoked by", arn[strings.LastIndex(arn, ":")+1:])
	}
	get, _ := rec.Get("aws:apigateway/integration:Integration", "notes-get-notes-id")
	fmt.Println("GET /notes/{id} is cached by", get.Inputs["cacheKeyParameters"])
	// Output:
	// notes-get-notes-id may be invoked by 50f4885f36/v1/GET/notes/*
	// notes-post-notes may be invoked by 50f4885f36/v1/POST/notes
	// GET /notes/{id} is cached by [method.request.header.Authorization method.request.path.id]
}
