package policy

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// Rule is one check over the resources of some types.
type Rule struct {
	// ID names the rule in findings and suppressions, e.g. "S3-TLS-ONLY".
	ID string
	// Mirrors lists the IDs of the cdk-nag and checkov rules this one
	// follows, e.g. "AwsSolutions-S10", "CKV_AWS_364".
	Mirrors []string
	// Description says what the rule requires and why.
	Description string
	// Types are the resource type tokens the rule checks; empty means every
	// resource.
	Types []string
	// ProductionOnly rules run only when the Production option is set.
	ProductionOnly bool
	// Source is the documentation the rule follows when it has no mirrored
	// rule: for the constraint rules (see Constraints), the AWS page that
	// states the limit.
	Source string
	// NoSuppress marks rules whose findings no suppression excuses: AWS
	// refuses the input whatever the reason, so the only fix is the input.
	// A suppression naming such a rule is itself a finding.
	NoSuppress bool
	// Check returns the problems it finds with r, none when r complies.
	Check func(s *Stack, r recording.Resource) []string
}

// Finding is one problem a rule found with one resource.
type Finding struct {
	Rule    string   `json:"rule"`
	Mirrors []string `json:"mirrors,omitempty"`
	URN     string   `json:"urn"`
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Message string   `json:"message"`
	// Suppressed findings are excused by a suppression, whose Reason is
	// kept here.
	Suppressed bool   `json:"suppressed,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// String renders the finding as `type "name": RULE (mirrored IDs): message`,
// noting the reason when it is suppressed.
func (f Finding) String() string {
	rule := f.Rule
	if len(f.Mirrors) > 0 {
		rule += " (" + strings.Join(f.Mirrors, ", ") + ")"
	}
	s := fmt.Sprintf("%s %q: %s: %s", f.Type, f.Name, rule, f.Message)
	if f.Suppressed {
		s += fmt.Sprintf(" [suppressed: %s]", f.Reason)
	}
	return s
}

// AccessRulePrefix starts the IDs of findings the access proof makes
// (dev/access), which evaluates calls against the stack's IAM rather than
// reading resources: ACCESS-UNUSED:<action> excuses a grant no tested call
// uses. Check leaves their suppressions to it.
const AccessRulePrefix = "ACCESS-"

// SuppressionRule is the rule ID of findings about suppressions themselves:
// one that has no reason, names an unknown rule or resource, or excuses
// nothing any more. They cannot be suppressed.
const SuppressionRule = "POLICY-SUPPRESSION"

// Option configures Check.
type Option func(*config)

type config struct {
	production  bool
	constraints bool
	rules       []Rule
}

func newConfig(opts []Option) config {
	cfg := config{rules: defaultRules}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.constraints {
		rules := slices.Clone(cfg.rules)
		for _, r := range constraintRules {
			if !slices.ContainsFunc(rules, func(x Rule) bool { return x.ID == r.ID }) {
				rules = append(rules, r)
			}
		}
		cfg.rules = rules
	}
	return cfg
}

// Production enables the rules that only production stacks need, such as
// deletion protection on tables and load balancers.
func Production(on bool) Option {
	return func(c *config) { c.production = on }
}

// WithRules replaces the rule set, e.g. with append(policy.Rules(), myRule).
func WithRules(rules ...Rule) Option {
	return func(c *config) { c.rules = rules }
}

// WithConstraints adds the constraint rules (see Constraints) to whatever
// rule set Check runs, the built-in one or one given with WithRules, in any
// order of options.
func WithConstraints() Option {
	return func(c *config) { c.constraints = true }
}

// Rules returns a copy of the built-in rule set.
func Rules() []Rule { return slices.Clone(defaultRules) }

// Report is the outcome of Check.
type Report struct {
	// Findings holds every finding, suppressed or not, sorted by resource URN,
	// rule and message.
	Findings []Finding
	// Resources is the number of resources checked.
	Resources int
}

// Failed returns the findings that no suppression excuses.
func (r Report) Failed() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}

// Suppressed returns the findings a suppression excuses, with its reason.
func (r Report) Suppressed() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}

// Err returns an error listing the failed findings, or nil when there are
// none.
func (r Report) Err() error {
	failed := r.Failed()
	if len(failed) == 0 {
		return nil
	}
	lines := make([]string, 0, len(failed)+1)
	lines = append(lines, fmt.Sprintf("policy: %d unsuppressed finding(s)", len(failed)))
	for _, f := range failed {
		lines = append(lines, "  "+f.String())
	}
	return errors.New(strings.Join(lines, "\n"))
}

// String renders the report for people: a summary line, each failed finding,
// then each suppressed one with its reason.
func (r Report) String() string {
	failed, suppressed := r.Failed(), r.Suppressed()
	var b strings.Builder
	fmt.Fprintf(&b, "%d failed, %d suppressed, %d resources checked\n", len(failed), len(suppressed), r.Resources)
	for _, f := range failed {
		b.WriteString("FAIL " + f.String() + "\n")
	}
	for _, f := range suppressed {
		f.Suppressed = false // the reason goes on its own line
		b.WriteString("SUPPRESSED " + f.String() + "\n")
		b.WriteString("    because: " + f.Reason + "\n")
	}
	return b.String()
}

// Check runs the rules over resources and applies the suppressions. A
// suppression that excuses no finding is reported as a finding of
// SuppressionRule, so stale ones are removed rather than left to rot.
func Check(resources []recording.Resource, sups []Suppression, opts ...Option) Report {
	cfg := newConfig(opts)
	s := NewStack(resources, opts...)
	known := map[string]Rule{}
	for _, rule := range cfg.rules {
		known[rule.ID] = rule
	}
	findings := runRules(s, cfg)
	used := excuse(findings, sups, known)
	findings = append(findings, suppressionProblems(s, sups, known, used, cfg.production)...)
	slices.SortFunc(findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.URN, b.URN), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
	return Report{Findings: findings, Resources: len(resources)}
}

// runRules returns every rule's findings over the stack.
func runRules(s *Stack, cfg config) []Finding {
	var findings []Finding
	for _, rule := range cfg.rules {
		if rule.ProductionOnly && !cfg.production {
			continue
		}
		targets := s.Resources()
		if len(rule.Types) > 0 {
			targets = s.OfType(rule.Types...)
		}
		for _, r := range targets {
			for _, msg := range rule.Check(s, r) {
				findings = append(findings, Finding{
					Rule: rule.ID, Mirrors: slices.Clone(rule.Mirrors),
					URN: r.URN, Type: r.Type, Name: r.Name, Message: msg,
				})
			}
		}
	}
	return findings
}

// excusal names one rule on one resource.
type excusal struct{ urn, rule string }

// excuse marks the findings a suppression with a reason excuses (never
// those of a NoSuppress rule) and returns the suppressions it used.
func excuse(findings []Finding, sups []Suppression, known map[string]Rule) map[excusal]bool {
	excuses := map[excusal]string{}
	for _, sup := range sups {
		if strings.TrimSpace(sup.Reason) == "" {
			continue
		}
		for _, id := range sup.Rules {
			excuses[excusal{sup.URN, id}] = sup.Reason
		}
	}
	used := map[excusal]bool{}
	for i, f := range findings {
		k := excusal{f.URN, f.Rule}
		if reason, ok := excuses[k]; ok && !known[f.Rule].NoSuppress {
			findings[i].Suppressed, findings[i].Reason = true, reason
			used[k] = true
		}
	}
	return used
}

// suppressionProblems returns the findings about suppressions themselves:
// without a reason or rule, for a resource not in the stack, naming an
// unknown or unsuppressible rule, or excusing nothing.
func suppressionProblems(s *Stack, sups []Suppression, known map[string]Rule, used map[excusal]bool, production bool) []Finding {
	var findings []Finding
	for _, sup := range sups {
		problem := func(format string, args ...any) {
			typ, name := urnTypeName(sup.URN)
			if r, ok := s.Resource(sup.URN); ok {
				typ, name = r.Type, r.Name
			}
			findings = append(findings, Finding{
				Rule: SuppressionRule, URN: sup.URN, Type: typ, Name: name,
				Message: fmt.Sprintf(format, args...),
			})
		}
		switch {
		case strings.TrimSpace(sup.Reason) == "":
			problem("suppression of %s has no reason", strings.Join(sup.Rules, ", "))
			continue
		case len(sup.Rules) == 0:
			problem("suppression %q names no rule", sup.Reason)
			continue
		}
		if _, ok := s.Resource(sup.URN); !ok {
			problem("suppression of %s names a resource that is not in the stack", strings.Join(sup.Rules, ", "))
			continue
		}
		for _, id := range sup.Rules {
			rule, ok := known[id]
			switch {
			case strings.HasPrefix(id, AccessRulePrefix):
				// Checked by the access proof, which evaluates calls.
			case !ok:
				problem("suppression names unknown rule %s", id)
			case rule.NoSuppress:
				problem("rule %s cannot be suppressed: AWS refuses the input whatever the reason (%q); change the input", id, sup.Reason)
			case rule.ProductionOnly && !production:
				// Not checked here, so it cannot be stale here.
			case !used[excusal{sup.URN, id}]:
				problem("suppression of %s excuses no finding (reason was %q); remove it", id, sup.Reason)
			}
		}
	}
	return findings
}

// urnTypeName reads the type and name out of a URN
// ("urn:pulumi:stack::project::parent$type::name").
func urnTypeName(urn string) (typ, name string) {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return "", urn
	}
	typ = parts[2]
	if i := strings.LastIndex(typ, "$"); i >= 0 {
		typ = typ[i+1:]
	}
	return typ, strings.Join(parts[3:], "::")
}
