// Command mailer sends one welcome e-mail per new user. It is a Lambda
// function fed by the DynamoDB stream of the users table (a global table in
// a single-table design) through an event-source mapping with
// ReportBatchItemFailures, and a re-drive an operator invokes by hand.
//
// # The guarantee
//
// Every user item the stream inserts gets at least one welcome mail, from
// the stream or from a re-drive, and exactly one unless an attempt ended
// after SES accepted its mail and before the ledger recorded it (the process
// died or timed out, SES's answer was lost, or the ledger write failed);
// each such attempt may add one mail. A user gets none when the address is
// invalid (recorded "rejected") or missing (recorded "malformed"), or when
// the user was deleted before the re-drive of a held mail (recorded
// "cancelled").
//
// "From a re-drive" covers two ways a mail can leave the stream unsent:
// held in the ledger, when SES refused for a reason of the account (below),
// and failure records, when the mapping gave up on records after its retries
// or MaximumRecordAgeInSeconds. Both are loud: held mails raise the
// component's held-mail alarm, failure records its failure-queue alarm. A
// failure record only points at the stream, which keeps records 24 hours:
// re-drive failure records within a day (or read the users table by hand).
//
// The mapping simulation (sim_test.go, sim_scenarios_test.go) drives
// Lambda's mapping through every crash point and failure of this protocol,
// followed by the re-drives, and checks this guarantee after each run.
//
// # What it handles
//
// A user is the item pk = "USER#<lower-cased email>", sk = "PROFILE",
// entity = "user", with the attributes email, name and createdAt (another
// table's shape is configured with UserShape). Only INSERT records of users
// are mailed. MODIFY and REMOVE records, posts and any other entity sharing
// the table are ignored; the event-source mapping filters them too, but a
// filter is configuration and the handler does not trust it.
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
//     token, the user's key and a lease. It succeeds only if the user has no
//     ledger item, or the item is "released", "held" or "malformed", or it is
//     "sending" with an expired lease. If the item is "sent", "rejected" or
//     "cancelled" the record is a duplicate and is skipped.
//  2. Send: SendEmail with the template, from SENDER, through
//     CONFIGURATION_SET, cut off sendWindow (8 s) after the claim began.
//  3. Record: a conditional UpdateItem (token must still match) sets
//     "sent" with the MessageId, "rejected" for a permanently bad address,
//     or "held" for a refusal of the account. A transient failure
//     (throttling, 5xx, network, our own missing template) sets "released"
//     instead and reports the record in batchItemFailures, so the retry can
//     claim it again at once.
//
// # Leases, and why a crash does not cost the retries
//
// A claim's lease (claimLease, 12 s) outlasts everything its attempt can
// still do: the send window, the time kept to record the outcome, and a
// second for the clocks of two invocations. It does not depend on the
// function's timeout. Lambda retries a stream batch at once, so the retry of
// a crashed attempt meets its claim inside the lease. Instead of reporting
// the record again, which would spend the mapping's retries (five, back to
// back) inside the lease and send the record to the failure queue, the
// retry waits the lease out and takes the claim over: at most 13 s, plus 8 s
// to send and 3 s to record. The component refuses a timeout under
// MinimumTimeout (30 s), so the wait always fits; an invocation without the
// time reports the record and the next retry, which starts with it, waits.
// Records of one item are delivered in order on one shard, so a live lease
// is met only by the retry of a crashed attempt, or by a re-drive running
// beside the stream.
//
// # What happens at each crash point
//
//   - Before the claim: nothing was written; the retry starts afresh. One mail.
//   - After the claim, before SES accepted the message: the item stays
//     "sending"; the retry waits out the lease and sends. One mail, late by
//     at most the lease.
//   - After SES accepted the message, before "sent" was written (the process
//     died or timed out, or the ledger write failed even after the SDK's
//     retries): this is the one window where the outcome is unknown. The
//     retry's takeover of the expired claim sends again, so the user can get
//     two mails. The window is one DynamoDB write long, and an ambiguous
//     SendEmail failure (a timeout or reset after the request left) belongs
//     to it too. We chose at-least-once for this window: a duplicate welcome
//     is visible and harmless, a lost one is silent. The takeover is logged
//     as a warning and the item's attempts counter shows it. When the "sent"
//     write itself fails the record is NOT reported as failed, since a retry
//     would turn a bookkeeping error into a certain duplicate; the error is
//     logged with the MessageId instead.
//   - After "sent" was written: every replay is a no-op.
//
// Mark-then-send (write "sent" before calling SES) would move that window to
// the other side and lose the mail instead; SES offers nothing that lets us
// close it on either side.
//
// # Failures that must not block the stream
//
// A permanently bad address, detected locally (syntax, non-ASCII) or by SES
// (MessageRejected other than "not verified", or BadRequestException about
// the address), is recorded as "rejected" with the reason and is not retried:
// a poison record would otherwise hold the shard until the record ages out. A
// user item without an e-mail address is recorded as "malformed" (under the
// user's pk, or under EVENT#<eventID> when the record has no key at all),
// logged and skipped; a later valid insert of the same user can still claim
// it.
//
// A refusal of the account is not a verdict on the address. In the SES
// sandbox every unverified recipient is answered MessageRejected "Email
// address is not verified", naming the recipient, and the same address is
// accepted once the account has production access; an unverified sender,
// paused sending and a suspended account (SendingPaused, AccountSuspended,
// MailFromDomainNotVerified) likewise last longer than the mapping's
// retries. Such a mail is recorded "held" with the reason, the stream moves
// on, and an embedded-metric-format log line counts it (HeldMails in
// ServerlessArch/WelcomeMailer, by FunctionName), which the component
// alarms on. Other errors that point at our own configuration (an unknown
// template or configuration set) are retried through batchItemFailures and,
// after the mapping's bounded retries, reach its on-failure queue.
//
// On the first transient failure the handler stops: that record and every
// later one in the batch are reported, because a stream resumes from the
// lowest failed sequence number anyway, and pressing on while SES throttles
// only adds throttling.
//
// Logs carry the stream eventID and sequence number, never the address (nor
// the ledger id, which holds it in the blog's table).
//
// # Re-drives
//
// A re-drive is an invocation of the function with a request instead of a
// stream batch:
//
//   - {"redrive":"ledger"} sends every held or released mail: it reads the
//     user again from USERS_TABLE (a user who left is "cancelled"), then
//     runs claim, send, record. Run it once the account has production
//     access or the sender is verified again; a mail SES still refuses is
//     held again.
//   - {"redrive":"failures"} reads each failure record in the on-failure
//     queue (FAILURE_QUEUE_URL), reads its records again from the stream,
//     handles them as the stream would, and deletes the message once all
//     are handled. Records older than the stream's 24 hours are gone; such
//     a message stays in the queue and is reported.
//
// For example:
//
//	aws lambda invoke --function-name <functionName output> \
//	  --cli-binary-format raw-in-base64-out --payload '{"redrive":"ledger"}' out.json
//
// Both go through the ledger, so a re-drive run twice, or beside the stream,
// sends nobody a second mail. A ledger re-drive that leaves no mail held
// writes a HeldMails datapoint of 0, which turns the held-mail alarm off. The answer counts what happened
// ({"sent":..,"held":..,"failed":..,"done":..}); "done":false means the
// invocation ran out of time: invoke again.
//
// # The ledger's retention
//
// Finished items (sent, rejected, malformed, cancelled) carry expiresAt, a
// month on, and DynamoDB's TTL deletes them: replays come from a stream that
// keeps records a day, so a month is far beyond any duplicate, and the
// ledger does not keep the blog's users' addresses (in their ids) longer
// than deduplication needs. Items that still need work never expire.
//
// # Configuration
//
//	SENDER             From address, an address of the verified SES identity
//	TEMPLATE_NAME      SES template; template data is {"name": "<user's name>"}
//	CONFIGURATION_SET  SES configuration set every mail goes through
//	IDEMPOTENCY_TABLE  the ledger table (partition key id, type S)
//	USERS_TABLE        the users table, read by re-drives from the ledger
//	FAILURE_QUEUE_URL  the mapping's on-failure queue, drained by re-drives
//	                   of failure records; empty turns them off (local mode)
//	USER_ID_ATTRIBUTE, USER_TYPE_ATTRIBUTE, USER_TYPE_VALUE, EMAIL_ATTRIBUTE,
//	NAME_ATTRIBUTE     the users table's shape (UserShape)
//
// AWS endpoints and credentials come from the usual SDK environment
// (AWS_REGION, AWS_ENDPOINT_URL_SESV2, AWS_ENDPOINT_URL_DYNAMODB, ...).
//
// The name is user input that ends up in a subject and an HTML body. It is cut
// to 100 characters and stripped of control characters here; SES substitutes
// template data without HTML-escaping it, so the template must not place it
// where markup would be interpreted as anything but text.
package main
