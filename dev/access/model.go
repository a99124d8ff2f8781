package access

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
)

// Policy is one named policy document, as the evaluator takes it.
type Policy struct {
	Name     string         `json:"name"`
	Document map[string]any `json:"policy"`
}

// Role is an IAM role of the stack with its trust and identity policies.
type Role struct {
	Name, Arn string
	Trust     map[string]any
	Policies  []Policy
	// PolicyURN is the URN of the role's (first) inline policy, where
	// unused grants are justified.
	PolicyURN string
}

// Function is a Lambda function of the stack.
type Function struct {
	Name, Arn, RoleArn, Package string
	Env                         map[string]string
	// Policy is the function's resource policy, from its permissions.
	Policy map[string]any
}

// Model is what a recorded stack says about access: who may do what, as
// IAM evaluates it.
type Model struct {
	Region, Account string
	Roles           map[string]*Role // by ARN
	Functions       map[string]*Function
	// resourcePolicies by the ARN of the resource they belong to: bucket,
	// queue, topic, key.
	resourcePolicies map[string]map[string]any
	rec              recorded.Stack
}

// NewModel reads the IAM of a recorded stack.
func NewModel(resources []recording.Resource, region, account string) (*Model, error) {
	m := &Model{Region: region, Account: account, Roles: map[string]*Role{}, Functions: map[string]*Function{},
		resourcePolicies: map[string]map[string]any{}, rec: recorded.New(resources)}
	for _, step := range []func() error{m.roles, m.functions, m.bucketPolicies, m.queuePolicies, m.keyPolicies} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// OfType returns the recorded resources of typ.
func (m *Model) OfType(typ string) []recording.Resource { return m.rec.OfType(typ) }

// document parses a policy document held as a JSON string.
func document(raw any, what string) (map[string]any, error) {
	s, ok := raw.(string)
	if !ok {
		return nil, fmt.Errorf("%s: policy is %T, want a JSON string", what, raw)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return d, nil
}

func (m *Model) roles() error {
	byName := map[string]*Role{}
	for _, r := range m.OfType("aws:iam/role:Role") {
		trust, err := document(r.Inputs["assumeRolePolicy"], "role "+r.Name)
		if err != nil {
			return err
		}
		role := &Role{Name: recorded.Str(r.Outputs, "name"), Arn: recorded.Str(r.Outputs, "arn"), Trust: trust}
		m.Roles[role.Arn], byName[role.Name], byName[r.ID] = role, role, role
	}
	for _, p := range m.OfType("aws:iam/rolePolicy:RolePolicy") {
		role := byName[recorded.Str(p.Inputs, "role")]
		if role == nil {
			return fmt.Errorf("role policy %s names role %q, which the stack does not hold", p.Name, p.Inputs["role"])
		}
		doc, err := document(p.Inputs["policy"], "role policy "+p.Name)
		if err != nil {
			return err
		}
		role.Policies = append(role.Policies, Policy{Name: p.Name, Document: doc})
		if role.PolicyURN == "" {
			role.PolicyURN = p.URN
		}
	}
	if n := len(m.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")); n > 0 {
		return fmt.Errorf("%d managed policy attachments: their documents are not in the recording, so the proof cannot read them", n)
	}
	return nil
}

func (m *Model) functions() error {
	byName := map[string]*Function{}
	for _, r := range m.OfType("aws:lambda/function:Function") {
		f := &Function{Name: recorded.Str(r.Outputs, "name"), Arn: recorded.Str(r.Outputs, "arn"), RoleArn: recorded.Str(r.Inputs, "role"), Env: map[string]string{}}
		if tags, ok := r.Inputs["tags"].(map[string]any); ok {
			f.Package = recorded.Str(tags, "serverless-arch:package")
		}
		if env, ok := r.Inputs["environment"].(map[string]any); ok {
			vars, _ := env["variables"].(map[string]any)
			for k, v := range vars {
				f.Env[k] = fmt.Sprint(v)
			}
		}
		if m.Roles[f.RoleArn] == nil {
			return fmt.Errorf("function %s runs as %q, which the stack does not hold", f.Name, f.RoleArn)
		}
		m.Functions[f.Arn], byName[f.Name] = f, f
	}
	for _, p := range m.OfType("aws:lambda/permission:Permission") {
		f := byName[recorded.Str(p.Inputs, "function")]
		if f == nil {
			f = m.Functions[recorded.Str(p.Inputs, "function")]
		}
		if f == nil {
			return fmt.Errorf("permission %s names function %q, which the stack does not hold", p.Name, p.Inputs["function"])
		}
		f.Policy = withStatement(f.Policy, permissionStatement(p, f.Arn))
	}
	return nil
}

// permissionStatement is the statement Lambda adds to a function's resource
// policy for a permission (AddPermission).
func permissionStatement(p recording.Resource, fnArn string) map[string]any {
	st := map[string]any{"Sid": p.Name, "Effect": "Allow", "Action": recorded.Str(p.Inputs, "action"), "Resource": fnArn}
	principal := recorded.Str(p.Inputs, "principal")
	if strings.HasSuffix(principal, ".amazonaws.com") {
		st["Principal"] = map[string]any{"Service": principal}
	} else {
		st["Principal"] = map[string]any{"AWS": principal}
	}
	cond := map[string]any{}
	if s := recorded.Str(p.Inputs, "sourceArn"); s != "" {
		cond["ArnLike"] = map[string]any{"AWS:SourceArn": s}
	}
	if s := recorded.Str(p.Inputs, "sourceAccount"); s != "" {
		cond["StringEquals"] = map[string]any{"AWS:SourceAccount": s}
	}
	if len(cond) > 0 {
		st["Condition"] = cond
	}
	return st
}

func withStatement(doc map[string]any, st map[string]any) map[string]any {
	if doc == nil {
		doc = map[string]any{"Version": "2012-10-17", "Statement": []any{}}
	}
	doc["Statement"] = append(doc["Statement"].([]any), st)
	return doc
}

func (m *Model) bucketPolicies() error {
	for _, p := range m.OfType("aws:s3/bucketPolicy:BucketPolicy") {
		doc, err := document(p.Inputs["policy"], "bucket policy "+p.Name)
		if err != nil {
			return err
		}
		m.resourcePolicies["arn:aws:s3:::"+recorded.Str(p.Inputs, "bucket")] = doc
	}
	return nil
}

func (m *Model) queuePolicies() error {
	arnByURL := map[string]string{}
	for _, q := range m.OfType("aws:sqs/queue:Queue") {
		arnByURL[recorded.Str(q.Outputs, "url")] = recorded.Str(q.Outputs, "arn")
	}
	if err := m.attachPolicies("aws:sqs/queuePolicy:QueuePolicy", "queue policy", "queueUrl", arnByURL); err != nil {
		return err
	}
	for _, p := range m.OfType("aws:sns/topicPolicy:TopicPolicy") {
		doc, err := document(p.Inputs["policy"], "topic policy "+p.Name)
		if err != nil {
			return err
		}
		m.resourcePolicies[recorded.Str(p.Inputs, "arn")] = doc
	}
	return nil
}

// keyPolicies reads each key's policy; a key created without one has the
// default key policy, which lets the account's IAM policies decide.
func (m *Model) keyPolicies() error {
	byID := map[string]string{}
	for _, typ := range []string{"aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"} {
		for _, k := range m.OfType(typ) {
			arn := recorded.Str(k.Outputs, "arn")
			byID[recorded.Str(k.Outputs, "keyId")], byID[arn] = arn, arn
			if raw, ok := k.Inputs["policy"]; ok {
				doc, err := document(raw, "key policy of "+k.Name)
				if err != nil {
					return err
				}
				m.resourcePolicies[arn] = doc
			} else {
				m.resourcePolicies[arn] = m.defaultKeyPolicy()
			}
		}
	}
	return m.attachPolicies("aws:kms/keyPolicy:KeyPolicy", "key policy", "keyId", byID)
}

// attachPolicies reads the policy of each resource of typ, a policy that
// names what it protects by the input key, and files it under the ARN that
// arnOf maps that value to; a policy for a resource the stack does not hold
// is an error.
func (m *Model) attachPolicies(typ, what, key string, arnOf map[string]string) error {
	for _, p := range m.OfType(typ) {
		doc, err := document(p.Inputs["policy"], what+" "+p.Name)
		if err != nil {
			return err
		}
		arn := arnOf[recorded.Str(p.Inputs, key)]
		if arn == "" {
			return fmt.Errorf("%s %s is for %v, which the stack does not hold", what, p.Name, p.Inputs[key])
		}
		m.resourcePolicies[arn] = doc
	}
	return nil
}

// defaultKeyPolicy is the policy KMS gives a key created without one: the
// account may use it as its IAM policies allow.
func (m *Model) defaultKeyPolicy() map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Sid": "Enable IAM User Permissions", "Effect": "Allow",
		"Principal": map[string]any{"AWS": "arn:aws:iam::" + m.Account + ":root"},
		"Action":    "kms:*", "Resource": "*",
	}}}
}

// ResourcePolicy returns the resource-based policy AWS consults for a
// request on resource: the bucket's for an object, the function's, the
// queue's, the key's, the role's trust policy. Nil for none.
func (m *Model) ResourcePolicy(resource string) map[string]any {
	switch {
	case strings.HasPrefix(resource, "arn:aws:s3:::"):
		bucket, _, _ := strings.Cut(strings.TrimPrefix(resource, "arn:aws:s3:::"), "/")
		return m.resourcePolicies["arn:aws:s3:::"+bucket]
	case strings.Contains(resource, ":lambda:"):
		if f := m.Functions[resource]; f != nil {
			return f.Policy
		}
	case strings.Contains(resource, ":iam::") && strings.Contains(resource, ":role/"):
		if r := m.Roles[resource]; r != nil {
			return r.Trust
		}
	}
	return m.resourcePolicies[resource]
}

// FunctionsByPackage returns the functions built from pkg, sorted by name.
func (m *Model) FunctionsByPackage(pkg string) []*Function {
	var out []*Function
	for _, f := range m.Functions {
		if f.Package == pkg {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
