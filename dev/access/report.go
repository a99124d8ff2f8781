package access

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
	"github.com/gopherstack/serverless-arch/dev/local"
)

// UnusedRule is the rule ID prefix of a justified unused grant: a
// suppression of "ACCESS-UNUSED:<action>", or "ACCESS-UNUSED:<Sid>:<action>"
// for one statement's grant, on a role's policy says why the role keeps a
// grant no recorded or wired call uses (policy.Suppress next to the grant,
// e.g. a call on an error path the tests do not reach).
const UnusedRule = "ACCESS-UNUSED:"

// Grant is one action a role's policy allows, in one statement.
type Grant struct {
	Role, Policy, Sid, Action string
	// Reason is the justification of an unused grant, "" if none.
	Reason string
}

// Report is the outcome of a proof: every call with its result, and the
// grants nothing used.
type Report struct {
	Results []Result
	Unused  []Grant
	// Stale are justifications of grants that are used after all, or that
	// no role has.
	Stale []string
}

// Failures lists what makes the proof fail: a call with the wrong
// decision or an evaluator error, an unused grant without a reason, a
// stale justification.
func (r *Report) Failures() []string {
	var out []string
	for _, res := range r.Results {
		if !res.OK() {
			want := "allowed"
			if res.Call.Deny {
				want = "denied"
			}
			out = append(out, fmt.Sprintf("%s: %s on %s is %s, want %s (%s)%s", res.Call.Who, res.Call.Action, res.Call.Resource,
				res.Decision, want, res.Call.From, errorsSuffix(res.Errors)))
		}
	}
	for _, g := range r.Unused {
		if g.Reason == "" {
			out = append(out, fmt.Sprintf("%s: %s (statement %s of %s) is granted but no call uses it: remove it, or justify it with policy.Suppress(..., %q)",
				g.Role, g.Action, g.Sid, g.Policy, UnusedRule+g.Action))
		}
	}
	return append(out, r.Stale...)
}

func errorsSuffix(errs []string) string {
	if len(errs) == 0 {
		return ""
	}
	return ": " + strings.Join(errs, "; ")
}

// Prove evaluates calls and finds the unused grants, with the
// justifications among sups.
func (m *Model) Prove(calls []Call, sups []policy.Suppression) (*Report, error) {
	results, err := m.Evaluate(calls)
	if err != nil {
		return nil, err
	}
	rep := &Report{Results: results}
	used := map[string]bool{} // role|policy|sid|action
	for _, res := range results {
		if !res.Allowed() || res.Call.Role == "" {
			continue
		}
		for _, st := range res.Allow {
			used[res.Call.Role+"|"+st.Policy+"|"+st.Sid+"|"+res.Call.Action] = true
		}
	}
	reasons := m.justifications(sups)
	for _, g := range m.grants() {
		reason, ok := reasons[g.Role+"|"+g.Sid+":"+g.Action]
		if !ok {
			reason, ok = reasons[g.Role+"|"+g.Action]
		}
		if grantUsed(used, g) {
			if r, exact := reasons[g.Role+"|"+g.Sid+":"+g.Action]; exact {
				rep.Stale = append(rep.Stale, fmt.Sprintf("%s: %s of %s is justified as unused (%q) but a call uses it: drop the justification", g.Role, g.Action, g.Sid, r))
			}
			continue
		}
		if ok {
			g.Reason = reason
		}
		rep.Unused = append(rep.Unused, g)
	}
	return rep, nil
}

// grantUsed reports whether an allowed call used the grant: the call's
// action matches the grant's (which may be a wildcard) in the statement.
func grantUsed(used map[string]bool, g Grant) bool {
	prefix := g.Role + "|" + g.Policy + "|" + g.Sid + "|"
	for k := range used {
		if strings.HasPrefix(k, prefix) {
			if ok, _ := path.Match(strings.ToLower(g.Action), strings.ToLower(strings.TrimPrefix(k, prefix))); ok {
				return true
			}
		}
	}
	return false
}

// grants lists every allowed action of every role, in a stable order.
func (m *Model) grants() []Grant {
	var out []Grant
	for _, arn := range sortedKeys(keysOf(m.Roles)) {
		for _, p := range m.Roles[arn].Policies {
			for _, st := range statements(p.Document) {
				if recorded.Str(st, "Effect") != "Allow" {
					continue
				}
				for _, a := range stringsOf(st["Action"]) {
					out = append(out, Grant{Role: arn, Policy: p.Name, Sid: recorded.Str(st, "Sid"), Action: a})
				}
			}
		}
	}
	return out
}

// justifications maps role|action, or role|Sid:action, to the reason of
// its ACCESS-UNUSED suppression, which sits on one of the role's policies.
func (m *Model) justifications(sups []policy.Suppression) map[string]string {
	roleOfPolicy := map[string]string{}
	for _, p := range m.OfType("aws:iam/rolePolicy:RolePolicy") {
		for arn, role := range m.Roles {
			for _, rp := range role.Policies {
				if rp.Name == p.Name {
					roleOfPolicy[p.URN] = arn
				}
			}
		}
	}
	out := map[string]string{}
	for _, s := range sups {
		for _, rule := range s.Rules {
			if action, ok := strings.CutPrefix(rule, UnusedRule); ok {
				out[roleOfPolicy[s.URN]+"|"+action] = s.Reason
			}
		}
	}
	return out
}

// String renders the report for review: per principal, each call and its
// decision with the deciding statements, then the unused grants.
func (r *Report) String() string {
	var b strings.Builder
	byWho := map[string][]Result{}
	for _, res := range r.Results {
		byWho[res.Call.Who] = append(byWho[res.Call.Who], res)
	}
	whos := sortedKeys(keysOf(byWho))
	allowed, denied := 0, 0
	for _, who := range whos {
		fmt.Fprintf(&b, "%s\n", who)
		list := byWho[who]
		sort.SliceStable(list, func(i, j int) bool { return !list[i].Call.Deny && list[j].Call.Deny })
		for _, res := range list {
			mark := "ok  "
			if !res.OK() {
				mark = "FAIL"
			}
			if res.Allowed() {
				allowed++
			} else {
				denied++
			}
			fmt.Fprintf(&b, "  %s %-16s %s %s  [%s]%s\n", mark, res.Decision, res.Call.Action, res.Call.Resource, res.Call.From, decidedBy(res))
		}
	}
	fmt.Fprintf(&b, "\n%d calls: %d allowed, %d denied; %d principals\n", len(r.Results), allowed, denied, len(whos))
	fmt.Fprintf(&b, "unused grants: %d\n", len(r.Unused))
	for _, g := range r.Unused {
		reason := g.Reason
		if reason == "" {
			reason = "NOT JUSTIFIED"
		}
		fmt.Fprintf(&b, "  %s %s (%s): %s\n", g.Role, g.Action, g.Sid, reason)
	}
	for _, s := range r.Stale {
		fmt.Fprintf(&b, "  STALE %s\n", s)
	}
	return b.String()
}

func decidedBy(res Result) string {
	list := res.Allow
	if !res.Allowed() {
		list = res.Deny
	}
	var names []string
	for _, s := range list {
		names = append(names, s.Policy+"/"+s.Sid)
	}
	if len(names) == 0 {
		return ""
	}
	return " by " + strings.Join(names, ", ")
}

// ProveStack runs the whole proof for a recorded stack: the recorded
// function calls, the service calls and the negatives.
func ProveStack(m *Model, recorded []local.RecordedCall, sups []policy.Suppression) (*Report, error) {
	calls, err := m.ServiceCalls()
	if err != nil {
		return nil, err
	}
	fc, err := m.FunctionCalls(recorded)
	if err != nil {
		return nil, err
	}
	return m.Prove(append(append(calls, fc...), m.Negatives()...), sups)
}
