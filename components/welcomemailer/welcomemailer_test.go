package welcomemailer_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/welcomemailer"
	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

const (
	typeMapping  = "aws:lambda/eventSourceMapping:EventSourceMapping"
	typeFunction = "aws:lambda/function:Function"
	typeQueue    = "aws:sqs/queue:Queue"
	typeQueuePol = "aws:sqs/queuePolicy:QueuePolicy"
	typeTable    = "aws:dynamodb/table:Table"
	typeIdentity = "aws:sesv2/emailIdentity:EmailIdentity"
	typeConfig   = "aws:sesv2/configurationSet:ConfigurationSet"
	typeTemplate = "aws:ses/template:Template"
	typeRecord   = "aws:route53/record:Record"
	typeRolePol  = "aws:iam/rolePolicy:RolePolicy"

	homeStream    = "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2026-01-01T00:00:00.000"
	replicaStream = "arn:aws:dynamodb:eu-west-1:123456789012:table/users/stream/2026-01-01T00:00:00.000"
)

// usersTable is a global users table with a replica, as the blog creates it:
// the mocks give it a home stream and a stream per replica.
func usersTable(ctx *pulumi.Context) (*dynamodb.Table, error) {
	return dynamodb.NewTable(ctx, "users", &dynamodb.TableArgs{
		Name:           pulumi.String("users"),
		HashKey:        pulumi.String("pk"),
		Attributes:     dynamodb.TableAttributeArray{&dynamodb.TableAttributeArgs{Name: pulumi.String("pk"), Type: pulumi.String("S")}},
		StreamEnabled:  pulumi.Bool(true),
		StreamViewType: pulumi.String("NEW_IMAGE"),
		Replicas:       dynamodb.TableReplicaTypeArray{&dynamodb.TableReplicaTypeArgs{RegionName: pulumi.String("eu-west-1")}},
	})
}

func run(t *testing.T, args welcomemailer.Args) *stacktest.Recording {
	t.Helper()
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		users, err := usersTable(ctx)
		if err != nil {
			return err
		}
		args.StreamArn = users.StreamArn
		args.TableArn = users.Arn
		_, err = welcomemailer.New(ctx, "mail", args)
		return err
	}, stacktest.Project("serverless-arch"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func domainArgs() welcomemailer.Args {
	return welcomemailer.Args{Identity: "example.com", Sender: "welcome@example.com", LogRetentionDays: 7}
}

func TestMappingReadsTheHomeStreamOnly(t *testing.T) {
	rec := run(t, domainArgs())
	mappings := rec.OfType(typeMapping)
	if len(mappings) != 1 {
		t.Fatalf("%d event-source mappings, want exactly one (one per replica would mail each user once per region)", len(mappings))
	}
	m := mappings[0].Inputs
	if m["eventSourceArn"] != homeStream {
		t.Errorf("mapping reads %v, want the home region's stream %s", m["eventSourceArn"], homeStream)
	}
	if m["eventSourceArn"] == replicaStream {
		t.Error("mapping reads the replica's stream")
	}
	fn := rec.Must(t, typeFunction, "mail-fn")
	if m["functionName"] != "arn:aws:lambda:us-east-1:123456789012:function:mail-fn" {
		t.Errorf("mapping invokes %v, want the mailer function", m["functionName"])
	}
	if m["startingPosition"] != "LATEST" || m["bisectBatchOnFunctionError"] != true || m["parallelizationFactor"] != 1.0 {
		t.Errorf("startingPosition %v, bisect %v, parallelization %v; want LATEST, true and one batch per shard",
			m["startingPosition"], m["bisectBatchOnFunctionError"], m["parallelizationFactor"])
	}
	if m["maximumRetryAttempts"] != 5.0 || m["maximumRecordAgeInSeconds"] != 3600.0 {
		t.Errorf("retries %v, record age %v; want bounded 5 and 3600", m["maximumRetryAttempts"], m["maximumRecordAgeInSeconds"])
	}
	if got := m["functionResponseTypes"]; !slices.Equal(toStrings(got), []string{"ReportBatchItemFailures"}) {
		t.Errorf("functionResponseTypes %v", got)
	}
	filters := m["filterCriteria"].(map[string]any)["filters"].([]any)
	if len(filters) != 1 || filters[0].(map[string]any)["pattern"] != `{"eventName":["INSERT"],"dynamodb":{"NewImage":{"entity":{"S":["user"]}}}}` {
		t.Errorf("filters %v, want INSERT of entity user", filters)
	}
	dest := m["destinationConfig"].(map[string]any)["onFailure"].(map[string]any)["destinationArn"]
	queue := rec.Must(t, typeQueue, "mail-failures")
	if dest != "arn:aws:sqs:us-east-1:123456789012:mail-failures" {
		t.Errorf("on-failure destination %v, want the failure queue's ARN", dest)
	}
	if queue.Parent == "" || fn.Parent == "" {
		t.Error("queue and function must be children of the component")
	}
}

func TestFailureQueueIsEncryptedAndTLSOnly(t *testing.T) {
	rec := run(t, domainArgs())
	q := rec.Must(t, typeQueue, "mail-failures")
	if q.Inputs["sqsManagedSseEnabled"] != true {
		t.Errorf("failure queue not encrypted: %v", q.Inputs)
	}
	if q.Inputs["messageRetentionSeconds"] != 1209600.0 {
		t.Errorf("failure queue keeps messages %v s, want 14 days", q.Inputs["messageRetentionSeconds"])
	}
	pol := rec.Must(t, typeQueuePol, "mail-failures-policy")
	if pol.Inputs["queueUrl"] != "https://sqs.us-east-1.amazonaws.com/123456789012/mail-failures" {
		t.Errorf("queue policy applies to %v", pol.Inputs["queueUrl"])
	}
	doc, err := blocks.ParseDocument(pol.Inputs["policy"].(string))
	if err != nil {
		t.Fatal(err)
	}
	deny, ok := doc.Find("DenyInsecureTransport")
	if !ok || deny.Effect != "Deny" || !slices.Equal(deny.Resource, []string{"arn:aws:sqs:us-east-1:123456789012:mail-failures"}) ||
		!slices.Equal(deny.Condition["Bool"]["aws:SecureTransport"], []string{"false"}) {
		t.Errorf("queue policy has no TLS-only deny on the queue: %+v", doc)
	}
}

func TestRoleIsScopedToThisStreamIdentityQueueAndLedger(t *testing.T) {
	rec := run(t, domainArgs())
	doc, err := blocks.ParseDocument(rec.Must(t, typeRolePol, "mail-fn-policy").Inputs["policy"].(string))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"dynamodb:GetRecords":       {homeStream},
		"dynamodb:GetShardIterator": {homeStream},
		"dynamodb:DescribeStream":   {homeStream},
		"dynamodb:ListStreams":      {"*"},
		"ses:SendEmail": {
			"arn:aws:ses:us-east-1:123456789012:identity/example.com",
			"arn:aws:ses:us-east-1:123456789012:configuration-set/serverless-arch-dev-mail",
			"arn:aws:ses:us-east-1:123456789012:template/serverless-arch-dev-mail-welcome",
		},
		"sqs:SendMessage": {"arn:aws:sqs:us-east-1:123456789012:mail-failures"},
		// Re-drives drain the failure queue, list the ledger's pending
		// mails and read their users again.
		"sqs:ReceiveMessage":  {"arn:aws:sqs:us-east-1:123456789012:mail-failures"},
		"sqs:DeleteMessage":   {"arn:aws:sqs:us-east-1:123456789012:mail-failures"},
		"dynamodb:GetItem":    {"arn:aws:dynamodb:us-east-1:123456789012:table/mail-ledger", "arn:aws:dynamodb:us-east-1:123456789012:table/users"},
		"dynamodb:Scan":       {"arn:aws:dynamodb:us-east-1:123456789012:table/mail-ledger"},
		"dynamodb:UpdateItem": {"arn:aws:dynamodb:us-east-1:123456789012:table/mail-ledger"},
	}
	granted := map[string][]string{}
	for _, st := range doc.Statement {
		if st.Effect != "Allow" {
			continue
		}
		for _, a := range st.Action {
			if strings.HasPrefix(a, "logs:") || strings.HasPrefix(a, "xray:") {
				continue
			}
			granted[a] = append(granted[a], st.Resource...)
		}
	}
	for action, resources := range want {
		slices.Sort(granted[action])
		resources = slices.Sorted(slices.Values(resources))
		if !slices.Equal(granted[action], resources) {
			t.Errorf("%s on %v, want exactly %v", action, granted[action], resources)
		}
	}
	for action := range granted {
		if _, ok := want[action]; !ok {
			t.Errorf("role may also %s on %v; nothing else was asked for", action, granted[action])
		}
	}
}

func TestFunctionConfiguration(t *testing.T) {
	rec := run(t, domainArgs())
	fn := rec.Must(t, typeFunction, "mail-fn")
	env := fn.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	for k, v := range map[string]string{
		"SENDER":            "welcome@example.com",
		"TEMPLATE_NAME":     "serverless-arch-dev-mail-welcome",
		"CONFIGURATION_SET": "serverless-arch-dev-mail",
		"IDEMPOTENCY_TABLE": "mail-ledger",
		"USERS_TABLE":       "users",
		"FAILURE_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/mail-failures",
	} {
		if env[k] != v {
			t.Errorf("%s = %v, want %s", k, env[k], v)
		}
	}
	if fn.Inputs["reservedConcurrentExecutions"] != 2.0 {
		t.Errorf("reserved concurrency %v, want 2 to protect SES", fn.Inputs["reservedConcurrentExecutions"])
	}
}

// The function's environment is exactly what functions/mailer/settings
// reads (the function's own parsing), and it reads back what the mailer
// was given: a variable renamed on one side only fails here, not in a
// deployed function.
func TestFunctionReadsItsEnvironment(t *testing.T) {
	for _, allUsers := range []bool{false, true} {
		args := domainArgs()
		args.AllItemsAreUsers = allUsers
		if allUsers {
			args.UserTypeAttribute, args.UserTypeValue = "", ""
		}
		rec := run(t, args)
		env := rec.Must(t, typeFunction, "mail-fn").Inputs["environment"].(map[string]any)["variables"].(map[string]any)
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
				t.Errorf("the mailer sets %s, which the function never reads", k)
			}
		}
		want := settings.Env{Sender: "welcome@example.com", TemplateName: "serverless-arch-dev-mail-welcome",
			ConfigurationSet: "serverless-arch-dev-mail", IdempotencyTable: "mail-ledger", UsersTable: "users",
			FailureQueueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/mail-failures",
			UserIDAttribute: "pk", UserTypeAttribute: "entity", UserTypeValue: "user", EmailAttribute: "email", NameAttribute: "name"}
		if allUsers {
			want.UserTypeAttribute, want.UserTypeValue = "", ""
		}
		if got != want {
			t.Errorf("the function reads\n %+v\nwant\n %+v", got, want)
		}
	}
}

func TestLedgerTable(t *testing.T) {
	for _, protect := range []bool{false, true} {
		args := domainArgs()
		args.Protect = protect
		rec := run(t, args)
		tbl := rec.Must(t, typeTable, "mail-ledger")
		in := tbl.Inputs
		if in["hashKey"] != settings.LedgerKey || in["billingMode"] != "PAY_PER_REQUEST" {
			t.Errorf("ledger key %v billing %v", in["hashKey"], in["billingMode"])
		}
		if in["pointInTimeRecovery"].(map[string]any)["enabled"] != true || in["serverSideEncryption"].(map[string]any)["enabled"] != true {
			t.Errorf("ledger lacks PITR or SSE: %v", in)
		}
		// functions/mailer writes expiresAt on every finished item.
		if ttl := in["ttl"].(map[string]any); ttl["attributeName"] != welcomemailer.LedgerTTLAttribute || ttl["enabled"] != true {
			t.Errorf("ledger TTL %v", ttl)
		}
		if tbl.Protect != protect || in["deletionProtectionEnabled"] != protect {
			t.Errorf("protect=%v: ledger protected %v, deletion protection %v", protect, tbl.Protect, in["deletionProtectionEnabled"])
		}
	}
}

func TestSES(t *testing.T) {
	t.Run("domain with DKIM records", func(t *testing.T) {
		args := domainArgs()
		args.HostedZoneID = pulumi.String("Z123")
		rec := run(t, args)
		id := rec.Must(t, typeIdentity, "mail-identity")
		if id.Inputs["emailIdentity"] != "example.com" || id.Inputs["configurationSetName"] != "serverless-arch-dev-mail" {
			t.Errorf("identity %v", id.Inputs)
		}
		if got := id.Inputs["dkimSigningAttributes"].(map[string]any)["nextSigningKeyLength"]; got != "RSA_2048_BIT" {
			t.Errorf("DKIM key length %v", got)
		}
		records := rec.OfType(typeRecord)
		if len(records) != 3 {
			t.Fatalf("%d DKIM records, want 3", len(records))
		}
		for _, r := range records {
			name, _ := r.Inputs["name"].(string)
			token := strings.TrimSuffix(name, "._domainkey.example.com")
			if token == name || r.Inputs["type"] != "CNAME" || r.Inputs["zoneId"] != "Z123" ||
				!slices.Equal(toStrings(r.Inputs["records"]), []string{token + ".dkim.amazonses.com"}) {
				t.Errorf("DKIM record %v", r.Inputs)
			}
		}
		cs := rec.Must(t, typeConfig, "mail-config-set")
		if cs.Inputs["deliveryOptions"].(map[string]any)["tlsPolicy"] != "REQUIRE" {
			t.Errorf("configuration set does not require TLS: %v", cs.Inputs)
		}
		if got := toStrings(cs.Inputs["suppressionOptions"].(map[string]any)["suppressedReasons"]); !slices.Equal(got, []string{"BOUNCE", "COMPLAINT"}) {
			t.Errorf("suppressed reasons %v", got)
		}
		if cs.Inputs["reputationOptions"].(map[string]any)["reputationMetricsEnabled"] != true {
			t.Error("reputation metrics off")
		}
		tpl := rec.Must(t, typeTemplate, "mail-template")
		if tpl.Inputs["subject"] != welcomemailer.DefaultSubject || !strings.Contains(tpl.Inputs["text"].(string), "{{name}}") || tpl.Inputs["html"] != welcomemailer.DefaultHTML {
			t.Errorf("template %v", tpl.Inputs)
		}
	})
	t.Run("address is verified by mail, without DKIM", func(t *testing.T) {
		rec := run(t, welcomemailer.Args{Identity: "noreply@example.com", Sender: "NoReply@example.com"})
		id := rec.Must(t, typeIdentity, "mail-identity")
		if id.Inputs["emailIdentity"] != "noreply@example.com" || id.Inputs["dkimSigningAttributes"] != nil {
			t.Errorf("address identity %v", id.Inputs)
		}
		doc, err := blocks.ParseDocument(rec.Must(t, typeRolePol, "mail-fn-policy").Inputs["policy"].(string))
		if err != nil {
			t.Fatal(err)
		}
		send := doc.Allowing("ses:SendEmail")
		if len(send) != 1 || send[0].Resource[0] != "arn:aws:ses:us-east-1:123456789012:identity/noreply@example.com" {
			t.Errorf("SendEmail statements %+v, want the address identity", send)
		}
	})
}

func TestPassesPolicyRules(t *testing.T) {
	args := domainArgs()
	args.Protect = true
	rec := run(t, args)
	var mine []stacktest.Resource
	for _, r := range rec.Resources {
		if r.Name != "users" { // the test's own table is not the component's
			mine = append(mine, r)
		}
	}
	report := policy.Check(mine, policy.Suppressions(rec.Context), policy.Production(true), policy.WithConstraints())
	if err := report.Err(); err != nil {
		t.Error(err)
	}
}

func TestRefusesBadArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		args welcomemailer.Args
		want string
	}{
		{"sender outside identity", welcomemailer.Args{Identity: "example.com", Sender: "a@example.org"}, `sender "a@example.org" cannot send through SES identity "example.com"`},
		{"sender other than address identity", welcomemailer.Args{Identity: "a@example.com", Sender: "b@example.com"}, `cannot send through SES identity "a@example.com"`},
		{"lookalike domain", welcomemailer.Args{Identity: "example.com", Sender: "a@badexample.com"}, "cannot send through"},
		{"no identity", welcomemailer.Args{Sender: "a@example.com"}, "Identity is required"},
		{"zone for an address", welcomemailer.Args{Identity: "a@example.com", Sender: "a@example.com", HostedZoneID: pulumi.String("Z1")}, "only a domain identity has"},
		{"unbounded retries", welcomemailer.Args{Identity: "example.com", Sender: "a@example.com", MaximumRetryAttempts: -1}, "retries must be bounded"},
		{"a timeout too short to wait out a crashed claim", welcomemailer.Args{Identity: "example.com", Sender: "a@example.com", Timeout: 10},
			"Timeout 10: want 30 to 900 s"},
		{"no concurrency", welcomemailer.Args{Identity: "example.com", Sender: "a@example.com", ReservedConcurrency: -1}, "ReservedConcurrency -1"},
		{"type attribute without a value", welcomemailer.Args{Identity: "example.com", Sender: "a@example.com", UserTypeAttribute: "kind"},
			`UserTypeAttribute "kind" and UserTypeValue "": set both to mark user items, or set AllItemsAreUsers`},
		{"all items and a type", welcomemailer.Args{Identity: "example.com", Sender: "a@example.com", AllItemsAreUsers: true, UserTypeAttribute: "kind", UserTypeValue: "user"},
			`AllItemsAreUsers and UserTypeAttribute "kind" = "user" contradict each other`},
		{"address and name in one attribute", welcomemailer.Args{Identity: "example.com", Sender: "a@example.com", EmailAttribute: "contact", NameAttribute: "contact"},
			`EmailAttribute "contact" must differ from NameAttribute "contact"`},
		{"attribute name too long", welcomemailer.Args{Identity: "example.com", Sender: "a@example.com", EmailAttribute: strings.Repeat("e", 256)},
			`is longer than DynamoDB's 255 bytes`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stacktest.Run(func(ctx *pulumi.Context) error {
				tc.args.StreamArn = pulumi.String(homeStream)
				_, err := welcomemailer.New(ctx, "mail", tc.args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestRefusesAStreamOfAnotherTable(t *testing.T) {
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		args := domainArgs()
		args.StreamArn = pulumi.String("arn:aws:dynamodb:us-east-1:123456789012:table/posts/stream/2026-01-01T00:00:00.000")
		args.TableArn = pulumi.String("arn:aws:dynamodb:us-east-1:123456789012:table/users")
		_, err := welcomemailer.New(ctx, "mail", args)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "is not a stream of table arn:aws:dynamodb:us-east-1:123456789012:table/users") {
		t.Errorf("error %v, want the stream/table mismatch named", err)
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

// Another project's users table (keyed by userId, users only, the address
// in "mail"): the function is told the shape, and the mapping passes every
// insert, since every item is a user.
func TestUsersTableOfAnotherShape(t *testing.T) {
	args := domainArgs()
	args.UserIDAttribute, args.AllItemsAreUsers, args.EmailAttribute, args.NameAttribute = "userId", true, "mail", "displayName"
	rec := run(t, args)
	env := rec.Must(t, typeFunction, "mail-fn").Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	for k, v := range map[string]any{"USER_ID_ATTRIBUTE": "userId", "EMAIL_ATTRIBUTE": "mail", "NAME_ATTRIBUTE": "displayName",
		"USER_TYPE_ATTRIBUTE": nil, "USER_TYPE_VALUE": nil} {
		if env[k] != v {
			t.Errorf("%s = %v, want %v", k, env[k], v)
		}
	}
	filters := rec.OfType(typeMapping)[0].Inputs["filterCriteria"].(map[string]any)["filters"].([]any)
	if got := filters[0].(map[string]any)["pattern"]; got != `{"eventName":["INSERT"]}` {
		t.Errorf("filter %v, want every INSERT", got)
	}
}

// Held mails and failure records wait for a re-drive: both are alarms,
// which notify the given actions.
func TestAlarms(t *testing.T) {
	args := domainArgs()
	args.AlarmActions = pulumi.StringArray{pulumi.String("arn:aws:sns:us-east-1:123456789012:ops")}
	rec := run(t, args)
	for _, tc := range []struct {
		name, namespace, metric, statistic string
		dimensions                         map[string]any
	}{
		{"mail-held-mails", welcomemailer.MetricsNamespace, welcomemailer.HeldMailsMetric, "Sum", map[string]any{"FunctionName": "mail-fn"}},
		{"mail-failures-alarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", map[string]any{"QueueName": "mail-failures"}},
	} {
		in := rec.Must(t, "aws:cloudwatch/metricAlarm:MetricAlarm", tc.name).Inputs
		if in["namespace"] != tc.namespace || in["metricName"] != tc.metric || in["statistic"] != tc.statistic ||
			!reflect.DeepEqual(in["dimensions"], tc.dimensions) {
			t.Errorf("%s watches %v %v %v by %v", tc.name, in["namespace"], in["metricName"], in["statistic"], in["dimensions"])
		}
		// Missing data must not turn the alarm off while mails wait.
		if in["comparisonOperator"] != "GreaterThanThreshold" || in["threshold"] != 0.0 || in["treatMissingData"] != "ignore" {
			t.Errorf("%s fires on %v %v (missing data %v), want on any datapoint above 0, kept without data", tc.name, in["comparisonOperator"], in["threshold"], in["treatMissingData"])
		}
		if !slices.Equal(toStrings(in["alarmActions"]), []string{"arn:aws:sns:us-east-1:123456789012:ops"}) ||
			!slices.Equal(toStrings(in["okActions"]), []string{"arn:aws:sns:us-east-1:123456789012:ops"}) {
			t.Errorf("%s notifies %v / %v", tc.name, in["alarmActions"], in["okActions"])
		}
	}
}
