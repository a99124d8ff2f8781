// Package welcomemailer sends every new user exactly one welcome e-mail:
// DynamoDB Streams → Lambda (functions/mailer) → Amazon SES v2.
//
// # What it creates
//
//   - One event-source mapping on the users table's stream, in the home
//     region only. A global table replicates every insert to each replica,
//     and every replica has its own stream carrying it: a mapping per region
//     would mail each user once per region. Pass the home region's stream ARN
//     (the table resource's streamArn, not a replica's); if TableArn is given
//     too, the component refuses a stream that is not that table's.
//   - The mapping filters on INSERT of entity "user"
//     ({"eventName":["INSERT"],"dynamodb":{"NewImage":{"entity":{"S":["user"]}}}}),
//     so posts and updates never invoke the function (the handler checks
//     again; a filter is configuration, not a guarantee). It bisects a
//     failing batch, retries a bounded number of times, drops records older
//     than an hour, and uses ReportBatchItemFailures so one bad record does
//     not replay its whole batch. A poison record therefore holds its shard
//     for at most MaximumRecordAgeSeconds, not the stream's 24 hours.
//   - An on-failure destination: an SQS queue (SSE-SQS, TLS-only policy). For
//     a stream source Lambda sends the batch's metadata (shard, sequence
//     number range), not the records: replay them from the stream within its
//     24-hour retention, after fixing the cause.
//   - A small ledger table (partition key id) that makes sending idempotent;
//     see functions/mailer for the claim, send, record protocol and what
//     happens at each crash point. PITR and SSE on; protected in production.
//   - SES v2: the sending identity (a domain gets Easy DKIM with 2048-bit
//     keys and, given a hosted zone, its three DKIM CNAME records; an address
//     gets a verification mail), a configuration set that requires TLS to the
//     receiving server, tracks reputation and suppresses addresses that
//     bounced or complained, and a stored template with a text and an HTML
//     part. The identity uses the configuration set by default.
//   - The function, with reserved concurrency so that a burst of sign-ups
//     cannot exceed the SES sending rate.
//
// # Least privilege
//
// The function's role may read this stream (DescribeStream, GetRecords,
// GetShardIterator on the stream ARN, and ListStreams, which DynamoDB does
// not scope to resources and which reveals only stream ARNs), send mail
// through this identity, this configuration set and this template only,
// send to the failure queue, and GetItem/UpdateItem its ledger (the only
// operations the handler calls). Nothing else.
//
// # The SES sandbox
//
// A new SES account is in the sandbox in each region: it may send only to
// verified addresses (and the mailbox simulator, e.g.
// success@simulator.amazonses.com), at most 200 mails a day and one a
// second. In the sandbox SES also authorizes ses:SendEmail against the
// recipient's identity, so a role scoped to the sender's identity is refused
// for unverified recipients: that is the sandbox, not a policy bug. To leave
// it, open "Request production access" in the SES console (or run
// `aws sesv2 put-account-details --production-access-enabled ...` with a
// description of the mail you send, how recipients opt in and how you handle
// bounces and complaints). AWS answers within about a day; production access
// is per region, so request it in the home region. Until then, verify the
// test recipients you sign up with.
//
// # Templates and HTML
//
// SES substitutes template data without HTML-escaping it. The default HTML
// part therefore greets without the user's name, which only the subject and
// the text part carry: a name is user input, and in HTML it could carry a
// link that phishes the very address it was registered with. Use {{name}} in
// Args.HTML only if the handler sends an HTML-escaped value.
package welcomemailer
