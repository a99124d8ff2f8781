package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// Constraints returns a copy of the constraint rules: the limits AWS applies
// when it creates a resource, which neither the provider nor mocks check
// (README: Policy checks says why). They cover
//
//   - physical names, explicit or as Pulumi autonames them (the logical name,
//     "-" and 7 random hex digits), against each service's length and
//     character rules (AWS-NAME-LENGTH, AWS-NAME-CHARSET);
//   - descriptions and comments against their lengths and character sets
//     (AWS-SG-RULE-DESCRIPTION, AWS-DESCRIPTION);
//   - enum-like strings and numbers, and inputs of one resource against each
//     other (AWS-LOG-RETENTION, AWS-ALLOWED-VALUES, AWS-RANGE,
//     AWS-FIELD-COMBINATIONS);
//   - rules between resources (AWS-SQS-VISIBILITY-TIMEOUT,
//     AWS-EVENT-SOURCE-MAPPING, AWS-CF-CERTIFICATE, AWS-APIGW-CERTIFICATE,
//     AWS-CF-ORIGINS, AWS-S3-NOTIFICATION-OVERLAP, AWS-DYNAMODB-ATTRIBUTES,
//     AWS-LAMBDA-CONCURRENCY, AWS-SG-RULE-QUOTA, AWS-LISTENER-RULE-PRIORITY);
//   - the sizes of policy documents (AWS-POLICY-SIZE).
//
// Each rule's Source names the AWS page it follows, and the tables behind the
// rules cite the page of every limit. Their findings cannot be suppressed
// (Rule.NoSuppress); run them through WithConstraints. What a recording
// cannot show (an existing listener's free priorities, an existing security
// group's rules, the account's quotas) is left to preview-time lookups in the
// components and to the README's pre-flight list.
func Constraints() []Rule { return slices.Clone(constraintRules) }

// constraintRules is the constraint rule set, family by family.
var constraintRules = slices.Concat(
	nameRules,
	textRules,
	valueRules,
	crossRules,
	networkConstraintRules,
	policySizeRules,
)

// autonameSuffix stands in for the 7 random hex digits Pulumi appends, after
// a "-", to the logical name of a resource whose physical name is not set.
const autonameSuffix = "-0a1b2c3"

// prefixSuffixLen is what the provider appends to a name prefix
// (namePrefix, bucketPrefix): a 26-digit unique suffix.
const prefixSuffixLen = 26

// physicalName is the name AWS will be asked to create.
type physicalName struct {
	name string
	// how says where it came from, for messages: "" for an explicit name,
	// otherwise how it was derived.
	how string
}

// physical returns the physical name of r held at key (explicit), or the
// name the provider derives from prefixKey, or, when autonamed, the name
// Pulumi derives from the logical name. ok is false when r has none of
// these (a required name that is unknown offline).
func physical(r recording.Resource, spec nameSpec) (physicalName, bool) {
	key := spec.key
	if key == "" {
		key = "name"
	}
	if n := str(r.Inputs, key); n != "" {
		return physicalName{name: n}, true
	}
	prefixKey := spec.prefixKey
	if prefixKey == "" && key == "name" {
		prefixKey = "namePrefix"
	}
	if p := str(r.Inputs, prefixKey); p != "" {
		return physicalName{
			name: p + strings.Repeat("0", prefixSuffixLen),
			how:  fmt.Sprintf("%s %q plus the provider's %d-character suffix", prefixKey, p, prefixSuffixLen),
		}, true
	}
	if !spec.autonamed {
		return physicalName{}, false
	}
	base := r.Name
	if spec.lower {
		base = strings.ToLower(base)
	}
	name := base + autonameSuffix + spec.autoSuffix(r)
	return physicalName{name: name, how: fmt.Sprintf("autonamed from %q: Pulumi adds %d characters", r.Name, len(name)-len(base))}, true
}

// describe renders a physical name for a message.
func (p physicalName) describe() string {
	if p.how == "" {
		return fmt.Sprintf("%q", p.name)
	}
	return fmt.Sprintf("%q (%s)", p.name, p.how)
}

// outside returns the distinct characters of s that allowed does not match,
// in order of appearance, for messages such as `"'" is not allowed`.
func outside(s string, allowed *regexp.Regexp) string {
	var bad []string
	for _, c := range s {
		if !allowed.MatchString(string(c)) && !slices.Contains(bad, string(c)) {
			bad = append(bad, string(c))
		}
	}
	return strings.Join(bad, "")
}
