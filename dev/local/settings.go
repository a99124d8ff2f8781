package local

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	mailsettings "github.com/gopherstack/serverless-arch/functions/mailer/settings"
	thumbsettings "github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
	"github.com/gopherstack/serverless-arch/internal/config"
	"github.com/gopherstack/serverless-arch/internal/plan"
)

// The functions' main packages.
const (
	TodoPackage      = "github.com/gopherstack/serverless-arch/functions/todo"
	BlogPackage      = "github.com/gopherstack/serverless-arch/functions/blogapi"
	MailerPackage    = "github.com/gopherstack/serverless-arch/functions/mailer"
	ThumbnailPackage = "github.com/gopherstack/serverless-arch/functions/thumbnail"
)

// Settings are what a developer or a test needs to know of the running
// system, read off the deployment (the recorded stack), never set here.
type Settings struct {
	Region string
	// UploadsBucket receives pictures under UploadPrefix (its
	// notification's filter); thumbnails go to ThumbnailsBucket under
	// ThumbnailPrefix, in every size of Sizes (the function's environment).
	UploadsBucket, UploadPrefix       string
	ThumbnailsBucket, ThumbnailPrefix string
	Sizes                             []int
	// SkipPrefix is where the thumbnail function records the uploads it
	// skips, in ThumbnailsBucket, out of the site's reach.
	SkipPrefix string
	// Sender is the welcome mail's From address.
	Sender string
	// APIKey is the key local mode draws for routes that need one (the
	// stack's own key is a secret of the account).
	APIKey string
	// TodoCORSOrigins are the origins the to-do API allows.
	TodoCORSOrigins []string
}

// Record records what Start deploys for opts: the stack's program run
// under the mocks, deploying the to-do and blog architectures (local mode
// runs no EC2 origin), with the CORS origins opts replaces. Pass the
// recording back in Options.Recording, edited, to see what a change to the
// stack would do.
func Record(opts Options) (*stacktest.Recording, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	rec, _, err := record(opts)
	return rec, err
}

// record is Record, or opts.Recording, with the stack's region.
func record(opts Options) (*stacktest.Recording, string, error) {
	region, err := plan.Region(opts.Root, opts.Stack)
	if err != nil || opts.Recording != nil {
		return opts.Recording, region, err
	}
	deploy, _ := json.Marshal([]string{config.Todo, config.Blog})
	extra := []stacktest.Option{stacktest.Config("deploy", json.RawMessage(deploy))}
	if opts.TodoCORSOrigins != nil {
		extra = append(extra, stacktest.Config("todoCorsOrigins", opts.TodoCORSOrigins))
	}
	rec, err := plan.Record(opts.Root, opts.Stack, extra...)
	if err != nil {
		return nil, "", fmt.Errorf("recording the %s stack: %w", opts.Stack, err)
	}
	return rec, region, nil
}

// settingsOf reads the settings off a deployment.
func settingsOf(d *Deployment, region string) (Settings, error) {
	s := Settings{Region: region}
	key, err := randomKey()
	if err != nil {
		return s, err
	}
	s.APIKey = key
	if thumbs, ok := d.first(ThumbnailPackage); ok {
		env, err := thumbsettings.Load(func(k string) string { return thumbs.Env[k] })
		if err != nil {
			return s, fmt.Errorf("the thumbnail function's environment: %w", err)
		}
		s.ThumbnailsBucket, s.ThumbnailPrefix, s.SkipPrefix, s.Sizes = env.Bucket, env.Prefix, env.SkipPrefix, env.Sizes
		for _, n := range d.Notifications {
			if n.Function == thumbs.Name {
				s.UploadsBucket, s.UploadPrefix = n.Bucket, n.Prefix
			}
		}
	}
	if mailer, ok := d.first(MailerPackage); ok {
		s.Sender = mailer.Env[mailsettings.EnvSender]
	}
	for _, a := range d.APIs {
		if a.serves(d, TodoPackage) {
			s.TodoCORSOrigins = a.CORSOrigins
		}
	}
	return s, nil
}

// first returns the first function built from pkg.
func (d *Deployment) first(pkg string) (FunctionSpec, bool) {
	if names := d.FunctionsOf(pkg); len(names) > 0 {
		return d.Function(names[0])
	}
	return FunctionSpec{}, false
}

// serves reports whether the API's routes go to a function built from pkg.
func (a DeployedAPI) serves(d *Deployment, pkg string) bool {
	for _, r := range a.Routes {
		if f, ok := d.Function(r.Function); ok && f.Package == pkg {
			return true
		}
	}
	return false
}

func randomKey() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("drawing an API key: %w", err)
	}
	return strings.TrimRight(b64(b), "="), nil
}
