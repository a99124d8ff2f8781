package policy

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// Stack is the recorded stack a rule looks at: every resource, indexed for
// the cross-resource questions rules ask ("which BucketPublicAccessBlock is
// for this bucket?", "is there a log group for this function?").
//
// Resources refer to each other through their inputs. A recording holds the
// referenced resource's output value there (a bucket's id "site-bucket", an
// ARN "arn:aws:s3:::site-bucket", a queue URL) or, for a resource passed as
// such, its URN. RefersTo accepts all of these forms; see Identities.
type Stack struct {
	resources  []recording.Resource
	byURN      map[string]int
	byType     map[string][]int
	children   map[string][]int
	production bool
}

// NewStack indexes resources for rules. Options are those of Check; only
// Production matters here.
func NewStack(resources []recording.Resource, opts ...Option) *Stack {
	cfg := newConfig(opts)
	s := &Stack{
		resources:  resources,
		byURN:      make(map[string]int, len(resources)),
		byType:     make(map[string][]int),
		children:   make(map[string][]int),
		production: cfg.production,
	}
	for i, r := range resources {
		s.byURN[r.URN] = i
		s.byType[r.Type] = append(s.byType[r.Type], i)
		if r.Parent != "" {
			s.children[r.Parent] = append(s.children[r.Parent], i)
		}
	}
	return s
}

// Production reports whether the stack is checked as a production stack
// (see the Production option).
func (s *Stack) Production() bool { return s.production }

// Resources returns every resource in recording order.
func (s *Stack) Resources() []recording.Resource { return s.resources }

// Resource returns the resource with the given URN.
func (s *Stack) Resource(urn string) (recording.Resource, bool) {
	i, ok := s.byURN[urn]
	if !ok {
		return recording.Resource{}, false
	}
	return s.resources[i], true
}

// OfType returns the resources of the given types in recording order.
func (s *Stack) OfType(types ...string) []recording.Resource {
	var idx []int
	for _, t := range types {
		idx = append(idx, s.byType[t]...)
	}
	slices.Sort(idx)
	return s.pick(idx)
}

// Children returns the resources whose parent is urn, in recording order.
func (s *Stack) Children(urn string) []recording.Resource {
	return s.pick(s.children[urn])
}

func (s *Stack) pick(idx []int) []recording.Resource {
	out := make([]recording.Resource, 0, len(idx))
	for _, i := range idx {
		out = append(out, s.resources[i])
	}
	return out
}

// physicalNameInput names the input that becomes a resource's physical name
// (and, under mocks, its id) when it is not the conventional "name".
var physicalNameInput = map[string]string{
	typeBucketV2:     "bucket",
	typeBucket:       "bucket",
	typeStage:        "stageName",
	typeIdentityPool: "identityPoolName",
}

// Identities returns the strings by which other resources may refer to r:
// its URN, its physical name input ("bucket" for buckets, "name" for most
// others) and its resource name (a resource's id under mocks when no physical
// name is set). ARNs and URLs that embed one of these are matched by
// RefersTo.
func (s *Stack) Identities(r recording.Resource) []string {
	key := physicalNameInput[r.Type]
	if key == "" {
		key = "name"
	}
	ids := []string{r.URN}
	for _, id := range []string{str(r.Inputs, key), r.Name, r.ID} {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// RefersTo reports whether value (a string, or a list holding one) refers to
// target: it equals one of target's identities, or it is an ARN whose
// resource part holds one between delimiters ("arn:aws:s3:::site/*",
// "arn:aws:lambda:us-east-1:1:function:fn:live") and whose service fits
// target's type, or it is a URL whose last path segment is one (an SQS queue
// URL).
func (s *Stack) RefersTo(value any, target recording.Resource) bool {
	ids := s.Identities(target)
	for _, v := range flatten(value) {
		if sv, ok := v.(string); ok && refers(sv, ids, target.Type) {
			return true
		}
	}
	return false
}

// Referencing returns the resources of type typ whose input at any of the
// dotted paths refers to target, e.g. the bucket policies of a bucket:
// s.Referencing(bucket, "aws:s3/bucketPolicy:BucketPolicy", "bucket").
func (s *Stack) Referencing(target recording.Resource, typ string, paths ...string) []recording.Resource {
	var out []recording.Resource
	for _, r := range s.OfType(typ) {
		for _, p := range paths {
			if s.RefersTo(values(r.Inputs, p), target) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// Referenced returns the resources of the given types that value refers to,
// e.g. the queue behind an event source mapping's eventSourceArn.
func (s *Stack) Referenced(value any, types ...string) []recording.Resource {
	var out []recording.Resource
	for _, r := range s.OfType(types...) {
		if s.RefersTo(value, r) {
			out = append(out, r)
		}
	}
	return out
}

func refers(value string, ids []string, targetType string) bool {
	if value == "" {
		return false
	}
	for _, id := range ids {
		if value == id {
			return true
		}
	}
	names := ids[1:] // the URN is only ever matched whole
	if strings.HasPrefix(value, "arn:") {
		parts := strings.SplitN(value, ":", 6)
		if len(parts) < 6 || !serviceFits(parts[2], targetType) {
			return false
		}
		for _, id := range names {
			if delimited(parts[5], id) {
				return true
			}
		}
		return false
	}
	if strings.Contains(value, "://") {
		u, err := url.Parse(value)
		if err != nil {
			return false
		}
		segs := strings.Split(strings.Trim(u.Path, "/"), "/")
		last := segs[len(segs)-1]
		return last != "" && slices.Contains(names, last)
	}
	return false
}

// delimited reports whether id occurs in s bounded by the start or end of s
// or by '/' or ':' on each side.
func delimited(s, id string) bool {
	if id == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(s[from:], id)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(id)
		before := i == 0 || s[i-1] == '/' || s[i-1] == ':'
		after := end == len(s) || s[end] == '/' || s[end] == ':'
		if before && after {
			return true
		}
		from = i + 1
	}
}

// arnServices lists, per provider module, the ARN service names its resources
// carry. Modules not listed match any service.
var arnServices = map[string][]string{
	"s3":             {"s3"},
	"sqs":            {"sqs"},
	"sns":            {"sns"},
	"lambda":         {"lambda"},
	"dynamodb":       {"dynamodb"},
	"cloudfront":     {"cloudfront"},
	"iam":            {"iam"},
	"kinesis":        {"kinesis", "firehose"},
	"cloudwatch":     {"logs", "events", "cloudwatch"},
	"apigateway":     {"apigateway", "execute-api"},
	"cognito":        {"cognito-idp", "cognito-identity"},
	"lb":             {"elasticloadbalancing"},
	"alb":            {"elasticloadbalancing"},
	"ec2":            {"ec2"},
	"kms":            {"kms"},
	"secretsmanager": {"secretsmanager"},
	"ssm":            {"ssm"},
}

func serviceFits(service, typ string) bool {
	module := typ
	if _, rest, ok := strings.Cut(typ, ":"); ok {
		module, _, _ = strings.Cut(rest, "/")
	}
	allowed, known := arnServices[module]
	return !known || slices.Contains(allowed, service)
}

// s3Domain splits an S3 endpoint host name ("site.s3.us-east-1.amazonaws.com",
// "site.s3-website-us-east-1.amazonaws.com", optionally with a scheme and
// path) into the bucket name and whether it is a static-website endpoint.
func s3Domain(domain string) (bucket string, website, ok bool) {
	host := domain
	if u, err := url.Parse(domain); err == nil && u.Host != "" {
		host = u.Host
	}
	host = strings.ToLower(host)
	if !strings.Contains(host, ".amazonaws.com") {
		return "", false, false
	}
	i := max(strings.LastIndex(host, ".s3."), strings.LastIndex(host, ".s3-"))
	if i <= 0 {
		return "", false, false
	}
	return host[:i], strings.HasPrefix(host[i+1:], "s3-website"), true
}
