package access

import (
	"fmt"
	"strings"

	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
)

// subVariable is the policy variable of a Cognito identity's ID.
const subVariable = "${cognito-identity.amazonaws.com:sub}"

// identityRoles maps each authenticated role of an identity pool to the
// pool's ID.
func (m *Model) identityRoles() map[string]string {
	out := map[string]string{}
	for _, a := range m.OfType("aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment") {
		roles, _ := a.Inputs["roles"].(map[string]any)
		if arn := recorded.Str(roles, "authenticated"); arn != "" {
			out[arn] = recorded.Str(a.Inputs, "identityPoolId")
		}
	}
	return out
}

// identityContext is what IAM knows of a request signed with a Cognito
// identity's temporary credentials.
func (m *Model) identityContext(sub string, extra map[string]any) map[string]any {
	return m.secure(map[string]any{"cognito-identity.amazonaws.com:sub": sub}, extra)
}

// identityCalls: a signed-in user's identity assumes the pool's
// authenticated role (AssumeRoleWithWebIdentity) and uses what the role's
// per-identity statements give it, for its own ID: the contract the mobile
// app relies on.
func (m *Model) identityCalls() ([]Call, error) {
	var out []Call
	for _, roleArn := range sortedKeys(keysOf(m.identityRoles())) {
		pool, role := m.identityRoles()[roleArn], m.Roles[roleArn]
		if role == nil {
			return nil, fmt.Errorf("identity pool %s attaches %s, which the stack does not hold", pool, roleArn)
		}
		who := "identity of pool " + pool
		out = append(out, Call{Who: who, Principal: "cognito-identity.amazonaws.com", Action: "sts:AssumeRoleWithWebIdentity", Resource: roleArn,
			Context: map[string]any{"cognito-identity.amazonaws.com:aud": pool, "cognito-identity.amazonaws.com:amr": []string{"authenticated", "cognito-idp.amazonaws.com"}},
			From:    "an identity signed in through the user pool"})
		for _, c := range m.perIdentityCalls(role, sampleSub) {
			c.Who, c.From = who, "the role's per-identity grant"
			out = append(out, c)
			out = append(out, m.impliedKeyCalls(who, c.Principal, c.Role, c.Action, c.Resource)...)
		}
	}
	return out, nil
}

// perIdentityCalls instantiates the role's statements that name the
// identity: each action on each resource, for identity sub, with the
// request context the statement's conditions ask about.
func (m *Model) perIdentityCalls(role *Role, sub string) []Call {
	var out []Call
	for _, p := range role.Policies {
		for _, st := range statements(p.Document) {
			resources := stringsOf(st["Resource"])
			cond, _ := st["Condition"].(map[string]any)
			if !strings.Contains(fmt.Sprint(resources)+fmt.Sprint(cond), subVariable) {
				continue
			}
			extra := map[string]any{}
			if like, ok := cond["StringLike"].(map[string]any); ok && like["s3:prefix"] != nil {
				extra["s3:prefix"] = strings.ReplaceAll(stringsOf(like["s3:prefix"])[0], subVariable, sub)
			}
			if _, ok := cond["ForAllValues:StringEquals"]; ok {
				extra["dynamodb:LeadingKeys"] = []string{sub}
			}
			for _, a := range stringsOf(st["Action"]) {
				for _, r := range resources {
					r = strings.ReplaceAll(strings.ReplaceAll(r, subVariable, sub), "*", "photo.jpg")
					out = append(out, Call{Principal: m.session(role.Arn, "CognitoIdentityCredentials"), Role: role.Arn,
						Action: a, Resource: r, Context: m.identityContext(sub, extra)})
				}
			}
		}
	}
	return out
}

// statements returns a document's statements.
func statements(doc map[string]any) []map[string]any {
	var out []map[string]any
	switch s := doc["Statement"].(type) {
	case []any:
		for _, e := range s {
			if st, ok := e.(map[string]any); ok {
				out = append(out, st)
			}
		}
	case map[string]any:
		out = append(out, s)
	}
	return out
}

// stringsOf reads an IAM value that is a string or a list of strings.
func stringsOf(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, fmt.Sprint(e))
		}
		return out
	case []string:
		return t
	}
	return nil
}

// apiGatewayLogCalls: API Gateway assumes the region's logging role and
// writes each stage's access log and, with execution logging on, its
// execution log group (the needs of AmazonAPIGatewayPushToCloudWatchLogs).
func (m *Model) apiGatewayLogCalls() ([]Call, error) {
	var out []Call
	for _, acct := range m.OfType("aws:apigateway/account:Account") {
		roleArn := recorded.Str(acct.Inputs, "cloudwatchRoleArn")
		if m.Roles[roleArn] == nil {
			return nil, fmt.Errorf("API Gateway account settings use %s, which the stack does not hold", roleArn)
		}
		from, principal := "API Gateway account settings "+acct.Name, m.session(roleArn, "apigateway")
		out = append(out, Call{Who: "API Gateway", Principal: "apigateway.amazonaws.com", Action: "sts:AssumeRole", Resource: roleArn, Context: m.secure(nil), From: from})
		for _, st := range m.OfType("aws:apigateway/stage:Stage") {
			var groups []string
			if arn := nested(st.Inputs, "accessLogSettings", "destinationArn"); arn != "" {
				groups = append(groups, arn)
			}
			groups = append(groups, fmt.Sprintf("arn:aws:logs:%s:%s:log-group:API-Gateway-Execution-Logs_%s/%s", m.Region, m.Account, recorded.Str(st.Inputs, "restApi"), recorded.Str(st.Inputs, "stageName")))
			for _, g := range groups {
				for _, a := range []struct{ action, resource string }{
					{"logs:CreateLogGroup", g}, {"logs:DescribeLogStreams", g},
					{"logs:CreateLogStream", g + ":log-stream:sample"}, {"logs:PutLogEvents", g + ":log-stream:sample"},
				} {
					out = append(out, Call{Who: "API Gateway logging", Principal: principal, Role: roleArn, Action: a.action, Resource: a.resource, Context: m.secure(nil), From: "logs of stage " + st.Name})
				}
			}
		}
		// DescribeLogGroups has no resource-level permission.
		out = append(out, Call{Who: "API Gateway logging", Principal: principal, Role: roleArn, Action: "logs:DescribeLogGroups",
			Resource: "*", Context: m.secure(nil), From: from})
	}
	return out, nil
}
