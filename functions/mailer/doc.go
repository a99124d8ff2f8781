// Command mailer sends one welcome e-mail per new user. It is a Lambda
// function fed by the DynamoDB stream of the users table (a global table in
// a single-table design) through an event-source mapping with
// ReportBatchItemFailures.
//
// # What it handles
//
// A user is the item pk = "USER#<lower-cased email>", sk = "PROFILE",
// entity = "user", with the attributes email, name and createdAt. Only INSERT
// records of users are mailed. MODIFY and REMOVE records, posts and any other
// entity sharing the table are ignored; the event-source mapping filters them
// too, but a filter is configuration and the handler does not trust it.
//
// The mapping exists in the home region only: every replica of a global table
// has its own stream carrying every insert, so a mapping per region would mail
// each user once per region. The idempotency table below would not save us
// there unless it were itself global, so it is not a substitute for that rule.
//
// # Exactly one mail: the ledger and its ordering
//
// SES v2 SendEmail has no idempotency token: there is no ClientToken parameter,
// and the MessageId is minted by SES in the response, so a retried call is a
// second mail as far as SES is concerned. Deduplication therefore has to
// happen before the call, in a ledger: a DynamoDB table owned by this function
// (IDEMPOTENCY_TABLE, partition key id = the user's pk). The users table is
// not written to, because it is replicated and shared with the application.
//
// For each user the handler runs claim, send, record:
//
//  1. Claim: a conditional UpdateItem sets status "sending", a fresh random
//     token and a lease. It succeeds only if the user has no ledger item, or
//     the item is "released" or "malformed", or it is "sending" with an
//     expired lease. If the item is "sent" or "rejected" the record is a
//     duplicate and is skipped; if another attempt holds a live lease the
//     record is reported as failed so that Lambda retries it later.
//  2. Send: SendEmail with the template, from SENDER, through
//     CONFIGURATION_SET.
//  3. Record: a conditional UpdateItem (token must still match) sets
//     "sent" with the MessageId, or "rejected" with the reason for a
//     permanently bad address. A transient failure (throttling, sending
//     paused, 5xx, network) sets "released" instead and reports the record
//     in batchItemFailures, so the retry can claim it again at once.
//
// The lease lasts until the invocation that took it is certainly over: its
// remaining time (the context deadline) plus a margin. Records of one item
// are delivered in order on one shard, so the only way to meet a live lease
// is a retry after a crash.
//
// # What happens at each crash point
//
//   - Before the claim: nothing was written; the retry starts afresh. One mail.
//   - After the claim, before SES accepted the message: the item stays
//     "sending". A retry inside the lease is reported as failed again; once
//     the lease expires the retry takes the claim over and sends. One mail,
//     late by at most the lease.
//   - After SES accepted the message, before "sent" was written (the process
//     died, or the ledger write failed even after the SDK's retries): this is
//     the one window where the outcome is unknown. A later takeover of the
//     expired claim sends again, so the user can get two mails. The window is
//     one DynamoDB write long, and an ambiguous SendEmail failure (a timeout or
//     reset after the request left) belongs to it too. We chose at-least-once
//     for this window: a duplicate welcome is visible and harmless, a lost one
//     is silent. The takeover is logged as a warning and the item's attempts
//     counter shows it. When the "sent" write itself fails the record is NOT
//     reported as failed, since a retry would turn a bookkeeping error into
//     a certain duplicate; the error is logged with the MessageId instead.
//   - After "sent" or "rejected" was written: every replay is a no-op.
//
// Mark-then-send (write "sent" before calling SES) would move that window to
// the other side and lose the mail instead; SES offers nothing that lets us
// close it on either side.
//
// # Failures that must not block the stream
//
// A permanently bad address, detected locally (syntax, non-ASCII) or by SES
// (MessageRejected, or BadRequestException about the address), is recorded
// as "rejected" with the reason and is not retried: a poison record would
// otherwise hold the shard until the record ages out. A user item without an
// e-mail address is recorded as "malformed" (under the user's pk, or under
// EVENT#<eventID> when the record has no key at all), logged and skipped; a
// later valid insert of the same user can still claim it. Errors that point at
// our own configuration (unknown template or configuration set, unverified
// sender, suspended account) are not the user's fault, so they are retried
// through batchItemFailures, and after the mapping's bounded retries reach its
// on-failure destination, from where they can be replayed once fixed.
//
// On the first transient failure the handler stops: that record and every
// later one in the batch are reported, because a stream resumes from the
// lowest failed sequence number anyway, and pressing on while SES throttles
// only adds throttling.
//
// Logs carry the stream eventID and sequence number, never the address.
//
// # Configuration
//
//	SENDER             From address, an address of the verified SES identity
//	TEMPLATE_NAME      SES template; template data is {"name": "<user's name>"}
//	CONFIGURATION_SET  SES configuration set every mail goes through
//	IDEMPOTENCY_TABLE  the ledger table (partition key id, type S)
//
// AWS endpoints and credentials come from the usual SDK environment
// (AWS_REGION, AWS_ENDPOINT_URL_SESV2, AWS_ENDPOINT_URL_DYNAMODB, ...).
//
// The name is user input that ends up in a subject and an HTML body. It is cut
// to 100 characters and stripped of control characters here; SES substitutes
// template data without HTML-escaping it, so the template must not place it
// where markup would be interpreted as anything but text.
package main
