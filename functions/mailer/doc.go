// Command mailer is the WelcomeMailer's Lambda function: it mails every user
// item a DynamoDB stream inserts through an SES v2 template, once, and sends
// held mails and failure records again when invoked with {"redrive":"ledger"}
// or {"redrive":"failures"}.
//
// SES cannot deduplicate sends, so each user is claimed in a ledger first
// ("sending", with a token and a lease), then mailed, then recorded: "sent",
// "rejected" (a bad address), "held" (a refusal of the account, such as the
// SES sandbox) or "released" (a transient failure, retried through
// batchItemFailures); "malformed" and "cancelled" mark users without an
// address or deleted before a re-drive. Recording first would lose a mail
// where this order at worst sends one twice.
//
// The guarantee: every user item the stream inserts gets at least one welcome
// mail, from the stream or a re-drive, and exactly one unless an attempt ended
// after SES accepted its mail and before the ledger recorded it (each such
// attempt may add one); none when the address is invalid ("rejected") or
// missing ("malformed"), or the user was deleted before the re-drive of a
// held mail ("cancelled"). Every crash point and the failure classes are in
// [Welcome mails: exactly one per user]; sim_test.go checks this guarantee.
//
// Package [settings] documents the environment it reads; AWS endpoints come
// from the SDK's environment.
//
// [Welcome mails: exactly one per user]: https://github.com/gopherstack/serverless-arch/blob/main/docs/welcome-mails.md
package main
