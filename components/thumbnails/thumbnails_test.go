package thumbnails_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
)

const (
	typeNotification = "aws:s3/bucketNotification:BucketNotification"
	typePermission   = "aws:lambda/permission:Permission"
	typeRecursion    = "aws:lambda/functionRecursionConfig:FunctionRecursionConfig"
	typeInvokeConfig = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
	typeMapping      = "aws:lambda/eventSourceMapping:EventSourceMapping"
	typeFunction     = "aws:lambda/function:Function"
	typeQueue        = "aws:sqs/queue:Queue"
	typeQueuePolicy  = "aws:sqs/queuePolicy:QueuePolicy"
	typeTopic        = "aws:sns/topic:Topic"
	typeTopicPolicy  = "aws:sns/topicPolicy:TopicPolicy"
	typeSubscription = "aws:sns/topicSubscription:TopicSubscription"
	typeKey          = "aws:kms/key:Key"
	typeBucketPolicy = "aws:s3/bucketPolicy:BucketPolicy"
	typeRolePolicy   = "aws:iam/rolePolicy:RolePolicy"

	account    = "123456789012"
	fnArn      = "arn:aws:lambda:us-east-1:123456789012:function:pics-fn"
	uploadsArn = "arn:aws:s3:::pics-uploads"
	thumbsArn  = "arn:aws:s3:::pics-thumbnails"
	dlqArn     = "arn:aws:sqs:us-east-1:123456789012:pics-dlq"
)

func run(t *testing.T, args thumbnails.Args) *stacktest.Recording {
	t.Helper()
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := thumbnails.New(ctx, "pics", args)
		return err
	}, stacktest.Project("serverless-arch"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func baseArgs(d thumbnails.Delivery) thumbnails.Args {
	return thumbnails.Args{UploadPrefix: "uploads/", Delivery: d, LogRetentionDays: 7}
}

// notification returns the one notification of the uploads bucket.
func notification(t *testing.T, rec *stacktest.Recording, bucket string) map[string]any {
	t.Helper()
	var found []stacktest.Resource
	for _, n := range rec.OfType(typeNotification) {
		if n.Inputs["bucket"] == bucket {
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d notifications on bucket %s, want exactly 1 (a second one overwrites the first)", len(found), bucket)
	}
	return found[0].Inputs
}

// checkRules checks that the notification's rules of kind (lambdaFunctions,
// queues, topics) cover every default suffix under the upload prefix and
// send to target.
func checkRules(t *testing.T, n map[string]any, kind, arnKey, target string) {
	t.Helper()
	rules, _ := n[kind].([]any)
	var suffixes []string
	for _, r := range rules {
		m := r.(map[string]any)
		if m[arnKey] != target {
			t.Errorf("%s rule sends to %v, want %s", kind, m[arnKey], target)
		}
		// Lifecycle rules delete uploads too: their thumbnails must go.
		if m["filterPrefix"] != "uploads/" || !slices.Equal(toStrings(m["events"]), []string{"s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:LifecycleExpiration:*"}) {
			t.Errorf("%s rule filters prefix %v, events %v", kind, m["filterPrefix"], m["events"])
		}
		suffixes = append(suffixes, m["filterSuffix"].(string))
	}
	if !slices.Equal(suffixes, thumbnails.DefaultSuffixes) {
		t.Errorf("%s suffixes %v, want %v", kind, suffixes, thumbnails.DefaultSuffixes)
	}
	for _, other := range []string{"lambdaFunctions", "queues", "topics"} {
		if other != kind && n[other] != nil && len(n[other].([]any)) > 0 {
			t.Errorf("notification also has %s: %v", other, n[other])
		}
	}
}

func policyDoc(t *testing.T, raw any) blocks.Document {
	t.Helper()
	doc, err := blocks.ParseDocument(raw.(string))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestDirectDelivery(t *testing.T) {
	rec := run(t, baseArgs(""))
	checkRules(t, notification(t, rec, "pics-uploads"), "lambdaFunctions", "lambdaFunctionArn", fnArn)

	perms := rec.OfType(typePermission)
	if len(perms) != 1 {
		t.Fatalf("%d permissions, want 1", len(perms))
	}
	p := perms[0].Inputs
	if p["principal"] != "s3.amazonaws.com" || p["sourceArn"] != uploadsArn || p["sourceAccount"] != account || p["function"] != "pics-fn" || p["action"] != "lambda:InvokeFunction" {
		t.Errorf("permission %v, want s3 invoking pics-fn from %s in %s only", p, uploadsArn, account)
	}
	inv := rec.Must(t, typeInvokeConfig, "pics-async").Inputs
	if inv["functionName"] != "pics-fn" || inv["maximumRetryAttempts"] != 2.0 || inv["maximumEventAgeInSeconds"] != 3600.0 {
		t.Errorf("invoke config %v", inv)
	}
	if got := inv["destinationConfig"].(map[string]any)["onFailure"].(map[string]any)["destination"]; got != dlqArn {
		t.Errorf("on-failure destination %v, want the dead-letter queue %s", got, dlqArn)
	}
	checkDLQ(t, rec)
}

func checkDLQ(t *testing.T, rec *stacktest.Recording) {
	t.Helper()
	q := rec.Must(t, typeQueue, "pics-dlq")
	if q.Inputs["sqsManagedSseEnabled"] != true {
		t.Error("dead-letter queue is not encrypted")
	}
	doc := policyDoc(t, rec.Must(t, typeQueuePolicy, "pics-dlq-policy").Inputs["policy"])
	deny, ok := doc.Find("DenyInsecureTransport")
	if !ok || deny.Effect != "Deny" || !slices.Equal(deny.Resource, []string{dlqArn}) {
		t.Errorf("dead-letter queue policy is not TLS-only: %+v", doc)
	}
}

func TestAsyncRetriesCanBeTurnedOff(t *testing.T) {
	args := baseArgs("")
	args.MaximumRetryAttempts = -1
	args.MaximumEventAgeSeconds = 600
	inv := run(t, args).Must(t, typeInvokeConfig, "pics-async").Inputs
	if inv["maximumRetryAttempts"] != 0.0 || inv["maximumEventAgeInSeconds"] != 600.0 {
		t.Errorf("invoke config %v, want no retries and 600 s", inv)
	}
}

func TestRecursionDetectionTerminates(t *testing.T) {
	for _, d := range []thumbnails.Delivery{thumbnails.DeliverDirect, thumbnails.DeliverSQS, thumbnails.DeliverSNS} {
		rec := run(t, baseArgs(d))
		rc := rec.Must(t, typeRecursion, "pics-recursion").Inputs
		if rc["functionName"] != "pics-fn" || rc["recursiveLoop"] != "Terminate" {
			t.Errorf("%s: recursion config %v, want pics-fn Terminate", d, rc)
		}
	}
}

func TestSQSDelivery(t *testing.T) {
	rec := run(t, baseArgs(thumbnails.DeliverSQS))
	queueArn := "arn:aws:sqs:us-east-1:123456789012:pics-queue"
	checkRules(t, notification(t, rec, "pics-uploads"), "queues", "queueArn", queueArn)

	q := rec.Must(t, typeQueue, "pics-queue").Inputs
	var redrive struct {
		DeadLetterTargetArn string
		MaxReceiveCount     float64
	}
	if err := json.Unmarshal([]byte(q["redrivePolicy"].(string)), &redrive); err != nil {
		t.Fatal(err)
	}
	if redrive.DeadLetterTargetArn != dlqArn || redrive.MaxReceiveCount != 5 {
		t.Errorf("redrive %+v, want the DLQ after 5 receives", redrive)
	}
	if q["visibilityTimeoutSeconds"] != 360.0 || q["sqsManagedSseEnabled"] != true {
		t.Errorf("queue visibility %v encrypted %v; want 6 × 60 s and SSE", q["visibilityTimeoutSeconds"], q["sqsManagedSseEnabled"])
	}
	doc := policyDoc(t, rec.Must(t, typeQueuePolicy, "pics-queue-policy").Inputs["policy"])
	allow, ok := doc.Find("AllowUploadsBucket")
	if !ok || allow.Principal["Service"] != "s3.amazonaws.com" || !slices.Equal(allow.Resource, []string{queueArn}) ||
		!slices.Equal(allow.Condition["ArnEquals"]["aws:SourceArn"], []string{uploadsArn}) ||
		!slices.Equal(allow.Condition["StringEquals"]["aws:SourceAccount"], []string{account}) {
		t.Errorf("queue policy does not let exactly this bucket send: %+v", allow)
	}
	if _, ok := doc.Find("DenyInsecureTransport"); !ok {
		t.Error("queue policy is not TLS-only")
	}
	m := rec.Must(t, typeMapping, "pics-mapping").Inputs
	if m["eventSourceArn"] != queueArn || m["functionName"] != fnArn || !slices.Equal(toStrings(m["functionResponseTypes"]), []string{"ReportBatchItemFailures"}) {
		t.Errorf("mapping %v", m)
	}
	if got := m["scalingConfig"].(map[string]any)["maximumConcurrency"]; got != 5.0 {
		t.Errorf("mapping concurrency %v, want the reserved concurrency 5", got)
	}
	if len(rec.OfType(typePermission)) != 0 || len(rec.OfType(typeInvokeConfig)) != 0 {
		t.Error("SQS delivery needs no invoke permission or async config")
	}
	role := policyDoc(t, rec.Must(t, typeRolePolicy, "pics-fn-policy").Inputs["policy"])
	consume, ok := role.Find("ConsumeQueue")
	if !ok || !slices.Equal(consume.Resource, []string{queueArn}) {
		t.Errorf("role cannot consume exactly its queue: %+v", consume)
	}
	checkDLQ(t, rec)
}

func TestSNSDelivery(t *testing.T) {
	rec := run(t, baseArgs(thumbnails.DeliverSNS))
	topicArn := "arn:aws:sns:us-east-1:123456789012:pics-topic"
	checkRules(t, notification(t, rec, "pics-uploads"), "topics", "topicArn", topicArn)

	topic := rec.Must(t, typeTopic, "pics-topic").Inputs
	key := rec.Must(t, typeKey, "pics-topic-key")
	if topic["kmsMasterKeyId"] == nil || !strings.HasPrefix(topic["kmsMasterKeyId"].(string), "arn:aws:kms:us-east-1:123456789012:key/") {
		t.Errorf("topic encrypted with %v, want the component's key", topic["kmsMasterKeyId"])
	}
	keyDoc := policyDoc(t, key.Inputs["policy"])
	if s3Use, ok := keyDoc.Find("UploadsBucketPublishesEncrypted"); !ok || !slices.Equal(s3Use.Condition["ArnEquals"]["aws:SourceArn"], []string{uploadsArn}) {
		t.Errorf("key policy does not let exactly the uploads bucket use the key: %+v", keyDoc)
	}
	doc := policyDoc(t, rec.Must(t, typeTopicPolicy, "pics-topic-policy").Inputs["policy"])
	allow, ok := doc.Find("AllowUploadsBucket")
	if !ok || !slices.Equal(allow.Action, []string{"sns:Publish"}) || !slices.Equal(allow.Condition["ArnEquals"]["aws:SourceArn"], []string{uploadsArn}) {
		t.Errorf("topic policy %+v", doc)
	}
	if _, ok := doc.Find("DenyInsecureTransport"); !ok {
		t.Error("topic policy is not TLS-only")
	}
	sub := rec.Must(t, typeSubscription, "pics-subscription").Inputs
	if sub["topic"] != topicArn || sub["protocol"] != "lambda" || sub["endpoint"] != fnArn {
		t.Errorf("subscription %v", sub)
	}
	if !strings.Contains(sub["redrivePolicy"].(string), dlqArn) {
		t.Errorf("subscription redrive %v, want the DLQ", sub["redrivePolicy"])
	}
	perm := rec.Must(t, typePermission, "pics-sns-invoke").Inputs
	if perm["principal"] != "sns.amazonaws.com" || perm["sourceArn"] != topicArn {
		t.Errorf("permission %v, want SNS from the topic only", perm)
	}
	if dest := rec.Must(t, typeInvokeConfig, "pics-async").Inputs["destinationConfig"].(map[string]any)["onFailure"].(map[string]any)["destination"]; dest != dlqArn {
		t.Errorf("on-failure destination %v", dest)
	}
	dlqDoc := policyDoc(t, rec.Must(t, typeQueuePolicy, "pics-dlq-policy").Inputs["policy"])
	if redrive, ok := dlqDoc.Find("AllowTopicRedrive"); !ok || !slices.Equal(redrive.Condition["ArnEquals"]["aws:SourceArn"], []string{topicArn}) {
		t.Errorf("DLQ does not accept exactly this topic's redrive: %+v", dlqDoc)
	}
}

// The function's environment is exactly what package settings reads (the
// function's own parsing), and it reads back the arguments: a variable
// renamed on one side only fails here, not in a deployed function.
func TestFunctionReadsItsEnvironment(t *testing.T) {
	args := baseArgs(thumbnails.DeliverSQS)
	args.Sizes, args.Format, args.Quality, args.KeepAfterUploadDeleted = []int{640, 64}, "png", 90, true
	rec := run(t, args)
	env := rec.Must(t, typeFunction, "pics-fn").Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	read := map[string]bool{}
	got, err := settings.Load(func(k string) string {
		read[k] = true
		v, _ := env[k].(string)
		return v
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range env {
		if !read[k] {
			t.Errorf("the pipeline sets %s, which the function never reads", k)
		}
	}
	for k := range read {
		if _, ok := env[k]; !ok {
			t.Errorf("the function reads %s, which the pipeline does not set", k)
		}
	}
	want := settings.Env{Bucket: "pics-thumbnails", Prefix: thumbnails.DefaultThumbnailPrefix, SkipPrefix: thumbnails.DefaultSkipPrefix,
		UploadPrefix: "uploads/", Sizes: []int{640, 64}, Format: "png", Quality: 90,
		MaxSourceBytes: thumbnails.DefaultMaxSourceBytes, MaxPixels: thumbnails.DefaultMaxPixels, KeepDeleted: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the function reads\n %+v\nwant\n %+v", got, want)
	}
}

func TestFunction(t *testing.T) {
	args := baseArgs("")
	args.Sizes = []int{800, 200}
	args.Format = "jpeg"
	args.Quality = 70
	rec := run(t, args)
	fn := rec.Must(t, typeFunction, "pics-fn").Inputs
	env := fn["environment"].(map[string]any)["variables"].(map[string]any)
	for k, v := range map[string]string{
		"THUMBNAIL_BUCKET":          "pics-thumbnails",
		"THUMBNAIL_PREFIX":          "thumbnails/",
		"SKIP_PREFIX":               "thumbnail-skips/",
		"UPLOAD_PREFIX":             "uploads/",
		"KEEP_AFTER_UPLOAD_DELETED": "false",
		"SIZES":                     "800,200",
		"FORMAT":                    "jpeg",
		"QUALITY":                   "70",
		"MAX_SOURCE_BYTES":          "52428800",
		"MAX_PIXELS":                "50000000",
	} {
		if env[k] != v {
			t.Errorf("%s = %v, want %s", k, env[k], v)
		}
	}
	if fn["memorySize"] != 1024.0 || fn["timeout"] != 60.0 || fn["reservedConcurrentExecutions"] != 5.0 {
		t.Errorf("memory %v timeout %v reserved %v", fn["memorySize"], fn["timeout"], fn["reservedConcurrentExecutions"])
	}

	role := policyDoc(t, rec.Must(t, typeRolePolicy, "pics-fn-policy").Inputs["policy"])
	want := map[string][]string{
		"s3:GetObject":    {uploadsArn + "/uploads/*", thumbsArn + "/thumbnails/*", thumbsArn + "/thumbnail-skips/*"},
		"s3:PutObject":    {thumbsArn + "/thumbnails/*", thumbsArn + "/thumbnail-skips/*"},
		"s3:DeleteObject": {thumbsArn + "/thumbnails/*", thumbsArn + "/thumbnail-skips/*"},
		"s3:ListBucket":   {uploadsArn, thumbsArn},
		"sqs:SendMessage": {dlqArn},
	}
	granted := map[string][]string{}
	for _, st := range role.Statement {
		for _, a := range st.Action {
			if !strings.HasPrefix(a, "logs:") && !strings.HasPrefix(a, "xray:") {
				granted[a] = append(granted[a], st.Resource...)
			}
		}
	}
	for a, r := range want {
		if !slices.Equal(granted[a], r) {
			t.Errorf("%s on %v, want %v", a, granted[a], r)
		}
	}
	for a := range granted {
		if _, ok := want[a]; !ok {
			t.Errorf("role may also %s", a)
		}
	}
}

func TestRefusesOverlappingLocations(t *testing.T) {
	for _, tc := range []struct{ upload, thumbs string }{
		{"", "thumbnails/"},
		{"uploads/", "uploads/thumbnails/"},
		{"media/thumbnails/raw/", "media/thumbnails/"},
		{"pics/", "pics/"},
	} {
		_, err := stacktest.Run(func(ctx *pulumi.Context) error {
			b, err := blocks.NewBucket(ctx, "shared", blocks.BucketArgs{})
			if err != nil {
				return err
			}
			_, err = thumbnails.New(ctx, "pics", thumbnails.Args{UploadsBucket: b.Bucket.Bucket, ThumbnailsBucket: b.Bucket.Bucket, UploadPrefix: tc.upload, ThumbnailPrefix: tc.thumbs})
			return err
		})
		if err == nil {
			t.Errorf("uploads %q and thumbnails %q in one bucket were accepted", tc.upload, tc.thumbs)
			continue
		}
		// Once: as the function's own check (uploads inside the thumbnail
		// prefix) or as the pipeline's (the other way round, or the whole
		// bucket).
		msg := err.Error()
		inside := `UploadPrefix "` + tc.upload + `" is inside ThumbnailPrefix "` + tc.thumbs + `"`
		overlap := `uploads location (prefix "` + tc.upload + `") and thumbnails location (prefix "` + tc.thumbs + `")`
		if strings.Contains(msg, inside) == strings.Contains(msg, overlap) {
			t.Errorf("error %q, want exactly one of %q and %q", msg, inside, overlap)
		}
	}
}

func TestSharedBucketWithDisjointPrefixes(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		b, err := blocks.NewBucket(ctx, "media", blocks.BucketArgs{})
		if err != nil {
			return err
		}
		_, err = thumbnails.New(ctx, "pics", thumbnails.Args{UploadsBucket: b.Bucket.Bucket, ThumbnailsBucket: b.Bucket.Bucket, UploadPrefix: "uploads/", ThumbnailPrefix: "thumbnails/"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, notification(t, rec, "media"), "lambdaFunctions", "lambdaFunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:pics-fn")
	role := policyDoc(t, rec.Must(t, typeRolePolicy, "pics-fn-policy").Inputs["policy"])
	if list, _ := role.Find("TellMissingKeys"); !slices.Equal(list.Resource, []string{"arn:aws:s3:::media"}) {
		t.Errorf("ListBucket on %v, want the one shared bucket", list.Resource)
	}
	if len(rec.OfType(typeBucketPolicy)) != 0 {
		t.Error("the component attached a policy to a bucket it does not own")
	}
}

func TestExtraRoutesShareTheNotification(t *testing.T) {
	args := baseArgs("")
	// The audit route takes the removals of the same keys, which S3 allows
	// only when the pipeline leaves them.
	args.KeepAfterUploadDeleted = true
	args.ExtraQueues = s3.BucketNotificationQueueArray{&s3.BucketNotificationQueueArgs{
		Id:           pulumi.String("audit"),
		Events:       pulumi.StringArray{pulumi.String("s3:ObjectRemoved:*")},
		FilterPrefix: pulumi.String("uploads/"),
		QueueArn:     pulumi.String("arn:aws:sqs:us-east-1:123456789012:audit"),
	}}
	rec := run(t, args)
	n := notification(t, rec, "pics-uploads")
	queues, _ := n["queues"].([]any)
	if len(queues) != 1 || queues[0].(map[string]any)["queueArn"] != "arn:aws:sqs:us-east-1:123456789012:audit" {
		t.Errorf("extra queue route missing from the one notification: %v", n["queues"])
	}
	own := n["lambdaFunctions"].([]any)
	if len(own) != len(thumbnails.DefaultSuffixes) {
		t.Errorf("the pipeline's own routes are gone: %v", n["lambdaFunctions"])
	}
	for _, r := range own {
		if ev := toStrings(r.(map[string]any)["events"]); !slices.Equal(ev, []string{"s3:ObjectCreated:*"}) {
			t.Errorf("pipeline route on %v, want only s3:ObjectCreated:* when thumbnails are kept", ev)
		}
	}
	env := rec.Must(t, typeFunction, "pics-fn").Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	if env["KEEP_AFTER_UPLOAD_DELETED"] != "true" {
		t.Errorf("the function is not told to keep the thumbnails of deleted uploads: %v", env)
	}
}

func TestAllowCloudFront(t *testing.T) {
	const dist = "arn:aws:cloudfront::123456789012:distribution/E123"
	var second, callerOwned error
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		args := baseArgs("")
		args.ServedByCloudFront = true
		p, err := thumbnails.New(ctx, "pics", args)
		if err != nil {
			return err
		}
		if _, err := p.AllowCloudFront(ctx, pulumi.String(dist)); err != nil {
			return err
		}
		_, second = p.AllowCloudFront(ctx, pulumi.String(dist))

		b, err := blocks.NewBucket(ctx, "own", blocks.BucketArgs{})
		if err != nil {
			return err
		}
		q, err := thumbnails.New(ctx, "other", thumbnails.Args{UploadsBucket: b.Bucket.Bucket, ThumbnailsBucket: b.Bucket.Bucket, UploadPrefix: "in/", ThumbnailPrefix: "out/"})
		if err != nil {
			return err
		}
		_, callerOwned = q.AllowCloudFront(ctx, pulumi.String(dist))
		return nil
	}, stacktest.Project("serverless-arch"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	doc := policyDoc(t, rec.Must(t, typeBucketPolicy, "pics-thumbnails-policy").Inputs["policy"])
	read, ok := doc.Find("AllowCloudFrontRead")
	// Not the bucket: the skip records beside the thumbnails stay private.
	if !ok || !slices.Equal(read.Resource, []string{thumbsArn + "/thumbnails/*"}) || !slices.Equal(read.Condition["StringEquals"]["AWS:SourceArn"], []string{dist}) {
		t.Errorf("thumbnails bucket policy does not let exactly this distribution read the thumbnails: %+v", doc)
	}
	if _, ok := doc.Find("DenyInsecureTransport"); !ok {
		t.Error("thumbnails bucket policy is not TLS-only")
	}
	if second == nil || !strings.Contains(second.Error(), "already called") {
		t.Errorf("second AllowCloudFront: %v", second)
	}
	if callerOwned == nil || !strings.Contains(callerOwned.Error(), "its owner attaches its policy") {
		t.Errorf("AllowCloudFront on a caller's bucket: %v", callerOwned)
	}
}

func TestPassesPolicyRules(t *testing.T) {
	for _, d := range []thumbnails.Delivery{thumbnails.DeliverDirect, thumbnails.DeliverSQS, thumbnails.DeliverSNS} {
		t.Run(string(d), func(t *testing.T) {
			args := baseArgs(d)
			args.AccessLogsBucket = pulumi.String("access-logs")
			args.Protect = true
			rec := run(t, args)
			report := policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.Production(true), policy.WithConstraints())
			if err := report.Err(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRefusesBadArgs(t *testing.T) {
	for _, tc := range []struct {
		args thumbnails.Args
		want string
	}{
		{thumbnails.Args{Delivery: "kinesis"}, `Delivery "kinesis"`},
		// The function's own checks (package settings), naming the
		// arguments rather than the variables they become.
		{thumbnails.Args{Sizes: []int{0}}, "Sizes: 0 must be within 1..8192"},
		{thumbnails.Args{Sizes: []int{128, 128}}, "128 is listed twice"},
		{thumbnails.Args{Format: "gif"}, `Format "gif" must be auto, jpeg, png`},
		{thumbnails.Args{Quality: 101}, "Quality 101 must be within 1..100"},
		// The function refuses uploads inside the thumbnail prefix even in
		// another bucket: it cannot know the uploads bucket at start-up.
		{thumbnails.Args{UploadPrefix: "thumbnails/raw/"}, `UploadPrefix "thumbnails/raw/" is inside ThumbnailPrefix`},
		{thumbnails.Args{UploadPrefix: "/uploads/"}, "must not start with /"},
		{thumbnails.Args{MaximumRetryAttempts: 3}, "at most twice"},
		{thumbnails.Args{Suffixes: []string{".jpg", ".jpg"}}, "distinct, non-empty suffixes"},
		// Skip records name buckets, keys and failures: never public.
		{thumbnails.Args{SkipPrefix: "thumbnails/_skipped/"}, `SkipPrefix "thumbnails/_skipped/" and ThumbnailPrefix "thumbnails/" overlap`},
		{thumbnails.Args{ThumbnailPrefix: "t/", SkipPrefix: "/skips/"}, "must not start with /"},
	} {
		_, err := stacktest.Run(func(ctx *pulumi.Context) error {
			_, err := thumbnails.New(ctx, "pics", tc.args)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

// Buckets a user made with plain pulumi-aws resources are passed by name:
// the pipeline notifies from the uploads one, writes to the thumbnails
// one, grants exactly those ARNs, and leaves both buckets' policies to
// their owner.
func TestBringYourOwnBuckets(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		up, err := s3.NewBucketV2(ctx, "my-uploads", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		p, err := thumbnails.New(ctx, "pics", thumbnails.Args{
			UploadsBucket:    up.Bucket,
			UploadPrefix:     "uploads/",
			ThumbnailsBucket: pulumi.String("my-existing-thumbs"),
		})
		if err != nil {
			return err
		}
		ctx.Export("domain", p.ThumbnailsDomainName)
		return nil
	}, stacktest.Config("aws:region", "eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	checkRules(t, notification(t, rec, "my-uploads"), "lambdaFunctions", "lambdaFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:pics-fn")
	if got := rec.Outputs["domain"]; got != "my-existing-thumbs.s3.eu-west-1.amazonaws.com" {
		t.Errorf("thumbnails domain = %v", got)
	}
	for _, typ := range []string{"aws:s3/bucketV2:BucketV2", "aws:s3/bucketPolicy:BucketPolicy"} {
		for _, r := range rec.OfType(typ) {
			if r.Name != "my-uploads" {
				t.Errorf("the pipeline created %s %s for buckets it was given", typ, r.Name)
			}
		}
	}
	doc := policyDoc(t, rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "pics-fn-policy").Inputs["policy"])
	read, _ := doc.Find("ReadUploads")
	write, _ := doc.Find("WriteThumbnails")
	if !slices.Equal(read.Resource, []string{"arn:aws:s3:::my-uploads/uploads/*"}) ||
		!slices.Equal(write.Resource, []string{"arn:aws:s3:::my-existing-thumbs/thumbnails/*", "arn:aws:s3:::my-existing-thumbs/thumbnail-skips/*"}) {
		t.Errorf("grants read %v, write %v; want the two buckets passed in", read.Resource, write.Resource)
	}
}

// A deployment that changes the sizes invokes the function once with a
// sweep request naming them; the sweep removes the retired sizes'
// thumbnails.
func TestSweepOnEveryNewSetOfSizes(t *testing.T) {
	args := baseArgs("")
	args.Sizes = []int{640, 160}
	rec := run(t, args)
	inv := rec.Must(t, "aws:lambda/invocation:Invocation", "pics-sweep")
	if inv.Inputs["functionName"] != "pics-fn" || inv.Inputs["input"] != `{"sizes":"640,160","sweep":"retired-sizes"}` {
		t.Errorf("sweep invocation %v", inv.Inputs)
	}
	if triggers, _ := inv.Inputs["triggers"].(map[string]any); triggers["sizes"] != "640,160" {
		t.Errorf("sweep triggers %v, want the sizes", inv.Inputs["triggers"])
	}
}
