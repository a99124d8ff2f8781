package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/internal/app"
)

// recordTodo runs the program for a shipped stack with only MyTodoList
// deployed, once per stack and test process.
var recordTodo = func() func(t *testing.T, stack string) *stacktest.Recording {
	var runs sync.Map
	return func(t *testing.T, stack string) *stacktest.Recording {
		t.Helper()
		f, _ := runs.LoadOrStore(stack, sync.OnceValues(func() (*stacktest.Recording, error) {
			return stacktest.Run(app.Run, stacktest.StackConfig("../..", stack), stacktest.Config("deploy", []string{"todo"}))
		}))
		rec, err := f.(func() (*stacktest.Recording, error))()
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
}()

type policyDoc struct {
	Statement []struct {
		Sid       string
		Action    []string
		Resource  []string
		Condition map[string]map[string][]string
	}
}

func parse(t *testing.T, r stacktest.Resource, key string) policyDoc {
	t.Helper()
	var d policyDoc
	if err := json.Unmarshal([]byte(r.Inputs[key].(string)), &d); err != nil {
		t.Fatalf("%s %s: %v", r.Name, key, err)
	}
	return d
}

func out(t *testing.T, rec *stacktest.Recording, name string) string {
	t.Helper()
	s, ok := rec.Outputs[name].(string)
	if !ok || s == "" {
		t.Fatalf("stack output %s = %v", name, rec.Outputs[name])
	}
	return s
}

func TestTodoWiring(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec := recordTodo(t, stack)

			// Each route's permission is scoped to this API's execution ARN.
			apiID := rec.Must(t, "aws:apigateway/stage:Stage", "todo-api-stage").Inputs["restApi"].(string)
			exec := "arn:aws:execute-api:us-east-1:" + stacktest.Account + ":" + apiID
			perms := rec.OfType("aws:lambda/permission:Permission")
			if len(perms) != 5 {
				t.Errorf("%d permissions, want one per route", len(perms))
			}
			// Without an explicit name, the mocks (like Pulumi) name a
			// resource after its logical name.
			fnName := "todo-fn"
			if n, ok := rec.Must(t, "aws:lambda/function:Function", "todo-fn").Inputs["name"]; ok {
				fnName = n.(string)
			}
			for _, p := range perms {
				arn, _ := p.Inputs["sourceArn"].(string)
				if !strings.HasPrefix(arn, exec+"/v1/") || strings.HasSuffix(arn, "/*/*") {
					t.Errorf("permission %s: sourceArn %s, want a route of %s/v1", p.Name, arn, exec)
				}
				if p.Inputs["function"] != fnName {
					t.Errorf("permission %s is for %v, want the to-do function %v", p.Name, p.Inputs["function"], fnName)
				}
			}

			// The authorizer trusts this user pool.
			poolArn := "arn:aws:cognito-idp:us-east-1:" + stacktest.Account + ":userpool/" + out(t, rec, "todoUserPoolId")
			auth := rec.Must(t, "aws:apigateway/authorizer:Authorizer", "todo-api-cognito-authorizer")
			if arns := auth.Inputs["providerArns"].([]any); len(arns) != 1 || arns[0] != poolArn {
				t.Errorf("authorizer trusts %v, want %s", arns, poolArn)
			}
			for _, m := range rec.OfType("aws:apigateway/method:Method") {
				if m.Inputs["httpMethod"] != "OPTIONS" && m.Inputs["authorization"] != "COGNITO_USER_POOLS" {
					t.Errorf("route %s is not Cognito-authorized", m.Name)
				}
			}

			// The users' role reaches only their own folder of this bucket,
			// and only this identity pool's signed-in identities assume it.
			bucketArn := "arn:aws:s3:::" + out(t, rec, "todoUserFilesBucket")
			files := parse(t, rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "todo-auth-authenticated-policy"), "policy")
			if got := files.Statement[0].Resource; !slices.Equal(got, []string{bucketArn + "/private/${cognito-identity.amazonaws.com:sub}/*"}) {
				t.Errorf("users' role reaches %v", got)
			}
			trust := parse(t, rec.Must(t, "aws:iam/role:Role", "todo-auth-authenticated-role"), "assumeRolePolicy")
			if aud := trust.Statement[0].Condition["StringEquals"]["cognito-identity.amazonaws.com:aud"]; !slices.Equal(aud, []string{out(t, rec, "todoIdentityPoolId")}) {
				t.Errorf("users' role trusts audience %v", aud)
			}
			if ids := rec.Must(t, "aws:cognito/identityPool:IdentityPool", "todo-auth-identity-pool"); ids.Inputs["allowUnauthenticatedIdentities"] != false {
				t.Error("the identity pool allows unauthenticated identities")
			}

			// The function reads and writes exactly the to-do table.
			fn := rec.Must(t, "aws:lambda/function:Function", "todo-fn")
			env := fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
			if env["TABLE_NAME"] != out(t, rec, "todoTableName") {
				t.Errorf("TABLE_NAME %v, want the table %v", env["TABLE_NAME"], rec.Outputs["todoTableName"])
			}
			table := rec.Must(t, "aws:dynamodb/table:Table", "todo-table")
			tableArn := "arn:aws:dynamodb:us-east-1:" + stacktest.Account + ":table/" + out(t, rec, "todoTableName")
			fnPolicy := parse(t, rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "todo-fn-policy"), "policy")
			var items []string
			for _, s := range fnPolicy.Statement {
				if s.Sid == "TodoItems" {
					items = s.Resource
					if !slices.Equal(s.Action, []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}) {
						t.Errorf("function's table actions %v", s.Action)
					}
				}
			}
			if !slices.Equal(items, []string{tableArn}) {
				t.Errorf("function reaches tables %v, want exactly %s", items, tableArn)
			}
			keys := table.Inputs["attributes"].([]any)
			if table.Inputs["hashKey"] != "owner" || table.Inputs["rangeKey"] != "id" || len(keys) != 2 ||
				table.Inputs["billingMode"] != "PAY_PER_REQUEST" ||
				table.Inputs["pointInTimeRecovery"].(map[string]any)["enabled"] != true ||
				table.Inputs["serverSideEncryption"].(map[string]any)["enabled"] != true {
				t.Errorf("to-do table %v", table.Inputs)
			}

			// Every log group has a retention.
			for _, lg := range rec.OfType("aws:cloudwatch/logGroup:LogGroup") {
				if days, _ := lg.Inputs["retentionInDays"].(float64); days <= 0 {
					t.Errorf("log group %s keeps logs forever", lg.Name)
				}
			}
		})
	}
}

func TestTodoDevIsCheapAndProdIsCachedProtectedAndBehindDAX(t *testing.T) {
	dev, prod := recordTodo(t, "dev"), recordTodo(t, "prod")

	devStage := dev.Must(t, "aws:apigateway/stage:Stage", "todo-api-stage")
	if devStage.Inputs["cacheClusterEnabled"] != false || devStage.Inputs["cacheClusterSize"] != nil {
		t.Errorf("dev has a cache cluster: %v", devStage.Inputs)
	}
	if n := len(dev.OfType("aws:dax/cluster:Cluster")); n != 0 {
		t.Errorf("dev has %d DAX clusters", n)
	}
	devFn := dev.Must(t, "aws:lambda/function:Function", "todo-fn")
	if devFn.Inputs["vpcConfig"] != nil {
		t.Error("dev's function is in a VPC")
	}
	if env := devFn.Inputs["environment"].(map[string]any)["variables"].(map[string]any); env["CACHE_TTL_SECONDS"] != "0" {
		t.Errorf("dev lets clients cache for %v seconds without a stage cache", env["CACHE_TTL_SECONDS"])
	}
	if dev.Must(t, "aws:dynamodb/table:Table", "todo-table").Protect {
		t.Error("dev's table is protected")
	}

	stage := prod.Must(t, "aws:apigateway/stage:Stage", "todo-api-stage")
	if stage.Inputs["cacheClusterEnabled"] != true || stage.Inputs["cacheClusterSize"] != "0.5" {
		t.Errorf("prod cache enabled=%v size=%v", stage.Inputs["cacheClusterEnabled"], stage.Inputs["cacheClusterSize"])
	}
	for _, route := range []struct{ name, path string }{{"todo-api-get-todos", "~1todos/GET"}, {"todo-api-get-todos-id", "~1todos~1{id}/GET"}} {
		keys := prod.Must(t, "aws:apigateway/integration:Integration", route.name).Inputs["cacheKeyParameters"].([]any)
		if !slices.Contains(keys, any("method.request.header.Authorization")) {
			t.Errorf("%s is cached without the caller's token in its key: %v", route.name, keys)
		}
		s := prod.Must(t, "aws:apigateway/methodSettings:MethodSettings", route.name+"-settings")
		settings := s.Inputs["settings"].(map[string]any)
		if s.Inputs["methodPath"] != route.path || settings["cachingEnabled"] != true || settings["cacheDataEncrypted"] != true || settings["cacheTtlInSeconds"] != 300.0 {
			t.Errorf("%s cache settings %v %v", route.name, s.Inputs["methodPath"], settings)
		}
	}
	fn := prod.Must(t, "aws:lambda/function:Function", "todo-fn")
	env := fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	if env["CACHE_TTL_SECONDS"] != "300" || env["DAX_ENDPOINT"] != nil {
		t.Errorf("prod function environment %v", env)
	}
	// The function has no DAX client: it is not in the cluster's VPC and
	// has no DAX grant; DAX clients get the cluster's endpoint and client
	// security group from the stack outputs.
	if fn.Inputs["vpcConfig"] != nil {
		t.Errorf("the to-do function is in a VPC it has no use for: %v", fn.Inputs["vpcConfig"])
	}
	if pol := prod.Must(t, "aws:iam/rolePolicy:RolePolicy", "todo-fn-policy").Inputs["policy"].(string); strings.Contains(pol, "dax:") || strings.Contains(pol, "ec2:") {
		t.Errorf("the to-do function's role has DAX or network-interface grants it never uses: %s", pol)
	}
	cluster := prod.Must(t, "aws:dax/cluster:Cluster", "todo-dax-cluster")
	if cluster.Inputs["clusterEndpointEncryptionType"] != "TLS" {
		t.Errorf("DAX cluster %v", cluster.Inputs)
	}
	ingress := prod.Must(t, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "todo-dax-from-clients")
	if ingress.Inputs["referencedSecurityGroupId"] != prod.Outputs["todoDaxClientSecurityGroupId"] {
		t.Errorf("DAX admits %v, the exported client group is %v", ingress.Inputs["referencedSecurityGroupId"], prod.Outputs["todoDaxClientSecurityGroupId"])
	}
	for _, r := range []struct{ typ, name string }{
		{"aws:dynamodb/table:Table", "todo-table"},
		{"aws:cognito/userPool:UserPool", "todo-auth-user-pool"},
		{"aws:s3/bucketV2:BucketV2", "todo-auth-files"},
	} {
		if !prod.Must(t, r.typ, r.name).Protect {
			t.Errorf("prod %s is not protected", r.name)
		}
	}
	if prod.Must(t, "aws:dynamodb/table:Table", "todo-table").Inputs["deletionProtectionEnabled"] != true {
		t.Error("prod's table has no deletion protection")
	}
	if prod.Must(t, "aws:cognito/userPool:UserPool", "todo-auth-user-pool").Inputs["deletionProtection"] != "ACTIVE" {
		t.Error("prod's user pool has no deletion protection")
	}
}

func TestTodoOpenAPIMatchesTheDeployedRoutes(t *testing.T) {
	offline, err := app.TodoOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var pure, deployed struct {
		Paths   map[string]map[string]struct{ OperationID string }
		Servers []struct{ URL string }
	}
	if err := json.Unmarshal(offline, &pure); err != nil {
		t.Fatal(err)
	}
	rec := recordTodo(t, "dev")
	if err := json.Unmarshal([]byte(out(t, rec, "todoOpenApi")), &deployed); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for path, methods := range pure.Paths {
		for m, op := range methods {
			ops = append(ops, m+" "+path+" "+op.OperationID)
			if deployed.Paths[path][m].OperationID != op.OperationID {
				t.Errorf("%s %s: offline %s, deployed %s", m, path, op.OperationID, deployed.Paths[path][m].OperationID)
			}
		}
	}
	slices.Sort(ops)
	want := []string{"delete /todos/{id} deleteTodo", "get /todos listTodos", "get /todos/{id} getTodo", "post /todos createTodo", "put /todos/{id} updateTodo"}
	if !slices.Equal(ops, want) {
		t.Errorf("operations %v, want %v", ops, want)
	}
	if len(deployed.Servers) != 1 || deployed.Servers[0].URL != out(t, rec, "todoApiUrl") {
		t.Errorf("deployed document's servers %v, want the API URL %v", deployed.Servers, rec.Outputs["todoApiUrl"])
	}
	// Apart from the server, the offline document is the deployed one.
	var whole map[string]any
	if err := json.Unmarshal([]byte(out(t, rec, "todoOpenApi")), &whole); err != nil {
		t.Fatal(err)
	}
	delete(whole, "servers")
	rendered, _ := json.MarshalIndent(whole, "", "  ")
	if string(rendered)+"\n" != string(offline) {
		t.Errorf("offline and deployed documents differ:\n%s", stacktest.Diff(string(offline), string(rendered)+"\n"))
	}
}
