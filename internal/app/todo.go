package app

import (
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/userauth"
	"github.com/gopherstack/serverless-arch/functions/todo/todos"
	"github.com/gopherstack/serverless-arch/internal/config"
)

// TodoAPIInfo describes the MyTodoList API in its OpenAPI document.
var TodoAPIInfo = serverlessapi.Info{
	Title:   "MyTodoList",
	Version: "v1",
	Description: "Each signed-in user's to-do list. Send the Cognito ID token in the Authorization header. " +
		"Errors are {\"error\":{\"code\",\"message\",\"field\"?,\"details\"?}}.",
}

// deployTodo deploys MyTodoList: sign-in and per-user files (UserAuth), the
// to-do table, optionally a DAX cluster, the to-do function, and the REST
// API in front of the function.
func deployTodo(ctx *pulumi.Context, cfg *config.Config, shared *shared, opts ...pulumi.ResourceOption) error {
	t := cfg.Todo
	auth, err := userauth.New(ctx, "todo-auth", userauth.Args{
		MFA:              t.MFA,
		ThreatProtection: t.ThreatProtection,
		CORSOrigins:      t.CORSOrigins,
		Protect:          cfg.Protect,
	}, opts...)
	if err != nil {
		return err
	}
	table, err := blocks.NewTable(ctx, "todo-table", blocks.TableArgs{
		PartitionKey: blocks.Key{Name: todos.PartitionKey},
		SortKey:      &blocks.Key{Name: todos.SortKey},
		Protect:      cfg.Protect,
	}, opts...)
	if err != nil {
		return err
	}
	if err := todoDAX(ctx, cfg, table, opts...); err != nil {
		return err
	}
	fn, err := todoFunction(ctx, cfg, table, opts...)
	if err != nil {
		return err
	}
	api, err := todoAPI(ctx, cfg, shared, fn, auth, opts...)
	if err != nil {
		return err
	}

	ctx.Export("todoApiUrl", api.URL)
	ctx.Export("todoRegion", pulumi.String(cfg.Region))
	ctx.Export("todoUserPoolId", auth.UserPoolID)
	ctx.Export("todoUserPoolClientId", auth.UserPoolClientID)
	ctx.Export("todoIdentityPoolId", auth.IdentityPoolID)
	ctx.Export("todoUserFilesBucket", auth.FilesBucket)
	ctx.Export("todoTableName", table.Name)
	ctx.Export("todoOpenApi", api.OpenAPI)
	return nil
}

// todoDAX creates the DAX cluster in front of table, if the stack asks for
// one. The cluster serves clients built with a DAX SDK, in its client
// security group; the to-do function has none (see package serverlessapi),
// so it is neither placed in the cluster's VPC nor granted DAX actions it
// would never call.
func todoDAX(ctx *pulumi.Context, cfg *config.Config, table *dynamodb.Table, opts ...pulumi.ResourceOption) error {
	t := cfg.Todo
	if !t.DAX {
		return nil
	}
	cache, err := serverlessapi.NewDAX(ctx, "todo-dax", serverlessapi.DAXArgs{
		VpcID:     pulumi.String(t.DAXVpcID),
		SubnetIDs: pulumi.ToStringArray(t.DAXSubnetIDs),
		TableArns: pulumi.StringArray{table.Arn},
		NodeType:  pulumi.String(t.DAXNodeType),
		Nodes:     pulumi.Int(t.DAXNodes),
	}, opts...)
	if err != nil {
		return err
	}
	ctx.Export("todoDaxEndpoint", cache.Endpoint)
	ctx.Export("todoDaxClientSecurityGroupId", cache.ClientSecurityGroupID)
	return nil
}

// todoFunction creates the to-do function, using table.
func todoFunction(ctx *pulumi.Context, cfg *config.Config, table *dynamodb.Table, opts ...pulumi.ResourceOption) (*blocks.Function, error) {
	t := cfg.Todo
	// Clients may cache reads exactly as long as the stage does, and not
	// at all when there is no stage cache.
	cacheTTL := 0
	if t.APICacheSizeGB != "" {
		cacheTTL = t.APICacheTTLSeconds
	}
	env := pulumi.StringMap{
		todos.EnvCacheTTLSeconds: pulumi.String(strconv.Itoa(cacheTTL)),
	}
	if len(t.CORSOrigins) > 0 {
		// All of them: API Gateway's preflight allows each, and the
		// function answers each request with its own origin.
		env[todos.EnvCORSOrigins] = pulumi.String(strings.Join(t.CORSOrigins, ","))
	}
	return blocks.NewFunction(ctx, "todo-fn", blocks.FunctionArgs{
		Package:          "todo",
		Architecture:     cfg.LambdaArchitecture,
		LogRetentionDays: cfg.LogRetentionDays,
		Environment:      env,
		Uses: []blocks.Use{blocks.TableOf(table, nil).Use("TodoItems", todos.EnvTableName,
			[]string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"})},
		Description: "MyTodoList to-do API",
	}, opts...)
}

// todoAPI is the to-do API (TodoRoutes) for the users of auth's user pool,
// on its custom domain if the stack names one.
func todoAPI(ctx *pulumi.Context, cfg *config.Config, shared *shared, fn *blocks.Function, auth *userauth.UserAuth, opts ...pulumi.ResourceOption) (*serverlessapi.ServerlessAPI, error) {
	t := cfg.Todo
	args := apiArgs(cfg, shared, TodoAPIInfo, TodoRoutes(fn.Function.Arn))
	args.UserPoolArns = pulumi.StringArray{auth.UserPoolArn}
	args.CacheSizeGB = t.APICacheSizeGB
	args.CacheTTLSeconds = pulumi.Int(t.APICacheTTLSeconds)
	args.ThrottleRateLimit = pulumi.Float64(float64(t.ThrottleRateLimit))
	args.ThrottleBurstLimit = pulumi.Int(t.ThrottleBurstLimit)
	args.CORSOrigins = t.CORSOrigins
	if t.DomainName != "" {
		args.Domain = &serverlessapi.DomainArgs{Name: t.DomainName, HostedZone: t.HostedZone}
	}
	return serverlessapi.New(ctx, "todo-api", args, opts...)
}

// TodoOpenAPI renders the MyTodoList API's OpenAPI document without
// deploying anything, for the offline plan and client SDK generators.
func TodoOpenAPI() ([]byte, error) { return openAPI(TodoAPIInfo, TodoRoutes(nil)) }

// Schemas of the to-do API (JSON Schema draft 4, as API Gateway models
// use). They repeat the function's limits so API Gateway turns away
// malformed writes before they cost an invocation; the function checks
// everything again and names the field at fault. Every string has a
// maxLength and no other property is allowed, so no body that passes is
// larger than a few kilobytes and an oversized one is a 400 from API
// Gateway instead of a payload over Lambda's 6 MB limit (a 502).
const (
	newTodoSchema = `{"$schema":"http://json-schema.org/draft-04/schema#","title":"NewTodo","type":"object",` +
		`"required":["title"],"properties":{` +
		`"title":{"type":"string","minLength":1,"maxLength":200},` +
		`"notes":{"type":"string","maxLength":2000},` +
		`"done":{"type":"boolean"}},"additionalProperties":false}`
	todoUpdateSchema = `{"$schema":"http://json-schema.org/draft-04/schema#","title":"TodoUpdate","type":"object",` +
		`"required":["title","done","version"],"properties":{` +
		`"title":{"type":"string","minLength":1,"maxLength":200},` +
		`"notes":{"type":"string","maxLength":2000},` +
		`"done":{"type":"boolean"},` +
		`"version":{"type":"integer","minimum":1,"description":"The version of the to-do this update replaces."}},` +
		`"additionalProperties":false}`
	todoSchema = `{"type":"object","required":["id","title","done","version","createdAt","updatedAt"],"properties":{` +
		`"id":{"type":"string"},"title":{"type":"string"},"notes":{"type":"string"},"done":{"type":"boolean"},` +
		`"version":{"type":"integer"},"createdAt":{"type":"string","format":"date-time"},` +
		`"updatedAt":{"type":"string","format":"date-time"}}}`
	todoListSchema = `{"type":"object","required":["items"],"properties":{"items":{"type":"array","items":` + todoSchema + `},` +
		`"nextCursor":{"type":"string","description":"Pass as cursor to get the next page; absent on the last page."}}}`
	// cursorSchema is an opaque page token (base64url), as both APIs make it.
	cursorSchema = `{"type":"string","maxLength":2048}`
)

// TodoRoutes are the routes of the MyTodoList API, served by fn (nil to
// render documentation only). Every route needs a Cognito token; reads
// are cached per caller when the stage has a cache.
func TodoRoutes(fnArn pulumi.StringInput) []serverlessapi.Route {
	id := "/todos/{id}"
	return []serverlessapi.Route{
		{
			Method: "GET", Path: "/todos", OperationID: "listTodos", Summary: "List your to-dos, oldest first",
			FunctionArn: fnArn, Auth: serverlessapi.AuthCognito, Cache: true,
			Query: []serverlessapi.Param{
				{Name: "limit", CacheKey: true, Description: "Page size, 1 to 100 (default 20).", Schema: `{"type":"integer","minimum":1,"maximum":100}`},
				{Name: "cursor", CacheKey: true, Description: "The nextCursor of the previous page.", Schema: cursorSchema},
			},
			ResponseSchema: todoListSchema,
		},
		{
			Method: "POST", Path: "/todos", OperationID: "createTodo", Summary: "Create a to-do",
			FunctionArn: fnArn, Auth: serverlessapi.AuthCognito,
			BodySchema: newTodoSchema, SuccessStatus: 201, ResponseSchema: todoSchema,
		},
		{
			Method: "GET", Path: id, OperationID: "getTodo", Summary: "Read one of your to-dos",
			FunctionArn: fnArn, Auth: serverlessapi.AuthCognito, Cache: true,
			ResponseSchema: todoSchema, Errors: []int{404},
		},
		{
			Method: "PUT", Path: id, OperationID: "updateTodo", Summary: "Replace one of your to-dos (409 if version is not the stored one)",
			FunctionArn: fnArn, Auth: serverlessapi.AuthCognito,
			BodySchema: todoUpdateSchema, ResponseSchema: todoSchema, Errors: []int{404, 409},
		},
		{
			Method: "DELETE", Path: id, OperationID: "deleteTodo", Summary: "Delete one of your to-dos",
			FunctionArn: fnArn, Auth: serverlessapi.AuthCognito, SuccessStatus: 204, Errors: []int{404, 409},
			Query: []serverlessapi.Param{{Name: "version", Description: "Delete only if the to-do is at this version (409 otherwise).",
				Schema: `{"type":"integer","minimum":1}`}},
		},
	}
}
