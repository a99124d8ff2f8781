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
//     number range), not the records: after fixing the cause, invoke the
//     function with {"redrive":"failures"} within the stream's 24-hour
//     retention; it reads the records again and mails each user once.
//   - Two CloudWatch alarms, notifying Args.AlarmActions: held mails (the
//     HeldMails metric the function writes in embedded metric format, so
//     the role needs no cloudwatch:PutMetricData) and records in the failure
//     queue. Each stays on until its re-drive is done. A mail SES refuses
//     for a reason of the account (the sandbox, an unverified or paused
//     sender) is held in the ledger, not rejected: invoke the function with
//     {"redrive":"ledger"} once that is resolved.
//   - A small ledger table (partition key id) that makes sending idempotent;
//     see functions/mailer for the claim, send, record protocol and what
//     happens at each crash point. PITR and SSE on; protected in production.
//   - SES v2: the sending identity (a domain gets Easy DKIM with 2048-bit
//     keys and, given a hosted zone, its three DKIM CNAME records; an address
//     gets a verification mail), a configuration set that requires TLS to the
//     receiving server, tracks reputation and suppresses addresses that
//     bounced or complained, and a stored template with a text and an HTML
//     part. The identity uses the configuration set by default.
//   - The function, with reserved concurrency (see Capacity) and a timeout of
//     at least MinimumTimeout, so that the retry of a crashed attempt can
//     wait out the attempt's claim instead of spending the mapping's
//     retries.
//
// # Capacity
//
// The mapping runs one batch per shard at a time (ParallelizationFactor 1),
// so the function never needs more concurrency than the stream has shards. A
// DynamoDB stream has about one open shard per table partition, and a
// partition holds 10 GB or 1,000 write units a second: the blog's table, a
// few GB written by sign-ups and posts, has one to four. One invocation
// mails a user in about 100 ms (claim, SendEmail, record: two small
// DynamoDB writes and one SES call), about 10 mails a second, so a batch of
// 10 takes a second.
//
// SES caps the account's sending rate: one mail a second in the sandbox,
// typically 14 a second with production access (the console's "Maximum send
// rate"). Two invocations attempt about 20 a second; what SES refuses as
// TooManyRequests the SDK retries with backoff, and what it still refuses
// is released and retried by the mapping. Hence the default
// ReservedConcurrency of 2: it covers a stream of one or two shards, and its
// 20 attempts a second stay within what the SDK's backoff absorbs at the
// usual 14. Worked figure: a launch brings 5,000 sign-ups in a minute;
// at the SES rate of 14 a second they are mailed within 6 minutes, far
// inside MaximumRecordAgeSeconds (an hour). 50,000 would take an hour: raise
// the SES rate, then ReservedConcurrency (about rate / 10), before such a
// launch. A stream with more shards than ReservedConcurrency loses nothing
// either: the mapping's invocations for the other shards are throttled and
// retried while their records wait (watch IteratorAge), and a record older
// than MaximumRecordAgeSeconds reaches the failure queue and its alarm.
//
// # Least privilege
//
// The function's role may read this stream (DescribeStream, GetRecords,
// GetShardIterator on the stream ARN, and ListStreams, which DynamoDB does
// not scope to resources and which reveals only stream ARNs), send mail
// through this identity, this configuration set and this template only,
// send to the failure queue (the mapping does, with the function's role),
// receive and delete its messages (the failures re-drive), GetItem,
// UpdateItem and Scan its ledger (the handler and the ledger re-drive), and
// GetItem the users table (the ledger re-drive reads a held user again).
// Nothing else.
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
// test recipients you sign up with. Sign-ups of everyone else are held in
// the ledger (the held-mail alarm fires); once production access is
// granted, invoke the function with {"redrive":"ledger"} and each of them
// gets the welcome mail once.
//
// # Templates and HTML
//
// SES substitutes template data without HTML-escaping it. The default HTML
// part therefore greets without the user's name, which only the subject and
// the text part carry: a name is user input, and in HTML it could carry a
// link that phishes the very address it was registered with. Use {{name}} in
// Args.HTML only if the handler sends an HTML-escaped value.
package welcomemailer
