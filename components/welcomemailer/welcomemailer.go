package welcomemailer

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ses"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sesv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// Token is the component's type token.
const Token = "serverless-arch:mail:WelcomeMailer"

// FilterPattern returns the event filter of the stream mapping: inserts
// of user items as Args describe them (with the defaults: inserts whose
// new image has entity = "user"). Lambda matches it before invoking, so
// other records cost nothing.
func FilterPattern(args Args) string {
	args.withDefaults()
	var filter struct {
		EventName []string `json:"eventName"`
		DynamoDB  any      `json:"dynamodb,omitempty"`
	}
	filter.EventName = []string{"INSERT"}
	if args.UserTypeAttribute != "" {
		filter.DynamoDB = map[string]any{"NewImage": map[string]any{
			args.UserTypeAttribute: map[string]any{"S": []string{args.UserTypeValue}},
		}}
	}
	b, _ := json.Marshal(filter) // cannot fail for strings
	return string(b)
}

// Defaults of the users table's shape: the blog's, whose users are items
// with entity = "user", keyed by pk, with email and name attributes.
const (
	DefaultUserIDAttribute   = "pk"
	DefaultUserTypeAttribute = "entity"
	DefaultUserTypeValue     = "user"
	DefaultEmailAttribute    = "email"
	DefaultNameAttribute     = "name"
)

// Default template parts. The HTML part leaves the name out on purpose (see
// the package documentation).
const (
	DefaultSubject = "Welcome, {{name}}!"
	DefaultText    = "Hi {{name}},\n\nthanks for signing up. Your account is ready.\n\nSee you soon!\n"
	DefaultHTML    = `<!DOCTYPE html><html><body><h1>Welcome!</h1><p>Thanks for signing up. Your account is ready.</p><p>See you soon!</p></body></html>`
)

// The ledger's schema and the held-mail metric are the function's
// (functions/mailer/settings), which writes them.
const (
	// LedgerKey is the partition key (type S) of the idempotency ledger
	// table: the user's id.
	LedgerKey = settings.LedgerKey
	// LedgerTTLAttribute is the ledger's TTL attribute, set (Unix seconds,
	// a month on) on every finished item, so that DynamoDB deletes it once
	// no replay can need it; items that still need work never carry it.
	LedgerTTLAttribute = settings.LedgerTTLAttribute
	// MetricsNamespace and HeldMailsMetric are the held-mail metric, in
	// CloudWatch embedded metric format: one datapoint per mail SES refused
	// for a reason of the account, with the dimension FunctionName.
	MetricsNamespace = settings.MetricsNamespace
	HeldMailsMetric  = settings.HeldMailsMetric
)

// Defaults of the stream's event-source mapping and of the function.
const (
	DefaultBatchSize            = 10
	DefaultMaximumRetryAttempts = 5
	// DefaultTimeout of the function, in seconds. Its memory size is
	// blocks.FunctionArgs' default.
	DefaultTimeout = 30
	// MinimumTimeout, in seconds, lets the retry of a crashed attempt wait
	// out its claim's lease and still send and record: the function's
	// (functions/mailer/settings). Shorter timeouts are refused.
	MinimumTimeout = settings.MinimumTimeout
	// DefaultReservedConcurrency: see "Capacity" in the package
	// documentation.
	DefaultReservedConcurrency = 2
)

// WelcomeMailer is the welcome-mail pipeline.
type WelcomeMailer struct {
	pulumi.ResourceState

	// FunctionArn and FunctionName identify the mailer function.
	FunctionArn  pulumi.StringOutput `pulumi:"functionArn"`
	FunctionName pulumi.StringOutput `pulumi:"functionName"`
	// MappingUUID identifies the stream's event-source mapping.
	MappingUUID pulumi.StringOutput `pulumi:"mappingUuid"`
	// FailureQueueArn and FailureQueueURL locate the on-failure queue;
	// alarm on its ApproximateNumberOfMessagesVisible.
	FailureQueueArn pulumi.StringOutput `pulumi:"failureQueueArn"`
	FailureQueueURL pulumi.StringOutput `pulumi:"failureQueueUrl"`
	// LedgerTableName is the idempotency ledger.
	LedgerTableName pulumi.StringOutput `pulumi:"ledgerTableName"`
	// IdentityArn is the SES identity the function may send through.
	IdentityArn pulumi.StringOutput `pulumi:"identityArn"`
	// ConfigurationSetName and TemplateName are what the function sends with.
	ConfigurationSetName pulumi.StringOutput `pulumi:"configurationSetName"`
	TemplateName         pulumi.StringOutput `pulumi:"templateName"`
	// DkimTokens, for a domain identity, are the three Easy DKIM tokens:
	// publish <token>._domainkey.<domain> CNAME <token>.dkim.amazonses.com.
	DkimTokens pulumi.StringArrayOutput `pulumi:"dkimTokens"`

	// The children, for callers that need more than the outputs.
	Function         *blocks.Function
	Mapping          *lambda.EventSourceMapping
	FailureQueue     *blocks.Queue
	Ledger           *dynamodb.Table
	Identity         *sesv2.EmailIdentity
	ConfigurationSet *sesv2.ConfigurationSet
	Template         *ses.Template
	// HeldMailsAlarm fires when SES refuses mails for a reason of the
	// account; FailuresAlarm when records reach the failure queue.
	HeldMailsAlarm, FailuresAlarm *cloudwatch.MetricAlarm

	name string
}

// New creates a WelcomeMailer named name.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*WelcomeMailer, error) {
	args.withDefaults()
	return blocks.NewComponent(ctx, Token, name, opts, args.validate, func(m *WelcomeMailer, parent pulumi.ResourceOption) error {
		m.name = name
		for _, step := range []func(*pulumi.Context, string, *Args, pulumi.ResourceOption) error{
			m.failureQueue, m.ledger, m.createSES, m.function, m.mapping, m.alarms,
		} {
			if err := step(ctx, name, &args, parent); err != nil {
				return err
			}
		}
		m.outputs()
		return nil
	})
}

// failureQueue creates the queue the mapping sends the records it gives up
// on to.
func (m *WelcomeMailer) failureQueue(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) error {
	queue, err := blocks.NewQueue(ctx, name+"-failures", blocks.QueueArgs{KMSKeyARN: args.KMSKeyArn}, parent)
	if err != nil {
		return err
	}
	if _, err := queue.AttachPolicy(ctx); err != nil {
		return err
	}
	m.FailureQueue = queue
	return nil
}

// ledger creates the idempotency ledger in the schema the function uses.
func (m *WelcomeMailer) ledger(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) error {
	ledger, err := dynamodb.NewTable(ctx, name+"-ledger", &dynamodb.TableArgs{
		BillingMode: pulumi.String("PAY_PER_REQUEST"),
		HashKey:     pulumi.String(LedgerKey),
		Attributes: dynamodb.TableAttributeArray{
			&dynamodb.TableAttributeArgs{Name: pulumi.String(LedgerKey), Type: pulumi.String("S")},
		},
		PointInTimeRecovery:       &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(true)},
		ServerSideEncryption:      &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(true), KmsKeyArn: args.KMSKeyArn},
		Ttl:                       &dynamodb.TableTtlArgs{AttributeName: pulumi.String(LedgerTTLAttribute), Enabled: pulumi.Bool(true)},
		DeletionProtectionEnabled: pulumi.Bool(args.Protect),
	}, blocks.With([]pulumi.ResourceOption{parent}, blocks.Stateful(args.Protect)...)...)
	if err != nil {
		return fmt.Errorf("creating ledger table of %s: %w", name, err)
	}
	m.Ledger = ledger
	return nil
}

// outputs sets the component's output fields.
func (m *WelcomeMailer) outputs() {
	m.FunctionArn, m.FunctionName = m.Function.Function.Arn, m.Function.Function.Name
	m.MappingUUID = m.Mapping.Uuid
	m.FailureQueueArn, m.FailureQueueURL = m.FailureQueue.Arn(), m.FailureQueue.URL()
	m.LedgerTableName = m.Ledger.Name
	m.IdentityArn = m.Identity.Arn
	m.ConfigurationSetName = m.ConfigurationSet.ConfigurationSetName
	m.TemplateName = m.Template.Name
	m.DkimTokens = m.Identity.DkimSigningAttributes.Tokens()
}

// function creates the mailer function: its environment tells it the
// ledger, the template and the users table's shape, and where re-drives
// read from.
func (m *WelcomeMailer) function(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) error {
	tableArn, tableName := usersTable(m.checkedStream(args))
	users := blocks.TableRef{Arn: tableArn, StreamArn: args.StreamArn, KMSKeyArn: args.TableKMSKeyArn}
	fn, err := blocks.NewFunction(ctx, name+"-fn", blocks.FunctionArgs{
		Package:             "mailer",
		Architecture:        args.Architecture,
		MemorySize:          args.MemorySize,
		Timeout:             args.Timeout,
		LogRetentionDays:    args.LogRetentionDays,
		Description:         "Sends one welcome e-mail per new user from the users table's stream",
		Environment:         m.environment(args, tableName),
		ReservedConcurrency: pulumi.IntPtr(args.ReservedConcurrency),
		Uses: []blocks.Use{users.ReadStream("ReadUsersStream"),
			// A re-drive of a held mail reads the user as they are now.
			users.Use("ReadUsersAgain", "", []string{"dynamodb:GetItem"}),
			// The mapping sends failure records with the function's role;
			// re-drives drain them.
			m.FailureQueue.Ref().Use("ReportFailedBatches", "", "sqs:SendMessage"),
			m.FailureQueue.Ref().Use("RedriveFailedBatches", "", "sqs:DeleteMessage", "sqs:ReceiveMessage"),
			blocks.TableOf(m.Ledger, args.KMSKeyArn).Use("UseLedger", "", []string{"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:UpdateItem"})},
		Statements: m.statements(),
	}, parent)
	if err != nil {
		return err
	}
	m.Function = fn
	for _, p := range fn.Policies {
		policy.Suppress(ctx, p, "dynamodb:ListStreams supports no resource-level permission and returns stream ARNs only; every data action is scoped to the one stream ARN", "IAM-WILDCARD-RESOURCE")
		// The end-to-end run has no held mail and no SQS to drain; the
		// re-drive tests of functions/mailer make these calls.
		policy.Suppress(ctx, p, "re-drives an operator starts: reading a held mail's user again, and draining the failure queue "+
			"(functions/mailer's re-drive tests make these calls; local mode has no held mail and no SQS)",
			policy.AccessRulePrefix+"UNUSED:ReadUsersAgain:dynamodb:GetItem",
			policy.AccessRulePrefix+"UNUSED:RedriveFailedBatches:sqs:ReceiveMessage", policy.AccessRulePrefix+"UNUSED:RedriveFailedBatches:sqs:DeleteMessage")
	}
	return nil
}

// environment is what the function reads (functions/mailer/settings):
// args' settings, and the names of what exists only once created.
func (m *WelcomeMailer) environment(args *Args, usersTable pulumi.StringOutput) pulumi.StringMap {
	env := pulumi.StringMap{}
	for k, v := range args.settings().Variables() {
		env[k] = pulumi.String(v)
	}
	env[settings.EnvTemplateName] = m.Template.Name
	env[settings.EnvConfigurationSet] = m.ConfigurationSet.ConfigurationSetName
	env[settings.EnvIdempotencyTable] = m.Ledger.Name
	env[settings.EnvUsersTable] = usersTable
	env[settings.EnvFailureQueueURL] = m.FailureQueue.URL()
	return env
}

// checkedStream is the stream ARN, refused when TableArn is given and the
// stream is not that table's.
func (m *WelcomeMailer) checkedStream(args *Args) pulumi.StringOutput {
	if args.TableArn == nil {
		return args.StreamArn.ToStringOutput()
	}
	return pulumi.All(args.StreamArn, args.TableArn).ApplyT(func(v []any) (string, error) {
		stream, table := v[0].(string), v[1].(string)
		if !strings.HasPrefix(stream, table+"/stream/") {
			return "", fmt.Errorf("welcome mailer %s: stream %s is not a stream of table %s; pass the home region's stream of the users table", m.name, stream, table)
		}
		return stream, nil
	}).(pulumi.StringOutput)
}

// mapping creates the stream's event-source mapping. One batch per shard at
// a time (ParallelizationFactor 1): records of a user stay in order, and
// the capacity figure in the package documentation holds.
func (m *WelcomeMailer) mapping(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) error {
	mapping, err := lambda.NewEventSourceMapping(ctx, name+"-mapping", &lambda.EventSourceMappingArgs{
		EventSourceArn:             m.checkedStream(args),
		FunctionName:               m.Function.Function.Arn,
		StartingPosition:           pulumi.String("LATEST"),
		BatchSize:                  pulumi.Int(args.BatchSize),
		ParallelizationFactor:      pulumi.Int(1),
		BisectBatchOnFunctionError: pulumi.Bool(true),
		MaximumRetryAttempts:       pulumi.Int(args.MaximumRetryAttempts),
		MaximumRecordAgeInSeconds:  pulumi.Int(args.MaximumRecordAgeSeconds),
		FunctionResponseTypes:      pulumi.StringArray{pulumi.String("ReportBatchItemFailures")},
		FilterCriteria: &lambda.EventSourceMappingFilterCriteriaArgs{
			Filters: lambda.EventSourceMappingFilterCriteriaFilterArray{
				&lambda.EventSourceMappingFilterCriteriaFilterArgs{Pattern: pulumi.String(FilterPattern(*args))},
			},
		},
		DestinationConfig: &lambda.EventSourceMappingDestinationConfigArgs{
			OnFailure: &lambda.EventSourceMappingDestinationConfigOnFailureArgs{DestinationArn: m.FailureQueue.Arn()},
		},
	}, parent, pulumi.DependsOn(m.Function.Policies))
	if err != nil {
		return fmt.Errorf("creating stream mapping of %s: %w", name, err)
	}
	m.Mapping = mapping
	return nil
}

// statements are the function's permissions beyond its logs and traces,
// each used by a call: the mapping reads the stream and sends failure
// records with the function's role; the handler sends mail. (The stream,
// the users table, the failure queue and the ledger are uses, with their
// keys.)
func (m *WelcomeMailer) statements() []blocks.Statement {
	return []blocks.Statement{{
		// Lambda lists the table's streams when it manages the mapping;
		// ListStreams supports no resource-level permission and returns
		// stream ARNs only, no data.
		Sid:       "ListStreams",
		Actions:   []string{"dynamodb:ListStreams"},
		Resources: pulumi.StringArray{pulumi.String("*")},
	}, {
		// SendEmail is authorized against the identity and, when they are
		// used, the configuration set and the stored template.
		Sid:     "SendWelcomeMail",
		Actions: []string{"ses:SendEmail"},
		Resources: pulumi.StringArray{
			m.Identity.Arn,
			m.ConfigurationSet.Arn,
			m.Template.Arn,
		},
	}}
}
