package access

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
)

// A Call is one request a principal makes, with what IAM sees of it.
type Call struct {
	// Who makes it, for the report: "function blog-api-handler", "API
	// Gateway", "CloudFront", "identity of todo-auth".
	Who string `json:"who"`
	// Principal is the requester: a role session ARN, a service principal
	// ("apigateway.amazonaws.com") or "*" (anonymous).
	Principal string `json:"principal"`
	// Role is the ARN of the role whose identity policies apply; "" for
	// service principals and anonymous callers.
	Role     string         `json:"role,omitempty"`
	Action   string         `json:"action"`
	Resource string         `json:"resource"`
	Context  map[string]any `json:"context,omitempty"`
	// From says why the call is made: "recorded" for what a function did in
	// the end-to-end run, or the wiring it follows from.
	From string `json:"from"`
	// Deny marks a negative case: the call must be denied.
	Deny bool `json:"deny,omitempty"`
}

// sampleSub is the Cognito identity ID the identity calls are made as, and
// otherSub another user's.
const (
	sampleSub = "us-east-1:00000000-0000-4000-8000-000000000001"
	otherSub  = "us-east-1:00000000-0000-4000-8000-000000000002"
)

// session is the principal of a request signed with role's credentials.
func (m *Model) session(roleArn, name string) string {
	role := roleArn[strings.LastIndex(roleArn, "/")+1:]
	return fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", m.Account, role, name)
}

// secure is the context of a request over TLS from this account.
func (m *Model) secure(extras ...map[string]any) map[string]any {
	c := map[string]any{"aws:SecureTransport": "true"}
	for _, extra := range extras {
		for k, v := range extra {
			c[k] = v
		}
	}
	return c
}

// fromService is the context of a service acting for a resource of this
// account.
func (m *Model) fromService(sourceArn string) map[string]any {
	return map[string]any{"aws:SourceArn": sourceArn, "aws:SourceAccount": m.Account, "aws:SecureTransport": "true"}
}

// ServiceCalls are the calls AWS services make for the stack, as its
// wiring says: Lambda assuming each function's role and writing its logs
// and traces, event source mappings and destinations, API Gateway invoking
// functions and writing logs, S3 notifications, CloudFront reading buckets
// through its origin access control, Cognito identities assuming their
// role and using it.
func (m *Model) ServiceCalls() ([]Call, error) {
	var out []Call
	for _, step := range []func() ([]Call, error){
		m.runtimeCalls, m.mappingCalls, m.destinationCalls, m.apiGatewayCalls, m.notificationCalls,
		m.cloudFrontCalls, m.identityCalls, m.apiGatewayLogCalls, m.daxCalls,
	} {
		calls, err := step()
		if err != nil {
			return nil, err
		}
		out = append(out, calls...)
	}
	return out, nil
}

// functionsSorted returns the functions in name order.
func (m *Model) functionsSorted() []*Function {
	out := make([]*Function, 0, len(m.Functions))
	for _, f := range m.Functions {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// runtimeCalls: Lambda assumes the function's role, and the runtime writes
// the function's logs and active-tracing segments with it.
func (m *Model) runtimeCalls() ([]Call, error) {
	var out []Call
	for _, f := range m.functionsSorted() {
		r := m.lookup("aws:lambda/function:Function", "arn", f.Arn)
		logging, _ := r["loggingConfig"].(map[string]any)
		group := recorded.Str(logging, "logGroup")
		if group == "" {
			return nil, fmt.Errorf("function %s has no log group of its own", f.Name)
		}
		who, principal := "function "+f.Name, m.session(f.RoleArn, f.Name)
		stream := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:log-stream:2026/01/01/[$LATEST]0123456789abcdef", m.Region, m.Account, group)
		out = append(out,
			Call{Who: "Lambda", Principal: "lambda.amazonaws.com", Action: "sts:AssumeRole", Resource: f.RoleArn, Context: m.secure(nil), From: "Lambda runs " + f.Name + " with its role"},
			Call{Who: who, Principal: principal, Role: f.RoleArn, Action: "logs:CreateLogStream", Resource: stream, Context: m.secure(nil), From: "the runtime writes " + group},
			Call{Who: who, Principal: principal, Role: f.RoleArn, Action: "logs:PutLogEvents", Resource: stream, Context: m.secure(nil), From: "the runtime writes " + group})
		if tracing, _ := r["tracingConfig"].(map[string]any); recorded.Str(tracing, "mode") == "Active" {
			for _, a := range []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"} {
				out = append(out, Call{Who: who, Principal: principal, Role: f.RoleArn, Action: a, Resource: "*", Context: m.secure(nil), From: "active tracing"})
			}
		}
	}
	return out, nil
}

// lookup returns the outputs of the resource of typ whose output key is
// value.
func (m *Model) lookup(typ, key, value string) map[string]any {
	for _, r := range m.OfType(typ) {
		if recorded.Str(r.Outputs, key) == value {
			return r.Outputs
		}
	}
	return nil
}

// tableKey returns the customer managed key of the table whose ARN or
// stream ARN is arn, "" for AWS keys.
func (m *Model) tableKey(arn string) string {
	for _, t := range m.OfType("aws:dynamodb/table:Table") {
		if recorded.Str(t.Outputs, "arn") == arn || recorded.Str(t.Outputs, "streamArn") == arn {
			sse, _ := t.Inputs["serverSideEncryption"].(map[string]any)
			return recorded.Str(sse, "kmsKeyArn")
		}
	}
	return ""
}

// mappingCalls: an event source mapping reads its source with the
// function's role (Lambda's documented permissions for DynamoDB streams
// and SQS queues), decrypting with the source's key.
func (m *Model) mappingCalls() ([]Call, error) {
	var out []Call
	for _, esm := range m.OfType("aws:lambda/eventSourceMapping:EventSourceMapping") {
		f := m.Functions[recorded.Str(esm.Inputs, "functionName")]
		if f == nil {
			return nil, fmt.Errorf("event source mapping %s invokes %v, which the stack does not hold", esm.Name, esm.Inputs["functionName"])
		}
		src, who, principal := recorded.Str(esm.Inputs, "eventSourceArn"), "function "+f.Name, m.session(f.RoleArn, f.Name)
		from := "event source mapping " + esm.Name
		var actions []string
		var via string
		switch {
		case strings.Contains(src, ":dynamodb:"):
			actions, via = []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}, "dynamodb"
			out = append(out, Call{Who: who, Principal: principal, Role: f.RoleArn, Action: "dynamodb:ListStreams", Resource: "*", Context: m.secure(nil), From: from})
		case strings.Contains(src, ":sqs:"):
			actions, via = []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}, "sqs"
		default:
			return nil, fmt.Errorf("event source mapping %s reads %s, which the proof does not know", esm.Name, src)
		}
		for _, a := range actions {
			out = append(out, Call{Who: who, Principal: principal, Role: f.RoleArn, Action: a, Resource: src, Context: m.secure(nil), From: from})
		}
		key := m.tableKey(src)
		if via == "sqs" {
			key = m.queueKey(src)
		}
		if key != "" {
			out = append(out, m.keyCall(who, principal, f.RoleArn, "kms:Decrypt", key, via, from))
		}
		if dest := nested(esm.Inputs, "destinationConfig", "onFailure", "destinationArn"); dest != "" {
			out = append(out, m.sendCalls(who, principal, f.RoleArn, dest, from+" (failure destination)")...)
		}
	}
	return out, nil
}

// keyCall is a key action AWS performs for a caller through service via.
func (m *Model) keyCall(who, principal, role, action, key, via, from string) Call {
	return Call{Who: who, Principal: principal, Role: role, Action: action, Resource: key,
		Context: m.secure(map[string]any{"kms:ViaService": via + "." + m.Region + ".amazonaws.com", "kms:CallerAccount": m.Account}), From: from}
}

// sendCalls are the calls of sending to a queue or topic (and its key).
func (m *Model) sendCalls(who, principal, role, dest, from string) []Call {
	switch {
	case strings.Contains(dest, ":sqs:"):
		out := []Call{{Who: who, Principal: principal, Role: role, Action: "sqs:SendMessage", Resource: dest, Context: m.secure(nil), From: from}}
		if key := m.queueKey(dest); key != "" {
			for _, a := range []string{"kms:GenerateDataKey", "kms:Decrypt"} {
				out = append(out, m.keyCall(who, principal, role, a, key, "sqs", from))
			}
		}
		return out
	case strings.Contains(dest, ":sns:"):
		return []Call{{Who: who, Principal: principal, Role: role, Action: "sns:Publish", Resource: dest, Context: m.secure(nil), From: from}}
	}
	return []Call{{Who: who, Principal: principal, Role: role, Action: "lambda:InvokeFunction", Resource: dest, Context: m.secure(nil), From: from}}
}

// queueKey returns a queue's customer managed key, "" for SSE-SQS.
func (m *Model) queueKey(arn string) string {
	for _, q := range m.OfType("aws:sqs/queue:Queue") {
		if recorded.Str(q.Outputs, "arn") == arn {
			return recorded.Str(q.Inputs, "kmsMasterKeyId")
		}
	}
	return ""
}

// nested reads a string at a path of maps.
func nested(v map[string]any, path ...string) string {
	for _, p := range path[:len(path)-1] {
		v, _ = v[p].(map[string]any)
	}
	return recorded.Str(v, path[len(path)-1])
}

// destinationCalls: asynchronous invocation destinations are written with
// the function's role.
func (m *Model) destinationCalls() ([]Call, error) {
	var out []Call
	for _, c := range m.OfType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig") {
		var f *Function
		for _, fn := range m.Functions {
			if fn.Name == recorded.Str(c.Inputs, "functionName") || fn.Arn == recorded.Str(c.Inputs, "functionName") {
				f = fn
			}
		}
		if f == nil {
			return nil, fmt.Errorf("invoke config %s is for %v, which the stack does not hold", c.Name, c.Inputs["functionName"])
		}
		for _, kind := range []string{"onFailure", "onSuccess"} {
			if dest := nested(c.Inputs, "destinationConfig", kind, "destination"); dest != "" {
				out = append(out, m.sendCalls("function "+f.Name, m.session(f.RoleArn, f.Name), f.RoleArn, dest, "asynchronous invocation "+kind+" destination")...)
			}
		}
	}
	return out, nil
}

// pathParam matches an API Gateway path parameter.
var pathParam = regexp.MustCompile(`\{[^}]+\}`)
