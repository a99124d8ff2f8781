package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/dev/emulator"
)

// Options configure Start.
type Options struct {
	// Root is the module root; empty finds it from the working directory.
	Root string
	// Stack whose program is recorded and deployed (default "dev").
	Stack string
	// Port, if not 0, fixes the ports: the site on Port, the to-do API on
	// Port+1, the blog API on Port+2, S3 on Port+3, SES on Port+4 and
	// DynamoDB on Port+5. 0 picks free ports.
	Port int
	// Logs receives every process's output, each line prefixed with the
	// process's name; nil discards it (Output methods still have it).
	Logs io.Writer
	// Log receives local mode's own messages; nil means slog.Default().
	Log *slog.Logger
	// Recorder, if set, records every AWS call the functions make (see
	// CallRecorder), for the access proof.
	Recorder *CallRecorder
	// TodoCORSOrigins, if not nil, replace the stack's todoCorsOrigins,
	// e.g. to try a web client on http://localhost:5173.
	TodoCORSOrigins []string
	// Recording, if set, is deployed instead of a recording of Stack's
	// program (see Record); the stack still gives the region.
	Recording *stacktest.Recording
}

func (o *Options) port(offset int) int {
	if o.Port == 0 {
		return 0
	}
	return o.Port + offset
}

// Env is local mode running: the recorded stack deployed onto the
// emulators, its functions under the runtime interface emulator, its
// events wired, and the HTTP front doors.
type Env struct {
	Settings   Settings
	Deployment *Deployment

	DynamoDB, SES, S3 *emulator.Service
	// Functions are the running functions by their recorded name; Todo,
	// Blog, Mailer and Thumbnail are those built from each package.
	Functions                     map[string]*Function
	Todo, Blog, Mailer, Thumbnail *Function
	// Feeders feed the tables' streams to their mappings' functions;
	// Feeder is the first (the blog table's, to the mailer).
	Feeders []*StreamFeeder
	Feeder  *StreamFeeder
	Tokens  *Tokens

	// SiteURL serves the blog; TodoAPIURL and BlogAPIURL are the APIs'
	// stage URLs (ending in /v1).
	SiteURL, TodoAPIURL, BlogAPIURL string
	// TokenURL mints sign-in tokens: GET TokenURL?user=alice.
	TokenURL string

	stops    []func() error
	log      *slog.Logger
	stopOnce sync.Once
	stopErr  error
}

// Start records the stack's program under the mocks and deploys what it
// records onto the emulators: its tables, buckets, templates and
// functions with their recorded environment, its notifications and stream
// mappings, its APIs' routes and the site's behaviours. On failure it
// stops whatever it started.
func Start(ctx context.Context, opts Options) (env *Env, err error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	e := &Env{log: opts.Log}
	defer func() {
		if err != nil {
			_ = e.Stop()
			env = nil
		}
	}()
	if err := e.load(opts); err != nil {
		return nil, err
	}
	// The front doors' ports are taken first, so that a port in use is
	// reported before anything is built or started.
	listeners, err := e.listen(opts)
	if err != nil {
		return nil, err
	}
	b, err := e.build(opts)
	if err != nil {
		return nil, err
	}
	if err := e.startEmulators(ctx, opts, b); err != nil {
		return nil, err
	}
	if err := e.startFunctions(opts, b); err != nil {
		return nil, err
	}
	if err := e.wireEvents(ctx); err != nil {
		return nil, err
	}
	if err := e.serve(listeners); err != nil {
		return nil, err
	}
	return e, nil
}

func (o *Options) defaults() error {
	if o.Root == "" {
		root, err := emulator.ModuleRoot()
		if err != nil {
			return err
		}
		o.Root = root
	}
	if o.Stack == "" {
		o.Stack = "dev"
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return nil
}

// load records the stack and reads its deployment and settings.
func (e *Env) load(opts Options) error {
	rec, region, err := record(opts)
	if err != nil {
		return err
	}
	if e.Deployment, err = FromRecording(rec.Resources); err != nil {
		return fmt.Errorf("the %s stack: %w", opts.Stack, err)
	}
	if e.Settings, err = settingsOf(e.Deployment, region); err != nil {
		return err
	}
	e.Tokens, err = NewTokens()
	return err
}

// listen takes the front doors' ports.
func (e *Env) listen(opts Options) ([]net.Listener, error) {
	var out []net.Listener
	for offset := range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(opts.port(offset)))
		if err != nil {
			return nil, fmt.Errorf("listening: %w", err)
		}
		out = append(out, l)
		e.stops = append(e.stops, func() error {
			if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
				return err
			}
			return nil
		})
	}
	return out, nil
}

// awsConfig is a client configuration for an emulator: static fake
// credentials and nothing from the environment or ~/.aws.
func (e *Env) awsConfig(endpoint string) aws.Config {
	return aws.Config{
		Region:       e.Settings.Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// DynamoDBClient returns a client of the local DynamoDB.
func (e *Env) DynamoDBClient() *dynamodb.Client {
	return dynamodb.NewFromConfig(e.awsConfig(e.DynamoDB.Endpoint))
}

// Stop stops everything Start started, the last started first, and
// reports every failure. It is safe to call more than once.
func (e *Env) Stop() error {
	e.stopOnce.Do(func() {
		var errs []error
		for _, stop := range slices.Backward(e.stops) {
			if err := stop(); err != nil {
				errs = append(errs, err)
			}
		}
		e.stopErr = errors.Join(errs...)
	})
	return e.stopErr
}

// Processes returns the processes local mode runs, for leak checks.
func (e *Env) Processes() []*emulator.Process {
	var out []*emulator.Process
	for _, s := range []*emulator.Service{e.DynamoDB, e.SES, e.S3} {
		if s != nil {
			out = append(out, s.Process())
		}
	}
	for _, f := range e.Functions {
		out = append(out, f.proc)
	}
	return out
}
