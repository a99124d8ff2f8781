package blocks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AWSSettings are the stack's aws: settings that decide which account and
// identity a provider deploys with. Pulumi hands the stack's aws:
// configuration to the default provider only, so a provider a program
// creates for another region (us-east-1 for CloudFront, a replica region)
// must be given them, or a profile, an assumed role or an account guard set
// for the stack holds in the home region only and resources elsewhere land
// with other credentials, possibly in another account.
type AWSSettings struct {
	Profile                string
	SharedConfigFiles      []string
	SharedCredentialsFiles []string
	AllowedAccountIDs      []string
	ForbiddenAccountIDs    []string
	AssumeRole             *AssumeRole
	// DefaultTags are aws:defaultTags' tags.
	DefaultTags map[string]string
	// AccessKey, SecretKey and Token are static credentials, passed on as
	// secrets.
	AccessKey, SecretKey, Token string
}

// AssumeRole is aws:assumeRole: a role the provider assumes.
type AssumeRole struct {
	RoleARN           string            `json:"roleArn"`
	SessionName       string            `json:"sessionName,omitempty"`
	ExternalID        string            `json:"externalId,omitempty"`
	Duration          string            `json:"duration,omitempty"`
	Policy            string            `json:"policy,omitempty"`
	PolicyARNs        []string          `json:"policyArns,omitempty"`
	SourceIdentity    string            `json:"sourceIdentity,omitempty"`
	Tags              map[string]string `json:"tags,omitempty"`
	TransitiveTagKeys []string          `json:"transitiveTagKeys,omitempty"`
}

const roleFields = "an object with roleArn and optionally sessionName, externalId, duration, policy, policyArns, sourceIdentity, tags, transitiveTagKeys"

// ReadAWSSettings reads the stack's aws: identity settings through get (a
// lookup by full key, such as pulumi.Context.GetConfig) and calls fail for
// each bad value with the key, the value and what is allowed. A field the
// provider would not take is an error, so no setting is silently dropped.
func ReadAWSSettings(get func(key string) (string, bool), fail func(key, value, allowed string)) AWSSettings {
	var s AWSSettings
	str := func(k string) string { v, _ := get(k); return v }
	list := func(k string) []string {
		var out []string
		if v, ok := get(k); ok && json.Unmarshal([]byte(v), &out) != nil {
			fail(k, v, "a list of strings")
		}
		return out
	}
	s.Profile = str("aws:profile")
	s.SharedConfigFiles = list("aws:sharedConfigFiles")
	s.SharedCredentialsFiles = list("aws:sharedCredentialsFiles")
	s.AllowedAccountIDs = list("aws:allowedAccountIds")
	s.ForbiddenAccountIDs = list("aws:forbiddenAccountIds")
	if v, ok := get("aws:assumeRole"); ok {
		var role AssumeRole
		if decodeStrict(v, &role) != nil || role.RoleARN == "" {
			fail("aws:assumeRole", v, roleFields)
		} else {
			s.AssumeRole = &role
		}
	}
	if v, ok := get("aws:defaultTags"); ok {
		var tags struct {
			Tags map[string]string `json:"tags"`
		}
		if decodeStrict(v, &tags) != nil {
			fail("aws:defaultTags", v, `an object {"tags": {"key": "value", ...}}`)
		} else {
			s.DefaultTags = tags.Tags
		}
	}
	s.AccessKey, s.SecretKey, s.Token = str("aws:accessKey"), str("aws:secretKey"), str("aws:token")
	return s
}

// decodeStrict decodes a JSON object into v, refusing fields v lacks.
func decodeStrict(raw string, v any) error {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// StackAWSSettings reads the running stack's aws: identity settings.
func StackAWSSettings(ctx *pulumi.Context) (AWSSettings, error) {
	var problems []string
	s := ReadAWSSettings(ctx.GetConfig, func(key, value, allowed string) {
		problems = append(problems, fmt.Sprintf("config %s = %q is not allowed: want %s", key, value, allowed))
	})
	if len(problems) > 0 {
		return s, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return s, nil
}

// RegionalProvider creates an AWS provider named name for region that
// deploys with the stack's own identity: the aws: settings of
// AWSSettings, read from the stack's configuration. Components that need
// another region (us-east-1 for CloudFront certificates, a replica's key)
// create theirs with it when none is passed in.
func RegionalProvider(ctx *pulumi.Context, name, region string, opts ...pulumi.ResourceOption) (*aws.Provider, error) {
	s, err := StackAWSSettings(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating the %s provider %s: %w", region, name, err)
	}
	p, err := aws.NewProvider(ctx, name, s.ProviderArgs(region), opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the %s provider %s: %w", region, name, err)
	}
	return p, nil
}

// ProviderArgs are the arguments of a provider for region with these
// settings; static credentials are secrets.
func (s AWSSettings) ProviderArgs(region string) *aws.ProviderArgs {
	args := &aws.ProviderArgs{Region: pulumi.String(region)}
	args.Profile = optionalString(s.Profile)
	args.SharedConfigFiles = optionalList(s.SharedConfigFiles)
	args.SharedCredentialsFiles = optionalList(s.SharedCredentialsFiles)
	args.AllowedAccountIds = optionalList(s.AllowedAccountIDs)
	args.ForbiddenAccountIds = optionalList(s.ForbiddenAccountIDs)
	args.AccessKey = secretString(s.AccessKey)
	args.SecretKey = secretString(s.SecretKey)
	args.Token = secretString(s.Token)
	if r := s.AssumeRole; r != nil {
		role := &aws.ProviderAssumeRoleArgs{
			RoleArn:           pulumi.String(r.RoleARN),
			SessionName:       optionalString(r.SessionName),
			ExternalId:        optionalString(r.ExternalID),
			Duration:          optionalString(r.Duration),
			Policy:            optionalString(r.Policy),
			PolicyArns:        optionalList(r.PolicyARNs),
			SourceIdentity:    optionalString(r.SourceIdentity),
			TransitiveTagKeys: optionalList(r.TransitiveTagKeys),
		}
		if len(r.Tags) > 0 {
			role.Tags = pulumi.ToStringMap(r.Tags)
		}
		args.AssumeRole = role
	}
	if len(s.DefaultTags) > 0 {
		args.DefaultTags = &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(s.DefaultTags)}
	}
	return args
}

func optionalString(v string) pulumi.StringPtrInput {
	if v == "" {
		return nil
	}
	return pulumi.String(v)
}

func secretString(v string) pulumi.StringPtrInput {
	if v == "" {
		return nil
	}
	return pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput)
}

func optionalList(vs []string) pulumi.StringArrayInput {
	if len(vs) == 0 {
		return nil
	}
	return pulumi.ToStringArray(vs)
}

// EnsureProvider returns given when it is set, and otherwise a
// RegionalProvider for region named name: how a component takes an
// optional provider for another region.
func EnsureProvider(ctx *pulumi.Context, given pulumi.ProviderResource, name, region string, opts ...pulumi.ResourceOption) (pulumi.ProviderResource, error) {
	if given != nil {
		return given, nil
	}
	return RegionalProvider(ctx, name, region, opts...)
}
