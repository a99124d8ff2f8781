package local

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/fnbuild"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
	"github.com/gopherstack/serverless-arch/components/welcomemailer"
	"github.com/gopherstack/serverless-arch/dev/emulator"
	blogapi "github.com/gopherstack/serverless-arch/functions/blogapi/blog"
	"github.com/gopherstack/serverless-arch/functions/todo/todos"
	"github.com/gopherstack/serverless-arch/internal/app"
	"github.com/gopherstack/serverless-arch/internal/config"
	blogsite "github.com/gopherstack/serverless-arch/internal/site/blog"
)

// The functions' main packages.
const (
	TodoPackage      = "github.com/gopherstack/serverless-arch/functions/todo"
	BlogPackage      = "github.com/gopherstack/serverless-arch/functions/blogapi"
	MailerPackage    = "github.com/gopherstack/serverless-arch/functions/mailer"
	ThumbnailPackage = "github.com/gopherstack/serverless-arch/functions/thumbnail"
)

// Settings are the names and values local mode runs with: the stack's
// configuration where it has a say, the components' defaults elsewhere.
type Settings struct {
	Region string

	TodoTable, BlogTable, LedgerTable string
	// TodoCacheTTLSeconds and BlogCacheTTLSeconds are the functions'
	// CACHE_TTL_SECONDS, as the stack sets them.
	TodoCacheTTLSeconds, BlogCacheTTLSeconds int

	// UploadsBucket receives pictures under UploadPrefix; thumbnails go to
	// ThumbnailsBucket under ThumbnailPrefix, in every size of Sizes.
	UploadsBucket, UploadPrefix       string
	ThumbnailsBucket, ThumbnailPrefix string
	Sizes                             []int
	Suffixes                          []string
	// Events are the S3 event types the thumbnail function receives.
	Events []string
	// Format and Quality of the thumbnails.
	Format  string
	Quality int

	// Sender, Template and ConfigurationSet are the welcome mail's.
	Sender, Template, ConfigurationSet string

	// APIKey is the key authors send as x-api-key to publish posts.
	APIKey string
	// ContentSecurityPolicy is sent with the site's files.
	ContentSecurityPolicy string
}

// LoadSettings derives the settings from stack's configuration in root
// (Pulumi.yaml defaults and Pulumi.<stack>.yaml), as the program would see
// it. Resource names are prefixed with the project, "local" and the stack.
func LoadSettings(root, stack string) (Settings, error) {
	values, err := stacktest.ReadStackConfig(root, stack)
	if err != nil {
		return Settings{}, fmt.Errorf("reading the %s stack's configuration: %w", stack, err)
	}
	// Local mode runs the to-do and blog architectures only, so the
	// updates architecture's settings (and its secret) do not matter.
	deployKey := values.Project + ":deploy"
	cfg, err := config.Parse(values.Project, stack, func(key string) (string, bool) {
		if key == deployKey {
			return `["` + config.Todo + `","` + config.Blog + `"]`, true
		}
		v, ok := values.Values[key]
		return v, ok
	})
	if err != nil {
		return Settings{}, fmt.Errorf("the %s stack's configuration: %w", stack, err)
	}
	prefix := values.Project + "-local-" + stack + "-"
	todoTTL := 0
	if cfg.Todo.APICacheSizeGB != "" {
		todoTTL = cfg.Todo.APICacheTTLSeconds
	}
	apiKey, err := randomKey()
	if err != nil {
		return Settings{}, err
	}
	return Settings{
		Region:              cfg.Region,
		TodoTable:           prefix + "todos",
		BlogTable:           prefix + "blog",
		LedgerTable:         prefix + "welcome-ledger",
		TodoCacheTTLSeconds: todoTTL,
		BlogCacheTTLSeconds: cfg.Blog.CacheTTLSeconds,
		UploadsBucket:       prefix + "uploads",
		UploadPrefix:        app.BlogUploadPrefix,
		ThumbnailsBucket:    prefix + "thumbnails",
		ThumbnailPrefix:     app.BlogThumbnailPrefix,
		Sizes:               cfg.Blog.ThumbnailSizes,
		Suffixes:            thumbnails.DefaultSuffixes,
		Events:              thumbnails.UploadEvents(false), // as the blog stack routes them
		Format:              cfg.Blog.ThumbnailFormat,
		Quality:             cfg.Blog.ThumbnailQuality,
		// SES accepts any sender locally; the stack's identity is kept so
		// that mails look as they will.
		Sender:                cfg.Blog.MailSender,
		Template:              prefix + "welcome",
		ConfigurationSet:      prefix + "mail",
		APIKey:                apiKey,
		ContentSecurityPolicy: cfg.Blog.SiteContentSecurityPolicy,
	}, nil
}

func randomKey() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("drawing an API key: %w", err)
	}
	return strings.TrimRight(b64(b), "="), nil
}

// Options configure Start.
type Options struct {
	// Root is the module root; empty finds it from the working directory.
	Root string
	// Stack whose configuration is used (default "dev").
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
}

// Env is local mode running: the emulators, the four functions under the
// runtime interface emulator, the stream feeder, and the HTTP front doors.
type Env struct {
	Settings Settings

	DynamoDB, SES, S3             *emulator.Service
	Todo, Blog, Mailer, Thumbnail *Function
	// Feeder feeds the blog table's changes to the mailer.
	Feeder *StreamFeeder
	Tokens *Tokens

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

func (o *Options) port(offset int) int {
	if o.Port == 0 {
		return 0
	}
	return o.Port + offset
}

// Start brings local mode up. On failure it stops whatever it started.
func Start(ctx context.Context, opts Options) (env *Env, err error) {
	if opts.Root == "" {
		if opts.Root, err = emulator.ModuleRoot(); err != nil {
			return nil, err
		}
	}
	if opts.Stack == "" {
		opts.Stack = "dev"
	}
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	settings, err := LoadSettings(opts.Root, opts.Stack)
	if err != nil {
		return nil, err
	}
	e := &Env{Settings: settings, log: log}
	defer func() {
		if err != nil {
			_ = e.Stop()
			env = nil
		}
	}()
	if e.Tokens, err = NewTokens(); err != nil {
		return nil, err
	}
	// The front doors' ports are taken first, so that a port in use is
	// reported before anything is built or started.
	var listeners []net.Listener
	for offset := range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(opts.port(offset)))
		if err != nil {
			return nil, fmt.Errorf("listening: %w", err)
		}
		listeners = append(listeners, l)
		e.stops = append(e.stops, func() error {
			if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
				return err
			}
			return nil
		})
	}

	// Build first: nothing runs yet, so a compile error leaves nothing
	// behind. The Go build cache makes this quick after the first time.
	log.Info("building the functions for this machine and the emulators")
	rie, err := RIE(opts.Root)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "serverless-arch-local-")
	if err != nil {
		return nil, err
	}
	e.stops = append(e.stops, func() error { return os.RemoveAll(tmp) })
	s3bin, err := emulator.BuildS3Local(opts.Root, tmp)
	if err != nil {
		return nil, err
	}
	bootstraps := map[string]string{}
	for _, pkg := range []string{TodoPackage, BlogPackage, MailerPackage, ThumbnailPackage} {
		if bootstraps[pkg], err = hostBinary(pkg); err != nil {
			return nil, err
		}
	}

	log.Info("starting the emulators")
	if e.DynamoDB, err = emulator.StartDynalite(opts.Root, opts.port(5), opts.Logs); err != nil {
		return nil, err
	}
	e.stops = append(e.stops, e.DynamoDB.Stop)
	if e.SES, err = emulator.StartSES(opts.Root, opts.port(4), opts.Logs); err != nil {
		return nil, err
	}
	e.stops = append(e.stops, e.SES.Stop)
	if err := e.createTables(ctx); err != nil {
		return nil, err
	}
	if err := e.createTemplate(ctx); err != nil {
		return nil, err
	}

	// The thumbnail function needs S3's address and S3 the function's: S3
	// starts first, on a port it picks itself, and learns the function's
	// address once the function runs.
	if e.S3, err = emulator.StartS3Local(s3bin, opts.port(3), []string{
		"-region", settings.Region,
		"-bucket", settings.UploadsBucket, "-bucket", settings.ThumbnailsBucket,
	}, opts.Logs); err != nil {
		return nil, err
	}
	e.stops = append(e.stops, e.S3.Stop)

	log.Info("starting the functions under the Lambda runtime interface emulator")
	common := map[string]string{
		"AWS_REGION":                  settings.Region,
		"AWS_DEFAULT_REGION":          settings.Region,
		"AWS_ACCESS_KEY_ID":           "AKIDLOCAL",
		"AWS_SECRET_ACCESS_KEY":       "local-secret",
		"AWS_SESSION_TOKEN":           "local-session",
		"AWS_CONFIG_FILE":             "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_ENDPOINT_URL_DYNAMODB":   e.DynamoDB.Endpoint,
		"AWS_ENDPOINT_URL_SESV2":      e.SES.Endpoint,
		"AWS_ENDPOINT_URL_S3":         e.S3.Endpoint,
	}
	// Timeouts and memory sizes are the stack's: the components' defaults,
	// and blocks.FunctionArgs' defaults where the stack sets none.
	start := func(name, pkg string, timeout time.Duration, memory int, env map[string]string) (*Function, error) {
		all := map[string]string{}
		for k, v := range common {
			all[k] = v
		}
		for k, v := range env {
			all[k] = v
		}
		f, err := RunBootstrap(FunctionSpec{Name: name, Package: pkg, Env: all, Timeout: timeout, MemoryMB: memory},
			bootstraps[pkg], rie, opts.Logs)
		if err != nil {
			return nil, err
		}
		e.stops = append(e.stops, f.Stop)
		return f, nil
	}
	if e.Todo, err = start("todo", TodoPackage, blocks.DefaultTimeout*time.Second, blocks.DefaultMemorySize, map[string]string{
		todos.EnvTableName:       settings.TodoTable,
		todos.EnvCacheTTLSeconds: strconv.Itoa(settings.TodoCacheTTLSeconds),
	}); err != nil {
		return nil, err
	}
	if e.Blog, err = start("blogapi", BlogPackage, blocks.DefaultTimeout*time.Second, blocks.DefaultMemorySize, map[string]string{
		blogapi.EnvTableName:       settings.BlogTable,
		blogapi.EnvCacheTTLSeconds: strconv.Itoa(settings.BlogCacheTTLSeconds),
	}); err != nil {
		return nil, err
	}
	if e.Mailer, err = start("mailer", MailerPackage, welcomemailer.DefaultTimeout*time.Second, blocks.DefaultMemorySize, map[string]string{
		welcomemailer.EnvSender:            settings.Sender,
		welcomemailer.EnvTemplateName:      settings.Template,
		welcomemailer.EnvConfigurationSet:  settings.ConfigurationSet,
		welcomemailer.EnvIdempotencyTable:  settings.LedgerTable,
		welcomemailer.EnvUsersTable:        settings.BlogTable,
		welcomemailer.EnvUserIDAttribute:   welcomemailer.DefaultUserIDAttribute,
		welcomemailer.EnvUserTypeAttribute: welcomemailer.DefaultUserTypeAttribute,
		welcomemailer.EnvUserTypeValue:     welcomemailer.DefaultUserTypeValue,
		welcomemailer.EnvEmailAttribute:    welcomemailer.DefaultEmailAttribute,
		welcomemailer.EnvNameAttribute:     welcomemailer.DefaultNameAttribute,
	}); err != nil {
		return nil, err
	}
	if e.Thumbnail, err = start("thumbnail", ThumbnailPackage, thumbnails.DefaultTimeout*time.Second, thumbnails.DefaultMemorySize, map[string]string{
		thumbnails.EnvThumbnailBucket: settings.ThumbnailsBucket,
		thumbnails.EnvThumbnailPrefix: settings.ThumbnailPrefix,
		thumbnails.EnvSkipPrefix:      thumbnails.DefaultSkipPrefix,
		thumbnails.EnvUploadPrefix:    settings.UploadPrefix,
		thumbnails.EnvSizes:           joinInts(settings.Sizes),
		thumbnails.EnvFormat:          settings.Format,
		thumbnails.EnvQuality:         strconv.Itoa(settings.Quality),
		thumbnails.EnvMaxSourceBytes:  strconv.FormatInt(thumbnails.DefaultMaxSourceBytes, 10),
		thumbnails.EnvMaxPixels:       strconv.FormatInt(thumbnails.DefaultMaxPixels, 10),
	}); err != nil {
		return nil, err
	}

	if err := PutNotifications(ctx, e.S3.Endpoint, Notification{
		Bucket: settings.UploadsBucket, Prefix: settings.UploadPrefix, Suffixes: settings.Suffixes,
		Events: settings.Events, Function: e.Thumbnail.URL,
	}); err != nil {
		return nil, err
	}

	e.Feeder = &StreamFeeder{
		DB:                   dynamodb.NewFromConfig(e.awsConfig(e.DynamoDB.Endpoint)),
		Table:                settings.BlogTable,
		Function:             e.Mailer,
		Filter:               welcomemailer.FilterPattern(welcomemailer.Args{}),
		BatchSize:            welcomemailer.DefaultBatchSize,
		MaximumRetryAttempts: welcomemailer.DefaultMaximumRetryAttempts,
		Region:               settings.Region,
		Log:                  log,
	}
	if err := e.Feeder.Start(ctx); err != nil {
		return nil, err
	}
	e.stops = append(e.stops, func() error { e.Feeder.Stop(); return nil })

	if err := e.serve(listeners); err != nil {
		return nil, err
	}
	return e, nil
}

// hostBinary builds pkg for this machine.
func hostBinary(pkg string) (string, error) { return fnbuild.Host(pkg) }

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

// createTables creates the tables with the key schemas the functions
// export, as the stacks do.
func (e *Env) createTables(ctx context.Context) error {
	db := e.DynamoDBClient()
	s := func(name string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS}
	}
	key := func(name string, t types.KeyType) types.KeySchemaElement {
		return types.KeySchemaElement{AttributeName: aws.String(name), KeyType: t}
	}
	tables := []*dynamodb.CreateTableInput{
		{
			TableName:            aws.String(e.Settings.TodoTable),
			AttributeDefinitions: []types.AttributeDefinition{s(todos.PartitionKey), s(todos.SortKey)},
			KeySchema:            []types.KeySchemaElement{key(todos.PartitionKey, types.KeyTypeHash), key(todos.SortKey, types.KeyTypeRange)},
		},
		{
			TableName: aws.String(e.Settings.BlogTable),
			AttributeDefinitions: []types.AttributeDefinition{
				s(blogapi.PartitionKey), s(blogapi.SortKey), s(blogapi.EntityIndexPartitionKey), s(blogapi.EntityIndexSortKey),
			},
			KeySchema: []types.KeySchemaElement{key(blogapi.PartitionKey, types.KeyTypeHash), key(blogapi.SortKey, types.KeyTypeRange)},
			GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
				IndexName: aws.String(blogapi.EntityIndex),
				KeySchema: []types.KeySchemaElement{
					key(blogapi.EntityIndexPartitionKey, types.KeyTypeHash), key(blogapi.EntityIndexSortKey, types.KeyTypeRange),
				},
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
			}},
			StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages},
		},
		{
			TableName:            aws.String(e.Settings.LedgerTable),
			AttributeDefinitions: []types.AttributeDefinition{s(welcomemailer.LedgerKey)},
			KeySchema:            []types.KeySchemaElement{key(welcomemailer.LedgerKey, types.KeyTypeHash)},
		},
	}
	for _, in := range tables {
		in.BillingMode = types.BillingModePayPerRequest
		if _, err := db.CreateTable(ctx, in); err != nil {
			// dynalite accepts but ignores stream settings; retry without.
			if in.StreamSpecification != nil {
				in.StreamSpecification = nil
				if _, err2 := db.CreateTable(ctx, in); err2 == nil {
					continue
				}
			}
			return fmt.Errorf("creating table %s: %w", aws.ToString(in.TableName), err)
		}
	}
	return nil
}

// createTemplate stores the welcome template, with the component's default
// parts, in the SES emulator.
func (e *Env) createTemplate(ctx context.Context) error {
	ses := sesv2.NewFromConfig(e.awsConfig(e.SES.Endpoint))
	_, err := ses.CreateEmailTemplate(ctx, &sesv2.CreateEmailTemplateInput{
		TemplateName: aws.String(e.Settings.Template),
		TemplateContent: &sestypes.EmailTemplateContent{
			Subject: aws.String(welcomemailer.DefaultSubject),
			Text:    aws.String(welcomemailer.DefaultText),
			Html:    aws.String(welcomemailer.DefaultHTML),
		},
	})
	if err != nil {
		return fmt.Errorf("creating the welcome template: %w", err)
	}
	return nil
}

// serve starts the HTTP front doors.
func (e *Env) serve(listeners []net.Listener) error {
	todoAPI := &API{Name: "todo", Stage: app.TodoAPIInfo.Version, Tokens: e.Tokens, Log: e.log,
		Routes: Routes(app.TodoRoutes(nil), e.Todo)}
	blogAPI := &API{Name: "blog", Stage: app.BlogStage, APIKey: e.Settings.APIKey, Log: e.log,
		Routes: Routes(app.BlogRoutes(nil), e.Blog)}

	todoMux := http.NewServeMux()
	todoMux.Handle("/", todoAPI)
	todoMux.HandleFunc("GET /local/token", e.mintToken)

	content, err := blogsite.Dir()
	if err != nil {
		return err
	}
	site, err := e.siteHandler(content, blogAPI)
	if err != nil {
		return err
	}

	for i, s := range []struct {
		url     *string
		handler http.Handler
	}{
		{&e.SiteURL, site},
		{&e.TodoAPIURL, todoMux},
		{&e.BlogAPIURL, blogAPI},
	} {
		l := listeners[i]
		srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(l) }()
		*s.url = "http://" + l.Addr().String()
		e.stops = append(e.stops, func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return srv.Shutdown(ctx)
		})
	}
	e.TokenURL = e.TodoAPIURL + "/local/token"
	e.TodoAPIURL += "/" + app.TodoAPIInfo.Version
	e.BlogAPIURL += "/" + app.BlogStage
	return nil
}

// mintToken answers GET /local/token?user=alice with a sign-in token.
func (e *Env) mintToken(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	token, err := e.Tokens.Mint(user)
	w.Header().Set("Cache-Control", "no-store")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "invalid_field", "message": err.Error(), "field": "user"}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token": token, "sub": Subject(user), "user": user, "expiresIn": int(e.Tokens.TTL / time.Second),
	})
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// siteHandler serves the blog as its CloudFront distribution does: the
// static site, /api/* to the blog API stage with the prefix stripped, and
// /thumbnails/* from the thumbnails bucket (the path is the key).
func (e *Env) siteHandler(content string, blogAPI *API) (http.Handler, error) {
	s3URL, err := url.Parse(e.S3.Endpoint)
	if err != nil {
		return nil, err
	}
	thumbs := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(s3URL)
		r.Out.URL.Path = "/" + e.Settings.ThumbnailsBucket + r.In.URL.Path
		r.Out.URL.RawPath = ""
		r.Out.Host = s3URL.Host
	}}
	files := http.FileServer(http.Dir(content))
	csp := e.Settings.ContentSecurityPolicy
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + blogAPI.Stage + strings.TrimPrefix(r.URL.Path, "/api")
		r2.URL.RawPath = ""
		blogAPI.ServeHTTP(w, r2)
	})
	mux.HandleFunc("/"+e.Settings.ThumbnailPrefix, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		thumbs.ServeHTTP(w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "strict-origin-when-cross-origin")
		files.ServeHTTP(w, r)
	})
	return mux, nil
}

// Routes converts a stack's API routes into local routes served by fn.
// IAM-authorized routes become API-key routes, the closest local stand-in.
func Routes(routes []serverlessapi.Route, fn Invoker) []Route {
	out := make([]Route, 0, len(routes))
	for _, r := range routes {
		auth := AuthNone
		switch r.Auth {
		case serverlessapi.AuthCognito:
			auth = AuthUser
		case serverlessapi.AuthAPIKey, serverlessapi.AuthIAM:
			auth = AuthAPIKey
		}
		out = append(out, Route{Method: r.Method, Resource: r.Path, Auth: auth, Function: fn})
	}
	return out
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
	for _, f := range []*Function{e.Todo, e.Blog, e.Mailer, e.Thumbnail} {
		if f != nil {
			out = append(out, f.proc)
		}
	}
	return out
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
