// Command coldstart prints the cold-start table of the project's Lambda
// functions, each next to a hello-world aws-lambda-go function
// (components/fnbuild/testdata/hello) built and measured the same way in the
// same run:
//
//	go run ./cmd/coldstart            # 7 cold starts per function
//	go run ./cmd/coldstart -runs 15
//
// For each function it reports
//
//   - the zip size as deployed: built by components/fnbuild for arm64 (the
//     stacks' default lambdaArchitecture), and its ratio to hello's;
//   - the first-invoke latency under the Lambda runtime interface emulator:
//     the same source built for this machine with the same flags, a fresh
//     emulator per run, timed from sending the first invocation to its
//     answer, so it includes starting the process, the Go runtime, the
//     function's init (configuration, SDK clients) and the handler. The
//     median of the runs is shown, with its ratio to hello's median.
//
// The first invocation takes the function's cheapest path, so that no
// emulator's speed is measured: an API event for an unknown route (404),
// an empty stream batch, S3's s3:TestEvent. Runs alternate between the
// functions, so that a busy moment of the machine hits all of them alike.
// Latencies depend on the machine; the ratios are the figures to compare.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gopherstack/serverless-arch/components/fnbuild"
	"github.com/gopherstack/serverless-arch/dev/emulator"
	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/functions/blogapi/blog"
	mailsettings "github.com/gopherstack/serverless-arch/functions/mailer/settings"
	thumbsettings "github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
	"github.com/gopherstack/serverless-arch/functions/todo/todos"
)

// target is one function to measure.
type target struct {
	name, pkg string
	env       map[string]string
	event     any
	// ok checks the first answer, so a function that failed to start is
	// never reported as fast.
	ok func(answer []byte) error
}

// apiEvent is an API Gateway proxy event for a route of the function that
// answers without an AWS call: a client mistake (no identity, or a body
// that is not a sign-up).
func apiEvent(method, resource, body string) events.APIGatewayProxyRequest {
	return events.APIGatewayProxyRequest{
		Resource: resource, Path: resource, HTTPMethod: method, Body: body,
		Headers:        map[string]string{"Content-Type": "application/json"},
		RequestContext: events.APIGatewayProxyRequestContext{Stage: "v1", RequestID: "coldstart"},
	}
}

func status(want int) func([]byte) error {
	return func(b []byte) error {
		var r events.APIGatewayProxyResponse
		if err := json.Unmarshal(b, &r); err != nil || r.StatusCode != want {
			return fmt.Errorf("answer %s, want status %d", b, want)
		}
		return nil
	}
}

func equals(want string) func([]byte) error {
	return func(b []byte) error {
		if strings.TrimSpace(string(b)) != want {
			return fmt.Errorf("answer %s, want %s", b, want)
		}
		return nil
	}
}

var targets = []target{
	{name: "hello (baseline)", pkg: "./components/fnbuild/testdata/hello", event: map[string]any{}, ok: equals(`{"hello":"world"}`)},
	{name: "todo", pkg: local.TodoPackage, env: map[string]string{todos.EnvTableName: "coldstart"}, event: apiEvent("GET", "/todos", ""), ok: status(401)},
	{name: "blogapi", pkg: local.BlogPackage, env: map[string]string{blog.EnvTableName: "coldstart"}, event: apiEvent("POST", "/users", "{}"), ok: status(400)},
	{name: "mailer", pkg: local.MailerPackage, env: mailsettings.Env{
		Sender: "welcome@example.com", TemplateName: "welcome", ConfigurationSet: "mail",
		IdempotencyTable: "ledger", UsersTable: "users", FailureQueueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/failures",
		UserIDAttribute: "pk", EmailAttribute: "email", NameAttribute: "name",
	}.Variables(), event: events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{}}, ok: equals(`{"batchItemFailures":[]}`)},
	{name: "thumbnail", pkg: local.ThumbnailPackage, env: thumbsettings.Env{
		Bucket: "thumbnails", Prefix: "thumbnails/", SkipPrefix: "thumbnail-skips/", UploadPrefix: "uploads/",
		Sizes: []int{1024, 512, 128}, Format: thumbsettings.DefaultFormat, Quality: thumbsettings.DefaultQuality,
		MaxSourceBytes: thumbsettings.DefaultMaxSourceBytes, MaxPixels: thumbsettings.DefaultMaxPixels,
	}.Variables(), event: map[string]string{"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "uploads"}, ok: equals("null")},
}

// awsEnv points the SDK nowhere: the measured paths make no AWS call.
var awsEnv = map[string]string{
	"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDCOLDSTART", "AWS_SECRET_ACCESS_KEY": "secret",
	"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
	"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

type result struct {
	zipBytes  int64
	latencies []time.Duration
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("coldstart", flag.ContinueOnError)
	runs := fs.Int("runs", 7, "cold starts per function")
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	root, err := emulator.ModuleRoot()
	if err != nil {
		return err
	}
	// Packages are resolved from the module root, like the stack does.
	if err := os.Chdir(root); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintln(stderr, "building (arm64 zips as deployed, and host binaries)…")
	rie, err := local.RIE(root)
	if err != nil {
		return err
	}
	results := make([]result, len(targets))
	bins := make([]string, len(targets))
	for i, t := range targets {
		art, err := fnbuild.Build(t.pkg, fnbuild.ARM64, filepath.Join(tmp, fmt.Sprintf("%d.zip", i)))
		if err != nil {
			return err
		}
		results[i].zipBytes = art.Size
		bins[i] = filepath.Join(tmp, fmt.Sprint(i), "bootstrap")
		if err := fnbuild.BuildHost(t.pkg, bins[i]); err != nil {
			return err
		}
	}

	fmt.Fprintf(stderr, "measuring %d cold starts per function…\n", *runs)
	for range *runs {
		for i, t := range targets {
			d, err := coldStart(t, bins[i], rie)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			results[i].latencies = append(results[i].latencies, d)
		}
	}
	printTable(stdout, results, *runs)
	return nil
}

// coldStart starts a fresh emulator for the function and times its first
// invocation.
func coldStart(t target, bin, rie string) (time.Duration, error) {
	env := map[string]string{}
	for k, v := range awsEnv {
		env[k] = v
	}
	for k, v := range t.env {
		env[k] = v
	}
	f, err := local.RunBootstrap(local.FunctionSpec{Name: "coldstart", Package: t.pkg, Env: env, Timeout: 30 * time.Second}, bin, rie, nil)
	if err != nil {
		return 0, err
	}
	defer f.Stop()
	payload, err := json.Marshal(t.event)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	answer, err := f.Invoke(context.Background(), payload)
	elapsed := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("first invocation: %w; output:\n%s", err, f.Output())
	}
	if err := t.ok(answer); err != nil {
		return 0, fmt.Errorf("first invocation: %w", err)
	}
	return elapsed, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// printTable prints a Markdown table, padded so it also reads as text.
func printTable(w io.Writer, results []result, runs int) {
	base := results[0]
	baseMedian := median(base.latencies)
	rows := [][]string{{"Function", "zip (arm64)", "× hello", fmt.Sprintf("first invoke, median of %d", runs), "× hello", "min–max"}}
	for i, t := range targets {
		r := results[i]
		m := median(r.latencies)
		rows = append(rows, []string{
			t.name,
			fmt.Sprintf("%.2f MB", float64(r.zipBytes)/1e6),
			fmt.Sprintf("%.2f", float64(r.zipBytes)/float64(base.zipBytes)),
			fmt.Sprintf("%.1f ms", ms(m)),
			fmt.Sprintf("%.2f", float64(m)/float64(baseMedian)),
			fmt.Sprintf("%.1f–%.1f ms", ms(slices.Min(r.latencies)), ms(slices.Max(r.latencies))),
		})
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for c, cell := range row {
			widths[c] = max(widths[c], utf8.RuneCountInString(cell))
		}
	}
	line := func(cells []string) {
		for c, cell := range cells {
			fmt.Fprintf(w, "| %s%s ", cell, strings.Repeat(" ", widths[c]-utf8.RuneCountInString(cell)))
		}
		fmt.Fprintln(w, "|")
	}
	line(rows[0])
	rule := make([]string, len(widths))
	for c, n := range widths {
		rule[c] = strings.Repeat("-", n)
	}
	line(rule)
	for _, row := range rows[1:] {
		line(row)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
