package crosslang

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/fnbuild"
	"github.com/gopherstack/serverless-arch/components/globaltable"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
	"github.com/gopherstack/serverless-arch/components/updateoffload"
	"github.com/gopherstack/serverless-arch/components/userauth"
	"github.com/gopherstack/serverless-arch/components/welcomemailer"
)

const (
	fnArn     = "arn:aws:lambda:eu-west-1:123456789012:function:todo"
	poolArn   = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc"
	tableArn  = "arn:aws:dynamodb:eu-west-1:123456789012:table/users"
	streamArn = tableArn + "/stream/2026-01-01T00:00:00.000"
	queueArn  = "arn:aws:sqs:eu-west-1:123456789012:other"
)

func TestServerlessAPI(t *testing.T) {
	scenario{token: serverlessapi.Type, name: "api", children: 20,
		goProgram: func(ctx *pulumi.Context) error {
			_, err := serverlessapi.New(ctx, "api", serverlessapi.Args{
				Routes: []serverlessapi.Route{
					{Method: "GET", Path: "/todos/{id}", FunctionArn: pulumi.String(fnArn), Auth: serverlessapi.AuthCognito,
						Query: []serverlessapi.Param{{Name: "fields", CacheKey: true}}, Cache: true, Summary: "Reads a to-do"},
					{Method: "POST", Path: "/todos", FunctionArn: pulumi.String(fnArn), Auth: serverlessapi.AuthNone,
						PublicReason: "a demo", BodySchema: `{"type":"object"}`, SuccessStatus: 201},
				},
				Title: "Todos", UserPoolArns: pulumi.StringArray{pulumi.String(poolArn)}, CacheSizeGB: "0.5",
				CacheTTLSeconds: pulumi.Int(60), CORSOrigins: []string{"https://app.example.com"},
				Domain: &serverlessapi.DomainArgs{Name: "api.example.com"},
			})
			return err
		},
		inputs: map[string]any{
			"routes": []any{
				map[string]any{"method": "GET", "path": "/todos/{id}", "functionArn": fnArn, "auth": "COGNITO_USER_POOLS",
					"query": []any{map[string]any{"name": "fields", "cacheKey": true}}, "cache": true, "summary": "Reads a to-do"},
				map[string]any{"method": "POST", "path": "/todos", "functionArn": fnArn, "auth": "NONE",
					"publicReason": "a demo", "bodySchema": `{"type":"object"}`, "successStatus": 201},
			},
			"title": "Todos", "userPoolArns": []any{poolArn}, "cacheSizeGb": "0.5", "cacheTtlSeconds": 60,
			"corsOrigins": []any{"https://app.example.com"}, "domain": map[string]any{"name": "api.example.com"},
		},
	}.check(t)
}

func TestDAX(t *testing.T) {
	subnets := []string{"subnet-a", "subnet-b"}
	scenario{token: serverlessapi.DAXType, name: "cache", children: 4,
		goProgram: func(ctx *pulumi.Context) error {
			_, err := serverlessapi.NewDAX(ctx, "cache", serverlessapi.DAXArgs{VpcID: pulumi.String("vpc-1"),
				SubnetIDs: pulumi.ToStringArray(subnets), TableArns: pulumi.ToStringArray([]string{tableArn}), Nodes: pulumi.Int(1)})
			return err
		},
		inputs: map[string]any{"vpcId": "vpc-1", "subnetIds": []any{"subnet-a", "subnet-b"}, "tableArns": []any{tableArn}, "nodes": 1},
	}.check(t)
}

func TestUserAuth(t *testing.T) {
	scenario{token: userauth.Type, name: "auth", children: 10,
		goProgram: func(ctx *pulumi.Context) error {
			_, err := userauth.New(ctx, "auth", userauth.Args{MFA: userauth.MFAOn, ThreatProtection: userauth.ThreatProtectionAudit,
				CORSOrigins: []string{"https://app.example.com"}, UserTableArn: pulumi.String(tableArn), IDTokenMinutes: pulumi.Int(30)})
			return err
		},
		inputs: map[string]any{"mfa": "ON", "threatProtection": "AUDIT", "corsOrigins": []any{"https://app.example.com"},
			"userTableArn": tableArn, "idTokenMinutes": 30},
	}.check(t)
}

func TestGlobalTable(t *testing.T) {
	scenario{token: globaltable.Token, name: "users", children: 3,
		goProgram: func(ctx *pulumi.Context) error {
			_, err := globaltable.New(ctx, "users", globaltable.Args{Name: pulumi.String("users"),
				PartitionKey: blocks.Key{Name: "pk"}, SortKey: &blocks.Key{Name: "sk", Type: "N"},
				Indexes:      []globaltable.Index{{Name: "byEmail", PartitionKey: blocks.Key{Name: "email"}, Projection: "KEYS_ONLY"}},
				TTLAttribute: "expires", Replicas: []globaltable.Replica{{Region: "eu-central-1"}},
				Encryption: globaltable.CustomerManaged, Protect: true, Tags: pulumi.StringMap{"team": pulumi.String("blog")}})
			return err
		},
		inputs: map[string]any{"name": "users", "partitionKey": map[string]any{"name": "pk"},
			"sortKey":      map[string]any{"name": "sk", "type": "N"},
			"indexes":      []any{map[string]any{"name": "byEmail", "partitionKey": map[string]any{"name": "email"}, "projection": "KEYS_ONLY"}},
			"ttlAttribute": "expires", "replicas": []any{map[string]any{"region": "eu-central-1"}},
			"encryption": "customer", "protect": true, "tags": map[string]any{"team": "blog"}},
	}.check(t)
}

func TestWelcomeMailer(t *testing.T) {
	scenario{token: welcomemailer.Token, name: "welcome", children: 10,
		goProgram: func(ctx *pulumi.Context) error {
			_, err := welcomemailer.New(ctx, "welcome", welcomemailer.Args{StreamArn: pulumi.String(streamArn),
				TableArn: pulumi.String(tableArn), Identity: "example.com", Sender: "hello@example.com",
				UserIDAttribute: "userId", AllItemsAreUsers: true, HostedZoneID: pulumi.String("Z123"),
				Architecture: fnbuild.X86_64, Protect: true})
			return err
		},
		inputs: map[string]any{"streamArn": streamArn, "tableArn": tableArn, "identity": "example.com",
			"sender": "hello@example.com", "userIdAttribute": "userId", "allItemsAreUsers": true,
			"hostedZoneId": "Z123", "architecture": "x86_64", "protect": true},
	}.check(t)
}

func TestThumbnailPipeline(t *testing.T) {
	scenario{token: thumbnails.Token, name: "pics", children: 15,
		goProgram: func(ctx *pulumi.Context) error {
			_, err := thumbnails.New(ctx, "pics", thumbnails.Args{UploadPrefix: "uploads/", Delivery: thumbnails.DeliverSQS,
				Sizes: []int{256, 64}, MaxSourceBytes: 10 << 20, ServedByCloudFront: true, Format: "jpeg",
				ExtraQueues: s3.BucketNotificationQueueArray{s3.BucketNotificationQueueArgs{QueueArn: pulumi.String(queueArn),
					Events: pulumi.ToStringArray([]string{"s3:ObjectCreated:*"}), FilterPrefix: pulumi.String("other/")}}})
			return err
		},
		inputs: map[string]any{"uploadPrefix": "uploads/", "delivery": "sqs", "sizes": []any{256, 64},
			"maxSourceBytes": 10 << 20, "servedByCloudFront": true, "format": "jpeg",
			"extraRoutes": []any{map[string]any{"queueArn": queueArn, "events": []any{"s3:ObjectCreated:*"}, "filterPrefix": "other/"}}},
	}.check(t)
}

func TestUpdateOffloadCDN(t *testing.T) {
	alb := map[string]string{
		"albDnsName": "origin.example.com", "albArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1",
		"albSecurityGroupId": "sg-1", "albListenerArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2",
		"albTargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/3",
	}
	inputs := map[string]any{"origin": "existing", "paths": []any{"/updates/*", "/patches/*"}, "versionQueryParam": "v",
		"priceClass": "PriceClass_200", "originSecret": resource.MakeSecret(resource.NewProperty("s3cret"))}
	for k, v := range alb {
		inputs[k] = v
	}
	scenario{token: updateoffload.Token, name: "updates", children: 8, inputs: inputs,
		goProgram: func(ctx *pulumi.Context) error {
			_, err := updateoffload.New(ctx, "updates", updateoffload.Args{Origin: updateoffload.OriginExisting,
				AlbDNSName: pulumi.String(alb["albDnsName"]), AlbArn: pulumi.String(alb["albArn"]),
				AlbSecurityGroupID: pulumi.String(alb["albSecurityGroupId"]), AlbListenerArn: pulumi.String(alb["albListenerArn"]),
				AlbTargetGroupArn: pulumi.String(alb["albTargetGroupArn"]), Paths: []string{"/updates/*", "/patches/*"},
				VersionQueryParam: "v", PriceClass: "PriceClass_200",
				OriginSecret: pulumi.ToSecret(pulumi.String("s3cret")).(pulumi.StringOutput)})
			return err
		},
	}.check(t)
}

// Every served component has a scenario above.
func TestEveryComponentIsConstructedAbove(t *testing.T) {
	tested := map[string]bool{serverlessapi.Type: true, serverlessapi.DAXType: true, userauth.Type: true,
		globaltable.Token: true, welcomemailer.Token: true, thumbnails.Token: true, updateoffload.Token: true,
		staticsite.Token: true}
	for _, c := range components {
		token, err := c.GetToken() // "pkg:..." until the provider names the package
		if err != nil || !tested[strings.Replace(string(token), "pkg:", Name+":", 1)] {
			t.Errorf("component %s (%v) has no construct test", token, err)
		}
	}
}
