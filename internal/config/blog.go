package config

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/globaltable"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
	thumbsettings "github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
)

// Table encryption choices of the blog's global table (key blogTableEncryption).
const (
	// TableKeyAWSOwned is DynamoDB's default: a key AWS owns, free and
	// invisible in CloudTrail.
	TableKeyAWSOwned = "aws-owned"
	// TableKeyAWSManaged is the aws/dynamodb key of each region: key use is
	// logged in CloudTrail, no key policy to manage.
	TableKeyAWSManaged = "aws-managed"
	// TableKeyCustomer is a customer managed multi-Region key with a replica
	// key in every replica region: you control its policy, rotation and
	// revocation.
	TableKeyCustomer = "customer"
)

// BlogConfig configures the blog architecture (MyBlog.com).
type BlogConfig struct {
	// ReplicaRegions are the regions, beside the home region, that hold a
	// replica of the blog table.
	ReplicaRegions []string
	// TableEncryption is one of TableKeyAWSOwned, TableKeyAWSManaged,
	// TableKeyCustomer.
	TableEncryption string
	// CacheTTLSeconds is how long readers may cache post lists and posts:
	// the API stage cache (when on) and the handler's Cache-Control.
	CacheTTLSeconds int
	// APICacheSizeGB is the API Gateway stage cache size; "" turns the
	// stage cache off.
	APICacheSizeGB string
	// ThrottleRate and ThrottleBurst limit the API stage (requests per
	// second, and the bucket size).
	ThrottleRate  int
	ThrottleBurst int

	// SiteDomainName is the site's custom domain (e.g. www.example.com);
	// "" serves it on the CloudFront domain only.
	SiteDomainName string
	// SiteHostedZone is the Route 53 public zone SiteDomainName lives in.
	SiteHostedZone string
	// SitePriceClass is CloudFront's PriceClass_100, PriceClass_200 or
	// PriceClass_All.
	SitePriceClass string
	// SiteContentSecurityPolicy is sent with every site response.
	SiteContentSecurityPolicy string
	// SiteSPAFallback answers unknown paths with /index.html (status 200).
	SiteSPAFallback bool
	// SiteHTMLMaxAgeSeconds is how long CloudFront keeps HTML before asking
	// S3 again: the longest a visitor sees an old page after a deploy.
	SiteHTMLMaxAgeSeconds int
	// SiteLogDestination is "s3" or "cloudwatch" (CloudFront standard
	// logging v2).
	SiteLogDestination string

	// MailIdentity is the SES identity welcome mails are sent through: a
	// domain (DKIM-signed) or a single address.
	MailIdentity string
	// MailSender is the From address, the identity itself or an address at
	// its domain.
	MailSender string
	// MailHostedZone, for a domain identity, is the Route 53 zone that gets
	// its DKIM records.
	MailHostedZone string

	// ThumbnailSizes are the longest sides of the thumbnails, in pixels.
	ThumbnailSizes []int
	// ThumbnailFormat is "auto", "jpeg" or "png".
	ThumbnailFormat string
	// ThumbnailQuality is the JPEG quality, 1 to 100.
	ThumbnailQuality int
	// ThumbnailDelivery is how upload events reach the function: "direct",
	// "sqs" or "sns".
	ThumbnailDelivery string
}

func (b *BlogConfig) load(r *reader, c *Config) {
	b.ReplicaRegions = r.Strings("blogReplicaRegions", nil)
	if problem := replicaProblem(c.Region, b.ReplicaRegions); problem != "" {
		raw, _ := json.Marshal(b.ReplicaRegions)
		r.fail("blogReplicaRegions", string(raw), fmt.Sprintf("distinct AWS regions other than the home region %s (aws:region); %s", c.Region, problem))
	}
	b.TableEncryption = r.OneOf("blogTableEncryption", TableKeyAWSManaged, TableKeyAWSOwned, TableKeyAWSManaged, TableKeyCustomer)
	b.CacheTTLSeconds = r.Int("blogApiCacheTtlSeconds", 60, 0, 3600)
	b.APICacheSizeGB = r.String("blogApiCacheSizeGb", "")
	if b.APICacheSizeGB != "" && !slices.Contains(serverlessapi.CacheSizesGB, b.APICacheSizeGB) {
		r.fail("blogApiCacheSizeGb", b.APICacheSizeGB, `"" (no cache) or one of `+strings.Join(serverlessapi.CacheSizesGB, ", "))
		b.APICacheSizeGB = ""
	}
	b.ThrottleRate = r.Int("blogThrottleRateLimit", 50, 1, 10000)
	b.ThrottleBurst = r.Int("blogThrottleBurstLimit", 100, 1, 5000)

	b.SiteDomainName = r.String("siteDomainName", "")
	b.SiteHostedZone = r.String("siteHostedZone", "")
	switch {
	case b.SiteDomainName != "" && !isDomainName(b.SiteDomainName):
		r.fail("siteDomainName", b.SiteDomainName, "a DNS name such as www.example.com")
	case b.SiteHostedZone != "" && !isDomainName(b.SiteHostedZone):
		r.fail("siteHostedZone", b.SiteHostedZone, "a DNS zone name such as example.com")
	case b.SiteDomainName != "" && b.SiteHostedZone == "":
		r.fail("siteHostedZone", "", "the Route 53 public hosted zone of siteDomainName "+b.SiteDomainName)
	case b.SiteDomainName == "" && b.SiteHostedZone != "":
		r.fail("siteDomainName", "", "a name in siteHostedZone "+b.SiteHostedZone+", or unset both")
	case b.SiteDomainName != "" && !blocks.InZone(b.SiteDomainName, b.SiteHostedZone):
		r.fail("siteDomainName", b.SiteDomainName, "a name inside siteHostedZone "+b.SiteHostedZone)
	}
	b.SitePriceClass = r.OneOf("sitePriceClass", blocks.DefaultPriceClass, blocks.PriceClasses...)
	b.SiteContentSecurityPolicy = r.String("siteContentSecurityPolicy", DefaultContentSecurityPolicy)
	if strings.TrimSpace(b.SiteContentSecurityPolicy) == "" || strings.ContainsAny(b.SiteContentSecurityPolicy, "\r\n") {
		r.fail("siteContentSecurityPolicy", b.SiteContentSecurityPolicy, "a non-empty Content-Security-Policy on one line")
		b.SiteContentSecurityPolicy = DefaultContentSecurityPolicy
	}
	b.SiteSPAFallback = r.Bool("siteSpaFallback", false)
	b.SiteHTMLMaxAgeSeconds = r.Int("siteHtmlMaxAgeSeconds", 60, 1, 3600)
	b.SiteLogDestination = r.OneOf("siteLogDestination", "cloudwatch", "cloudwatch", "s3")

	b.MailIdentity = r.Required("blogMailIdentity", "the SES identity of welcome mails: a domain such as myblog.example.com or an address such as hello@example.com")
	if b.MailIdentity != "" && !IsEmail(b.MailIdentity) && !isDomainName(b.MailIdentity) {
		r.fail("blogMailIdentity", b.MailIdentity, "a domain such as myblog.example.com or an address such as hello@example.com")
	}
	b.MailSender = r.Email("blogMailSender", "")
	switch {
	case b.MailIdentity == "":
		// Reported above; a sender cannot be checked against nothing.
	case b.MailSender == "" && IsEmail(b.MailIdentity):
		b.MailSender = b.MailIdentity
	case b.MailSender == "":
		r.fail("blogMailSender", "", "the From address of welcome mails, at the domain "+b.MailIdentity)
	case IsEmail(b.MailIdentity) && b.MailSender != b.MailIdentity:
		r.fail("blogMailSender", b.MailSender, "the address identity "+b.MailIdentity+" itself (or make blogMailIdentity a domain)")
	case isDomainName(b.MailIdentity) && !strings.HasSuffix(strings.ToLower(b.MailSender), "@"+strings.ToLower(b.MailIdentity)):
		r.fail("blogMailSender", b.MailSender, "an address at the identity domain "+b.MailIdentity)
	}
	b.MailHostedZone = r.String("blogMailHostedZone", "")
	if b.MailHostedZone != "" && (!isDomainName(b.MailIdentity) || !blocks.InZone(b.MailIdentity, b.MailHostedZone)) {
		r.fail("blogMailHostedZone", b.MailHostedZone, "the Route 53 zone holding the domain identity blogMailIdentity, or unset for an address identity")
	}

	b.loadThumbnails(r)
}

// loadThumbnails reads the thumbnail keys with the limits the thumbnail
// function enforces (functions/thumbnail/settings) and the pipeline's
// defaults and delivery modes.
func (b *BlogConfig) loadThumbnails(r *reader) {
	b.ThumbnailSizes = r.Ints("thumbnailSizes", thumbnails.DefaultSizes, thumbsettings.MinSize, thumbsettings.MaxSize)
	if err := thumbsettings.CheckSizes(b.ThumbnailSizes); err != nil {
		raw, _ := json.Marshal(b.ThumbnailSizes)
		r.fail("thumbnailSizes", string(raw), fmt.Sprintf("1 to %d distinct sizes from %d to %d pixels (%v)",
			thumbsettings.MaxSizes, thumbsettings.MinSize, thumbsettings.MaxSize, err))
	}
	b.ThumbnailFormat = r.OneOf("thumbnailFormat", thumbsettings.DefaultFormat, thumbsettings.Formats...)
	b.ThumbnailQuality = r.Int("thumbnailQuality", thumbsettings.DefaultQuality, thumbsettings.MinQuality, thumbsettings.MaxQuality)
	b.ThumbnailDelivery = r.OneOf("thumbnailDelivery", string(thumbnails.DeliverDirect),
		string(thumbnails.DeliverDirect), string(thumbnails.DeliverSQS), string(thumbnails.DeliverSNS))
}

// DefaultContentSecurityPolicy allows the site's own scripts, styles, images
// and API calls and nothing else.
const DefaultContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"

// replicaProblem says what is wrong with replicas as the blog table's
// replica regions: what globaltable refuses, and regions this program does
// not know (config is checked before anything is created, so a typo is
// caught before AWS would refuse it).
func replicaProblem(home string, replicas []string) string {
	var problems []string
	for _, r := range replicas {
		if !slices.Contains(Regions, r) {
			problems = append(problems, fmt.Sprintf("%q is not an AWS region", r))
		}
	}
	if p := globaltable.ReplicaProblem(home, replicas); p != "" {
		problems = append(problems, p)
	}
	return strings.Join(problems, ", ")
}

func isDomainName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if len(s) == 0 || len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
