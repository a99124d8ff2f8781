package stacktest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Account is the AWS account ID the mocks pretend to deploy into.
const Account = "123456789012"

// providerType is the type token of explicit AWS providers.
const providerType = "pulumi:providers:aws"

// Mocks answers a program's resource registrations and invokes the way AWS
// would, with realistic IDs and ARNs, and records every resource. It is safe
// for concurrent use, as the Pulumi SDK registers resources from many
// goroutines.
type Mocks struct {
	project, stack string
	region         string

	// invokes are the answers a test gave with the Invoke option.
	invokes map[string]InvokeAnswer

	mu        sync.Mutex
	resources map[string]Resource
	// regions maps an explicit provider's URN to the region it targets.
	regions map[string]string
	// sgRules holds the security group rules answered so far, by rule ID,
	// so that getSecurityGroupRule describes the rules getSecurityGroupRules
	// listed.
	sgRules map[string]map[string]any
}

var _ pulumi.MockResourceMonitor = (*Mocks)(nil)

// NewMocks returns mocks for a program that runs another way than Run: a
// component served by a Pulumi component provider, constructed through the
// provider's Construct against a mocked resource monitor (pulumi-go-provider's
// integration server takes any pulumi.MockResourceMonitor). project and
// stack name the URNs; region is the home region, where resources without
// an explicit provider are. Resources lists what was registered.
func NewMocks(project, stack, region string) *Mocks { return newMocks(project, stack, region) }

func newMocks(project, stack, region string) *Mocks {
	return &Mocks{
		project:   project,
		stack:     stack,
		region:    region,
		resources: map[string]Resource{},
		regions:   map[string]string{},
		sgRules:   map[string]map[string]any{},
	}
}

// NewResource records the resource and returns its ID and outputs.
func (m *Mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	inputs, err := plainMap(args.Inputs)
	if err != nil {
		return "", nil, fmt.Errorf("%s %q: %w", args.TypeToken, args.Name, err)
	}
	var parent string
	var protect bool
	rpc := args.RegisterRPC
	if rpc != nil {
		parent = rpc.GetParent()
		protect = rpc.GetProtect()
	}
	if resource.URN(parent).QualifiedType() == resource.RootStackType {
		parent = ""
	}
	urn := m.urn(parent, args.TypeToken, args.Name)
	aliases := m.aliases(rpc, parent, args.TypeToken, args.Name)
	provider := providerURN(args.Provider)

	m.mu.Lock()
	if _, dup := m.resources[urn]; dup {
		m.mu.Unlock()
		return "", nil, fmt.Errorf("duplicate URN %s", urn)
	}
	m.resources[urn] = Resource{
		URN:      urn,
		Type:     args.TypeToken,
		Name:     args.Name,
		Parent:   parent,
		Provider: provider,
		Protect:  protect,
		Aliases:  aliases,
		Inputs:   inputs,
	}
	region := m.region
	if r, ok := m.regions[provider]; ok {
		region = r
	}
	if args.TypeToken == providerType {
		if r, ok := inputs["region"].(string); ok {
			m.regions[urn] = r
		}
	}
	m.mu.Unlock()

	if !args.Custom {
		return args.Name, resource.PropertyMap{}, nil
	}
	id, state := m.custom(args, urn, region, inputs)
	outputs, err := plainMap(state)
	if err != nil {
		return "", nil, fmt.Errorf("%s %q outputs: %w", args.TypeToken, args.Name, err)
	}
	m.mu.Lock()
	r := m.resources[urn]
	r.ID, r.Outputs = id, outputs
	m.resources[urn] = r
	m.mu.Unlock()
	return id, state, nil
}

// custom computes a provider resource's ID and output state.
func (m *Mocks) custom(args pulumi.MockResourceArgs, urn, region string, inputs map[string]any) (string, resource.PropertyMap) {

	k := kinds[args.TypeToken]
	r := &mockResource{
		typ:     args.TypeToken,
		logical: args.Name,
		name:    args.Name,
		region:  region,
		account: Account,
		suffix:  sha256Hex([]byte(urn)),
		inputs:  inputs,
	}
	if k.nameKey != "" {
		if n := r.str(k.nameKey); n != "" {
			r.name = n
		}
	}
	id := r.name
	if k.id != nil {
		id = k.id(r)
	}
	if args.ID != "" {
		id = args.ID
	}
	state := args.Inputs.Copy()
	if k.nameKey != "" {
		state[resource.PropertyKey(k.nameKey)] = resource.NewProperty(r.name)
	}
	if k.outputs != nil {
		for key, v := range resource.NewPropertyMapFromMap(k.outputs(r, id)) {
			state[key] = v
		}
	}
	return id, state
}

// Call answers the invokes the program makes.
func (m *Mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	in, err := plainMap(args.Args)
	if err != nil {
		return nil, err
	}
	if answer, ok := m.invokes[args.Token]; ok {
		out, err := answer(in)
		if err != nil {
			return nil, err
		}
		return resource.NewPropertyMapFromMap(out), nil
	}
	region := m.region
	m.mu.Lock()
	if r, ok := m.regions[providerURN(args.Provider)]; ok {
		region = r
	}
	m.mu.Unlock()
	var out map[string]any
	switch args.Token {
	case "aws:vpc/getSecurityGroupRules:getSecurityGroupRules":
		out, err = m.securityGroupRules(in, region)
	case "aws:vpc/getSecurityGroupRule:getSecurityGroupRule":
		out, err = m.securityGroupRule(in)
	default:
		out, err = answerInvoke(args.Token, in, region)
	}
	if err != nil {
		return nil, err
	}
	return resource.NewPropertyMapFromMap(out), nil
}

// Resources returns the recorded resources sorted by URN.
func (m *Mocks) Resources() []Resource {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.SortedFunc(maps.Values(m.resources), func(a, b Resource) int { return strings.Compare(a.URN, b.URN) })
}

func (m *Mocks) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.stack), tokens.PackageName(m.project), parentType, tokens.Type(typ), name))
}

// aliases resolves a registration's aliases to URNs: given as URNs, or as
// specs whose missing parts default to the resource's own.
func (m *Mocks) aliases(rpc *pulumirpc.RegisterResourceRequest, parent, typ, name string) []string {
	if rpc == nil {
		return nil
	}
	out := append([]string{}, rpc.GetAliasURNs()...)
	for _, a := range rpc.GetAliases() {
		if u := a.GetUrn(); u != "" {
			out = append(out, u)
			continue
		}
		spec := a.GetSpec()
		if spec == nil {
			continue
		}
		p := parent
		switch {
		case spec.GetNoParent():
			p = ""
		case spec.GetParentUrn() != "":
			p = spec.GetParentUrn()
		}
		if p != "" && resource.URN(p).QualifiedType() == resource.RootStackType {
			p = ""
		}
		out = append(out, m.urn(p, cmp.Or(spec.GetType(), typ), cmp.Or(spec.GetName(), name)))
	}
	if len(out) == 0 {
		return nil
	}
	sort.Strings(out)
	return out
}

// providerURN strips the ID from a provider reference ("URN::ID").
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 {
		return ref[:i]
	}
	return ref
}

// Well-known IDs of CloudFront's managed policies and the managed prefix
// list, as AWS publishes them.
var (
	managedCachePolicies = map[string]string{
		"Managed-CachingOptimized":                       "658327ea-f89d-4fab-a63d-7e88639e58f6",
		"Managed-CachingDisabled":                        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
		"Managed-CachingOptimizedForUncompressedObjects": "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
		"Managed-Elemental-MediaPackage":                 "08627262-05a9-4f76-9ded-b50ca2e3a84f",
		"Managed-Amplify":                                "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
	}
	managedOriginRequestPolicies = map[string]string{
		"Managed-AllViewer":                             "216adef6-5c7f-47e4-b989-5492eafa07d3",
		"Managed-AllViewerExceptHostHeader":             "b689b0a8-53d0-40ab-baf2-68738e2966ac",
		"Managed-CORS-S3Origin":                         "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
		"Managed-CORS-CustomOrigin":                     "59781a5b-3903-41f3-afcb-af62929ccde1",
		"Managed-UserAgentRefererHeaders":               "acba4595-bd28-49b8-b9fe-13317c0390fa",
		"Managed-AllViewerAndCloudFrontHeaders-2022-06": "33f36d7e-f396-46d9-90e0-52428a34d9dc",
	}
	managedResponseHeadersPolicies = map[string]string{
		"Managed-SecurityHeadersPolicy":          "67f7725c-6f97-4210-82d7-5512b31e9d03",
		"Managed-CORS-With-Preflight":            "5cc3b908-e619-4b99-88e5-2cf7f45965bd",
		"Managed-CORS-and-SecurityHeadersPolicy": "e61eb60c-9c35-4d20-a928-2b84e02af89c",
		"Managed-SimpleCORS":                     "60669652-455b-4ae9-85a4-c4c02393f86c",
	}
	managedPrefixLists = map[string]string{
		"com.amazonaws.global.cloudfront.origin-facing": "pl-3b927c52",
	}
)

// answerInvoke returns what AWS would answer for a data-source invoke. An
// invoke it does not know is an error, so a new one is noticed and given a
// realistic answer here rather than silently returning nothing.
func answerInvoke(token string, in map[string]any, region string) (map[string]any, error) {
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return map[string]any{
			"accountId": Account,
			"arn":       "arn:aws:iam::" + Account + ":user/offline",
			"userId":    "AIDAOFFLINE",
			"id":        Account,
		}, nil
	case "aws:index/getRegion:getRegion":
		r := region
		if n := str("name"); n != "" {
			r = n
		}
		return map[string]any{"name": r, "id": r, "endpoint": "ec2." + r + ".amazonaws.com", "description": r}, nil
	case "aws:index/getPartition:getPartition":
		return map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws", "id": "aws"}, nil
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		return map[string]any{"names": []any{region + "a", region + "b", region + "c"}, "zoneIds": []any{"use1-az1", "use1-az2", "use1-az3"}, "id": region}, nil
	case "aws:iam/getPolicyDocument:getPolicyDocument":
		doc, err := renderPolicyDocument(in)
		if err != nil {
			return nil, err
		}
		return map[string]any{"json": doc, "minifiedJson": doc, "id": sha256Hex([]byte(doc))[:10]}, nil
	case "aws:cloudfront/getCachePolicy:getCachePolicy":
		return managedLookup(managedCachePolicies, "cache policy", str("name"))
	case "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy":
		return managedLookup(managedOriginRequestPolicies, "origin request policy", str("name"))
	case "aws:cloudfront/getResponseHeadersPolicy:getResponseHeadersPolicy":
		return managedLookup(managedResponseHeadersPolicies, "response headers policy", str("name"))
	case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
		name, id := str("name"), str("id")
		for n, i := range managedPrefixLists {
			if name == "" && i == id {
				name = n
			}
		}
		id, ok := managedPrefixLists[name]
		if !ok {
			return nil, fmt.Errorf("no managed prefix list named %q (id %q)", name, str("id"))
		}
		return map[string]any{"id": id, "name": name, "arn": "arn:aws:ec2:" + region + ":aws:prefix-list/" + id, "addressFamily": "IPv4", "maxEntries": 55.0, "ownerId": "AWS"}, nil
	case "aws:route53/getZone:getZone":
		name := strings.TrimSuffix(str("name"), ".")
		return map[string]any{"id": "Z" + strings.ToUpper(sha256Hex([]byte(name))[:12]), "zoneId": "Z" + strings.ToUpper(sha256Hex([]byte(name))[:12]), "name": name + ".", "arn": "arn:aws:route53:::hostedzone/Z" + strings.ToUpper(sha256Hex([]byte(name))[:12])}, nil
	}
	return nil, fmt.Errorf("stacktest: no mock answer for invoke %s; add one in components/stacktest/mocks.go", token)
}

func managedLookup(table map[string]string, what, name string) (map[string]any, error) {
	id, ok := table[name]
	if !ok {
		return nil, fmt.Errorf("no managed %s named %q", what, name)
	}
	return map[string]any{"id": id, "name": name}, nil
}

// renderPolicyDocument renders aws:iam/getPolicyDocument's statements the way
// the provider does, for the fields the components use.
func renderPolicyDocument(in map[string]any) (string, error) {
	stmts, _ := in["statements"].([]any)
	out := make([]any, 0, len(stmts))
	for _, s := range stmts {
		st, _ := s.(map[string]any)
		o := map[string]any{}
		if sid, ok := st["sid"].(string); ok && sid != "" {
			o["Sid"] = sid
		}
		effect, _ := st["effect"].(string)
		if effect == "" {
			effect = "Allow"
		}
		o["Effect"] = effect
		for key, name := range map[string]string{"actions": "Action", "notActions": "NotAction", "resources": "Resource", "notResources": "NotResource"} {
			if v, ok := st[key].([]any); ok && len(v) > 0 {
				o[name] = single(v)
			}
		}
		for key, name := range map[string]string{"principals": "Principal", "notPrincipals": "NotPrincipal"} {
			ps, _ := st[key].([]any)
			if len(ps) == 0 {
				continue
			}
			pm := map[string]any{}
			for _, p := range ps {
				pp, _ := p.(map[string]any)
				typ, _ := pp["type"].(string)
				ids, _ := pp["identifiers"].([]any)
				pm[typ] = single(ids)
			}
			o[name] = pm
		}
		if cs, ok := st["conditions"].([]any); ok && len(cs) > 0 {
			cm := map[string]any{}
			for _, c := range cs {
				cc, _ := c.(map[string]any)
				test, _ := cc["test"].(string)
				variable, _ := cc["variable"].(string)
				values, _ := cc["values"].([]any)
				tm, _ := cm[test].(map[string]any)
				if tm == nil {
					tm = map[string]any{}
					cm[test] = tm
				}
				tm[variable] = single(values)
			}
			o["Condition"] = cm
		}
		out = append(out, o)
	}
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": out})
	return string(b), err
}

func single(v []any) any {
	if len(v) == 1 {
		return v[0]
	}
	return v
}
