package blocks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// QueueArgs configures NewQueue. The zero value is a standard queue with the
// secure defaults: SSE-SQS encryption and (through Queue.AttachPolicy) a
// TLS-only queue policy.
type QueueArgs struct {
	// VisibilityTimeoutSeconds is how long a received message stays hidden
	// (default 30). For a queue that feeds a Lambda function, AWS advises at
	// least six times the function's timeout.
	VisibilityTimeoutSeconds int
	// MessageRetentionSeconds (default 14 days, the maximum). Dead-letter
	// queues keep the maximum so nobody loses a failed event over a long
	// weekend.
	MessageRetentionSeconds int
	// DeadLetter, if set, receives a message after MaxReceiveCount failed
	// receives.
	DeadLetter *Queue
	// MaxReceiveCount before a message moves to DeadLetter (default 5).
	MaxReceiveCount int
	// KMSKeyARN selects SSE-KMS with this key; empty means SSE-SQS, which
	// needs no key policy and accepts messages from S3, SNS and Lambda.
	// (The AWS-managed key alias/aws/sqs does not: those services cannot
	// use it, so a queue encrypted with it silently drops their messages.)
	KMSKeyARN pulumi.StringInput
}

// Queue is an encrypted SQS queue created by NewQueue.
type Queue struct {
	Queue *sqs.Queue

	name string
	opts []pulumi.ResourceOption
	key  pulumi.StringInput
}

// NewQueue creates an encrypted standard queue named name. Call AttachPolicy
// once afterwards to give it its TLS-only queue policy (plus any statements
// that let services send to it).
func NewQueue(ctx *pulumi.Context, name string, args QueueArgs, opts ...pulumi.ResourceOption) (*Queue, error) {
	if args.VisibilityTimeoutSeconds == 0 {
		args.VisibilityTimeoutSeconds = 30
	}
	if args.MessageRetentionSeconds == 0 {
		args.MessageRetentionSeconds = 14 * 24 * 3600
	}
	if args.MaxReceiveCount == 0 {
		args.MaxReceiveCount = 5
	}
	qa := &sqs.QueueArgs{
		VisibilityTimeoutSeconds: pulumi.Int(args.VisibilityTimeoutSeconds),
		MessageRetentionSeconds:  pulumi.Int(args.MessageRetentionSeconds),
	}
	if args.KMSKeyARN != nil {
		qa.KmsMasterKeyId = args.KMSKeyARN
		qa.KmsDataKeyReusePeriodSeconds = pulumi.Int(300)
	} else {
		qa.SqsManagedSseEnabled = pulumi.Bool(true)
	}
	if args.DeadLetter != nil {
		qa.RedrivePolicy = pulumi.JSONMarshal(pulumi.Map{
			"deadLetterTargetArn": args.DeadLetter.Queue.Arn,
			"maxReceiveCount":     pulumi.Int(args.MaxReceiveCount),
		})
	}
	q, err := sqs.NewQueue(ctx, name, qa, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating queue %s: %w", name, err)
	}
	return &Queue{Queue: q, name: name, opts: opts, key: args.KMSKeyARN}, nil
}

// Ref is the queue as its users need it (see QueueRef.Use).
func (q *Queue) Ref() QueueRef { return QueueRef{Arn: q.Queue.Arn, URL: q.Queue.Url, KMSKeyArn: q.key} }

// Arn is the queue's ARN.
func (q *Queue) Arn() pulumi.StringOutput { return q.Queue.Arn }

// URL is the queue's URL.
func (q *Queue) URL() pulumi.StringOutput { return q.Queue.Url }

// AttachPolicy gives the queue its one queue policy: deny any request not
// over TLS, plus the extra statements (for example S3 or SNS sending to it).
// SQS keeps one policy per queue, so call it once. Resources may be left
// nil in extra: they default to this queue.
func (q *Queue) AttachPolicy(ctx *pulumi.Context, extra ...Statement) (*sqs.QueuePolicy, error) {
	stmts := []Statement{DenyInsecureTransport("sqs:*", pulumi.StringArray{q.Queue.Arn})}
	for _, s := range extra {
		if s.Resources == nil {
			s.Resources = pulumi.StringArray{q.Queue.Arn}
		}
		stmts = append(stmts, s)
	}
	p, err := sqs.NewQueuePolicy(ctx, q.name+"-policy", &sqs.QueuePolicyArgs{
		QueueUrl: q.Queue.Url,
		Policy:   PolicyJSON(stmts...),
	}, q.opts...)
	if err != nil {
		return nil, fmt.Errorf("attaching policy to queue %s: %w", q.name, err)
	}
	return p, nil
}
