package blocks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Statement is one IAM policy statement. Resources and condition values may
// be outputs of other resources.
type Statement struct {
	Sid string
	// Effect is "Allow" unless set to "Deny".
	Effect string
	// Principal, for resource and trust policies, e.g.
	// {"Service": "lambda.amazonaws.com"} or {"AWS": "*"}.
	Principal pulumi.Map
	Actions   []string
	Resources pulumi.StringArrayInput
	// Conditions maps operator to key to values, as IAM does:
	// {"StringEquals": {"aws:SourceArn": pulumi.StringArray{arn}}}.
	Conditions map[string]map[string]pulumi.StringArrayInput
}

// PolicyJSON renders statements as an IAM policy document. The output is
// deterministic: keys are sorted, order of statements kept.
func PolicyJSON(stmts ...Statement) pulumi.StringOutput {
	list := make(pulumi.Array, 0, len(stmts))
	for _, s := range stmts {
		m := pulumi.Map{}
		if s.Sid != "" {
			m["Sid"] = pulumi.String(s.Sid)
		}
		effect := s.Effect
		if effect == "" {
			effect = "Allow"
		}
		m["Effect"] = pulumi.String(effect)
		if s.Principal != nil {
			m["Principal"] = s.Principal
		}
		if len(s.Actions) > 0 {
			m["Action"] = pulumi.ToStringArray(s.Actions)
		}
		if s.Resources != nil {
			m["Resource"] = s.Resources
		}
		if len(s.Conditions) > 0 {
			cond := pulumi.Map{}
			for op, kv := range s.Conditions {
				inner := pulumi.Map{}
				for k, v := range kv {
					inner[k] = v
				}
				cond[op] = inner
			}
			m["Condition"] = cond
		}
		list = append(list, m)
	}
	return pulumi.JSONMarshal(pulumi.Map{
		"Version":   pulumi.String("2012-10-17"),
		"Statement": list,
	})
}

// ServicePrincipal is the principal of an AWS service, e.g.
// ServicePrincipal("lambda.amazonaws.com").
func ServicePrincipal(service string) pulumi.Map {
	return pulumi.Map{"Service": pulumi.String(service)}
}

// AssumeRolePolicy lets service assume a role.
func AssumeRolePolicy(service string) pulumi.StringOutput {
	return PolicyJSON(Statement{
		Principal: ServicePrincipal(service),
		Actions:   []string{"sts:AssumeRole"},
	})
}

// DenyInsecureTransport is the statement that makes a bucket or queue refuse
// requests not sent over TLS.
func DenyInsecureTransport(action string, resources pulumi.StringArrayInput) Statement {
	return Statement{
		Sid:        "DenyInsecureTransport",
		Effect:     "Deny",
		Principal:  pulumi.Map{"AWS": pulumi.String("*")},
		Actions:    []string{action},
		Resources:  resources,
		Conditions: map[string]map[string]pulumi.StringArrayInput{"Bool": {"aws:SecureTransport": pulumi.StringArray{pulumi.String("false")}}},
	}
}
