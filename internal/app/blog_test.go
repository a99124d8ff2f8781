package app_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/internal/app"
)

// recordBlog runs the program for a shipped stack with only MyBlog.com
// deployed, once per stack and test process.
var recordBlog = func() func(t *testing.T, stack string) *stacktest.Recording {
	var runs sync.Map
	return func(t *testing.T, stack string) *stacktest.Recording {
		t.Helper()
		f, _ := runs.LoadOrStore(stack, sync.OnceValues(func() (*stacktest.Recording, error) {
			return stacktest.Run(app.Run, stacktest.StackConfig("../..", stack), stacktest.Config("deploy", []string{"blog"}))
		}))
		rec, err := f.(func() (*stacktest.Recording, error))()
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
}()

type blogStatement struct {
	Sid       string
	Effect    string
	Principal map[string]any
	Action    []string
	Resource  []string
	Condition map[string]map[string][]string
}

func blogStatements(t *testing.T, r stacktest.Resource, key string) []blogStatement {
	t.Helper()
	var d struct{ Statement []blogStatement }
	if err := json.Unmarshal([]byte(r.Inputs[key].(string)), &d); err != nil {
		t.Fatalf("%s %s: %v", r.Name, key, err)
	}
	return d.Statement
}

// blogAPIID returns the REST API's ID, read from the exported API URL.
func blogAPIID(t *testing.T, rec *stacktest.Recording) string {
	t.Helper()
	url, _ := rec.Outputs["blogApiUrl"].(string)
	m := regexp.MustCompile(`^https://([a-z0-9]+)\.execute-api\.us-east-1\.amazonaws\.com/v1/$`).FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("blogApiUrl = %q, want the v1 stage's invoke URL", url)
	}
	return m[1]
}

func TestBlogFunctionMayUseOnlyItsTable(t *testing.T) {
	rec := recordBlog(t, "dev")
	fn := rec.Must(t, "aws:lambda/function:Function", "blog-api-handler")
	env := fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	if env["TABLE_NAME"] != "blog-table" || env["CACHE_TTL_SECONDS"] != "10" {
		t.Errorf("environment %v, want the blog table and dev's 10 s cache TTL", env)
	}
	var table *blogStatement
	for _, st := range blogStatements(t, rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "blog-api-handler-policy"), "policy") {
		if st.Sid == "ReadWriteBlogTable" {
			table = &st
		}
		for _, a := range st.Action {
			if strings.HasPrefix(a, "dynamodb:") && st.Sid != "ReadWriteBlogTable" {
				t.Errorf("statement %s also grants %s", st.Sid, a)
			}
		}
	}
	if table == nil {
		t.Fatal("the function may not use its table")
	}
	if want := []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}; !reflect.DeepEqual(table.Action, want) {
		t.Errorf("actions %v, want %v", table.Action, want)
	}
	arn := "arn:aws:dynamodb:us-east-1:123456789012:table/blog-table"
	if want := []string{arn, arn + "/index/byEntity"}; !reflect.DeepEqual(table.Resource, want) {
		t.Errorf("resources %v, want exactly the table and its byEntity index %v", table.Resource, want)
	}
}

func TestBlogAPIPermissionsAreScopedToThisAPI(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec := recordBlog(t, stack)
			api := "arn:aws:execute-api:us-east-1:123456789012:" + blogAPIID(t, rec) + "/v1/"
			var got []string
			for _, p := range rec.OfType("aws:lambda/permission:Permission") {
				if p.Inputs["function"] != "blog-api-handler" {
					continue
				}
				if p.Inputs["principal"] != "apigateway.amazonaws.com" || p.Inputs["action"] != "lambda:InvokeFunction" {
					t.Errorf("permission %s: %v", p.Name, p.Inputs)
				}
				got = append(got, p.Inputs["sourceArn"].(string))
			}
			sort.Strings(got)
			want := []string{api + "GET/posts", api + "GET/posts/*", api + "POST/posts", api + "POST/users"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the function may be invoked from %v, want exactly this API's routes %v", got, want)
			}
		})
	}
}

func TestBlogAPIRoutes(t *testing.T) {
	for _, tc := range []struct {
		stack  string
		cached bool
	}{{"dev", false}, {"prod", true}} {
		t.Run(tc.stack, func(t *testing.T) {
			rec := recordBlog(t, tc.stack)
			methods := map[string]map[string]any{}
			for _, m := range rec.OfType("aws:apigateway/method:Method") {
				if strings.HasPrefix(m.Name, "blog-api-") {
					methods[m.Inputs["httpMethod"].(string)+" "+strings.TrimPrefix(m.Name, "blog-api-")] = m.Inputs
				}
			}
			for key, wantKey := range map[string]bool{"GET get-posts": false, "GET get-posts-slug": false, "POST post-users": false, "POST post-posts": true} {
				m, ok := methods[key]
				if !ok {
					t.Fatalf("no method %s; methods %v", key, slices.Sorted(func(yield func(string) bool) {
						for k := range methods {
							if !yield(k) {
								return
							}
						}
					}))
				}
				if m["apiKeyRequired"] != wantKey {
					t.Errorf("%s apiKeyRequired = %v, want %v", key, m["apiKeyRequired"], wantKey)
				}
			}
			if methods["POST post-users"]["requestModels"] == nil || methods["POST post-posts"]["requestModels"] == nil {
				t.Error("POST bodies are not validated against a model")
			}
			rec.Must(t, "aws:apigateway/usagePlanKey:UsagePlanKey", "blog-api-usage-plan-key")

			stage := rec.Must(t, "aws:apigateway/stage:Stage", "blog-api-stage")
			if stage.Inputs["cacheClusterEnabled"] != tc.cached {
				t.Errorf("stage cache %v, want %v", stage.Inputs["cacheClusterEnabled"], tc.cached)
			}
			all := rec.Must(t, "aws:apigateway/methodSettings:MethodSettings", "blog-api-all-methods").Inputs["settings"].(map[string]any)
			if all["throttlingRateLimit"].(float64) <= 0 || all["throttlingBurstLimit"].(float64) <= 0 {
				t.Errorf("stage throttling %v", all)
			}
			if _, ok := rec.Get("aws:apigateway/methodSettings:MethodSettings", "blog-api-get-posts-settings"); ok != tc.cached {
				t.Errorf("GET /posts cache settings present = %v, want %v", ok, tc.cached)
			}
		})
	}
}

func TestBlogProductionTableIsGlobal(t *testing.T) {
	rec := recordBlog(t, "prod")
	table := rec.Must(t, "aws:dynamodb/table:Table", "blog-table")
	if !table.Protect || table.Inputs["deletionProtectionEnabled"] != true {
		t.Error("the production table is not protected")
	}
	var regions []string
	for _, r := range table.Inputs["replicas"].([]any) {
		rep := r.(map[string]any)
		region := rep["regionName"].(string)
		regions = append(regions, region)
		if rep["pointInTimeRecovery"] != true {
			t.Errorf("replica %s has no point-in-time recovery", region)
		}
		if key, _ := rep["kmsKeyArn"].(string); !strings.HasPrefix(key, "arn:aws:kms:"+region+":") {
			t.Errorf("replica %s is encrypted with %q, want a key in its region", region, key)
		}
	}
	if !reflect.DeepEqual(regions, []string{"eu-west-1", "ap-southeast-2"}) {
		t.Errorf("replicas in %v, want eu-west-1 and ap-southeast-2", regions)
	}
	if got := rec.Outputs["blogTableStreamArn"]; got != "arn:aws:dynamodb:us-east-1:123456789012:table/blog-table/stream/2026-01-01T00:00:00.000" {
		t.Errorf("blogTableStreamArn = %v, want the home region's stream", got)
	}
	if dev := recordBlog(t, "dev").Must(t, "aws:dynamodb/table:Table", "blog-table"); dev.Protect || len(dev.Inputs["replicas"].([]any)) != 0 {
		t.Error("the dev table is protected or replicated")
	}
}

func TestBlogSiteServesTheFrontEndAndTheAPI(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec := recordBlog(t, stack)
			id := blogAPIID(t, rec)
			dist := rec.Must(t, "aws:cloudfront/distribution:Distribution", "blog-site-distribution")
			var api map[string]any
			for _, o := range dist.Inputs["origins"].([]any) {
				if o.(map[string]any)["originId"] == "api" {
					api = o.(map[string]any)
				}
			}
			if api == nil || api["domainName"] != id+".execute-api.us-east-1.amazonaws.com" || api["originPath"] != "/v1" {
				t.Errorf("API origin %v, want this API's v1 stage", api)
			}
			b := dist.Inputs["orderedCacheBehaviors"].([]any)[0].(map[string]any)
			if b["pathPattern"] != "/api/*" || b["targetOriginId"] != "api" || len(b["functionAssociations"].([]any)) != 1 {
				t.Errorf("first behaviour %v, want /api/* to the API with its prefix stripped", b)
			}
			for _, key := range []string{"index.html", "post.html", "signup.html"} {
				rec.Must(t, "aws:s3/bucketObjectv2:BucketObjectv2", "blog-site/"+key)
			}
			for _, name := range []string{"blogSiteUrl", "blogApiUrl", "blogTableName", "blogDistributionId", "blogSiteBucket", "blogApiKeyId"} {
				if s, _ := rec.Outputs[name].(string); s == "" {
					t.Errorf("stack output %s = %v", name, rec.Outputs[name])
				}
			}
			var own string
			for _, st := range blogStatements(t, rec.Must(t, "aws:s3/bucketPolicy:BucketPolicy", "blog-site-bucket-policy"), "policy") {
				if st.Effect == "Allow" {
					own = strings.Join(st.Condition["StringEquals"]["AWS:SourceArn"], ",")
				}
			}
			if !strings.HasPrefix(own, "arn:aws:cloudfront::123456789012:distribution/E") || strings.Contains(own, ",") {
				t.Errorf("site bucket readable by %q, want exactly its distribution", own)
			}
		})
	}
	prod := recordBlog(t, "prod")
	cert := prod.Must(t, "aws:acm/certificate:Certificate", "blog-site-certificate")
	if p, ok := prod.ByURN(cert.Provider); !ok || p.Inputs["region"] != "us-east-1" {
		t.Errorf("the site certificate's provider %q is not in us-east-1", cert.Provider)
	}
	if prod.Outputs["blogSiteUrl"] != "https://www.myblog.example.com" {
		t.Errorf("blogSiteUrl = %v", prod.Outputs["blogSiteUrl"])
	}
}

// In prod the blog table is encrypted with a customer managed key, which
// DynamoDB uses with the caller's credentials: the API function may use
// that key, and only through DynamoDB in the key's region; in dev (the
// aws/dynamodb key) it has no KMS grant at all.
func TestBlogFunctionMayUseTheTablesKey(t *testing.T) {
	keyStatement := func(rec *stacktest.Recording) *blogStatement {
		for _, st := range blogStatements(t, rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "blog-api-handler-policy"), "policy") {
			if slices.ContainsFunc(st.Action, func(a string) bool { return strings.HasPrefix(a, "kms:") }) {
				return &st
			}
		}
		return nil
	}
	if st := keyStatement(recordBlog(t, "dev")); st != nil {
		t.Errorf("dev grants %v on %v, with no customer managed key to use", st.Action, st.Resource)
	}
	prod := recordBlog(t, "prod")
	st := keyStatement(prod)
	if st == nil {
		t.Fatal("prod's blog API may not use the table's key: every table request would be denied")
	}
	key := prod.Outputs["blogTableKmsKeyArn"]
	if want := []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"}; !reflect.DeepEqual(st.Action, want) || len(st.Resource) != 1 || st.Resource[0] != key {
		t.Errorf("key statement %v on %v, want %v on the table's key %v", st.Action, st.Resource, want, key)
	}
	if via := st.Condition["StringEquals"]["kms:ViaService"]; !reflect.DeepEqual(via, []string{"dynamodb.us-east-1.amazonaws.com"}) {
		t.Errorf("kms:ViaService %v, want only DynamoDB in us-east-1", via)
	}
}
