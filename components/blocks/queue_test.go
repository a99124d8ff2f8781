package blocks_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

func TestQueueIsEncryptedTLSOnlyAndRedrives(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		dlq, err := blocks.NewQueue(ctx, "dlq", blocks.QueueArgs{})
		if err != nil {
			return err
		}
		if _, err := dlq.AttachPolicy(ctx); err != nil {
			return err
		}
		work, err := blocks.NewQueue(ctx, "work", blocks.QueueArgs{
			VisibilityTimeoutSeconds: 180, DeadLetter: dlq, MaxReceiveCount: 3,
			KMSKeyARN: pulumi.String("arn:aws:kms:us-east-1:123456789012:key/k"),
		})
		if err != nil {
			return err
		}
		_, err = work.AttachPolicy(ctx, blocks.Statement{
			Sid:       "AllowS3",
			Principal: blocks.ServicePrincipal("s3.amazonaws.com"),
			Actions:   []string{"sqs:SendMessage"},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	dlq := rec.Must(t, "aws:sqs/queue:Queue", "dlq").Inputs
	if dlq["sqsManagedSseEnabled"] != true || dlq["messageRetentionSeconds"] != 1209600.0 || dlq["visibilityTimeoutSeconds"] != 30.0 {
		t.Errorf("default queue %v", dlq)
	}
	work := rec.Must(t, "aws:sqs/queue:Queue", "work").Inputs
	if work["kmsMasterKeyId"] != "arn:aws:kms:us-east-1:123456789012:key/k" || work["sqsManagedSseEnabled"] != nil || work["visibilityTimeoutSeconds"] != 180.0 {
		t.Errorf("KMS queue %v", work)
	}
	var redrive map[string]any
	if err := json.Unmarshal([]byte(work["redrivePolicy"].(string)), &redrive); err != nil {
		t.Fatal(err)
	}
	if redrive["deadLetterTargetArn"] != "arn:aws:sqs:us-east-1:123456789012:dlq" || redrive["maxReceiveCount"] != 3.0 {
		t.Errorf("redrive %v", redrive)
	}
	pol := rec.Must(t, "aws:sqs/queuePolicy:QueuePolicy", "work-policy").Inputs
	if pol["queueUrl"] != "https://sqs.us-east-1.amazonaws.com/123456789012/work" {
		t.Errorf("policy on %v", pol["queueUrl"])
	}
	doc, err := blocks.ParseDocument(pol["policy"].(string))
	if err != nil {
		t.Fatal(err)
	}
	deny, _ := doc.Find("DenyInsecureTransport")
	if deny.Effect != "Deny" || !slices.Equal(deny.Action, []string{"sqs:*"}) || !slices.Equal(deny.Condition["Bool"]["aws:SecureTransport"], []string{"false"}) {
		t.Errorf("no TLS-only deny: %+v", deny)
	}
	allow, _ := doc.Find("AllowS3")
	if !slices.Equal(allow.Resource, []string{"arn:aws:sqs:us-east-1:123456789012:work"}) {
		t.Errorf("a statement without resources applies to %v, want the queue", allow.Resource)
	}
}

func TestPhysicalName(t *testing.T) {
	var short, long, other string
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		short = blocks.PhysicalName(ctx, "blog mail/welcome", 64)
		long = blocks.PhysicalName(ctx, strings.Repeat("x", 80)+"a", 64)
		other = blocks.PhysicalName(ctx, strings.Repeat("x", 80)+"b", 64)
		return nil
	}, stacktest.Project("serverless-arch"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	if short != "serverless-arch-dev-blog-mail-welcome" {
		t.Errorf("short name %q", short)
	}
	if len(long) != 64 || long == other || !strings.HasPrefix(long, "serverless-arch-dev-xxx") {
		t.Errorf("long names %q and %q: want 64 characters each, distinct", long, other)
	}
}

func TestParseDocumentReadsStringsAndLists(t *testing.T) {
	doc, err := blocks.ParseDocument(`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":["a","b"]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	st := doc.Allowing("s3:GetObject")
	if len(st) != 1 || !slices.Equal(st[0].Action, []string{"s3:GetObject"}) || !slices.Equal(st[0].Resource, []string{"a", "b"}) {
		t.Errorf("parsed %+v", doc)
	}
	if _, err := blocks.ParseDocument(`{"Statement":[{"Action":3}]}`); err == nil {
		t.Error("a number as Action was accepted")
	}
}
