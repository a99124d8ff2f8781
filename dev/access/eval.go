package access

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gopherstack/serverless-arch/dev/emulator"
)

// Statement names one policy statement: the policy and its Sid.
type Statement struct {
	Policy string `json:"policy"`
	Sid    string `json:"sid"`
}

// Result is the evaluator's answer to one call.
type Result struct {
	Call Call
	// Decision is "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied".
	Decision string
	// Allow and Deny are the statements that decided it.
	Allow, Deny []Statement
	// Errors are the evaluator's objections to the request (an action or
	// resource it does not know, a context key that does not apply).
	Errors []string
}

// Allowed reports whether the call is allowed.
func (r Result) Allowed() bool { return r.Decision == "Allowed" }

// OK reports whether the result is what the call must get.
func (r Result) OK() bool { return len(r.Errors) == 0 && r.Allowed() != r.Call.Deny }

type simulation struct {
	IdentityPolicies []Policy   `json:"identityPolicies"`
	ResourcePolicy   any        `json:"resourcePolicy,omitempty"`
	Request          simRequest `json:"request"`
}

type simRequest struct {
	Action    string         `json:"action"`
	Principal string         `json:"principal"`
	Resource  simResource    `json:"resource"`
	Context   map[string]any `json:"contextVariables"`
}

type simResource struct {
	AccountID string `json:"accountId"`
	Resource  string `json:"resource"`
}

// subKey is a Cognito identity's ID, as a request context key.
const subKey = "cognito-identity.amazonaws.com:sub"

// resolveSub returns policies with the identity policy variable replaced
// by sub, as IAM resolves it for a request signed by that identity.
func resolveSub(policies []Policy, sub string) []Policy {
	out := make([]Policy, len(policies))
	for i, p := range policies {
		raw, _ := json.Marshal(p.Document)
		var doc map[string]any
		_ = json.Unmarshal([]byte(strings.ReplaceAll(string(raw), subVariable, sub)), &doc)
		out[i] = Policy{Name: p.Name, Document: doc}
	}
	return out
}

func without(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// SimDir is where the evaluator's npm package is, under the module root.
const SimDir = "dev/access/sim"

// Evaluate asks the IAM evaluator about every call, in one run of it.
func (m *Model) Evaluate(calls []Call) ([]Result, error) {
	sims := make([]simulation, len(calls))
	for i, c := range calls {
		s := simulation{Request: simRequest{Action: c.Action, Principal: c.Principal,
			Resource: simResource{AccountID: m.Account, Resource: c.Resource}, Context: c.Context}}
		if s.Request.Context == nil {
			s.Request.Context = map[string]any{}
		}
		if role := m.Roles[c.Role]; role != nil {
			s.IdentityPolicies = role.Policies
			if sub, ok := c.Context[subKey].(string); ok {
				// AWS fills in a web identity's policy variables from the
				// request; the evaluator takes the filled-in policies.
				s.IdentityPolicies = resolveSub(role.Policies, sub)
				s.Request.Context = without(s.Request.Context, subKey)
			}
		}
		if p := m.ResourcePolicy(c.Resource); p != nil {
			s.ResourcePolicy = p
		}
		sims[i] = s
	}
	out, err := runSimulator(sims)
	if err != nil {
		return nil, err
	}
	if len(out) != len(calls) {
		return nil, fmt.Errorf("the evaluator answered %d of %d requests", len(out), len(calls))
	}
	results := make([]Result, len(calls))
	for i, o := range out {
		results[i] = Result{Call: calls[i], Decision: o.Result, Allow: o.Allow, Deny: o.Deny, Errors: o.Errors}
	}
	return results, nil
}

type simOutput struct {
	Result string      `json:"result"`
	Allow  []Statement `json:"allow"`
	Deny   []Statement `json:"deny"`
	Errors []string    `json:"errors"`
}

// runSimulator runs simulate.mjs with node, installing its package first
// if needed.
func runSimulator(sims []simulation) ([]simOutput, error) {
	root, err := emulator.ModuleRoot()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, SimDir)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@cloud-copilot", "iam-simulate")); err != nil {
		install := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		install.Dir = dir
		if out, err := install.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("installing the IAM evaluator (npm ci in %s): %w\n%s", dir, err, out)
		}
	}
	in, err := json.Marshal(sims)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", "simulate.mjs")
	cmd.Dir, cmd.Stdin = dir, bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("running the IAM evaluator: %w\n%s", err, strings.TrimSpace(stderr.String()))
	}
	var out []simOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("reading the IAM evaluator's answer: %w", err)
	}
	return out, nil
}
