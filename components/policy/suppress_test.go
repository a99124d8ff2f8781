package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// recorder is a minimal mock monitor that records top-level resources the way
// components/stacktest does, so this package's tests need not wait for it. A bucket's
// id is its "bucket" input when set, else its name.
type recorder struct {
	mu        sync.Mutex
	resources []recording.Resource
}

func (m *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if args.Custom && !strings.HasPrefix(args.TypeToken, "pulumi:providers:") {
		m.resources = append(m.resources, recording.Resource{
			URN: "urn:pulumi:dev::proj::" + args.TypeToken + "::" + args.Name, Type: args.TypeToken, Name: args.Name,
			Inputs: args.Inputs.Mappable(),
		})
	}
	id := args.Name
	if b, ok := args.Inputs["bucket"]; ok && b.IsString() {
		id = b.StringValue()
	}
	return id, args.Inputs, nil
}

func (m *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

// run runs program under mocks and returns its context and recording.
func run(t *testing.T, program pulumi.RunFunc) (*pulumi.Context, []recording.Resource) {
	t.Helper()
	mocks := &recorder{}
	var ctx *pulumi.Context
	err := pulumi.RunErr(func(c *pulumi.Context) error {
		ctx = c
		return program(c)
	}, pulumi.WithMocks("proj", "dev", mocks))
	if err != nil {
		t.Fatalf("running program: %v", err)
	}
	return ctx, mocks.resources
}

func TestSuppressRecordsResolvedURNs(t *testing.T) {
	ctx, _ := run(t, func(ctx *pulumi.Context) error {
		site, err := s3.NewBucketV2(ctx, "site", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		logs, err := s3.NewBucketV2(ctx, "logs", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		Suppress(ctx, site, "served through CloudFront, which logs every request", "S3-ACCESS-LOGS", "S3-VERSIONING", "S3-ACCESS-LOGS")
		Suppress(ctx, logs, "a log bucket cannot log to itself", "S3-ACCESS-LOGS")
		return nil
	})
	want := []Suppression{
		{URN: "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::logs", Rules: []string{"S3-ACCESS-LOGS"}, Reason: "a log bucket cannot log to itself"},
		{URN: "urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::site", Rules: []string{"S3-ACCESS-LOGS", "S3-VERSIONING"},
			Reason: "served through CloudFront, which logs every request"},
	}
	if got := Suppressions(ctx); !reflect.DeepEqual(got, want) {
		t.Errorf("Suppressions() =\n%+v\nwant\n%+v", got, want)
	}
}

func TestSuppressionsArePerRun(t *testing.T) {
	program := func(reason string) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			b, err := s3.NewBucketV2(ctx, "site", &s3.BucketV2Args{})
			if err == nil && reason != "" {
				Suppress(ctx, b, reason, "S3-ACCESS-LOGS")
			}
			return err
		}
	}
	first, _ := run(t, program("first run"))
	second, _ := run(t, program("second run"))
	none, _ := run(t, program(""))
	if got := Suppressions(first); len(got) != 1 || got[0].Reason != "first run" {
		t.Errorf("first run's suppressions = %+v", got)
	}
	if got := Suppressions(second); len(got) != 1 || got[0].Reason != "second run" {
		t.Errorf("second run's suppressions = %+v", got)
	}
	if got := Suppressions(none); got != nil {
		t.Errorf("a run without suppressions returned %+v", got)
	}
}

func TestRegistryForgetsFinishedRuns(t *testing.T) {
	key := func() weak.Pointer[pulumi.Context] {
		ctx, _ := run(t, func(ctx *pulumi.Context) error {
			b, err := s3.NewBucketV2(ctx, "site", &s3.BucketV2Args{})
			if err == nil {
				Suppress(ctx, b, "served through CloudFront", "S3-ACCESS-LOGS")
			}
			return err
		})
		return weak.Make(ctx)
	}()
	for range 100 {
		runtime.GC()
		registry.Lock()
		_, held := registry.runs[key]
		registry.Unlock()
		if !held {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the registry still holds the suppressions of a run whose context is gone")
}

func TestSuppressRequiresReasonAndRules(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		rules  []string
		want   string
	}{
		{"empty reason", "", []string{"S3-ACCESS-LOGS"}, "must carry a reason"},
		{"blank reason", "  ", []string{"S3-ACCESS-LOGS"}, "must carry a reason"},
		{"no rules", "because", nil, "name the rules"},
		{"empty rule", "because", []string{""}, "empty rule ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, tc.want) {
					t.Errorf("panic %q, want one containing %q", msg, tc.want)
				}
			}()
			Suppress(nil, nil, tc.reason, tc.rules...)
		})
	}
}

// TestSuppressUnderMocks runs a program, records it and checks it with the
// suppressions it declared: the round trip a stack test makes.
func TestSuppressUnderMocks(t *testing.T) {
	ctx, recorded := run(t, func(ctx *pulumi.Context) error {
		assets, err := s3.NewBucketV2(ctx, "assets", &s3.BucketV2Args{Bucket: pulumi.String("assets-a1b2")})
		if err != nil {
			return err
		}
		_, err = s3.NewBucketPublicAccessBlock(ctx, "assets-pab", &s3.BucketPublicAccessBlockArgs{
			Bucket:                assets.ID(),
			BlockPublicAcls:       pulumi.Bool(true),
			IgnorePublicAcls:      pulumi.Bool(true),
			BlockPublicPolicy:     pulumi.Bool(false),
			RestrictPublicBuckets: pulumi.Bool(false),
		})
		if err != nil {
			return err
		}
		Suppress(ctx, assets, "public downloads bucket: its policy grants s3:GetObject to everyone", "S3-PUBLIC-ACCESS-BLOCK")
		return nil
	})
	rules := WithRules(ruleByID(t, "S3-PUBLIC-ACCESS-BLOCK"), ruleByID(t, "S3-VERSIONING"))
	rep := Check(recorded, Suppressions(ctx), rules)

	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Name+" "+f.Rule+" suppressed="+map[bool]string{true: "yes", false: "no"}[f.Suppressed])
	}
	want := []string{"assets S3-PUBLIC-ACCESS-BLOCK suppressed=yes", "assets S3-VERSIONING suppressed=no"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("findings = %q, want %q\n%s", got, want, rep)
	}
	if !strings.Contains(rep.Suppressed()[0].Message, "leaves blockPublicPolicy, restrictPublicBuckets off") {
		t.Errorf("the public access block was not linked to the bucket by its id:\n%s", rep)
	}
}

func TestSaveAndLoadSuppressions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "suppressions.json")
	sups := []Suppression{
		{URN: "urn:b", Rules: []string{"S3-ACCESS-LOGS"}, Reason: "log bucket <logs>"},
		{URN: "urn:a", Rules: []string{"APIGW-AUTHORIZER"}, Reason: "public health check"},
	}
	if err := SaveSuppressions(path, sups); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[
  {
    "urn": "urn:a",
    "rules": [
      "APIGW-AUTHORIZER"
    ],
    "reason": "public health check"
  },
  {
    "urn": "urn:b",
    "rules": [
      "S3-ACCESS-LOGS"
    ],
    "reason": "log bucket <logs>"
  }
]
`
	if string(b) != want {
		t.Errorf("saved\n%s\nwant\n%s", b, want)
	}
	got, err := LoadSuppressions(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []Suppression{sups[1], sups[0]}) {
		t.Errorf("loaded %+v", got)
	}
}

func TestLoadSuppressionsRejectsIncompleteEntries(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"no reason": `[{"urn":"urn:a","rules":["S3-ACCESS-LOGS"],"reason":""}]`,
		"no rules":  `[{"urn":"urn:a","rules":[],"reason":"why"}]`,
		"no urn":    `[{"rules":["S3-ACCESS-LOGS"],"reason":"why"}]`,
		"not JSON":  `{`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadSuppressions(path); err == nil {
			t.Errorf("%s: LoadSuppressions succeeded", name)
		}
	}
	if _, err := LoadSuppressions(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("LoadSuppressions of a missing file succeeded")
	}
}

func TestLoadSnapshot(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const one = `{"urn":"urn:pulumi:dev::p::aws:sqs/queue:Queue::jobs","type":"aws:sqs/queue:Queue","name":"jobs","parent":"","inputs":{"sqsManagedSseEnabled":true}}`
	for name, path := range map[string]string{
		"array":   write("array.json", "["+one+"]"),
		"wrapped": write("wrapped.json", `{"resources":[`+one+`]}`),
	} {
		got, err := LoadSnapshot(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != 1 || got[0].Name != "jobs" || got[0].Inputs["sqsManagedSseEnabled"] != true {
			t.Errorf("%s: loaded %+v", name, got)
		}
	}
	for _, path := range []string{write("object.json", `{"urn":"x"}`), write("broken.json", "["), filepath.Join(dir, "missing.json")} {
		if _, err := LoadSnapshot(path); err == nil {
			t.Errorf("LoadSnapshot(%s) succeeded", filepath.Base(path))
		}
	}
}
