package access

import (
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
)

// Negatives are calls that must be denied: escalation and destruction by
// every function, writes by a function to the tables, buckets and queues
// its environment does not name (it cannot have business with what it
// cannot find), invocations from another API, bucket or account, reads of
// a bucket behind CloudFront from anywhere but its own distribution over
// TLS, and a Cognito identity reaching past its own folder or role.
func (m *Model) Negatives() []Call {
	var out []Call
	for _, f := range m.functionsSorted() {
		out = append(out, m.functionNegatives(f)...)
	}
	out = append(out, m.invokeNegatives()...)
	out = append(out, m.cloudFrontNegatives()...)
	out = append(out, m.identityNegatives()...)
	return out
}

// store is a table, bucket or queue of the stack, with the names a
// function would find it by.
type store struct {
	arn, write string
	names      []string
}

func (m *Model) stores() []store {
	var out []store
	for _, t := range m.OfType("aws:dynamodb/table:Table") {
		out = append(out, store{arn: recorded.Str(t.Outputs, "arn"), write: "dynamodb:PutItem", names: []string{recorded.Str(t.Outputs, "name"), recorded.Str(t.Outputs, "arn")}})
	}
	for _, b := range m.OfType("aws:s3/bucketV2:BucketV2") {
		out = append(out, store{arn: recorded.Str(b.Outputs, "arn") + "/sample.jpg", write: "s3:PutObject", names: []string{recorded.Str(b.Outputs, "bucket"), recorded.Str(b.Outputs, "arn")}})
	}
	for _, q := range m.OfType("aws:sqs/queue:Queue") {
		out = append(out, store{arn: recorded.Str(q.Outputs, "arn"), write: "sqs:SendMessage", names: []string{recorded.Str(q.Outputs, "url"), recorded.Str(q.Outputs, "arn")}})
	}
	return out
}

// destinations are the queues Lambda writes with a function's role on
// its behalf (mapping and invocation failure destinations).
func (m *Model) destinations(f *Function) []string {
	var out []string
	for _, esm := range m.OfType("aws:lambda/eventSourceMapping:EventSourceMapping") {
		if recorded.Str(esm.Inputs, "functionName") == f.Arn {
			out = append(out, nested(esm.Inputs, "destinationConfig", "onFailure", "destinationArn"))
		}
	}
	for _, c := range m.OfType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig") {
		if recorded.Str(c.Inputs, "functionName") == f.Name || recorded.Str(c.Inputs, "functionName") == f.Arn {
			out = append(out, nested(c.Inputs, "destinationConfig", "onFailure", "destination"))
		}
	}
	return out
}

func (m *Model) functionNegatives(f *Function) []Call {
	who, principal := "function "+f.Name, m.session(f.RoleArn, f.Name)
	deny := func(action, resource, why string) Call {
		return Call{Who: who, Principal: principal, Role: f.RoleArn, Action: action, Resource: resource, Context: m.secure(nil), From: why, Deny: true}
	}
	var out []Call
	env := strings.Join(mapValues(f.Env), "\n")
	for _, s := range m.stores() {
		if !slices.ContainsFunc(s.names, func(n string) bool { return n != "" && strings.Contains(env, n) }) && !slices.Contains(m.destinations(f), s.arn) {
			out = append(out, deny(s.write, s.arn, "a store the function's environment does not name"))
		}
		if s.write == "dynamodb:PutItem" {
			out = append(out, deny("dynamodb:DeleteTable", s.arn, "destroying a table"))
		}
	}
	for _, k := range m.keys() {
		out = append(out, deny("kms:ScheduleKeyDeletion", k, "destroying a key"), deny("kms:Decrypt", k, "using a key outside the service it serves"))
	}
	for _, r := range sortedKeys(keysOf(m.Roles)) {
		out = append(out, deny("iam:PassRole", r, "handing a role to another service"))
	}
	out = append(out, deny("iam:PutRolePolicy", f.RoleArn, "widening its own role"), deny("lambda:UpdateFunctionCode", f.Arn, "replacing its own code"))
	return out
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// keys are the stack's KMS keys.
func (m *Model) keys() []string {
	var out []string
	for _, typ := range []string{"aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"} {
		for _, k := range m.OfType(typ) {
			out = append(out, recorded.Str(k.Outputs, "arn"))
		}
	}
	return out
}

// invokeNegatives: each function API Gateway or S3 may invoke is refused
// to another API, another bucket and another account.
func (m *Model) invokeNegatives() []Call {
	var out []Call
	for _, f := range m.functionsSorted() {
		for _, st := range statements(f.Policy) {
			service, _ := st["Principal"].(map[string]any)["Service"].(string)
			deny := func(src, account, why string) Call {
				return Call{Who: service, Principal: service, Action: "lambda:InvokeFunction", Resource: f.Arn,
					Context: map[string]any{"aws:SourceArn": src, "aws:SourceAccount": account, "aws:SecureTransport": "true"}, From: why, Deny: true}
			}
			switch service {
			case "apigateway.amazonaws.com":
				other := "arn:aws:execute-api:" + m.Region + ":" + m.Account + ":0000000000/v1/GET/sample"
				out = append(out, deny(other, m.Account, "another API of the account invokes "+f.Name))
			case "s3.amazonaws.com":
				out = append(out, deny("arn:aws:s3:::someone-elses-bucket", m.Account, "another bucket's events invoke "+f.Name),
					deny(recorded.Str(conditionValues(st, "ArnLike"), "AWS:SourceArn"), "210987654321", "a same-named bucket of another account invokes "+f.Name))
			}
		}
	}
	return out
}

// conditionValues returns the keys and values of a statement's operator.
func conditionValues(st map[string]any, op string) map[string]any {
	cond, _ := st["Condition"].(map[string]any)
	v, _ := cond[op].(map[string]any)
	return v
}

// cloudFrontNegatives: a bucket served through an origin access control is
// refused to anonymous callers, to another distribution, and over plain
// HTTP.
func (m *Model) cloudFrontNegatives() []Call {
	var out []Call
	for dist, buckets := range m.cloudFrontOrigins() {
		for _, bucket := range sortedKeys(keysOf(buckets)) {
			obj := "arn:aws:s3:::" + bucket + "/" + buckets[bucket]
			other := dist[:strings.LastIndex(dist, "/")+1] + "E0THERDISTRIBUTION"
			out = append(out,
				Call{Who: "anyone", Principal: "anonymous", Action: "s3:GetObject", Resource: obj, Context: map[string]any{"aws:SecureTransport": "true"}, From: "reading " + bucket + " directly", Deny: true},
				Call{Who: "CloudFront", Principal: "cloudfront.amazonaws.com", Action: "s3:GetObject", Resource: obj, Context: m.fromService(other), From: "another distribution reads " + bucket, Deny: true},
				Call{Who: "CloudFront", Principal: "cloudfront.amazonaws.com", Action: "s3:GetObject", Resource: obj,
					Context: map[string]any{"aws:SourceArn": dist, "aws:SourceAccount": m.Account, "aws:SecureTransport": "false"}, From: "reading " + bucket + " without TLS", Deny: true})
		}
	}
	return out
}

// identityNegatives: an identity cannot reach another user's folder or
// list the folders, and the role cannot be assumed unauthenticated or
// through another pool.
func (m *Model) identityNegatives() []Call {
	var out []Call
	for _, roleArn := range sortedKeys(keysOf(m.identityRoles())) {
		pool, role := m.identityRoles()[roleArn], m.Roles[roleArn]
		who := "identity of pool " + pool
		for _, c := range m.perIdentityCalls(role, sampleSub) {
			other := c
			other.Resource = strings.ReplaceAll(c.Resource, sampleSub, otherSub)
			if p, ok := c.Context["s3:prefix"].(string); ok {
				other.Context = m.identityContext(sampleSub, map[string]any{"s3:prefix": strings.ReplaceAll(p, sampleSub, otherSub)})
				wide := c
				wide.Context = m.identityContext(sampleSub, map[string]any{"s3:prefix": p[:strings.Index(p, sampleSub)]})
				wide.Who, wide.From, wide.Deny = who, "listing every user's folders", true
				out = append(out, wide)
			}
			if other.Resource == c.Resource && other.Context["s3:prefix"] == nil {
				continue
			}
			other.Who, other.From, other.Deny = who, "another user's folder", true
			out = append(out, other)
		}
		for _, ctx := range []map[string]any{
			{"cognito-identity.amazonaws.com:aud": pool, "cognito-identity.amazonaws.com:amr": []string{"unauthenticated"}},
			{"cognito-identity.amazonaws.com:aud": "us-east-1:00000000-0000-4000-8000-0000000000ff", "cognito-identity.amazonaws.com:amr": []string{"authenticated"}},
		} {
			out = append(out, Call{Who: who, Principal: "cognito-identity.amazonaws.com", Action: "sts:AssumeRoleWithWebIdentity",
				Resource: roleArn, Context: ctx, From: "an unauthenticated identity, or another pool's", Deny: true})
		}
	}
	return out
}
