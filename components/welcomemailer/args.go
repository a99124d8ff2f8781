package welcomemailer

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// Args configures a WelcomeMailer.
type Args struct {
	// StreamArn is the users table's stream ARN in the home region
	// (required). Never a replica's: see the package documentation.
	StreamArn pulumi.StringInput
	// TableArn is the users table's ARN in the home region. Optional: when
	// set, a StreamArn that is not this table's stream is refused.
	TableArn pulumi.StringInput
	// TableKMSKeyArn is the users table's customer managed key in the home
	// region, if it has one (a GlobalTable's KMSKeyArn with CustomerManaged
	// encryption): stream records and re-read users are decrypted with it
	// using the function's credentials. Nil for AWS owned or managed keys.
	TableKMSKeyArn pulumi.StringInput
	// KMSKeyArn encrypts the ledger and the failure queue with a customer
	// managed key instead of AWS's; the function gets the key actions its
	// calls need, through DynamoDB and SQS only. The key's policy must let
	// the account's IAM policies grant its use (the default policy does).
	KMSKeyArn pulumi.StringInput

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
	// ReservedConcurrency caps concurrent invocations (default 2): at least
	// the stream's shards, at most what the SES sending rate allows; see
	// "Capacity" in the package documentation.
	ReservedConcurrency int
	// AlarmActions are notified (e.g. SNS topic ARNs) when mails are held
	// or records reach the failure queue, and again when that is over.
	AlarmActions pulumi.StringArrayInput

	// Architecture, MemorySize, Timeout and LogRetentionDays are the
	// function's settings (blocks.FunctionArgs defaults; timeout 30 s, at
	// least MinimumTimeout).
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
	a.Subject = cmp.Or(a.Subject, DefaultSubject)
	a.Text = cmp.Or(a.Text, DefaultText)
	a.HTML = cmp.Or(a.HTML, DefaultHTML)
	a.BatchSize = cmp.Or(a.BatchSize, DefaultBatchSize)
	a.MaximumRetryAttempts = cmp.Or(a.MaximumRetryAttempts, DefaultMaximumRetryAttempts)
	a.MaximumRecordAgeSeconds = cmp.Or(a.MaximumRecordAgeSeconds, 3600)
	a.ReservedConcurrency = cmp.Or(a.ReservedConcurrency, DefaultReservedConcurrency)
	a.Timeout = cmp.Or(a.Timeout, DefaultTimeout)
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
	if a.Timeout < MinimumTimeout || a.Timeout > 900 {
		return fmt.Errorf("Timeout %d: want %d to 900 s, so that the retry of a crashed attempt can wait out its claim instead of spending the mapping's retries", a.Timeout, MinimumTimeout)
	}
	if a.ReservedConcurrency < 1 {
		return fmt.Errorf("ReservedConcurrency %d: want at least 1", a.ReservedConcurrency)
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

// settings is the function's environment as a configures it: the sender
// and the users table's shape (the type variables are left out for a
// table of users only). The names of what the component creates are set
// once those exist.
func (a *Args) settings() settings.Env {
	e := settings.Env{Sender: a.Sender, UserIDAttribute: a.UserIDAttribute, EmailAttribute: a.EmailAttribute, NameAttribute: a.NameAttribute}
	if !a.AllItemsAreUsers {
		e.UserTypeAttribute, e.UserTypeValue = a.UserTypeAttribute, a.UserTypeValue
	}
	return e
}

// usersTable returns the ARN and name of the table whose stream is
// streamArn (arn:...:table/<name>/stream/<label>).
func usersTable(streamArn pulumi.StringInput) (arn, name pulumi.StringOutput) {
	parts := streamArn.ToStringOutput().ApplyT(func(s string) ([]string, error) {
		table, _, ok := strings.Cut(s, "/stream/")
		_, tableName, ok2 := strings.Cut(table, ":table/")
		if !ok || !ok2 || tableName == "" {
			return nil, fmt.Errorf("%q is not a DynamoDB stream ARN (arn:...:table/<name>/stream/<label>)", s)
		}
		return []string{table, tableName}, nil
	}).(pulumi.StringArrayOutput)
	return parts.Index(pulumi.Int(0)), parts.Index(pulumi.Int(1))
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
