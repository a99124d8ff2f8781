// Package userauth is user sign-in and per-user storage for a mobile or web
// app: the UserAuth component.
//
// Users sign up and sign in with their e-mail address and a strong password
// (optionally a TOTP second factor) against a Cognito user pool, through an
// app client without a secret, as mobile apps cannot keep one. The app trades
// the user pool's tokens at a Cognito identity pool for temporary AWS
// credentials (STS) of one authenticated role, and with them reads and writes
// S3 directly, without a server in between.
//
// What keeps users apart is the role's policy: every object action names the
// caller's own folder through a policy variable,
//
//	arn:aws:s3:::BUCKET/private/${cognito-identity.amazonaws.com:sub}/*
//
// and listing is allowed only with an s3:prefix inside that folder. The
// variable is the caller's identity ID (region:uuid), which STS puts into the
// credentials, so no user can name another user's folder. The role trusts
// only this identity pool (aud) and only signed-in identities (amr), and the
// identity pool admits no unauthenticated identities.
//
// UserTableArn opens a DynamoDB table the same way (dynamodb:LeadingKeys on
// the identity ID); it is off by default. The identity ID is not the user
// pool's "sub" an API's Cognito authorizer passes to functions, so a table
// keyed by the user pool sub (like MyTodoList's) is not one to open this way.
package userauth

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
)

// Type is the UserAuth component's type token.
const Type = "serverless-arch:auth:UserAuth"

// MFA settings, as Cognito names them.
const (
	MFAOff      = "OFF"
	MFAOptional = "OPTIONAL"
	MFAOn       = "ON"
)

// Threat protection modes, as Cognito names them. Any mode but OFF needs the
// Plus feature plan, which UserAuth then selects (it is billed per monthly
// active user): AUDIT records risky sign-ins, ENFORCED also blocks them or
// asks for MFA.
const (
	ThreatProtectionOff      = "OFF"
	ThreatProtectionAudit    = "AUDIT"
	ThreatProtectionEnforced = "ENFORCED"
)

// Identity is the IAM policy variable holding the caller's identity ID in
// credentials from a Cognito identity pool.
const Identity = "${cognito-identity.amazonaws.com:sub}"

// PrivatePrefix is where each identity's folder lives in the files bucket:
// private/<identity ID>/.
const PrivatePrefix = "private/"

// Args configures a UserAuth.
type Args struct {
	// MFA is MFAOff, MFAOptional (default) or MFAOn; the second factor is
	// a TOTP authenticator app. Plain: it decides the pool's settings
	// blocks.
	MFA string
	// ThreatProtection is ThreatProtectionOff (default), ...Audit or
	// ...Enforced. Plain: it decides the pool's feature plan.
	ThreatProtection string
	// CORSOrigins are the https origins of a web app that may use the files
	// bucket from a browser; none for native apps only.
	CORSOrigins []string
	// Protect turns on the user pool's deletion protection and marks the
	// pool and the files bucket stateful (see blocks.Stateful).
	Protect bool
	// AccessTokenMinutes and IDTokenMinutes (default 60) and
	// RefreshTokenDays (default 30) are the app client's token lifetimes.
	AccessTokenMinutes, IDTokenMinutes, RefreshTokenDays pulumi.IntInput
	// UserTableArn, if set, lets each identity read and write the items of
	// this table whose partition key is its identity ID, and no others.
	UserTableArn pulumi.StringInput
	// UserTableKMSKeyArn is that table's customer managed key, if any.
	UserTableKMSKeyArn pulumi.StringInput
	// KMSKeyArn encrypts the files bucket with this customer managed key
	// (SSE-KMS, bucket keys on) instead of SSE-S3; each identity's role may
	// use it, through S3 only, for its own objects. The key's policy must
	// let the account's IAM policies grant its use (the default key
	// policy does).
	KMSKeyArn pulumi.StringInput
}

func (a *Args) withDefaults() {
	if a.MFA == "" {
		a.MFA = MFAOptional
	}
	if a.ThreatProtection == "" {
		a.ThreatProtection = ThreatProtectionOff
	}
	if a.AccessTokenMinutes == nil {
		a.AccessTokenMinutes = pulumi.Int(60)
	}
	if a.IDTokenMinutes == nil {
		a.IDTokenMinutes = pulumi.Int(60)
	}
	if a.RefreshTokenDays == nil {
		a.RefreshTokenDays = pulumi.Int(30)
	}
}

// validate reports every problem with the arguments at once.
func (a *Args) validate() error {
	errs := []error{blocks.CheckOrigins(a.CORSOrigins)}
	if !slices.Contains([]string{MFAOff, MFAOptional, MFAOn}, a.MFA) {
		errs = append(errs, fmt.Errorf("MFA %q: want OFF, OPTIONAL or ON", a.MFA))
	}
	if !slices.Contains([]string{ThreatProtectionOff, ThreatProtectionAudit, ThreatProtectionEnforced}, a.ThreatProtection) {
		errs = append(errs, fmt.Errorf("threat protection %q: want OFF, AUDIT or ENFORCED", a.ThreatProtection))
	}
	return errors.Join(errs...)
}

// UserAuth is a user pool, an identity pool and a files bucket in which
// each signed-in user owns one folder.
type UserAuth struct {
	pulumi.ResourceState

	UserPool          *cognito.UserPool
	Client            *cognito.UserPoolClient
	IdentityPool      *cognito.IdentityPool
	AuthenticatedRole *iam.Role
	Files             *blocks.Bucket

	// UserPoolID is the user pool's ID.
	UserPoolID pulumi.StringOutput `pulumi:"userPoolId"`
	// UserPoolArn is the user pool's ARN, for an API's Cognito authorizer
	// (one of a ServerlessAPI's user pool ARNs).
	UserPoolArn pulumi.StringOutput `pulumi:"userPoolArn"`
	// UserPoolClientID is the app client's ID, which the app signs in with
	// (no client secret).
	UserPoolClientID pulumi.StringOutput `pulumi:"userPoolClientId"`
	// IdentityPoolID is the identity pool's ID, which the app trades user
	// pool tokens at for temporary AWS credentials.
	IdentityPoolID pulumi.StringOutput `pulumi:"identityPoolId"`
	// AuthenticatedRoleArn is the role signed-in identities assume.
	AuthenticatedRoleArn pulumi.StringOutput `pulumi:"authenticatedRoleArn"`
	// FilesBucket is the files bucket's name; each identity owns
	// private/<identity ID>/ in it.
	FilesBucket pulumi.StringOutput `pulumi:"filesBucket"`
	// FilesBucketArn is the files bucket's ARN.
	FilesBucketArn pulumi.StringOutput `pulumi:"filesBucketArn"`
}

// New creates a UserAuth named name: the arguments with their defaults,
// then the children (the user pool and its app client, the files bucket,
// the identity pool with its role), then the outputs.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*UserAuth, error) {
	args.withDefaults()
	return blocks.NewComponent(ctx, Type, name, opts, args.validate, func(u *UserAuth, parent pulumi.ResourceOption) error {
		if err := u.children(ctx, name, &args, []pulumi.ResourceOption{parent}); err != nil {
			return err
		}
		u.outputs()
		return nil
	})
}

// children creates the user pool, then the files bucket, then the
// identities that use both.
func (u *UserAuth) children(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	// User and identity pool names allow 128 characters.
	physical := blocks.PhysicalName(ctx, name, 128)
	if err := u.userPool(ctx, name, physical, args, child); err != nil {
		return err
	}
	if err := u.files(ctx, name, args, child); err != nil {
		return err
	}
	return u.identities(ctx, name, physical, args, child)
}

// outputs sets the component's outputs from its children.
func (u *UserAuth) outputs() {
	u.UserPoolID = u.UserPool.ID().ToStringOutput()
	u.UserPoolArn = u.UserPool.Arn
	u.UserPoolClientID = u.Client.ID().ToStringOutput()
	u.IdentityPoolID = u.IdentityPool.ID().ToStringOutput()
	u.AuthenticatedRoleArn = u.AuthenticatedRole.Arn
	u.FilesBucket = u.Files.Bucket.Bucket
	u.FilesBucketArn = u.Files.Arn()
}

// userPool creates the user pool and the app client.
func (u *UserAuth) userPool(ctx *pulumi.Context, name, physical string, args *Args, child []pulumi.ResourceOption) error {
	plus := args.ThreatProtection != ThreatProtectionOff
	password := &cognito.UserPoolPasswordPolicyArgs{
		MinimumLength:                 pulumi.Int(12),
		RequireLowercase:              pulumi.Bool(true),
		RequireUppercase:              pulumi.Bool(true),
		RequireNumbers:                pulumi.Bool(true),
		RequireSymbols:                pulumi.Bool(true),
		TemporaryPasswordValidityDays: pulumi.Int(3),
	}
	poolArgs := &cognito.UserPoolArgs{
		Name:                   pulumi.String(physical),
		UsernameAttributes:     pulumi.ToStringArray([]string{"email"}),
		AutoVerifiedAttributes: pulumi.ToStringArray([]string{"email"}),
		UsernameConfiguration:  &cognito.UserPoolUsernameConfigurationArgs{CaseSensitive: pulumi.Bool(false)},
		PasswordPolicy:         password,
		AccountRecoverySetting: &cognito.UserPoolAccountRecoverySettingArgs{
			RecoveryMechanisms: cognito.UserPoolAccountRecoverySettingRecoveryMechanismArray{
				&cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs{Name: pulumi.String("verified_email"), Priority: pulumi.Int(1)},
			},
		},
		AdminCreateUserConfig: &cognito.UserPoolAdminCreateUserConfigArgs{AllowAdminCreateUserOnly: pulumi.Bool(false)},
		MfaConfiguration:      pulumi.String(args.MFA),
		UserPoolTier:          pulumi.String("ESSENTIALS"),
		DeletionProtection:    pulumi.String("INACTIVE"),
	}
	if args.MFA != MFAOff {
		poolArgs.SoftwareTokenMfaConfiguration = &cognito.UserPoolSoftwareTokenMfaConfigurationArgs{Enabled: pulumi.Bool(true)}
	}
	if plus {
		poolArgs.UserPoolTier = pulumi.String("PLUS")
		poolArgs.UserPoolAddOns = &cognito.UserPoolUserPoolAddOnsArgs{AdvancedSecurityMode: pulumi.String(args.ThreatProtection)}
		// Password history is a threat protection feature too.
		password.PasswordHistorySize = pulumi.Int(5)
	}
	if args.Protect {
		poolArgs.DeletionProtection = pulumi.String("ACTIVE")
	}
	pool, err := cognito.NewUserPool(ctx, name+"-user-pool", poolArgs, blocks.With(child, blocks.Stateful(args.Protect)...)...)
	if err != nil {
		return fmt.Errorf("creating user pool: %w", err)
	}
	client, err := cognito.NewUserPoolClient(ctx, name+"-app-client", &cognito.UserPoolClientArgs{
		Name:       pulumi.String("app"),
		UserPoolId: pool.ID(),
		// Mobile and browser apps cannot keep a secret.
		GenerateSecret: pulumi.Bool(false),
		// SRP never sends the password; refresh keeps users signed in.
		ExplicitAuthFlows:          pulumi.ToStringArray([]string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"}),
		PreventUserExistenceErrors: pulumi.String("ENABLED"),
		EnableTokenRevocation:      pulumi.Bool(true),
		SupportedIdentityProviders: pulumi.ToStringArray([]string{"COGNITO"}),
		AccessTokenValidity:        args.AccessTokenMinutes,
		IdTokenValidity:            args.IDTokenMinutes,
		RefreshTokenValidity:       args.RefreshTokenDays,
		TokenValidityUnits: &cognito.UserPoolClientTokenValidityUnitsArgs{
			AccessToken:  pulumi.String("minutes"),
			IdToken:      pulumi.String("minutes"),
			RefreshToken: pulumi.String("days"),
		},
		AuthSessionValidity: pulumi.Int(3),
		ReadAttributes:      pulumi.ToStringArray([]string{"email", "email_verified"}),
		WriteAttributes:     pulumi.ToStringArray([]string{"email"}),
	}, child...)
	if err != nil {
		return fmt.Errorf("creating app client: %w", err)
	}
	u.UserPool, u.Client = pool, client
	return nil
}

// files creates the files bucket.
func (u *UserAuth) files(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	var cors s3.BucketCorsConfigurationV2CorsRuleArray
	if len(args.CORSOrigins) > 0 {
		cors = s3.BucketCorsConfigurationV2CorsRuleArray{&s3.BucketCorsConfigurationV2CorsRuleArgs{
			AllowedOrigins: pulumi.ToStringArray(args.CORSOrigins),
			AllowedMethods: pulumi.ToStringArray([]string{"DELETE", "GET", "HEAD", "PUT"}),
			// SigV4 requests carry several x-amz-* headers that vary by
			// SDK; headers grant nothing, the role's policy does.
			AllowedHeaders: pulumi.ToStringArray([]string{"*"}),
			ExposeHeaders:  pulumi.ToStringArray([]string{"ETag", "x-amz-version-id"}),
			MaxAgeSeconds:  pulumi.Int(3000),
		}}
	}
	b, err := blocks.NewBucket(ctx, name+"-files", blocks.BucketArgs{CORSRules: cors, Protect: args.Protect, KMSKeyARN: args.KMSKeyArn}, child...)
	if err != nil {
		return err
	}
	policy.Suppress(ctx, b.Bucket, "reachable only with each user's temporary credentials, limited to their own folder; "+
		"turn on CloudTrail S3 data events for this bucket where an access trail is required, rather than a log bucket without expiry", "S3-ACCESS-LOGS")
	if _, err := b.AttachPolicy(ctx); err != nil {
		return err
	}
	u.Files = b
	return nil
}

// identities creates the identity pool, its authenticated role and the
// role's per-identity policy.
func (u *UserAuth) identities(ctx *pulumi.Context, name, physical string, args *Args, child []pulumi.ResourceOption) error {
	ids, err := cognito.NewIdentityPool(ctx, name+"-identity-pool", &cognito.IdentityPoolArgs{
		IdentityPoolName:               pulumi.String(physical),
		AllowUnauthenticatedIdentities: pulumi.Bool(false),
		AllowClassicFlow:               pulumi.Bool(false),
		CognitoIdentityProviders: cognito.IdentityPoolCognitoIdentityProviderArray{&cognito.IdentityPoolCognitoIdentityProviderArgs{
			ClientId:     u.Client.ID(),
			ProviderName: u.UserPool.Endpoint,
			// Rejects tokens of users who signed out or were disabled.
			ServerSideTokenCheck: pulumi.Bool(true),
		}},
	}, child...)
	if err != nil {
		return fmt.Errorf("creating identity pool: %w", err)
	}
	role, err := iam.NewRole(ctx, name+"-authenticated-role", &iam.RoleArgs{
		Description:      pulumi.String("Signed-in users of " + physical + ": each may use only their own folder"),
		AssumeRolePolicy: TrustPolicy(ids.ID().ToStringOutput()),
	}, child...)
	if err != nil {
		return fmt.Errorf("creating authenticated role: %w", err)
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-authenticated-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: blocks.PolicyJSON(IdentityStatements(u.Files.Ref(), userTable(args))...),
	}, child...); err != nil {
		return fmt.Errorf("creating authenticated role policy: %w", err)
	}
	if _, err := cognito.NewIdentityPoolRoleAttachment(ctx, name+"-roles", &cognito.IdentityPoolRoleAttachmentArgs{
		IdentityPoolId: ids.ID(),
		Roles:          pulumi.StringMap{"authenticated": role.Arn},
	}, child...); err != nil {
		return fmt.Errorf("attaching roles to identity pool: %w", err)
	}
	u.IdentityPool, u.AuthenticatedRole = ids, role
	return nil
}

// TrustPolicy lets identities of the identity pool identityPoolID assume a
// role through AssumeRoleWithWebIdentity, and only once signed in.
func TrustPolicy(identityPoolID pulumi.StringInput) pulumi.StringOutput {
	return blocks.PolicyJSON(blocks.Statement{
		Principal: pulumi.Map{"Federated": pulumi.String("cognito-identity.amazonaws.com")},
		Actions:   []string{"sts:AssumeRoleWithWebIdentity"},
		Conditions: map[string]map[string]pulumi.StringArrayInput{
			"StringEquals":           {"cognito-identity.amazonaws.com:aud": pulumi.StringArray{identityPoolID}},
			"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": pulumi.StringArray{pulumi.String("authenticated")}},
		},
	})
}

// userTable is the table of per-identity items, nil without one.
func userTable(args *Args) *blocks.TableRef {
	if args.UserTableArn == nil {
		return nil
	}
	return &blocks.TableRef{Arn: args.UserTableArn, KMSKeyArn: args.UserTableKMSKeyArn}
}

// IdentityStatements are the authenticated role's permissions: object
// actions in, and listing of, the caller's own folder of files, and, if
// table is not nil, the item actions on the caller's own items; with the
// key actions their customer managed keys need. Identity stays a literal
// policy variable that IAM fills in per request.
func IdentityStatements(files blocks.BucketRef, table *blocks.TableRef) []blocks.Statement {
	folder := PrivatePrefix + Identity + "/"
	uses := []blocks.Use{
		files.Use("OwnFolderObjects", "", folder, "s3:DeleteObject", "s3:GetObject", "s3:PutObject"),
		files.List("ListOwnFolder", folder),
	}
	if table != nil {
		own := table.Use("OwnItems", "", []string{
			"dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem",
			"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
		})
		own.Conditions = map[string]map[string]pulumi.StringArrayInput{
			"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": pulumi.ToStringArray([]string{Identity})},
		}
		uses = append(uses, own)
	}
	var out []blocks.Statement
	for _, u := range uses {
		out = append(out, u.Statements()...)
	}
	return out
}
