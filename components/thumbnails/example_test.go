package thumbnails_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
)

// A blog lets users upload pictures under uploads/ and serves their
// thumbnails through its CloudFront distribution: the pipeline creates both
// buckets, and leaves the thumbnails bucket's policy to AllowCloudFront,
// called once the distribution (here a stand-in ARN) exists.
func Example() {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		p, err := thumbnails.New(ctx, "pics", thumbnails.Args{
			UploadPrefix:       "uploads/",
			ThumbnailPrefix:    "thumbnails/", // served as /thumbnails/*
			Sizes:              []int{1024, 256},
			Delivery:           thumbnails.DeliverSQS,
			ServedByCloudFront: true,
		})
		if err != nil {
			return err
		}
		// site := staticsite.New(... staticsite.BucketOrigin("thumbnails", p.ThumbnailsDomainName) ...)
		_, err = p.AllowCloudFront(ctx, pulumi.String("arn:aws:cloudfront::123456789012:distribution/EXAMPLE"))
		return err
	}, stacktest.Project("serverless-arch"), stacktest.Stack("dev"))
	if err != nil {
		fmt.Println(err)
		return
	}
	n, _ := rec.Get("aws:s3/bucketNotification:BucketNotification", "pics-notification")
	first := n.Inputs["queues"].([]any)[0].(map[string]any)
	fmt.Println("bucket:", n.Inputs["bucket"])
	fmt.Println("first rule:", first["filterPrefix"], first["filterSuffix"], "->", first["queueArn"])
	rc, _ := rec.Get("aws:lambda/functionRecursionConfig:FunctionRecursionConfig", "pics-recursion")
	fmt.Println("recursive loops:", rc.Inputs["recursiveLoop"])
	// Output:
	// bucket: pics-uploads
	// first rule: uploads/ .jpg -> arn:aws:sqs:us-east-1:123456789012:pics-queue
	// recursive loops: Terminate
}
