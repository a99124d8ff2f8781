package welcomemailer

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ses"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sesv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
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

// LedgerKey is the partition key (type S) of the idempotency ledger table:
// the user's pk, as functions/mailer writes and reads it.
const LedgerKey = "id"

// The function's environment variables, as functions/mailer reads them.
const (
	EnvSender            = "SENDER"
	EnvTemplateName      = "TEMPLATE_NAME"
	EnvConfigurationSet  = "CONFIGURATION_SET"
	EnvIdempotencyTable  = "IDEMPOTENCY_TABLE"
	EnvUserIDAttribute   = "USER_ID_ATTRIBUTE"
	EnvUserTypeAttribute = "USER_TYPE_ATTRIBUTE"
	EnvUserTypeValue     = "USER_TYPE_VALUE"
	EnvEmailAttribute    = "EMAIL_ATTRIBUTE"
	EnvNameAttribute     = "NAME_ATTRIBUTE"
)

// Defaults of the stream's event-source mapping and of the function.
const (
	DefaultBatchSize            = 10
	DefaultMaximumRetryAttempts = 5
	// DefaultTimeout of the function, in seconds. Its memory size is
	// blocks.FunctionArgs' default.
	DefaultTimeout = 30
)

// Args configures a WelcomeMailer.
type Args struct {
	// StreamArn is the users table's stream ARN in the home region
	// (required). Never a replica's: see the package documentation.
	StreamArn pulumi.StringInput
	// TableArn is the users table's ARN in the home region. Optional: when
	// set, a StreamArn that is not this table's stream is refused.
	TableArn pulumi.StringInput

	// Identity is the SES identity to send through: a domain
	// ("example.com", verified with DKIM) or an address
	// ("noreply@example.com", verified by mail). Required.
	Identity string
	// Sender is the From address; it must be the identity itself or an
	// address at the identity's domain (or a subdomain of it). Required.
	Sender string
	// UserIDAttribute is the key attribute that identifies a user (default
	// "pk"): each value gets one mail.
	UserIDAttribute string
	// UserTypeAttribute and UserTypeValue mark an item as a user (default
	// entity = "user"), for a table that holds other items too; set
	// AllItemsAreUsers instead for a table of users only.
	UserTypeAttribute, UserTypeValue string
	AllItemsAreUsers                 bool
	// EmailAttribute and NameAttribute hold a user's address and name
	// (default "email" and "name"), as strings.
	EmailAttribute, NameAttribute string

	// HostedZoneID, for a domain identity, is the Route 53 zone in which to
	// publish the DKIM CNAME records. Empty leaves DNS to you (see the
	// DkimTokens output).
	HostedZoneID pulumi.StringInput

	// Subject, Text and HTML are the template's parts; {{name}} is the
	// user's name. Empty means DefaultSubject, DefaultText, DefaultHTML.
	Subject, Text, HTML string

	// BatchSize is the number of stream records per invocation (default 10).
	BatchSize int
	// MaximumRetryAttempts of a failing batch (default 5, at most 10000).
	MaximumRetryAttempts int
	// MaximumRecordAgeSeconds after which a record goes to the failure
	// queue instead of being retried (default 3600).
	MaximumRecordAgeSeconds int
	// ReservedConcurrency caps concurrent sends, to stay under the SES
	// sending rate (default 2).
	ReservedConcurrency int

	// Architecture, MemorySize, Timeout and LogRetentionDays are the
	// function's settings (blocks.FunctionArgs defaults; timeout 30 s).
	Architecture     string
	MemorySize       int
	Timeout          int
	LogRetentionDays int

	// Protect marks the ledger stateful and turns on its deletion
	// protection: losing it would re-send every welcome mail replayed later.
	Protect bool
}

func (a *Args) withDefaults() {
	a.UserIDAttribute = cmp.Or(a.UserIDAttribute, DefaultUserIDAttribute)
	a.EmailAttribute = cmp.Or(a.EmailAttribute, DefaultEmailAttribute)
	a.NameAttribute = cmp.Or(a.NameAttribute, DefaultNameAttribute)
	if !a.AllItemsAreUsers && a.UserTypeAttribute == "" && a.UserTypeValue == "" {
		a.UserTypeAttribute, a.UserTypeValue = DefaultUserTypeAttribute, DefaultUserTypeValue
	}
	if a.Subject == "" {
		a.Subject = DefaultSubject
	}
	if a.Text == "" {
		a.Text = DefaultText
	}
	if a.HTML == "" {
		a.HTML = DefaultHTML
	}
	if a.BatchSize == 0 {
		a.BatchSize = DefaultBatchSize
	}
	if a.MaximumRetryAttempts == 0 {
		a.MaximumRetryAttempts = DefaultMaximumRetryAttempts
	}
	if a.MaximumRecordAgeSeconds == 0 {
		a.MaximumRecordAgeSeconds = 3600
	}
	if a.ReservedConcurrency == 0 {
		a.ReservedConcurrency = 2
	}
	if a.Timeout == 0 {
		a.Timeout = DefaultTimeout
	}
}

func (a *Args) validate() error {
	if a.StreamArn == nil {
		return fmt.Errorf("StreamArn is required: the users table's stream ARN in the home region")
	}
	if a.Identity == "" {
		return fmt.Errorf("Identity is required: an SES domain (example.com) or address (noreply@example.com)")
	}
	if a.Sender == "" {
		return fmt.Errorf("Sender is required: the From address")
	}
	if !senderBelongsTo(a.Sender, a.Identity) {
		return fmt.Errorf("sender %q cannot send through SES identity %q: use the identity's address or an address at its domain", a.Sender, a.Identity)
	}
	if a.HostedZoneID != nil && IsAddress(a.Identity) {
		return fmt.Errorf("HostedZoneID publishes DKIM records, which only a domain identity has; %q is an address", a.Identity)
	}
	if err := a.validateShape(); err != nil {
		return err
	}
	if a.MaximumRetryAttempts < 1 || a.MaximumRetryAttempts > 10000 {
		return fmt.Errorf("MaximumRetryAttempts %d: want 1 to 10000 (retries must be bounded)", a.MaximumRetryAttempts)
	}
	if a.MaximumRecordAgeSeconds < 60 || a.MaximumRecordAgeSeconds > 604800 {
		return fmt.Errorf("MaximumRecordAgeSeconds %d: want 60 to 604800 (the age must be bounded)", a.MaximumRecordAgeSeconds)
	}
	return nil
}

// validateShape checks the users table's shape: attribute names DynamoDB
// accepts (1 to 255 bytes), distinct, and a user marker that is either a
// type attribute with its value or AllItemsAreUsers.
func (a *Args) validateShape() error {
	var problems []string
	for _, f := range []struct{ field, value string }{
		{"UserIDAttribute", a.UserIDAttribute}, {"EmailAttribute", a.EmailAttribute}, {"NameAttribute", a.NameAttribute},
	} {
		if len(f.value) > 255 {
			problems = append(problems, fmt.Sprintf("%s %q is longer than DynamoDB's 255 bytes", f.field, f.value))
		}
	}
	if a.EmailAttribute == a.NameAttribute || a.EmailAttribute == a.UserIDAttribute {
		problems = append(problems, fmt.Sprintf("EmailAttribute %q must differ from NameAttribute %q and UserIDAttribute %q", a.EmailAttribute, a.NameAttribute, a.UserIDAttribute))
	}
	switch {
	case a.AllItemsAreUsers && (a.UserTypeAttribute != "" || a.UserTypeValue != ""):
		problems = append(problems, fmt.Sprintf("AllItemsAreUsers and UserTypeAttribute %q = %q contradict each other: set one", a.UserTypeAttribute, a.UserTypeValue))
	case !a.AllItemsAreUsers && (a.UserTypeAttribute == "" || a.UserTypeValue == ""):
		problems = append(problems, fmt.Sprintf("UserTypeAttribute %q and UserTypeValue %q: set both to mark user items, or set AllItemsAreUsers", a.UserTypeAttribute, a.UserTypeValue))
	case len(a.UserTypeAttribute) > 255:
		problems = append(problems, fmt.Sprintf("UserTypeAttribute %q is longer than DynamoDB's 255 bytes", a.UserTypeAttribute))
	}
	if len(problems) > 0 {
		return fmt.Errorf("users table shape: %s", strings.Join(problems, "; "))
	}
	return nil
}

// userEnvironment tells the function the users table's shape; the type
// variables are left out for a table of users only.
func (a *Args) userEnvironment() map[string]string {
	env := map[string]string{
		EnvUserIDAttribute: a.UserIDAttribute,
		EnvEmailAttribute:  a.EmailAttribute,
		EnvNameAttribute:   a.NameAttribute,
	}
	if !a.AllItemsAreUsers {
		env[EnvUserTypeAttribute], env[EnvUserTypeValue] = a.UserTypeAttribute, a.UserTypeValue
	}
	return env
}

// IsAddress reports whether an SES identity is an e-mail address rather
// than a domain.
func IsAddress(identity string) bool { return strings.Contains(identity, "@") }

// senderBelongsTo reports whether SES lets sender send through identity.
func senderBelongsTo(sender, identity string) bool {
	sender, identity = strings.ToLower(sender), strings.ToLower(identity)
	if IsAddress(identity) {
		return sender == identity
	}
	at := strings.LastIndex(sender, "@")
	if at < 1 {
		return false
	}
	domain := sender[at+1:]
	return domain == identity || strings.HasSuffix(domain, "."+identity)
}

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
}

// New creates a WelcomeMailer named name.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*WelcomeMailer, error) {
	args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("welcome mailer %s: %w", name, err)
	}
	m := &WelcomeMailer{}
	if err := ctx.RegisterComponentResource(Token, name, m, opts...); err != nil {
		return nil, fmt.Errorf("registering welcome mailer %s: %w", name, err)
	}
	parent := pulumi.Parent(m)

	queue, err := blocks.NewQueue(ctx, name+"-failures", blocks.QueueArgs{}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := queue.AttachPolicy(ctx); err != nil {
		return nil, err
	}
	m.FailureQueue = queue

	ledger, err := dynamodb.NewTable(ctx, name+"-ledger", &dynamodb.TableArgs{
		BillingMode: pulumi.String("PAY_PER_REQUEST"),
		HashKey:     pulumi.String(LedgerKey),
		Attributes: dynamodb.TableAttributeArray{
			&dynamodb.TableAttributeArgs{Name: pulumi.String(LedgerKey), Type: pulumi.String("S")},
		},
		PointInTimeRecovery:       &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(true)},
		ServerSideEncryption:      &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(true)},
		Ttl:                       &dynamodb.TableTtlArgs{AttributeName: pulumi.String("expiresAt"), Enabled: pulumi.Bool(true)},
		DeletionProtectionEnabled: pulumi.Bool(args.Protect),
	}, blocks.With([]pulumi.ResourceOption{parent}, blocks.Stateful(args.Protect)...)...)
	if err != nil {
		return nil, fmt.Errorf("creating ledger table of %s: %w", name, err)
	}
	m.Ledger = ledger

	if err := m.createSES(ctx, name, &args, parent); err != nil {
		return nil, err
	}

	fn, err := blocks.NewFunction(ctx, name+"-fn", blocks.FunctionArgs{
		Package:          "mailer",
		Architecture:     args.Architecture,
		MemorySize:       args.MemorySize,
		Timeout:          args.Timeout,
		LogRetentionDays: args.LogRetentionDays,
		Description:      "Sends one welcome e-mail per new user from the users table's stream",
		Environment: pulumi.StringMap{
			EnvSender:           pulumi.String(args.Sender),
			EnvTemplateName:     m.Template.Name,
			EnvConfigurationSet: m.ConfigurationSet.ConfigurationSetName,
			EnvIdempotencyTable: ledger.Name,
		}.ToStringMapOutput().ApplyT(func(env map[string]string) map[string]string {
			for k, v := range args.userEnvironment() {
				env[k] = v
			}
			return env
		}).(pulumi.StringMapOutput),
		ReservedConcurrency: pulumi.IntPtr(args.ReservedConcurrency),
		Statements:          m.statements(args.StreamArn),
	}, parent)
	if err != nil {
		return nil, err
	}
	m.Function = fn
	for _, p := range fn.Policies {
		policy.Suppress(ctx, p, "dynamodb:ListStreams supports no resource-level permission and returns stream ARNs only; every data action is scoped to the one stream ARN", "IAM-WILDCARD-RESOURCE")
	}

	source := args.StreamArn.ToStringOutput()
	if args.TableArn != nil {
		source = pulumi.All(args.StreamArn, args.TableArn).ApplyT(func(v []any) (string, error) {
			stream, table := v[0].(string), v[1].(string)
			if !strings.HasPrefix(stream, table+"/stream/") {
				return "", fmt.Errorf("welcome mailer %s: stream %s is not a stream of table %s; pass the home region's stream of the users table", name, stream, table)
			}
			return stream, nil
		}).(pulumi.StringOutput)
	}
	mapping, err := lambda.NewEventSourceMapping(ctx, name+"-mapping", &lambda.EventSourceMappingArgs{
		EventSourceArn:             source,
		FunctionName:               fn.Function.Arn,
		StartingPosition:           pulumi.String("LATEST"),
		BatchSize:                  pulumi.Int(args.BatchSize),
		BisectBatchOnFunctionError: pulumi.Bool(true),
		MaximumRetryAttempts:       pulumi.Int(args.MaximumRetryAttempts),
		MaximumRecordAgeInSeconds:  pulumi.Int(args.MaximumRecordAgeSeconds),
		FunctionResponseTypes:      pulumi.StringArray{pulumi.String("ReportBatchItemFailures")},
		FilterCriteria: &lambda.EventSourceMappingFilterCriteriaArgs{
			Filters: lambda.EventSourceMappingFilterCriteriaFilterArray{
				&lambda.EventSourceMappingFilterCriteriaFilterArgs{Pattern: pulumi.String(FilterPattern(args))},
			},
		},
		DestinationConfig: &lambda.EventSourceMappingDestinationConfigArgs{
			OnFailure: &lambda.EventSourceMappingDestinationConfigOnFailureArgs{DestinationArn: queue.Arn()},
		},
	}, parent, pulumi.DependsOn(fn.Policies))
	if err != nil {
		return nil, fmt.Errorf("creating stream mapping of %s: %w", name, err)
	}
	m.Mapping = mapping

	m.FunctionArn = fn.Function.Arn
	m.FunctionName = fn.Function.Name
	m.MappingUUID = mapping.Uuid
	m.FailureQueueArn = queue.Arn()
	m.FailureQueueURL = queue.URL()
	m.LedgerTableName = ledger.Name
	m.IdentityArn = m.Identity.Arn
	m.ConfigurationSetName = m.ConfigurationSet.ConfigurationSetName
	m.TemplateName = m.Template.Name
	m.DkimTokens = m.Identity.DkimSigningAttributes.Tokens()
	if err := ctx.RegisterResourceOutputs(m, pulumi.Map{
		"functionArn":          m.FunctionArn,
		"functionName":         m.FunctionName,
		"mappingUuid":          m.MappingUUID,
		"failureQueueArn":      m.FailureQueueArn,
		"failureQueueUrl":      m.FailureQueueURL,
		"ledgerTableName":      m.LedgerTableName,
		"identityArn":          m.IdentityArn,
		"configurationSetName": m.ConfigurationSetName,
		"templateName":         m.TemplateName,
		"dkimTokens":           m.DkimTokens,
	}); err != nil {
		return nil, fmt.Errorf("registering outputs of %s: %w", name, err)
	}
	return m, nil
}

// createSES creates the configuration set, the identity (with DKIM records
// when a zone is given) and the template.
func (m *WelcomeMailer) createSES(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) error {
	cs, err := sesv2.NewConfigurationSet(ctx, name+"-config-set", &sesv2.ConfigurationSetArgs{
		ConfigurationSetName: pulumi.String(blocks.PhysicalName(ctx, name, 64)),
		DeliveryOptions:      &sesv2.ConfigurationSetDeliveryOptionsArgs{TlsPolicy: pulumi.String("REQUIRE")},
		ReputationOptions:    &sesv2.ConfigurationSetReputationOptionsArgs{ReputationMetricsEnabled: pulumi.Bool(true)},
		SendingOptions:       &sesv2.ConfigurationSetSendingOptionsArgs{SendingEnabled: pulumi.Bool(true)},
		SuppressionOptions: &sesv2.ConfigurationSetSuppressionOptionsArgs{
			SuppressedReasons: pulumi.StringArray{pulumi.String("BOUNCE"), pulumi.String("COMPLAINT")},
		},
	}, parent)
	if err != nil {
		return fmt.Errorf("creating SES configuration set of %s: %w", name, err)
	}
	m.ConfigurationSet = cs

	idArgs := &sesv2.EmailIdentityArgs{
		EmailIdentity:        pulumi.String(args.Identity),
		ConfigurationSetName: cs.ConfigurationSetName,
	}
	if !IsAddress(args.Identity) {
		idArgs.DkimSigningAttributes = &sesv2.EmailIdentityDkimSigningAttributesArgs{
			NextSigningKeyLength: pulumi.String("RSA_2048_BIT"),
		}
	}
	identity, err := sesv2.NewEmailIdentity(ctx, name+"-identity", idArgs, parent)
	if err != nil {
		return fmt.Errorf("creating SES identity of %s: %w", name, err)
	}
	m.Identity = identity

	if args.HostedZoneID != nil {
		tokens := identity.DkimSigningAttributes.Tokens()
		// Easy DKIM always issues three tokens.
		for i := range 3 {
			token := tokens.Index(pulumi.Int(i))
			if _, err := route53.NewRecord(ctx, fmt.Sprintf("%s-dkim-%d", name, i), &route53.RecordArgs{
				ZoneId:  args.HostedZoneID,
				Name:    pulumi.Sprintf("%s._domainkey.%s", token, args.Identity),
				Type:    pulumi.String("CNAME"),
				Ttl:     pulumi.Int(1800),
				Records: pulumi.StringArray{pulumi.Sprintf("%s.dkim.amazonses.com", token)},
			}, parent); err != nil {
				return fmt.Errorf("publishing DKIM record %d of %s: %w", i, name, err)
			}
		}
	}

	tpl, err := ses.NewTemplate(ctx, name+"-template", &ses.TemplateArgs{
		// SES v1 and v2 share one template store: a template created here
		// is what SES v2 SendEmail finds under Content.Template.TemplateName.
		Name:    pulumi.String(blocks.PhysicalName(ctx, name+"-welcome", 64)),
		Subject: pulumi.String(args.Subject),
		Text:    pulumi.String(args.Text),
		Html:    pulumi.String(args.HTML),
	}, parent)
	if err != nil {
		return fmt.Errorf("creating SES template of %s: %w", name, err)
	}
	m.Template = tpl
	return nil
}

// statements are the function's permissions beyond its logs and traces.
func (m *WelcomeMailer) statements(stream pulumi.StringInput) []blocks.Statement {
	return []blocks.Statement{{
		Sid:       "ReadUsersStream",
		Actions:   []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"},
		Resources: pulumi.StringArray{stream},
	}, {
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
	}, {
		Sid:       "ReportFailedBatches",
		Actions:   []string{"sqs:SendMessage"},
		Resources: pulumi.StringArray{m.FailureQueue.Arn()},
	}, {
		Sid:       "UseLedger",
		Actions:   []string{"dynamodb:GetItem", "dynamodb:UpdateItem"},
		Resources: pulumi.StringArray{m.Ledger.Arn},
	}}
}
