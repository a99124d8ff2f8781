package thumbnails

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// AllowCloudFront attaches the policy of the thumbnails bucket this
// component created with ServedByCloudFront: TLS only, and read access to
// the thumbnails for the given distributions (through their origin access
// control). Call it exactly once, after the distribution exists.
func (p *ThumbnailPipeline) AllowCloudFront(ctx *pulumi.Context, distributionArns ...pulumi.StringInput) (*s3.BucketPolicy, error) {
	switch p.thumbnailsPolicyBy {
	case "caller":
		return nil, fmt.Errorf("thumbnail pipeline %s: the thumbnails bucket was passed in, so its owner attaches its policy; "+
			"add blocks.AllowCloudFrontRead(ThumbnailsObjectsArn, distributionArn) to it", p.name)
	case "New":
		return nil, fmt.Errorf("thumbnail pipeline %s: the thumbnails bucket already has its policy; set ServedByCloudFront to attach it with AllowCloudFront", p.name)
	case "attached":
		return nil, fmt.Errorf("thumbnail pipeline %s: AllowCloudFront was already called; a bucket has one policy, so pass every distribution at once", p.name)
	}
	if len(distributionArns) == 0 {
		return nil, fmt.Errorf("thumbnail pipeline %s: AllowCloudFront needs at least one distribution ARN", p.name)
	}
	pol, err := p.Thumbnails.AttachPolicy(ctx, blocks.AllowCloudFrontRead(p.thumbs.objects(p.thumbnailPrefix), distributionArns...))
	if err != nil {
		return nil, err
	}
	p.thumbnailsPolicyBy = "attached"
	return pol, nil
}

// uses are the function's resources, each with the calls the handler
// makes on it (and, under a customer managed key, the key actions S3 and
// SQS perform for them).
func (p *ThumbnailPipeline) uses(args *Args) []blocks.Use {
	uploads, thumbs := p.uploads.ref(), p.thumbs.ref()
	// Without ListBucket S3 answers 403 instead of 404 for a missing key,
	// and the handler could not tell "not made yet" from "denied"; it also
	// lists the thumbnail prefix's folders to find retired sizes.
	list := uploads.List("TellMissingKeys")
	if p.thumbs.arn != p.uploads.arn {
		list.Resources = pulumi.StringArray{p.uploads.arn, p.thumbs.arn}
	}
	// HeadObject is authorized as GetObject: the handler reads a
	// thumbnail's or skip record's metadata to skip work already done.
	// DeleteObject (DeleteObjects too) removes the thumbnails of deleted
	// uploads, of pictures replaced by something that is not one, and of
	// retired sizes, and stale skip records.
	write := thumbs.Use("WriteThumbnails", "", args.ThumbnailPrefix, "s3:GetObject", "s3:PutObject", "s3:DeleteObject")
	write.Resources = pulumi.StringArray{p.thumbs.objects(args.ThumbnailPrefix), p.thumbs.objects(args.SkipPrefix)}
	uses := []blocks.Use{uploads.Use("ReadUploads", "", args.UploadPrefix, "s3:GetObject"), write, list}
	if args.Delivery == DeliverSQS {
		return append(uses, p.Queue.Ref().Use("ConsumeQueue", "", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"))
	}
	return append(uses, p.DeadLetterQueue.Ref().Use("SendFailedEvents", "", "sqs:SendMessage"))
}
