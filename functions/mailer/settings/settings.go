// Package settings is what the welcome mailer function and its deployment
// agree on: the environment variables the function reads and the parsing
// that checks them, the ledger table's key and TTL attribute it writes, the
// metric it emits and the shortest timeout its claims fit in. The function
// (functions/mailer) reads them through this package and
// components/welcomemailer writes them through it, so neither restates a
// name. It uses the standard library only: a Pulumi program that imports
// the component links nothing of the function.
package settings

import (
	"errors"
	"fmt"
	"net/mail"
)

// The environment variables the function reads.
const (
	// EnvSender is the From address, a bare address of the SES identity.
	EnvSender = "SENDER"
	// EnvTemplateName and EnvConfigurationSet are what SES sends with.
	EnvTemplateName     = "TEMPLATE_NAME"
	EnvConfigurationSet = "CONFIGURATION_SET"
	// EnvIdempotencyTable is the ledger table (key LedgerKey).
	EnvIdempotencyTable = "IDEMPOTENCY_TABLE"
	// EnvUsersTable is the users table, read again by re-drives.
	EnvUsersTable = "USERS_TABLE"
	// EnvFailureQueueURL is the mapping's on-failure queue, drained by
	// re-drives; optional (without it there is nothing to drain).
	EnvFailureQueueURL = "FAILURE_QUEUE_URL"
	// EnvUserIDAttribute, EnvEmailAttribute and EnvNameAttribute name the
	// users' attributes; EnvUserTypeAttribute and EnvUserTypeValue, set
	// together or not at all, mark the items that are users.
	EnvUserIDAttribute   = "USER_ID_ATTRIBUTE"
	EnvUserTypeAttribute = "USER_TYPE_ATTRIBUTE"
	EnvUserTypeValue     = "USER_TYPE_VALUE"
	EnvEmailAttribute    = "EMAIL_ATTRIBUTE"
	EnvNameAttribute     = "NAME_ATTRIBUTE"
)

// LedgerKey is the partition key (type S) of the idempotency ledger table:
// the user's id, as the function writes and reads it.
const LedgerKey = "id"

// LedgerTTLAttribute is the ledger's TTL attribute: the function sets it
// (Unix seconds, a month on) on every finished item, so that DynamoDB
// deletes it once no replay can need it; items that still need work never
// carry it.
const LedgerTTLAttribute = "expiresAt"

// The held-mail metric the function writes in CloudWatch embedded metric
// format, one datapoint per mail SES refused for a reason of the account,
// with the dimension FunctionName.
const (
	MetricsNamespace = "ServerlessArch/WelcomeMailer"
	HeldMailsMetric  = "HeldMails"
)

// MinimumTimeout, in seconds, is the shortest function timeout in which the
// retry of a crashed attempt can wait out its claim's lease (at most 13 s)
// and still send (8 s) and record (3 s), with time to spare for the records
// before it in the batch.
const MinimumTimeout = 30

// Env is the function's environment, parsed.
type Env struct {
	Sender, TemplateName, ConfigurationSet string
	IdempotencyTable, UsersTable           string
	FailureQueueURL                        string
	// The users table's shape.
	UserIDAttribute, UserTypeAttribute, UserTypeValue string
	EmailAttribute, NameAttribute                     string
}

// Load reads the environment through getenv and checks it, reporting every
// problem at once.
func Load(getenv func(string) string) (Env, error) {
	e := Env{
		Sender:            getenv(EnvSender),
		TemplateName:      getenv(EnvTemplateName),
		ConfigurationSet:  getenv(EnvConfigurationSet),
		IdempotencyTable:  getenv(EnvIdempotencyTable),
		UsersTable:        getenv(EnvUsersTable),
		FailureQueueURL:   getenv(EnvFailureQueueURL),
		UserIDAttribute:   getenv(EnvUserIDAttribute),
		UserTypeAttribute: getenv(EnvUserTypeAttribute),
		UserTypeValue:     getenv(EnvUserTypeValue),
		EmailAttribute:    getenv(EnvEmailAttribute),
		NameAttribute:     getenv(EnvNameAttribute),
	}
	var errs []error
	for _, v := range []struct{ name, value string }{
		{EnvSender, e.Sender}, {EnvTemplateName, e.TemplateName}, {EnvConfigurationSet, e.ConfigurationSet},
		{EnvIdempotencyTable, e.IdempotencyTable}, {EnvUsersTable, e.UsersTable},
		{EnvUserIDAttribute, e.UserIDAttribute}, {EnvEmailAttribute, e.EmailAttribute}, {EnvNameAttribute, e.NameAttribute},
	} {
		if v.value == "" {
			errs = append(errs, fmt.Errorf("%s is not set", v.name))
		}
	}
	if (e.UserTypeAttribute == "") != (e.UserTypeValue == "") {
		errs = append(errs, fmt.Errorf("%s %q and %s %q must be set together",
			EnvUserTypeAttribute, e.UserTypeAttribute, EnvUserTypeValue, e.UserTypeValue))
	}
	if e.Sender != "" {
		if a, err := mail.ParseAddress(e.Sender); err != nil || a.Address != e.Sender {
			errs = append(errs, fmt.Errorf("%s %q must be a bare e-mail address", EnvSender, e.Sender))
		}
	}
	if len(errs) > 0 {
		return Env{}, fmt.Errorf("mailer configuration: %w", errors.Join(errs...))
	}
	return e, nil
}

// Variables is e as the function's environment, which Load reads back as
// e; the user type variables are left out for a table of users only. A
// deployment that knows some values only later (the tables' and the
// queue's names) sets those itself.
func (e Env) Variables() map[string]string {
	env := map[string]string{
		EnvSender:           e.Sender,
		EnvTemplateName:     e.TemplateName,
		EnvConfigurationSet: e.ConfigurationSet,
		EnvIdempotencyTable: e.IdempotencyTable,
		EnvUsersTable:       e.UsersTable,
		EnvFailureQueueURL:  e.FailureQueueURL,
		EnvUserIDAttribute:  e.UserIDAttribute,
		EnvEmailAttribute:   e.EmailAttribute,
		EnvNameAttribute:    e.NameAttribute,
	}
	if e.UserTypeAttribute != "" || e.UserTypeValue != "" {
		env[EnvUserTypeAttribute], env[EnvUserTypeValue] = e.UserTypeAttribute, e.UserTypeValue
	}
	return env
}
