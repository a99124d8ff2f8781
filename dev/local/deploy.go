package local

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/gopherstack/serverless-arch/components/fnbuild"
	"github.com/gopherstack/serverless-arch/dev/emulator"
)

// builds are what Start compiles before anything runs, so a compile error
// leaves nothing behind: the runtime interface emulator, s3local and each
// function's bootstrap for this machine.
type builds struct {
	rie, s3local string
	bootstraps   map[string]string // package -> binary
}

func (e *Env) build(opts Options) (*builds, error) {
	e.log.Info("building the functions for this machine and the emulators")
	b := &builds{bootstraps: map[string]string{}}
	var err error
	if b.rie, err = RIE(opts.Root); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "serverless-arch-local-")
	if err != nil {
		return nil, err
	}
	e.stops = append(e.stops, func() error { return os.RemoveAll(tmp) })
	if b.s3local, err = emulator.BuildS3Local(opts.Root, tmp); err != nil {
		return nil, err
	}
	for _, f := range e.Deployment.Functions {
		if b.bootstraps[f.Package] == "" {
			if b.bootstraps[f.Package], err = fnbuild.Host(f.Package); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

// startEmulators starts DynamoDB, SES and S3 with the deployment's tables,
// templates and buckets.
func (e *Env) startEmulators(ctx context.Context, opts Options, b *builds) error {
	e.log.Info("starting the emulators")
	var err error
	if e.DynamoDB, err = emulator.StartDynalite(opts.Root, opts.port(5), opts.Logs); err != nil {
		return err
	}
	e.stops = append(e.stops, e.DynamoDB.Stop)
	if e.SES, err = emulator.StartSES(opts.Root, opts.port(4), opts.Logs); err != nil {
		return err
	}
	e.stops = append(e.stops, e.SES.Stop)
	if err := e.createTables(ctx); err != nil {
		return err
	}
	if err := e.createTemplates(ctx); err != nil {
		return err
	}
	// S3 starts on a port it picks itself and learns the functions'
	// addresses once they run (PutNotifications).
	args := []string{"-region", e.Settings.Region}
	for _, bucket := range e.Deployment.Buckets {
		args = append(args, "-bucket", bucket)
	}
	if e.S3, err = emulator.StartS3Local(b.s3local, opts.port(3), args, opts.Logs); err != nil {
		return err
	}
	e.stops = append(e.stops, e.S3.Stop)
	return nil
}

// createTables creates the deployment's tables. dynalite accepts no stream
// settings, so a table with a stream is created without (local mode feeds
// streams itself, see StreamFeeder).
func (e *Env) createTables(ctx context.Context) error {
	db := e.DynamoDBClient()
	for _, t := range e.Deployment.Tables {
		in := *t
		if _, err := db.CreateTable(ctx, &in); err != nil {
			in.StreamSpecification = nil
			if _, err2 := db.CreateTable(ctx, &in); err2 != nil {
				return fmt.Errorf("creating table %s: %w", aws.ToString(t.TableName), err)
			}
		}
	}
	return nil
}

// createTemplates stores the deployment's SES templates.
func (e *Env) createTemplates(ctx context.Context) error {
	ses := sesv2.NewFromConfig(e.awsConfig(e.SES.Endpoint))
	for _, t := range e.Deployment.Templates {
		if _, err := ses.CreateEmailTemplate(ctx, &sesv2.CreateEmailTemplateInput{
			TemplateName:    aws.String(t.Name),
			TemplateContent: &sestypes.EmailTemplateContent{Subject: aws.String(t.Subject), Text: aws.String(t.Text), Html: aws.String(t.HTML)},
		}); err != nil {
			return fmt.Errorf("creating template %s: %w", t.Name, err)
		}
	}
	return nil
}

// startFunctions runs each function of the deployment with its recorded
// environment, what Lambda sets, and the emulators' endpoints; each signs
// with its own access key, so a recorder can tell whose call it sees.
func (e *Env) startFunctions(opts Options, b *builds) error {
	e.log.Info("starting the functions under the Lambda runtime interface emulator")
	endpoints, callers, err := e.functionEndpoints(opts.Recorder)
	if err != nil {
		return err
	}
	e.Functions = map[string]*Function{}
	for _, spec := range e.Deployment.Functions {
		env := map[string]string{
			"AWS_REGION": e.Settings.Region, "AWS_DEFAULT_REGION": e.Settings.Region,
			"AWS_ACCESS_KEY_ID": "AKIDLOCAL" + strings.ToUpper(strings.ReplaceAll(spec.Name, "-", "")), "AWS_SECRET_ACCESS_KEY": "local-secret",
			"AWS_SESSION_TOKEN": "local-session", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
			"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_DYNAMODB": endpoints["dynamodb"],
			"AWS_ENDPOINT_URL_SESV2": endpoints["sesv2"], "AWS_ENDPOINT_URL_S3": endpoints["s3"],
		}
		for k, v := range spec.Env {
			env[k] = v
		}
		callers.set(env["AWS_ACCESS_KEY_ID"], caller{pkg: spec.Package, env: spec.Env, eventBuckets: e.Deployment.eventBuckets(spec.Name)})
		run := spec
		run.Env = env
		f, err := RunBootstrap(run, b.bootstraps[spec.Package], b.rie, opts.Logs)
		if err != nil {
			return err
		}
		e.stops = append(e.stops, f.Stop)
		e.Functions[spec.Name] = f
	}
	e.Todo, e.Blog = e.functionOf(TodoPackage), e.functionOf(BlogPackage)
	e.Mailer, e.Thumbnail = e.functionOf(MailerPackage), e.functionOf(ThumbnailPackage)
	return nil
}

// functionOf is the running function built from pkg, nil for none.
func (e *Env) functionOf(pkg string) *Function {
	if names := e.Deployment.FunctionsOf(pkg); len(names) > 0 {
		return e.Functions[names[0]]
	}
	return nil
}

// eventBuckets are the buckets whose notifications invoke the function.
func (d *Deployment) eventBuckets(function string) []string {
	var out []string
	for _, n := range d.Notifications {
		if n.Function == function {
			out = append(out, n.Bucket)
		}
	}
	return out
}

// functionEndpoints returns the endpoints the functions call: the
// emulators', or with a recorder its recording proxies in front of them.
// callers is filled in as the functions start.
func (e *Env) functionEndpoints(rec *CallRecorder) (map[string]string, *callerSet, error) {
	endpoints := map[string]string{"dynamodb": e.DynamoDB.Endpoint, "sesv2": e.SES.Endpoint, "s3": e.S3.Endpoint}
	callers := &callerSet{m: map[string]caller{}}
	if rec == nil {
		return endpoints, callers, nil
	}
	for _, service := range []string{"dynamodb", "sesv2", "s3"} {
		url, stop, err := rec.startRecordingProxy(service, endpoints[service], callers.get)
		if err != nil {
			return nil, nil, fmt.Errorf("starting the %s recording proxy: %w", service, err)
		}
		endpoints[service] = url
		e.stops = append(e.stops, stop)
	}
	return endpoints, callers, nil
}

// wireEvents delivers the deployment's events: S3 notifications to their
// functions, and each table's stream to its mapping's function.
func (e *Env) wireEvents(ctx context.Context) error {
	var ns []Notification
	for _, n := range e.Deployment.Notifications {
		var suffixes []string
		if n.Suffix != "" {
			suffixes = []string{n.Suffix}
		}
		ns = append(ns, Notification{Bucket: n.Bucket, Prefix: n.Prefix, Suffixes: suffixes, Events: n.Events, Function: e.Functions[n.Function].URL})
	}
	if len(ns) > 0 {
		if err := PutNotifications(ctx, e.S3.Endpoint, ns...); err != nil {
			return err
		}
	}
	for _, m := range e.Deployment.Mappings {
		feeder := &StreamFeeder{
			DB: dynamodb.NewFromConfig(e.awsConfig(e.DynamoDB.Endpoint)), Table: m.Table, Function: e.Functions[m.Function],
			Filter: m.Filter, BatchSize: m.BatchSize, MaximumRetryAttempts: m.MaxRetries, Region: e.Settings.Region, Log: e.log,
		}
		if err := feeder.Start(ctx); err != nil {
			return err
		}
		e.stops = append(e.stops, func() error { feeder.Stop(); return nil })
		e.Feeders = append(e.Feeders, feeder)
	}
	if len(e.Feeders) > 0 {
		e.Feeder = e.Feeders[0]
	}
	return nil
}
