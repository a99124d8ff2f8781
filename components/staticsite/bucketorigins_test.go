package staticsite_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/staticsite"
)

func TestSiteAttachesThePolicyOfABucketOriginWithReadArn(t *testing.T) {
	thumbs := staticsite.BucketOrigin("thumbnails", pulumi.String("thumbs.s3.eu-west-1.amazonaws.com"))
	thumbs.ReadArn = pulumi.String("arn:aws:s3:::thumbs/thumbnails/*")
	rec := mustRun(t, staticsite.Args{ContentDir: sampleSite(t), Behaviors: []staticsite.Behavior{
		{PathPattern: "/thumbnails/*", Origin: thumbs},
		{PathPattern: "/thumbs/*", Origin: thumbs}, // one origin, one policy
	}})

	pol := rec.Must(t, typeBucketPolicy, "site-thumbnails-bucket-policy")
	if pol.Inputs["bucket"] != "thumbs" {
		t.Errorf("policy attached to bucket %v, want thumbs", pol.Inputs["bucket"])
	}
	own := rec.Outputs["siteDistributionArn"]
	byEffect := map[string]statement{}
	for _, st := range policyStatements(t, pol) {
		byEffect[st.Effect] = st
	}
	deny, allow := byEffect["Deny"], byEffect["Allow"]
	if !reflect.DeepEqual(deny.Resource, []string{"arn:aws:s3:::thumbs", "arn:aws:s3:::thumbs/*"}) ||
		!reflect.DeepEqual(deny.Condition["Bool"]["aws:SecureTransport"], []string{"false"}) {
		t.Errorf("deny statement %+v, want requests without TLS denied on the whole bucket", deny)
	}
	if !reflect.DeepEqual(allow.Resource, []string{"arn:aws:s3:::thumbs/thumbnails/*"}) ||
		!reflect.DeepEqual(allow.Action, []string{"s3:GetObject"}) ||
		!reflect.DeepEqual(allow.Condition["StringEquals"]["AWS:SourceArn"], []string{own.(string)}) {
		t.Errorf("allow statement %+v, want GetObject on ReadArn for distribution %v only", allow, own)
	}
	if n := len(rec.OfType(typeBucketPolicy)); n != 2 {
		t.Errorf("%d bucket policies, want the site's own and the origin's", n)
	}
}

func TestReadArnIsChecked(t *testing.T) {
	api := staticsite.URLOrigin("api", pulumi.String("https://abc.execute-api.eu-west-1.amazonaws.com/v1"))
	api.ReadArn = pulumi.String("arn:aws:s3:::b/*")
	bad := staticsite.BucketOrigin("b", pulumi.String("b.s3.eu-west-1.amazonaws.com"))
	bad.ReadArn = pulumi.String("arn:aws:sqs:eu-west-1:123456789012:q")
	for name, tc := range map[string]struct {
		origin staticsite.Origin
		want   string
	}{
		"not a bucket":   {api, "has a ReadArn but is not a bucket"},
		"not S3 objects": {bad, "is not the ARN of S3 objects"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := runSites(t, staticsite.Args{ContentDir: sampleSite(t), Behaviors: []staticsite.Behavior{{PathPattern: "/x/*", Origin: tc.origin}}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
