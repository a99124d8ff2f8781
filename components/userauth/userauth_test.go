package userauth_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/userauth"
)

// iamPolicy is an IAM policy document as PolicyJSON renders it.
type iamPolicy struct {
	Statement []struct {
		Sid       string
		Effect    string
		Principal map[string]string
		Action    []string
		Resource  []string
		Condition map[string]map[string][]string
	}
}

func parsePolicy(t *testing.T, r stacktest.Resource, key string) iamPolicy {
	t.Helper()
	var p iamPolicy
	if err := json.Unmarshal([]byte(r.Inputs[key].(string)), &p); err != nil {
		t.Fatalf("%s %s: %v", r.Name, key, err)
	}
	return p
}

func deploy(t *testing.T, args userauth.Args) *stacktest.Recording {
	t.Helper()
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		u, err := userauth.New(ctx, "auth", args)
		if err != nil {
			return err
		}
		ctx.Export("bucketArn", u.FilesBucketArn)
		ctx.Export("identityPoolId", u.IdentityPoolID)
		ctx.Export("userPoolId", u.UserPoolID)
		ctx.Export("userPoolEndpoint", u.UserPool.Endpoint)
		ctx.Export("clientId", u.UserPoolClientID)
		ctx.Export("roleArn", u.AuthenticatedRoleArn)
		return nil
	}, stacktest.Project("proj"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestRoleReachesOnlyTheCallersOwnFolderOfThisBucket(t *testing.T) {
	rec := deploy(t, userauth.Args{})
	bucket := rec.Outputs["bucketArn"].(string)
	if !strings.HasPrefix(bucket, "arn:aws:s3:::") {
		t.Fatalf("bucket ARN %q", bucket)
	}
	doc := parsePolicy(t, rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "auth-authenticated-policy"), "policy")
	if len(doc.Statement) != 2 {
		t.Fatalf("%d statements, want object access and listing only: %+v", len(doc.Statement), doc.Statement)
	}
	objects, list := doc.Statement[0], doc.Statement[1]
	wantObjects := bucket + "/private/${cognito-identity.amazonaws.com:sub}/*"
	if !slices.Equal(objects.Resource, []string{wantObjects}) {
		t.Errorf("object actions on %v, want exactly %s", objects.Resource, wantObjects)
	}
	if !slices.Equal(objects.Action, []string{"s3:DeleteObject", "s3:GetObject", "s3:PutObject"}) {
		t.Errorf("object actions %v", objects.Action)
	}
	if !slices.Equal(list.Action, []string{"s3:ListBucket"}) || !slices.Equal(list.Resource, []string{bucket}) {
		t.Errorf("listing statement %+v", list)
	}
	prefixes := list.Condition["StringLike"]["s3:prefix"]
	want := []string{"private/${cognito-identity.amazonaws.com:sub}/", "private/${cognito-identity.amazonaws.com:sub}/*"}
	if !slices.Equal(prefixes, want) {
		t.Errorf("listing limited to prefixes %v, want %v", prefixes, want)
	}
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			t.Errorf("statement %s has effect %s", s.Sid, s.Effect)
		}
		for _, a := range s.Action {
			if strings.Contains(a, "*") {
				t.Errorf("wildcard action %s", a)
			}
		}
	}
}

func TestRoleTrustsOnlySignedInIdentitiesOfThisPool(t *testing.T) {
	rec := deploy(t, userauth.Args{})
	doc := parsePolicy(t, rec.Must(t, "aws:iam/role:Role", "auth-authenticated-role"), "assumeRolePolicy")
	if len(doc.Statement) != 1 {
		t.Fatalf("trust policy %+v", doc.Statement)
	}
	s := doc.Statement[0]
	if s.Principal["Federated"] != "cognito-identity.amazonaws.com" || !slices.Equal(s.Action, []string{"sts:AssumeRoleWithWebIdentity"}) {
		t.Errorf("trust statement %+v", s)
	}
	pool := rec.Outputs["identityPoolId"].(string)
	if aud := s.Condition["StringEquals"]["cognito-identity.amazonaws.com:aud"]; !slices.Equal(aud, []string{pool}) {
		t.Errorf("trusts audience %v, want this identity pool %s", aud, pool)
	}
	if amr := s.Condition["ForAnyValue:StringLike"]["cognito-identity.amazonaws.com:amr"]; !slices.Equal(amr, []string{"authenticated"}) {
		t.Errorf("trusts amr %v, want authenticated only", amr)
	}

	ids := rec.Must(t, "aws:cognito/identityPool:IdentityPool", "auth-identity-pool")
	if ids.Inputs["allowUnauthenticatedIdentities"] != false || ids.Inputs["allowClassicFlow"] != false {
		t.Errorf("identity pool allows unauthenticated=%v classic=%v", ids.Inputs["allowUnauthenticatedIdentities"], ids.Inputs["allowClassicFlow"])
	}
	provider := ids.Inputs["cognitoIdentityProviders"].([]any)[0].(map[string]any)
	if provider["clientId"] != rec.Outputs["clientId"] || provider["providerName"] != rec.Outputs["userPoolEndpoint"] || provider["serverSideTokenCheck"] != true {
		t.Errorf("identity pool provider %v, want this pool's app client", provider)
	}
	attach := rec.Must(t, "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment", "auth-roles")
	roles := attach.Inputs["roles"].(map[string]any)
	if attach.Inputs["identityPoolId"] != pool || len(roles) != 1 || roles["authenticated"] != rec.Outputs["roleArn"] {
		t.Errorf("role attachment %v", attach.Inputs)
	}
}

func TestUserPoolSignInAndAppClient(t *testing.T) {
	rec := deploy(t, userauth.Args{MFA: userauth.MFAOn})
	pool := rec.Must(t, "aws:cognito/userPool:UserPool", "auth-user-pool")
	in := pool.Inputs
	if !slices.Equal(strs(in["usernameAttributes"]), []string{"email"}) || !slices.Equal(strs(in["autoVerifiedAttributes"]), []string{"email"}) {
		t.Errorf("sign-in by %v, verified %v", in["usernameAttributes"], in["autoVerifiedAttributes"])
	}
	pw := in["passwordPolicy"].(map[string]any)
	if pw["minimumLength"].(float64) < 12 {
		t.Errorf("minimum password length %v", pw["minimumLength"])
	}
	for _, k := range []string{"requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"} {
		if pw[k] != true {
			t.Errorf("password policy %s = %v", k, pw[k])
		}
	}
	if in["mfaConfiguration"] != "ON" || in["softwareTokenMfaConfiguration"].(map[string]any)["enabled"] != true {
		t.Errorf("MFA %v %v", in["mfaConfiguration"], in["softwareTokenMfaConfiguration"])
	}
	if in["deletionProtection"] != "INACTIVE" || pool.Protect {
		t.Error("an unprotected pool has deletion protection")
	}
	if in["userPoolTier"] != "ESSENTIALS" || in["userPoolAddOns"] != nil {
		t.Errorf("threat protection off, yet tier %v add-ons %v", in["userPoolTier"], in["userPoolAddOns"])
	}

	client := rec.Must(t, "aws:cognito/userPoolClient:UserPoolClient", "auth-app-client")
	c := client.Inputs
	if c["userPoolId"] != rec.Outputs["userPoolId"] || c["generateSecret"] != false || c["preventUserExistenceErrors"] != "ENABLED" {
		t.Errorf("app client %v", c)
	}
	if flows := strs(c["explicitAuthFlows"]); !slices.Equal(flows, []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"}) {
		t.Errorf("auth flows %v, want SRP and refresh only", flows)
	}
	if c["accessTokenValidity"] != 60.0 || c["refreshTokenValidity"] != 30.0 || c["tokenValidityUnits"].(map[string]any)["accessToken"] != "minutes" {
		t.Errorf("token lifetimes %v %v %v", c["accessTokenValidity"], c["refreshTokenValidity"], c["tokenValidityUnits"])
	}
}

func TestProtectionThreatProtectionAndCORS(t *testing.T) {
	rec := deploy(t, userauth.Args{
		Protect:          true,
		MFA:              userauth.MFAOff,
		ThreatProtection: userauth.ThreatProtectionAudit,
		CORSOrigins:      []string{"https://app.example.com"},
	})
	pool := rec.Must(t, "aws:cognito/userPool:UserPool", "auth-user-pool")
	if pool.Inputs["deletionProtection"] != "ACTIVE" || !pool.Protect {
		t.Errorf("protected pool: deletionProtection %v, protect %v", pool.Inputs["deletionProtection"], pool.Protect)
	}
	if pool.Inputs["userPoolTier"] != "PLUS" || pool.Inputs["userPoolAddOns"].(map[string]any)["advancedSecurityMode"] != "AUDIT" {
		t.Errorf("threat protection AUDIT needs the Plus plan: tier %v add-ons %v", pool.Inputs["userPoolTier"], pool.Inputs["userPoolAddOns"])
	}
	if pool.Inputs["mfaConfiguration"] != "OFF" || pool.Inputs["softwareTokenMfaConfiguration"] != nil {
		t.Errorf("MFA off, yet %v %v", pool.Inputs["mfaConfiguration"], pool.Inputs["softwareTokenMfaConfiguration"])
	}
	if !rec.Must(t, "aws:s3/bucketV2:BucketV2", "auth-files").Protect {
		t.Error("the files bucket of a protected UserAuth is not protected")
	}
	cors := rec.Must(t, "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2", "auth-files-cors")
	rule := cors.Inputs["corsRules"].([]any)[0].(map[string]any)
	if !slices.Equal(strs(rule["allowedOrigins"]), []string{"https://app.example.com"}) {
		t.Errorf("bucket CORS origins %v", rule["allowedOrigins"])
	}
	rec.Must(t, "aws:s3/bucketPolicy:BucketPolicy", "auth-files-policy")
}

func TestOptionalTableAccessIsLimitedToOwnItems(t *testing.T) {
	const table = "arn:aws:dynamodb:us-east-1:123456789012:table/notes"
	rec := deploy(t, userauth.Args{UserTableArn: pulumi.String(table)})
	doc := parsePolicy(t, rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "auth-authenticated-policy"), "policy")
	if len(doc.Statement) != 3 {
		t.Fatalf("%d statements, want files and items", len(doc.Statement))
	}
	items := doc.Statement[2]
	if !slices.Equal(items.Resource, []string{table}) {
		t.Errorf("item actions on %v", items.Resource)
	}
	if keys := items.Condition["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]; !slices.Equal(keys, []string{"${cognito-identity.amazonaws.com:sub}"}) {
		t.Errorf("leading keys %v, want the caller's identity", keys)
	}
}

func TestInvalidArgs(t *testing.T) {
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := userauth.New(ctx, "auth", userauth.Args{MFA: "SMS", ThreatProtection: "FULL", CORSOrigins: []string{"*"}})
		return err
	})
	for _, want := range []string{`MFA "SMS"`, `threat protection "FULL"`, `CORS origin "*"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, len(list))
	for i, x := range list {
		out[i], _ = x.(string)
	}
	return out
}

func TestPassesThePolicyChecks(t *testing.T) {
	rec := deploy(t, userauth.Args{Protect: true, CORSOrigins: []string{"https://app.example.com"}})
	report := policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.Production(true), policy.WithConstraints())
	if err := report.Err(); err != nil {
		t.Error(err)
	}
}
