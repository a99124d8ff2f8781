package local

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/recording"
	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
)

// Deployment is what local mode deploys onto the emulators: the resources
// of a recorded stack, read as AWS would read them. Nothing here is local
// mode's own idea of the wiring.
type Deployment struct {
	Functions     []FunctionSpec
	Tables        []*dynamodb.CreateTableInput
	Buckets       []string
	Notifications []DeployedNotification
	Mappings      []DeployedMapping
	Templates     []DeployedTemplate
	APIs          []DeployedAPI
	Site          DeployedSite
}

// DeployedNotification is one rule of a bucket's notification: events of
// keys with Prefix and Suffix go to Function (a recorded function name).
type DeployedNotification struct {
	Bucket, Prefix, Suffix, Function string
	Events                           []string
}

// DeployedMapping is a stream event source mapping.
type DeployedMapping struct {
	Table, Function, Filter string
	BatchSize, MaxRetries   int
}

// DeployedTemplate is an SES template.
type DeployedTemplate struct{ Name, Subject, Text, HTML string }

// DeployedAPI is a REST API stage with its routes.
type DeployedAPI struct {
	// Name is the ServerlessAPI component's name ("todo-api"), ID the REST
	// API's ID.
	Name, ID, Stage string
	Routes          []DeployedRoute
	CORSOrigins     []string
}

// DeployedRoute is a route served by a recorded function.
type DeployedRoute struct {
	Method, Path, Function string
	Auth                   Auth
	Model                  string
	Required               []string
}

// DeployedSite is how the distribution routes paths: to an API (with a
// prefix stripped) or to a bucket (the path is the key).
type DeployedSite struct {
	// APIPath is the behaviour's pattern ("/api/*"), StripPrefix what its
	// function removes, API the REST API's ID.
	APIPath, StripPrefix, API string
	// BucketPaths maps a behaviour's pattern to the bucket it reads.
	BucketPaths map[string]string
	// ContentSecurityPolicy is the site's Content-Security-Policy header.
	ContentSecurityPolicy string
}

// FromRecording reads the deployment of a recorded stack.
func FromRecording(rec []recording.Resource) (*Deployment, error) {
	s := stackIndex{recorded.New(rec)}
	d := &Deployment{}
	for _, step := range []func(stackIndex, *Deployment) error{
		readFunctions, readTables, readBuckets, readMappings, readTemplates, readAPIs, readSite,
	} {
		if err := step(s, d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// stackIndex is the recorded resources of a stack.
type stackIndex struct{ recorded.Stack }

func (s stackIndex) ofType(typ string) []recording.Resource { return s.OfType(typ) }

func intOf(m map[string]any, k string, def int) int {
	if v, ok := m[k].(float64); ok {
		return int(v)
	}
	return def
}

func mapOf(m map[string]any, k string) map[string]any { v, _ := m[k].(map[string]any); return v }

// readFunctions takes each function built from a Go package (tagged so by
// blocks.NewFunction) with its recorded environment, timeout and memory.
func readFunctions(s stackIndex, d *Deployment) error {
	for _, f := range s.ofType("aws:lambda/function:Function") {
		pkg := recorded.Str(mapOf(f.Inputs, "tags"), blocks.PackageTag)
		if pkg == "" {
			return fmt.Errorf("function %s has no %s tag: local mode runs only functions built from a Go package", f.Name, blocks.PackageTag)
		}
		env := map[string]string{}
		for k, v := range mapOf(mapOf(f.Inputs, "environment"), "variables") {
			env[k] = fmt.Sprint(v)
		}
		d.Functions = append(d.Functions, FunctionSpec{Name: recorded.Str(f.Outputs, "name"), Package: pkg, Env: env,
			Timeout:  time.Duration(intOf(f.Inputs, "timeout", 3)) * time.Second,
			MemoryMB: intOf(f.Inputs, "memorySize", 128)})
	}
	return nil
}

// readTables takes each table's name, keys, indexes and stream.
func readTables(s stackIndex, d *Deployment) error {
	for _, t := range s.ofType("aws:dynamodb/table:Table") {
		in := &dynamodb.CreateTableInput{TableName: aws.String(recorded.Str(t.Outputs, "name")), BillingMode: types.BillingModePayPerRequest}
		for _, a := range recorded.Maps(t.Inputs["attributes"]) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
				AttributeName: aws.String(recorded.Str(a, "name")), AttributeType: types.ScalarAttributeType(recorded.Str(a, "type"))})
		}
		in.KeySchema = keySchema(recorded.Str(t.Inputs, "hashKey"), recorded.Str(t.Inputs, "rangeKey"))
		for _, ix := range recorded.Maps(t.Inputs["globalSecondaryIndexes"]) {
			gsi := types.GlobalSecondaryIndex{IndexName: aws.String(recorded.Str(ix, "name")), KeySchema: keySchema(recorded.Str(ix, "hashKey"), recorded.Str(ix, "rangeKey")),
				Projection: &types.Projection{ProjectionType: types.ProjectionType(recorded.Str(ix, "projectionType"))}}
			if nk, ok := ix["nonKeyAttributes"].([]any); ok {
				for _, a := range nk {
					gsi.Projection.NonKeyAttributes = append(gsi.Projection.NonKeyAttributes, fmt.Sprint(a))
				}
			}
			in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gsi)
		}
		if t.Inputs["streamEnabled"] == true {
			in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewType(recorded.Str(t.Inputs, "streamViewType"))}
		}
		d.Tables = append(d.Tables, in)
	}
	return nil
}

func keySchema(hash, rng string) []types.KeySchemaElement {
	out := []types.KeySchemaElement{{AttributeName: aws.String(hash), KeyType: types.KeyTypeHash}}
	if rng != "" {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(rng), KeyType: types.KeyTypeRange})
	}
	return out
}

// functionByArn maps recorded function ARNs to their names.
func (s stackIndex) functionByArn() map[string]string {
	out := map[string]string{}
	for _, f := range s.ofType("aws:lambda/function:Function") {
		out[recorded.Str(f.Outputs, "arn")] = recorded.Str(f.Outputs, "name")
	}
	return out
}

// readBuckets takes the buckets and their notifications' Lambda rules.
func readBuckets(s stackIndex, d *Deployment) error {
	for _, b := range s.ofType("aws:s3/bucketV2:BucketV2") {
		d.Buckets = append(d.Buckets, recorded.Str(b.Outputs, "bucket"))
	}
	fns := s.functionByArn()
	for _, n := range s.ofType("aws:s3/bucketNotification:BucketNotification") {
		if len(recorded.Maps(n.Inputs["queues"]))+len(recorded.Maps(n.Inputs["topics"])) > 0 {
			return fmt.Errorf("notification %s delivers to queues or topics, which local mode does not emulate", n.Name)
		}
		for _, l := range recorded.Maps(n.Inputs["lambdaFunctions"]) {
			fn := fns[recorded.Str(l, "lambdaFunctionArn")]
			if fn == "" {
				return fmt.Errorf("notification %s invokes %v, which the stack does not hold", n.Name, l["lambdaFunctionArn"])
			}
			var events []string
			for _, e := range l["events"].([]any) {
				events = append(events, fmt.Sprint(e))
			}
			d.Notifications = append(d.Notifications, DeployedNotification{Bucket: recorded.Str(n.Inputs, "bucket"),
				Prefix: recorded.Str(l, "filterPrefix"), Suffix: recorded.Str(l, "filterSuffix"), Function: fn, Events: events})
		}
	}
	return nil
}

// readMappings takes the stream event source mappings.
func readMappings(s stackIndex, d *Deployment) error {
	fns := s.functionByArn()
	tables := map[string]string{}
	for _, t := range s.ofType("aws:dynamodb/table:Table") {
		tables[recorded.Str(t.Outputs, "streamArn")] = recorded.Str(t.Outputs, "name")
	}
	for _, m := range s.ofType("aws:lambda/eventSourceMapping:EventSourceMapping") {
		table, fn := tables[recorded.Str(m.Inputs, "eventSourceArn")], fns[recorded.Str(m.Inputs, "functionName")]
		if table == "" || fn == "" {
			return fmt.Errorf("event source mapping %s reads %v into %v, which local mode cannot run", m.Name, m.Inputs["eventSourceArn"], m.Inputs["functionName"])
		}
		var filter string
		for _, f := range recorded.Maps(mapOf(m.Inputs, "filterCriteria")["filters"]) {
			filter = recorded.Str(f, "pattern")
		}
		d.Mappings = append(d.Mappings, DeployedMapping{Table: table, Function: fn, Filter: filter,
			BatchSize: intOf(m.Inputs, "batchSize", 100), MaxRetries: intOf(m.Inputs, "maximumRetryAttempts", -1)})
	}
	return nil
}

// readTemplates takes the SES templates.
func readTemplates(s stackIndex, d *Deployment) error {
	for _, t := range s.ofType("aws:ses/template:Template") {
		d.Templates = append(d.Templates, DeployedTemplate{Name: recorded.Str(t.Inputs, "name"),
			Subject: recorded.Str(t.Inputs, "subject"), Text: recorded.Str(t.Inputs, "text"), HTML: recorded.Str(t.Inputs, "html")})
	}
	return nil
}

// prefixVar reads the prefix a staticsite strip function removes.
var prefixVar = regexp.MustCompile(`var PREFIX = "([^"]*)";`)

// readSite takes the site distribution's behaviours: which path goes to
// which API or bucket.
func readSite(s stackIndex, d *Deployment) error {
	strips := map[string]string{} // function ARN -> prefix
	for _, f := range s.ofType("aws:cloudfront/function:Function") {
		if m := prefixVar.FindStringSubmatch(recorded.Str(f.Inputs, "code")); m != nil {
			strips[recorded.Str(f.Outputs, "arn")] = m[1]
		}
	}
	d.Site.BucketPaths = map[string]string{}
	for _, dist := range s.ofType("aws:cloudfront/distribution:Distribution") {
		if !strings.HasSuffix(dist.Parent, "StaticSite::"+strings.TrimSuffix(dist.Name, "-distribution")) {
			continue
		}
		origins := map[string]map[string]any{}
		for _, o := range recorded.Maps(dist.Inputs["origins"]) {
			origins[recorded.Str(o, "originId")] = o
		}
		for _, b := range recorded.Maps(dist.Inputs["orderedCacheBehaviors"]) {
			o := origins[recorded.Str(b, "targetOriginId")]
			domain := recorded.Str(o, "domainName")
			switch {
			case strings.Contains(domain, ".execute-api."):
				d.Site.APIPath, d.Site.API = recorded.Str(b, "pathPattern"), domain[:strings.Index(domain, ".")]
				for _, fa := range recorded.Maps(b["functionAssociations"]) {
					d.Site.StripPrefix = strips[recorded.Str(fa, "functionArn")]
				}
			case strings.Contains(domain, ".s3.") && recorded.Str(b, "targetOriginId") != "site":
				d.Site.BucketPaths[recorded.Str(b, "pathPattern")] = domain[:strings.Index(domain, ".s3.")]
			}
		}
	}
	for _, p := range s.ofType("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy") {
		if csp := recorded.Str(mapOf(mapOf(p.Inputs, "securityHeadersConfig"), "contentSecurityPolicy"), "contentSecurityPolicy"); csp != "" {
			d.Site.ContentSecurityPolicy = csp
		}
	}
	return nil
}

// Function returns the spec of the function named name.
func (d *Deployment) Function(name string) (FunctionSpec, bool) {
	for _, f := range d.Functions {
		if f.Name == name {
			return f, true
		}
	}
	return FunctionSpec{}, false
}

// FunctionsOf returns the names of the functions built from pkg, sorted.
func (d *Deployment) FunctionsOf(pkg string) []string {
	var out []string
	for _, f := range d.Functions {
		if f.Package == pkg {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}
