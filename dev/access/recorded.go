package access

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
	"github.com/gopherstack/serverless-arch/dev/local"
)

// LoadRecordedCalls reads the calls the end-to-end run recorded.
func LoadRecordedCalls(path string) ([]local.RecordedCall, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the recorded calls: %w", err)
	}
	var calls []local.RecordedCall
	if err := json.Unmarshal(data, &calls); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return calls, nil
}

var placeholder = regexp.MustCompile(`\$\{([A-Z0-9_]+)(#domain)?\}`)

// FunctionCalls resolves the recorded calls for this stack: each function
// built from a recorded package makes its package's calls, with the names
// its own environment gives, on the buckets whose events reach it; plus
// the key actions AWS performs for it on resources under customer managed
// keys.
func (m *Model) FunctionCalls(recorded []local.RecordedCall) ([]Call, error) {
	var out []Call
	for _, rc := range recorded {
		fns := m.FunctionsByPackage(rc.Function)
		for _, f := range fns {
			resources, err := m.resolve(f, rc.Resource)
			if err != nil {
				return nil, fmt.Errorf("recorded call %s of %s: %w", rc.Action, f.Name, err)
			}
			for _, res := range resources {
				ctx := m.secure()
				for k, v := range rc.Context {
					vals, err := m.resolve(f, v)
					if err != nil || len(vals) != 1 {
						return nil, fmt.Errorf("recorded call %s of %s: context %s: %v", rc.Action, f.Name, k, err)
					}
					ctx[k] = vals[0]
				}
				who, principal := "function "+f.Name, m.session(f.RoleArn, f.Name)
				out = append(out, Call{Who: who, Principal: principal, Role: f.RoleArn, Action: rc.Action, Resource: res, Context: ctx, From: "recorded"})
				out = append(out, m.impliedKeyCalls(who, principal, f.RoleArn, rc.Action, res)...)
			}
		}
	}
	return out, nil
}

// resolve fills a recorded resource's placeholders for function f; an
// event bucket gives one resource per bucket whose events reach f.
func (m *Model) resolve(f *Function, s string) ([]string, error) {
	var missing []string
	filled := placeholder.ReplaceAllStringFunc(s, func(p string) string {
		sub := placeholder.FindStringSubmatch(p)
		switch sub[1] {
		case "REGION":
			return m.Region
		case "ACCOUNT":
			return m.Account
		case "EVENT_BUCKET":
			return "${EVENT_BUCKET}"
		}
		v, ok := f.Env[sub[1]]
		if !ok {
			missing = append(missing, sub[1])
		}
		if sub[2] != "" {
			_, v, _ = strings.Cut(v, "@")
		}
		return v
	})
	if len(missing) > 0 {
		return nil, fmt.Errorf("the function's environment has no %s", strings.Join(missing, ", "))
	}
	filled = m.sesIdentity(filled)
	if !strings.Contains(filled, "${EVENT_BUCKET}") {
		return []string{filled}, nil
	}
	var out []string
	for _, b := range m.eventBuckets(f) {
		out = append(out, strings.ReplaceAll(filled, "${EVENT_BUCKET}", b))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no bucket's events reach the function")
	}
	return out, nil
}

// sesIdentity writes an SES identity ARN of a sender address as the
// identity the stack has for it: the address itself, or its domain.
func (m *Model) sesIdentity(arn string) string {
	prefix, addr, ok := strings.Cut(arn, ":identity/")
	if !ok || !strings.Contains(addr, "@") {
		return arn
	}
	_, domain, _ := strings.Cut(addr, "@")
	for _, id := range m.OfType("aws:sesv2/emailIdentity:EmailIdentity") {
		if recorded.Str(id.Inputs, "emailIdentity") == addr {
			return arn
		}
	}
	return prefix + ":identity/" + domain
}

// eventBuckets are the buckets whose events reach f: directly, or through
// a queue f's event source mapping reads, or a topic f subscribes to.
func (m *Model) eventBuckets(f *Function) []string {
	feeds := map[string]bool{f.Arn: true}
	for _, esm := range m.OfType("aws:lambda/eventSourceMapping:EventSourceMapping") {
		if recorded.Str(esm.Inputs, "functionName") == f.Arn {
			feeds[recorded.Str(esm.Inputs, "eventSourceArn")] = true
		}
	}
	for _, sub := range m.OfType("aws:sns/topicSubscription:TopicSubscription") {
		if recorded.Str(sub.Inputs, "endpoint") == f.Arn {
			feeds[recorded.Str(sub.Inputs, "topic")] = true
		}
	}
	var out []string
	for _, n := range m.OfType("aws:s3/bucketNotification:BucketNotification") {
		for _, kind := range []struct{ list, key string }{{"lambdaFunctions", "lambdaFunctionArn"}, {"queues", "queueArn"}, {"topics", "topicArn"}} {
			if slices.ContainsFunc(recorded.Maps(n.Inputs[kind.list]), func(t map[string]any) bool { return feeds[recorded.Str(t, kind.key)] }) {
				out = append(out, recorded.Str(n.Inputs, "bucket"))
			}
		}
	}
	return out
}

// impliedKeyCalls are the key actions AWS performs with the caller's
// credentials for action on resource under a customer managed key.
func (m *Model) impliedKeyCalls(who, principal, role, action, resource string) []Call {
	var key, via string
	switch {
	case strings.Contains(resource, ":dynamodb:"):
		key, via = m.tableKey(strings.Split(resource, "/index/")[0]), "dynamodb"
	case strings.HasPrefix(resource, "arn:aws:s3:::"):
		bucket, _, _ := strings.Cut(strings.TrimPrefix(resource, "arn:aws:s3:::"), "/")
		key, via = m.bucketKey(bucket), "s3"
	case strings.Contains(resource, ":sqs:"):
		key, via = m.queueKey(resource), "sqs"
	}
	if key == "" {
		return nil
	}
	var out []Call
	for _, a := range blocks.KeyActions(action) {
		// A grant may name an action family (kms:GenerateDataKey*); AWS
		// calls its plain member.
		out = append(out, m.keyCall(who, principal, role, strings.TrimSuffix(a, "*"), key, via, "implied by "+action))
	}
	return out
}
