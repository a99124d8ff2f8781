// Package welcomemailer sends every new user exactly one welcome e-mail:
// DynamoDB Streams → Lambda (functions/mailer) → Amazon SES v2.
//
// New maps the users table's stream to the mailer, filtered on INSERTs of
// users, with an idempotency ledger, an on-failure queue, the SES identity,
// configuration set and template, and alarms on held mails and failure
// records. Pass the home region's stream ARN, never a replica's: every replica
// of a global table streams every insert, so a mapping per region would mail
// each user once per region. A mail SES refuses for a reason of the account
// (the sandbox) is held until the function is invoked with
// {"redrive":"ledger"}; see [README: Welcome mails and the SES sandbox].
// SES substitutes template data without HTML-escaping it, so DefaultHTML
// leaves the user's name out: use {{name}} in Args.HTML only with a handler
// that escapes it.
//
// # Capacity
//
// One invocation at a time per shard mails about 10 users a second, so
// ReservedConcurrency should cover the stream's shards (about one per table
// partition) and be about the SES sending rate / 10: the default 2 suits two
// shards at SES's usual 14 mails a second. [Welcome mails: exactly one per
// user] works it through and explains the guarantee and each crash point.
//
// [README: Welcome mails and the SES sandbox]: https://github.com/gopherstack/serverless-arch#welcome-mails-and-the-ses-sandbox
// [Welcome mails: exactly one per user]: https://github.com/gopherstack/serverless-arch/blob/main/docs/welcome-mails.md
package welcomemailer
