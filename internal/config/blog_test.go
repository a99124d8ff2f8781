package config

import (
	"slices"
	"strings"
	"testing"
)

func blogConfig(t *testing.T, set map[string]string) (*BlogConfig, error) {
	t.Helper()
	vals := map[string]string{"aws:region": "us-east-1", "serverless-arch:deploy": `["blog"]`,
		"serverless-arch:blogMailIdentity": "hello@example.com"}
	for k, v := range set {
		if v == "<unset>" {
			delete(vals, k)
			continue
		}
		vals[k] = v
	}
	c, err := Parse("serverless-arch", "test", func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
	if err != nil {
		return nil, err
	}
	return &c.Blog, nil
}

func TestBlogDefaultsAreCheapAndSafe(t *testing.T) {
	b, err := blogConfig(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.ReplicaRegions) != 0 || b.APICacheSizeGB != "" || b.SiteDomainName != "" {
		t.Errorf("defaults %+v, want no replicas, no API cache, no custom domain", b)
	}
	if b.TableEncryption != TableKeyAWSManaged || b.SitePriceClass != "PriceClass_100" || b.SiteLogDestination != "cloudwatch" {
		t.Errorf("defaults %+v", b)
	}
	if b.SiteContentSecurityPolicy != DefaultContentSecurityPolicy || b.SiteHTMLMaxAgeSeconds != 60 || b.CacheTTLSeconds != 60 {
		t.Errorf("defaults %+v", b)
	}
}

func TestBlogKeysAreRead(t *testing.T) {
	b, err := blogConfig(t, map[string]string{
		"serverless-arch:blogReplicaRegions":     `["eu-west-1","ap-southeast-2"]`,
		"serverless-arch:blogTableEncryption":    "customer",
		"serverless-arch:blogApiCacheSizeGb":     "0.5",
		"serverless-arch:blogApiCacheTtlSeconds": "120",
		"serverless-arch:siteDomainName":         "www.example.com",
		"serverless-arch:siteHostedZone":         "example.com",
		"serverless-arch:sitePriceClass":         "PriceClass_All",
		"serverless-arch:siteSpaFallback":        "true",
		"serverless-arch:siteLogDestination":     "s3",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.ReplicaRegions, []string{"eu-west-1", "ap-southeast-2"}) || b.TableEncryption != TableKeyCustomer ||
		b.APICacheSizeGB != "0.5" || b.CacheTTLSeconds != 120 || b.SiteDomainName != "www.example.com" ||
		b.SiteHostedZone != "example.com" || b.SitePriceClass != "PriceClass_All" || !b.SiteSPAFallback || b.SiteLogDestination != "s3" {
		t.Errorf("read %+v", b)
	}
}

func TestBlogKeysRejectBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"replica in the home region", map[string]string{"serverless-arch:blogReplicaRegions": `["eu-west-1","us-east-1"]`},
			`config serverless-arch:blogReplicaRegions = "[\"eu-west-1\",\"us-east-1\"]" is not allowed: want distinct AWS regions other than the home region us-east-1 (aws:region); "us-east-1" is the home region`},
		{"duplicate replica", map[string]string{"serverless-arch:blogReplicaRegions": `["eu-west-1","eu-west-1"]`},
			`"eu-west-1" is listed twice`},
		{"unknown replica region", map[string]string{"serverless-arch:blogReplicaRegions": `["mars-east-1"]`},
			`"mars-east-1" is not an AWS region`},
		{"replicas not a list", map[string]string{"serverless-arch:blogReplicaRegions": `eu-west-1`},
			`config serverless-arch:blogReplicaRegions = "eu-west-1" is not allowed: want a list of strings`},
		{"unknown encryption", map[string]string{"serverless-arch:blogTableEncryption": "kms"},
			`config serverless-arch:blogTableEncryption = "kms" is not allowed: want one of "aws-owned", "aws-managed", "customer"`},
		{"cache size", map[string]string{"serverless-arch:blogApiCacheSizeGb": "1"},
			`config serverless-arch:blogApiCacheSizeGb = "1" is not allowed: want "" (no cache) or one of 0.5, 1.6`},
		{"cache TTL", map[string]string{"serverless-arch:blogApiCacheTtlSeconds": "7200"},
			`config serverless-arch:blogApiCacheTtlSeconds = "7200" is not allowed: want a whole number from 0 to 3600`},
		{"price class", map[string]string{"serverless-arch:sitePriceClass": "PriceClass_50"},
			`config serverless-arch:sitePriceClass = "PriceClass_50" is not allowed`},
		{"domain without zone", map[string]string{"serverless-arch:siteDomainName": "www.example.com"},
			`config serverless-arch:siteHostedZone is missing: want the Route 53 public hosted zone of siteDomainName www.example.com`},
		{"zone without domain", map[string]string{"serverless-arch:siteHostedZone": "example.com"},
			`config serverless-arch:siteDomainName is missing`},
		{"domain outside zone", map[string]string{"serverless-arch:siteDomainName": "www.example.org", "serverless-arch:siteHostedZone": "example.com"},
			`config serverless-arch:siteDomainName = "www.example.org" is not allowed: want a name inside siteHostedZone example.com`},
		{"domain not a name", map[string]string{"serverless-arch:siteDomainName": "https://www.example.com", "serverless-arch:siteHostedZone": "example.com"},
			`config serverless-arch:siteDomainName = "https://www.example.com" is not allowed: want a DNS name`},
		{"multi-line CSP", map[string]string{"serverless-arch:siteContentSecurityPolicy": "default-src 'self';\nscript-src *"},
			`config serverless-arch:siteContentSecurityPolicy = "default-src 'self';\nscript-src *" is not allowed: want a non-empty Content-Security-Policy on one line`},
		{"HTML max age", map[string]string{"serverless-arch:siteHtmlMaxAgeSeconds": "0"},
			`config serverless-arch:siteHtmlMaxAgeSeconds = "0" is not allowed: want a whole number from 1 to 3600`},
		{"log destination", map[string]string{"serverless-arch:siteLogDestination": "firehose"},
			`config serverless-arch:siteLogDestination = "firehose" is not allowed: want one of "cloudwatch", "s3"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := blogConfig(t, tc.set)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant one containing %s", err, tc.want)
			}
		})
	}
}

func TestBlogKeysAreAllReportedAtOnce(t *testing.T) {
	_, err := blogConfig(t, map[string]string{
		"serverless-arch:blogReplicaRegions": `["us-east-1"]`,
		"serverless-arch:sitePriceClass":     "cheap",
		"serverless-arch:siteSpaFallback":    "maybe",
	})
	if got := len(As(err)); got != 3 {
		t.Errorf("%d errors reported, want 3: %v", got, err)
	}
}

func TestBlogKeysAreReadOnlyWhenTheBlogIsDeployed(t *testing.T) {
	vals := map[string]string{"aws:region": "us-east-1", "serverless-arch:deploy": `["todo"]`,
		"serverless-arch:blogReplicaRegions": `["us-east-1"]`}
	keys := KeysRead("serverless-arch", "test", func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
	if slices.Contains(keys, "serverless-arch:blogReplicaRegions") {
		t.Error("a stack without the blog reads blogReplicaRegions")
	}
}

func TestBlogMailAndThumbnailKeys(t *testing.T) {
	b, err := blogConfig(t, map[string]string{
		"serverless-arch:blogMailIdentity":   "myblog.example.com",
		"serverless-arch:blogMailSender":     "welcome@myblog.example.com",
		"serverless-arch:blogMailHostedZone": "example.com",
		"serverless-arch:thumbnailSizes":     "[800, 200]",
		"serverless-arch:thumbnailDelivery":  "sns",
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.MailSender != "welcome@myblog.example.com" || b.MailHostedZone != "example.com" ||
		!slices.Equal(b.ThumbnailSizes, []int{800, 200}) || b.ThumbnailDelivery != "sns" || b.ThumbnailFormat != "auto" || b.ThumbnailQuality != 80 {
		t.Errorf("read %+v", b)
	}
	b, err = blogConfig(t, nil)
	if err != nil || b.MailSender != "hello@example.com" {
		t.Errorf("an address identity is its own sender: got %q, %v", b.MailSender, err)
	}
}

// Whatever the thumbnail function takes, the stack takes: the edges of its
// range and as many sizes as it takes; no more.
func TestThumbnailSizesTakeTheFunctionsRange(t *testing.T) {
	for _, sizes := range []string{"[8192, 1]", "[2048, 1024, 800, 640, 512, 320, 256, 128]"} {
		if _, err := blogConfig(t, map[string]string{"serverless-arch:thumbnailSizes": sizes}); err != nil {
			t.Errorf("thumbnailSizes %s: %v", sizes, err)
		}
	}
	nine := "[2048, 1024, 800, 640, 512, 320, 256, 128, 64]"
	if _, err := blogConfig(t, map[string]string{"serverless-arch:thumbnailSizes": nine}); err == nil ||
		!strings.Contains(err.Error(), "9 sizes listed, at most 8") {
		t.Errorf("thumbnailSizes %s: %v, want the function's limit of 8 sizes", nine, err)
	}
}

func TestBlogMailAndThumbnailKeysRejectBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"missing identity", map[string]string{"serverless-arch:blogMailIdentity": "<unset>"},
			"config serverless-arch:blogMailIdentity is missing: want the SES identity of welcome mails"},
		{"identity neither domain nor address", map[string]string{"serverless-arch:blogMailIdentity": "Blog <a@b.com>"},
			`config serverless-arch:blogMailIdentity = "Blog <a@b.com>" is not allowed: want a domain such as myblog.example.com or an address`},
		{"domain identity without sender", map[string]string{"serverless-arch:blogMailIdentity": "myblog.example.com"},
			"config serverless-arch:blogMailSender is missing: want the From address of welcome mails, at the domain myblog.example.com"},
		{"sender outside the domain", map[string]string{"serverless-arch:blogMailIdentity": "myblog.example.com", "serverless-arch:blogMailSender": "a@other.com"},
			`config serverless-arch:blogMailSender = "a@other.com" is not allowed: want an address at the identity domain myblog.example.com`},
		{"sender other than the address identity", map[string]string{"serverless-arch:blogMailSender": "b@example.com"},
			`config serverless-arch:blogMailSender = "b@example.com" is not allowed: want the address identity hello@example.com itself`},
		{"zone for an address identity", map[string]string{"serverless-arch:blogMailHostedZone": "example.com"},
			`config serverless-arch:blogMailHostedZone = "example.com" is not allowed: want the Route 53 zone holding the domain identity`},
		// The range is the thumbnail function's own (functions/thumbnail/settings).
		{"thumbnail size too large", map[string]string{"serverless-arch:thumbnailSizes": "[1024, 9000]"},
			`config serverless-arch:thumbnailSizes = "[1024, 9000]" is not allowed: want a list of whole numbers from 1 to 8192`},
		{"thumbnail size zero", map[string]string{"serverless-arch:thumbnailSizes": "[0]"},
			`config serverless-arch:thumbnailSizes = "[0]" is not allowed: want a list of whole numbers from 1 to 8192`},
		{"duplicate thumbnail sizes", map[string]string{"serverless-arch:thumbnailSizes": "[128, 128]"},
			`config serverless-arch:thumbnailSizes = "[128,128]" is not allowed: want 1 to 8 distinct sizes from 1 to 8192 pixels (128 is listed twice)`},
		{"no thumbnail size", map[string]string{"serverless-arch:thumbnailSizes": "[]"},
			`config serverless-arch:thumbnailSizes = "[]" is not allowed: want 1 to 8 distinct sizes from 1 to 8192 pixels`},
		{"unknown delivery", map[string]string{"serverless-arch:thumbnailDelivery": "kinesis"},
			`config serverless-arch:thumbnailDelivery = "kinesis" is not allowed: want one of "direct", "sqs", "sns"`},
		{"quality out of range", map[string]string{"serverless-arch:thumbnailQuality": "0"},
			`config serverless-arch:thumbnailQuality = "0" is not allowed: want a whole number from 1 to 100`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := blogConfig(t, tc.set)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}
