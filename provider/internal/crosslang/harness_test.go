package crosslang

import (
	"flag"
	"sync"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
)

var update = flag.Bool("update", false, "rewrite the schema golden file")

// The stack every test constructs in, under the mocks: the project and
// stack names are those of pulumi-go-provider's fake monitor, which names
// the component's URN, so that the mocks name its children alike.
const (
	project = "project"
	stack   = "stack"
	region  = "eu-west-1"
)

const stackURN = resource.URN("urn:pulumi:" + stack + "::" + project + "::pulumi:pulumi:Stack::" + project + "-" + stack)

// recorder is the mocks, plus the dependencies each resource was
// registered with (which recordings leave out).
type recorder struct {
	*stacktest.Mocks
	mu   sync.Mutex
	deps map[string][]string // resource name -> dependency URNs
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if rpc := args.RegisterRPC; rpc != nil {
		r.mu.Lock()
		r.deps[args.Name] = rpc.GetDependencies()
		r.mu.Unlock()
	}
	return r.Mocks.NewResource(args)
}

// server runs the provider, as Pulumi would, against a mocked monitor.
func server(t *testing.T) (integration.Server, *recorder) {
	t.Helper()
	prov, err := New()
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Mocks: stacktest.NewMocks(project, stack, region), deps: map[string][]string{}}
	s, err := integration.NewServer(t.Context(), Name, semver.MustParse(Version),
		integration.WithProvider(prov), integration.WithMocks(rec))
	if err != nil {
		t.Fatal(err)
	}
	return s, rec
}

// construct constructs the component token named name from inputs
// through the provider's Construct, with the stack's config, and returns
// what was registered.
func construct(t *testing.T, token, name string, inputs map[string]any, cfg map[string]string, edit ...func(*p.ConstructRequest)) (*recorder, p.ConstructResponse, error) {
	t.Helper()
	s, rec := server(t)
	req := p.ConstructRequest{
		Urn:    resource.NewURN(stack, project, "", tokens.Type(token), name),
		Parent: stackURN,
		Inputs: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(inputs)),
		Config: map[config.Key]string{},
	}
	for k, v := range cfg {
		req.Config[config.MustParseKey(k)] = v
	}
	for _, e := range edit {
		e(&req)
	}
	resp, err := s.Construct(req)
	return rec, resp, err
}

// runGo runs a Go program under the same mocks and stack config.
func runGo(t *testing.T, program pulumi.RunFunc, cfg map[string]string) *stacktest.Recording {
	t.Helper()
	opts := []stacktest.Option{stacktest.Project(project), stacktest.Stack(stack)}
	for k, v := range cfg {
		opts = append(opts, stacktest.Config(k, v))
	}
	rec, err := stacktest.Run(program, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// withRegion adds the home region to a stack config.
func withRegion(cfg map[string]string) map[string]string {
	out := map[string]string{"aws:region": region}
	for k, v := range cfg {
		out[k] = v
	}
	return out
}
