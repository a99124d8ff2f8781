package staticsite

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// Caching selects the cache policy of an extra behaviour.
type Caching string

const (
	// CachingDisabled is the managed CachingDisabled policy: every request
	// reaches the origin. The default for URL origins.
	CachingDisabled Caching = "disabled"
	// CachingOptimized is the managed CachingOptimized policy: cached for a
	// day unless the origin says otherwise. The default for bucket origins.
	CachingOptimized Caching = "optimized"
	// CachingOrigin caches only what the origin marks cacheable with
	// Cache-Control (max-age or s-maxage, up to Args.OriginMaxAgeSeconds),
	// keyed by path and query string: for an API that sets its own
	// Cache-Control on public GET responses.
	CachingOrigin Caching = "origin"
)

// LogDestination is where the distribution's access logs go.
type LogDestination string

const (
	// LogsToCloudWatch delivers to a log group in us-east-1 with retention.
	LogsToCloudWatch LogDestination = "cloudwatch"
	// LogsToS3 delivers to a private bucket without ACLs.
	LogsToS3 LogDestination = "s3"
)

// Args configures a StaticSite.
type Args struct {
	// ContentDir is the directory whose files are the site.
	ContentDir string
	// Content is the site's files as an archive, instead of ContentDir: a
	// FileArchive of a directory, or an AssetArchive of file and string
	// assets by key (a nested archive adds its files under its key). It is
	// how a program in another language hands its files to the component
	// provider, which reads no paths of its own. Set ContentDir or Content.
	Content pulumi.Archive
	// IndexDocument is served for "/" and "dir/" (default "index.html").
	IndexDocument string
	// ErrorDocument, if set, is served with status 404 for missing objects.
	// CloudFront applies it to every behaviour, so it cannot be combined
	// with a URL-origin behaviour.
	ErrorDocument string
	// SPAFallback serves IndexDocument, status 200, for every path without a
	// file extension (client-side routing).
	SPAFallback bool
	// ImmutablePaths are path patterns holding only fingerprinted files,
	// cached with the managed CachingOptimized policy (default
	// ["/assets/*"]).
	ImmutablePaths []string
	// HTMLMaxAgeSeconds is the longest CloudFront serves a file that is not
	// fingerprinted (HTML) without asking S3 again, so the longest a visitor
	// sees an old page after a deploy (default 60).
	HTMLMaxAgeSeconds int
	// OriginMaxAgeSeconds caps what a CachingOrigin behaviour keeps
	// (default 3600).
	OriginMaxAgeSeconds int
	// ContentSecurityPolicy is sent with every response (default
	// DefaultContentSecurityPolicy).
	ContentSecurityPolicy pulumi.StringInput
	// PriceClass is PriceClass_100 (default), PriceClass_200 or
	// PriceClass_All.
	PriceClass pulumi.StringInput
	// DomainName serves the site on a custom domain, with a certificate
	// validated in the Route 53 public zone HostedZone.
	DomainName string
	HostedZone string
	// USEast1 is an AWS provider for us-east-1, where the certificate and
	// the log delivery resources must be created; nil creates one with the
	// stack's aws: identity settings (see blocks.RegionalProvider).
	USEast1 pulumi.ProviderResource
	// LogDestination is LogsToCloudWatch (default) or LogsToS3.
	LogDestination LogDestination
	// LogRetentionDays of the access-log group (default 30).
	LogRetentionDays int
	// Behaviors are extra paths served by other origins.
	Behaviors []Behavior
	// WebACLArn attaches a WAF web ACL (scope CLOUDFRONT); nil for none.
	WebACLArn pulumi.StringInput
	// Protect retains the access-log bucket (LogsToS3) and refuses to delete
	// it while it holds logs.
	Protect bool
	// CustomerManagedKey encrypts the content with a KMS key the site
	// creates (SSE-KMS with bucket keys, rotation on) instead of SSE-S3. Its
	// key policy lets the account's IAM policies decide, as the default
	// policy does, and lets this distribution, and only it, decrypt: the
	// origin access control reads as CloudFront, which no IAM policy can
	// grant. (An AWS managed key cannot serve here: its policy is fixed.)
	CustomerManagedKey bool
	// KeyDeletionWindowDays is the waiting period before that key is
	// deleted (7 to 30, default 30).
	KeyDeletionWindowDays int
}

func (a *Args) withDefaults() {
	a.IndexDocument = cmp.Or(a.IndexDocument, "index.html")
	if a.ImmutablePaths == nil {
		a.ImmutablePaths = []string{"/assets/*"}
	}
	a.HTMLMaxAgeSeconds = cmp.Or(a.HTMLMaxAgeSeconds, 60)
	a.OriginMaxAgeSeconds = cmp.Or(a.OriginMaxAgeSeconds, 3600)
	if a.ContentSecurityPolicy == nil {
		a.ContentSecurityPolicy = pulumi.String(DefaultContentSecurityPolicy)
	}
	if a.PriceClass == nil {
		a.PriceClass = pulumi.String(blocks.DefaultPriceClass)
	}
	a.LogDestination = cmp.Or(a.LogDestination, LogsToCloudWatch)
	a.LogRetentionDays = cmp.Or(a.LogRetentionDays, blocks.DefaultLogRetentionDays)
	a.KeyDeletionWindowDays = cmp.Or(a.KeyDeletionWindowDays, 30)
	for i := range a.Behaviors {
		b := &a.Behaviors[i]
		if b.Caching == "" {
			b.Caching = CachingDisabled
			if b.Origin.Bucket {
				b.Caching = CachingOptimized
			}
		}
	}
}

// siteOriginID is the origin ID of the content bucket.
const siteOriginID = "site"

// validate reports every problem with args at once; files are the content.
func (a *Args) validate(files []File) error {
	var errs []error
	if (a.DomainName == "") != (a.HostedZone == "") {
		errs = append(errs, fmt.Errorf("DomainName %q and HostedZone %q must be set together", a.DomainName, a.HostedZone))
	}
	keys := make([]string, len(files))
	for i, f := range files {
		keys[i] = f.Key
	}
	if len(files) > 0 && !slices.Contains(keys, a.IndexDocument) {
		errs = append(errs, fmt.Errorf("index document %q is not in %s", a.IndexDocument, a.contentName()))
	}
	if a.ErrorDocument != "" && len(files) > 0 && !slices.Contains(keys, a.ErrorDocument) {
		errs = append(errs, fmt.Errorf("error document %q is not in %s", a.ErrorDocument, a.contentName()))
	}
	if a.HTMLMaxAgeSeconds < 1 || a.OriginMaxAgeSeconds < 1 {
		errs = append(errs, fmt.Errorf("HTMLMaxAgeSeconds %d and OriginMaxAgeSeconds %d must be at least 1", a.HTMLMaxAgeSeconds, a.OriginMaxAgeSeconds))
	}
	if a.LogDestination != LogsToCloudWatch && a.LogDestination != LogsToS3 {
		errs = append(errs, fmt.Errorf("log destination %q is not %q or %q", a.LogDestination, LogsToCloudWatch, LogsToS3))
	}
	if a.KeyDeletionWindowDays < 7 || a.KeyDeletionWindowDays > 30 {
		errs = append(errs, fmt.Errorf("KeyDeletionWindowDays %d is not within 7 to 30", a.KeyDeletionWindowDays))
	}
	// A price class known only at deploy time is left to CloudFront.
	if class, ok := a.PriceClass.(pulumi.String); ok && !slices.Contains(blocks.PriceClasses, string(class)) {
		errs = append(errs, fmt.Errorf("PriceClass %q is not one of %s", class, strings.Join(blocks.PriceClasses, ", ")))
	}
	patterns := slices.Clone(a.ImmutablePaths)
	for _, b := range a.Behaviors {
		patterns = append(patterns, b.PathPattern)
		label := fmt.Sprintf("behaviour %q", b.PathPattern)
		switch {
		case b.PathPattern == "" || b.PathPattern == "*" || b.PathPattern == "/*":
			errs = append(errs, fmt.Errorf("%s: a path pattern other than the default (*) is required", label))
		case b.Origin.ID == "" || b.Origin.ID == siteOriginID:
			errs = append(errs, fmt.Errorf("%s: origin ID %q is empty or reserved for the site's bucket", label, b.Origin.ID))
		case b.Origin.DomainName == nil:
			errs = append(errs, fmt.Errorf("%s: origin %s has no domain name", label, b.Origin.ID))
		}
		if b.StripPrefix != "" && (!strings.HasPrefix(b.StripPrefix, "/") || strings.HasSuffix(b.StripPrefix, "/") ||
			!strings.HasPrefix(b.PathPattern, b.StripPrefix+"/") || strings.ContainsAny(b.StripPrefix, "*?\"'\\")) {
			errs = append(errs, fmt.Errorf("%s: StripPrefix %q must start with / and lead the pattern, as \"/api\" does \"/api/*\"", label, b.StripPrefix))
		}
		if !slices.Contains([]Caching{CachingDisabled, CachingOptimized, CachingOrigin}, b.Caching) {
			errs = append(errs, fmt.Errorf("%s: caching %q is not %q, %q or %q", label, b.Caching, CachingDisabled, CachingOptimized, CachingOrigin))
		}
		if b.Origin.ReadArn != nil && !b.Origin.Bucket {
			errs = append(errs, fmt.Errorf("%s: origin %s has a ReadArn but is not a bucket", label, b.Origin.ID))
		}
		if a.ErrorDocument != "" && !b.Origin.Bucket {
			errs = append(errs, fmt.Errorf("%s: ErrorDocument would replace the body of every 404 of origin %s; serve the error page from that origin or drop ErrorDocument", label, b.Origin.ID))
		}
	}
	slices.Sort(patterns)
	for i := 1; i < len(patterns); i++ {
		if patterns[i] == patterns[i-1] {
			errs = append(errs, fmt.Errorf("path pattern %q is routed twice", patterns[i]))
		}
	}
	return errors.Join(errs...)
}
