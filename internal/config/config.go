// Package config reads and validates the stack configuration of the
// serverless-arch program before any resource is created.
//
// Every key is declared, typed and documented in Pulumi.yaml; Parse reads
// them into one typed Config and reports every bad value at once, each
// naming the key, the value and what is allowed.
package config

import (
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Architectures a stack can deploy, as named in the "deploy" key.
const (
	Todo    = "todo"
	Blog    = "blog"
	Updates = "updates"
)

// Regions are the AWS commercial regions a stack may use.
var Regions = []string{
	"af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
	"ap-southeast-4", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
	"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1", "me-central-1", "me-south-1", "sa-east-1", "us-east-1", "us-east-2",
	"us-west-1", "us-west-2",
}

// LogRetentionDays are the retention periods CloudWatch Logs accepts.
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// IDs of the VPCs and subnets the stack's resources are placed in (the DAX
// cluster, the demo origin): 8 or 17 hexadecimal digits after the prefix.
var (
	vpcIDPattern    = regexp.MustCompile(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetIDPattern = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// Config is a stack's validated configuration.
type Config struct {
	Project, Stack string
	// Region is the home region (aws:region).
	Region string
	// AWS is what the program's own providers share with the stack's
	// default provider.
	AWS AWSSettings
	// Deploy lists the architectures the stack deploys.
	Deploy []string
	// Protect marks stateful resources (tables, user-data buckets, user
	// pools) protected and retained, and turns on deletion protection.
	Protect bool
	// LogRetentionDays applies to every log group.
	LogRetentionDays int
	// LambdaArchitecture is "arm64" or "x86_64".
	LambdaArchitecture string

	Todo    TodoConfig
	Blog    BlogConfig
	Updates UpdatesConfig
}

// Deploys reports whether the stack deploys architecture a.
func (c *Config) Deploys(a string) bool { return slices.Contains(c.Deploy, a) }

// Load reads the configuration of the running stack.
func Load(ctx *pulumi.Context) (*Config, error) {
	c, _, err := parse(ctx.Project(), ctx.Stack(), ctx.GetConfig)
	return c, err
}

// Parse reads a configuration from get, as Load does for a running stack.
func Parse(project, stack string, get Source) (*Config, error) {
	c, _, err := parse(project, stack, get)
	return c, err
}

// KeysRead returns every key Parse reads for a configuration, so tests can
// check that Pulumi.yaml declares each one.
func KeysRead(project, stack string, get Source) []string {
	_, keys, _ := parse(project, stack, get)
	return keys
}

func parse(project, stack string, get Source) (*Config, []string, error) {
	r := &reader{project: project, get: get}
	c := &Config{Project: project, Stack: stack}
	c.Region = r.Region("aws:region", "")
	c.AWS = loadAWS(r)
	c.Deploy = r.Strings("deploy", []string{Todo, Blog, Updates})
	for _, a := range c.Deploy {
		if a != Todo && a != Blog && a != Updates {
			r.fail("deploy", a, `a list of "todo", "blog" and "updates"`)
		}
	}
	c.Protect = r.Bool("protect", false)
	c.LogRetentionDays = r.IntIn("logRetentionDays", 14, LogRetentionDays...)
	c.LambdaArchitecture = r.OneOf("lambdaArchitecture", "arm64", "arm64", "x86_64")
	if c.Deploys(Todo) {
		c.Todo.load(r, c)
	}
	if c.Deploys(Blog) {
		c.Blog.load(r, c)
	}
	if c.Deploys(Updates) {
		c.Updates.load(r, c)
	}
	return c, r.read, r.err()
}

// Name returns a physical-name prefix unique to the project and stack.
func (c *Config) Name(parts ...string) string {
	return strings.Join(append([]string{c.Project, c.Stack}, parts...), "-")
}
