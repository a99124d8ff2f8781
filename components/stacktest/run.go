// Package stacktest runs a Pulumi Go program offline, under pulumi.WithMocks,
// and records every resource it would create.
//
// The mocks answer like AWS would: IDs and ARNs in the right format for the
// service, region and account (see Account), stream ARNs for tables with
// streams, invoke URLs for API stages, domain names for distributions, and the
// data-source invokes programs commonly call (getCallerIdentity, getRegion,
// getPolicyDocument, CloudFront managed policies, the CloudFront origin-facing
// prefix list, an existing security group's rules, ...). An invoke the mocks
// do not know is an error, never an empty answer; Invoke gives one another
// answer, to put what already exists in the account in a given state.
//
// A recording is the input to snapshots (see Recording.Snapshot), to the
// offline plan (cmd/plan) and to the policy checks (components/policy):
//
//	rec, err := stacktest.Run(app.Run, stacktest.StackConfig(".", "dev"))
//	if err != nil { ... }
//	fn := rec.Must(t, "aws:lambda/function:Function", "todo-fn")
//
// Use it in any Pulumi Go project's tests; it depends only on the Pulumi SDK.
package stacktest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"gopkg.in/yaml.v3"
)

// Recording is everything a program registered in one offline run.
type Recording struct {
	Project, Stack string
	// Resources are sorted by URN.
	Resources []Resource
	// Outputs are the stack outputs as plain JSON, secrets as "[secret]".
	Outputs map[string]any
	// Context is the context the program ran with. Packages that keep
	// per-run registries (such as policy suppressions) key them by it.
	Context *pulumi.Context
}

// Option configures a Run.
type Option func(*settings) error

type settings struct {
	project, stack, region string
	config                 map[string]string
	secrets                map[string]bool
	invokes                map[string]InvokeAnswer
}

// InvokeAnswer answers one data-source invoke: its arguments and its result
// as plain JSON (string, float64, bool, []any, map[string]any).
type InvokeAnswer func(args map[string]any) (map[string]any, error)

// Invoke answers the invoke token (e.g.
// "aws:vpc/getSecurityGroupRules:getSecurityGroupRules") with answer
// instead of the mocks' own answer: a test puts something that already
// exists in the account in the state it needs, such as a security group
// that is nearly full. An error from answer is the invoke's error.
func Invoke(token string, answer InvokeAnswer) Option {
	return func(s *settings) error {
		if s.invokes == nil {
			s.invokes = map[string]InvokeAnswer{}
		}
		s.invokes[token] = answer
		return nil
	}
}

// Project sets the project name (default "test").
func Project(name string) Option {
	return func(s *settings) error { s.project = name; return nil }
}

// Stack sets the stack name (default "test").
func Stack(name string) Option {
	return func(s *settings) error { s.stack = name; return nil }
}

// Config sets one configuration value. A key without a namespace belongs to
// the project. Values other than strings are passed as JSON, like the Pulumi
// CLI passes structured configuration.
func Config(key string, value any) Option {
	return func(s *settings) error {
		v, err := configString(value)
		if err != nil {
			return fmt.Errorf("config %s: %w", key, err)
		}
		s.config[s.fullKey(key)] = v
		return nil
	}
}

// Secret sets one configuration value and marks it secret.
func Secret(key string, value any) Option {
	return func(s *settings) error {
		if err := Config(key, value)(s); err != nil {
			return err
		}
		s.secrets[s.fullKey(key)] = true
		return nil
	}
}

// StackConfig loads the project name and config defaults from dir's
// Pulumi.yaml and the values of dir's Pulumi.<stack>.yaml, as the Pulumi CLI
// would (see ReadStackConfig). Options after it override what it loads.
func StackConfig(dir, stack string) Option {
	return func(s *settings) error {
		sc, err := ReadStackConfig(dir, stack)
		if err != nil {
			return err
		}
		s.project, s.stack = sc.Project, stack
		for k, v := range sc.Values {
			s.config[k] = v
		}
		for k := range sc.Secrets {
			s.secrets[k] = true
		}
		return nil
	}
}

// StackValues is a stack's configuration as the Pulumi CLI hands it to a
// program: full keys ("project:key") to string values, lists and objects as
// JSON.
type StackValues struct {
	Project string
	Values  map[string]string
	Secrets map[string]bool
}

// ReadStackConfig merges the defaults of dir's Pulumi.yaml with the values
// of dir's Pulumi.<stack>.yaml. Secrets are never known offline: an
// encrypted stack value, and a key Pulumi.yaml declares secret that the
// stack file leaves to `pulumi config set --secret`, both become the
// placeholder "offline-secret-<key>", marked secret.
func ReadStackConfig(dir, stack string) (*StackValues, error) {
	proj, err := readProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	s := &settings{project: proj.Name, stack: stack, config: map[string]string{}, secrets: map[string]bool{}}
	for key, decl := range proj.Config {
		if decl.Default == nil {
			continue
		}
		if err := Config(key, decl.Default)(s); err != nil {
			return nil, err
		}
	}
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading stack config: %w", err)
	}
	if err := yaml.Unmarshal(b, &file); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	for key, v := range file.Config {
		if m, ok := v.(map[string]any); ok && len(m) == 1 && m["secure"] != nil {
			if err := Secret(key, "offline-secret-"+key)(s); err != nil {
				return nil, err
			}
			continue
		}
		if err := Config(key, v)(s); err != nil {
			return nil, err
		}
	}
	for key, decl := range proj.Config {
		if _, set := s.config[s.fullKey(key)]; decl.Secret && !set {
			if err := Secret(key, "offline-secret-"+s.fullKey(key))(s); err != nil {
				return nil, err
			}
		}
	}
	return &StackValues{Project: proj.Name, Values: s.config, Secrets: s.secrets}, nil
}

// ProjectFile is the part of Pulumi.yaml the harness reads.
type ProjectFile struct {
	Name        string                `yaml:"name"`
	Description string                `yaml:"description"`
	Runtime     any                   `yaml:"runtime"`
	Config      map[string]ConfigDecl `yaml:"config"`
}

// ConfigDecl is one key of Pulumi.yaml's typed config block.
type ConfigDecl struct {
	Type        string `yaml:"type"`
	Description string `yaml:"description"`
	Default     any    `yaml:"default"`
	Secret      bool   `yaml:"secret"`
	Items       *struct {
		Type string `yaml:"type"`
	} `yaml:"items"`
}

func readProject(path string) (*ProjectFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading project file: %w", err)
	}
	var p ProjectFile
	if err := yaml.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	if p.Name == "" {
		return nil, fmt.Errorf("%s: no project name", path)
	}
	return &p, nil
}

// ReadProject parses a Pulumi.yaml.
func ReadProject(path string) (*ProjectFile, error) { return readProject(path) }

func (s *settings) fullKey(key string) string {
	if strings.Contains(key, ":") {
		return key
	}
	return s.project + ":" + key
}

func configString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	}
	b, err := jsonMarshal(v)
	return string(b), err
}

// Run runs program under mocks and returns what it registered. A program
// error, or an error from any resource registration, fails the run.
func Run(program pulumi.RunFunc, opts ...Option) (*Recording, error) {
	s := &settings{project: "test", stack: "test", config: map[string]string{}, secrets: map[string]bool{}}
	// Options apply in order: Project or StackConfig come before Config
	// options with keys that have no namespace.
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	cfg := map[string]string{}
	for k, v := range s.config {
		cfg[k] = v
	}
	s.region = cfg["aws:region"]
	if s.region == "" {
		s.region = "us-east-1"
		cfg["aws:region"] = s.region
	}
	var secretKeys []string
	for k := range s.secrets {
		secretKeys = append(secretKeys, k)
	}
	sort.Strings(secretKeys)

	mocks := newMocks(s.project, s.stack, s.region)
	mocks.invokes = s.invokes
	rec := &Recording{Project: s.project, Stack: s.stack, Outputs: map[string]any{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		rec.Context = ctx
		if err := program(ctx); err != nil {
			return err
		}
		return awaitExports(ctx, rec.Outputs)
	}, pulumi.WithMocks(s.project, s.stack, mocks), func(info *pulumi.RunInfo) {
		info.Config = cfg
		info.ConfigSecretKeys = secretKeys
	})
	if err != nil {
		return nil, err
	}
	rec.Resources = mocks.Resources()
	return rec, nil
}

func awaitExports(ctx *pulumi.Context, into map[string]any) error {
	for name, in := range ctx.GetCurrentExportMap() {
		res, err := internals.UnsafeAwaitOutput(context.Background(), pulumi.ToOutput(in))
		if err != nil {
			return fmt.Errorf("stack output %s: %w", name, err)
		}
		switch {
		case res.Secret:
			into[name] = secretMarker
		case !res.Known:
			into[name] = "[unknown]"
		default:
			v, err := toPlain(res.Value)
			if err != nil {
				return fmt.Errorf("stack output %s: %w", name, err)
			}
			into[name] = v
		}
	}
	return nil
}

// Get returns the resource with the given type and name.
func (r *Recording) Get(typ, name string) (Resource, bool) {
	for _, res := range r.Resources {
		if res.Type == typ && res.Name == name {
			return res, true
		}
	}
	return Resource{}, false
}

// Must returns the resource with the given type and name, failing the test
// if there is none.
func (r *Recording) Must(tb testing.TB, typ, name string) Resource {
	tb.Helper()
	res, ok := r.Get(typ, name)
	if !ok {
		var names []string
		for _, x := range r.OfType(typ) {
			names = append(names, x.Name)
		}
		tb.Fatalf("no %s named %q; resources of that type: %v", typ, name, names)
	}
	return res
}

// OfType returns the resources of one type, in URN order.
func (r *Recording) OfType(typ string) []Resource {
	return r.where(func(res Resource) bool { return res.Type == typ })
}

// Children returns the resources whose parent is urn.
func (r *Recording) Children(urn string) []Resource {
	return r.where(func(res Resource) bool { return res.Parent == urn })
}

// where returns the resources that keep accepts, in URN order.
func (r *Recording) where(keep func(Resource) bool) []Resource {
	var out []Resource
	for _, res := range r.Resources {
		if keep(res) {
			out = append(out, res)
		}
	}
	return out
}

// ByURN returns the resource with the given URN.
func (r *Recording) ByURN(urn string) (Resource, bool) {
	i := sort.Search(len(r.Resources), func(i int) bool { return r.Resources[i].URN >= urn })
	if i < len(r.Resources) && r.Resources[i].URN == urn {
		return r.Resources[i], true
	}
	return Resource{}, false
}
