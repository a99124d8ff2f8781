package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
)

// SweepResult says what a sweep deleted. Done is false when the invocation
// ran out of time: invoke it again.
type SweepResult struct {
	Dirs    []string `json:"dirs"`
	Deleted int      `json:"deleted"`
	Done    bool     `json:"done"`
}

// sweepReserve is the time a sweep keeps to answer.
const sweepReserve = 5 * time.Second

// sweep deletes every object in the retired folders (sizes no longer
// configured, and skip records where earlier versions kept them, in public),
// a thousand keys per request. The deletions of uploads clean up their own
// keys in those folders too, so a sweep cut short loses nothing. The
// ThumbnailPipeline component sends the request (a lambda.Invocation) on
// every deployment that changes the sizes.
func (h *Handler) sweep(ctx context.Context, req settings.SweepRequest) (SweepResult, error) {
	if req.Sweep != settings.SweepRetiredSizes {
		return SweepResult{}, fmt.Errorf("unknown sweep %q: want %q", req.Sweep, settings.SweepRetiredSizes)
	}
	if sizes := settings.JoinSizes(h.Config.sizes()); req.Sizes != "" && req.Sizes != sizes {
		return SweepResult{}, fmt.Errorf("sweep for sizes %s, but the function makes %s: refused, it would delete current thumbnails", req.Sizes, sizes)
	}
	dirs, err := h.retiredDirs(ctx)
	if err != nil {
		return SweepResult{}, err
	}
	res := SweepResult{Dirs: dirs, Done: true}
	for _, dir := range dirs {
		p := s3.NewListObjectsV2Paginator(h.S3, &s3.ListObjectsV2Input{Bucket: aws.String(h.Config.Bucket), Prefix: aws.String(dir)})
		for p.HasMorePages() {
			if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < sweepReserve {
				res.Done = false
				return res, nil
			}
			page, err := p.NextPage(ctx)
			if err != nil {
				return res, fmt.Errorf("listing s3://%s/%s: %w", h.Config.Bucket, dir, err)
			}
			n, err := h.deleteKeys(ctx, page.Contents)
			res.Deleted += n
			if err != nil {
				return res, err
			}
		}
	}
	h.log().Info("swept retired thumbnails", "dirs", dirs, "deleted", res.Deleted, "done", res.Done)
	return res, nil
}

// deleteKeys deletes a page of listed objects with one request.
func (h *Handler) deleteKeys(ctx context.Context, objs []types.Object) (int, error) {
	if len(objs) == 0 {
		return 0, nil
	}
	ids := make([]types.ObjectIdentifier, len(objs))
	for i, o := range objs {
		ids[i] = types.ObjectIdentifier{Key: o.Key}
	}
	out, err := h.S3.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: aws.String(h.Config.Bucket), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
	})
	if err != nil {
		return 0, fmt.Errorf("deleting %d retired thumbnails: %w", len(ids), err)
	}
	if len(out.Errors) > 0 {
		e := out.Errors[0]
		return len(ids) - len(out.Errors), fmt.Errorf("deleting s3://%s/%s: %s: %w", h.Config.Bucket, aws.ToString(e.Key),
			aws.ToString(e.Code), errors.New(aws.ToString(e.Message)))
	}
	return len(ids), nil
}
