package config

import (
	"encoding/json"
	"strings"
)

// AWSSettings are the stack's aws: provider settings that say which
// account and identity the program deploys with. Pulumi gives a provider
// the program creates (us-east-1 for CloudFront, a replica region) none of
// the stack's aws: configuration, so the program copies these onto each:
// otherwise a profile, an assumed role or an account guard set for the
// stack would hold in the home region only, and resources in other regions
// could land in another account.
type AWSSettings struct {
	Profile                string
	SharedConfigFiles      []string
	SharedCredentialsFiles []string
	AllowedAccountIDs      []string
	ForbiddenAccountIDs    []string
	AssumeRole             *AssumeRole
	// DefaultTags are aws:defaultTags' tags.
	DefaultTags map[string]string
	// AccessKey, SecretKey and Token are static credentials; the program
	// passes them on as secrets.
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

func (a *AWSSettings) load(r *reader) {
	a.Profile = r.String("aws:profile", "")
	a.SharedConfigFiles = r.Strings("aws:sharedConfigFiles", nil)
	a.SharedCredentialsFiles = r.Strings("aws:sharedCredentialsFiles", nil)
	a.AllowedAccountIDs = r.Strings("aws:allowedAccountIds", nil)
	a.ForbiddenAccountIDs = r.Strings("aws:forbiddenAccountIds", nil)
	var role AssumeRole
	const roleFields = "an object with roleArn and optionally sessionName, externalId, duration, policy, policyArns, sourceIdentity, tags, transitiveTagKeys"
	if raw, ok := r.Object("aws:assumeRole", &role, roleFields); ok {
		if role.RoleARN == "" {
			r.fail("aws:assumeRole", raw, roleFields)
		} else {
			a.AssumeRole = &role
		}
	}
	var tags struct {
		Tags map[string]string `json:"tags"`
	}
	if _, ok := r.Object("aws:defaultTags", &tags, `an object {"tags": {"key": "value", ...}}`); ok {
		a.DefaultTags = tags.Tags
	}
	a.AccessKey = r.String("aws:accessKey", "")
	a.SecretKey = r.String("aws:secretKey", "")
	a.Token = r.String("aws:token", "")
}

// Object decodes key k, a JSON object, into v; ok reports that it was set
// and valid. Fields v does not have are errors, so that no setting is
// silently dropped.
func (r *reader) Object(k string, v any, allowed string) (raw string, ok bool) {
	raw, ok = r.raw(k)
	if !ok {
		return "", false
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		r.fail(k, raw, allowed)
		return raw, false
	}
	return raw, true
}
