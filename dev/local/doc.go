// Package local runs the system on one machine without AWS: the functions'
// real bootstrap binaries under the Lambda runtime interface emulator, local
// stand-ins for the AWS services, and the glue AWS itself would provide. It
// is what `go run ./cmd/local` runs and what the end-to-end tests start.
//
// # The recorded stack is the one source
//
// Start runs the stack's program under the mocks (the dev stack, deploying
// the to-do and blog architectures) and deploys what it records
// (FromRecording): each table with its keys, indexes and stream, each
// bucket and its notification rules, each SES template, each function
// built from its recorded package with its recorded environment, timeout
// and memory, each stream mapping with its filter, batch size and retries,
// each API's stage, routes, authorizers, models and CORS origins, and the
// site distribution's behaviours. Local mode writes none of that itself:
// a component that renames a variable or changes a key changes what local
// mode deploys, as it changes what AWS gets.
//
// # What stands in for what
//
//	Lambda             each function's bootstrap, built for this machine with
//	                   the deployment's flags (fnbuild.Host), under
//	                   aws-lambda-rie (the `tool` in go.mod), one process per
//	                   function on a loopback port (Function)
//	API Gateway        API: HTTP requests become APIGatewayProxyRequest
//	                   events (resource templates, path parameters, single-
//	                   and multi-value headers and query strings, bodies as
//	                   API Gateway passes them, requestContext with
//	                   authorizer claims), after API Gateway's payload
//	                   limit, authorizers, request validator (the stack's
//	                   models) and CORS preflights; Lambda's 6 MB limit;
//	                   the stack's own route lists (app.TodoRoutes,
//	                   app.BlogRoutes) decide what exists and the models
//	Cognito            Tokens: an HMAC-signed JWT minted by
//	                   GET /local/token?user=alice on the to-do API's port;
//	                   its sub reaches requestContext.authorizer.claims.sub
//	                   as the Cognito authorizer would put it
//	CloudFront         the site handler: the recorded behaviours (the API
//	                   path with the prefix its function strips, bucket
//	                   paths from their buckets), static files otherwise
//	DynamoDB           dynalite (npm, tests/emulators; dev/emulator)
//	DynamoDB Streams   StreamFeeder: dynalite has no streams, so local mode
//	                   polls each mapped table and turns new items into
//	                   batches for the mapping's function, with its filter,
//	                   batch size, partial-failure retries and bisection
//	SES v2             aws-ses-v2-local (npm; dev/emulator); GET /store
//	                   lists the mails
//	S3 + notifications cmd/s3local: gofakes3 over HTTP, invoking functions
//	                   asynchronously as the recorded notification rules
//	                   say, on object creation, deletion and (POST
//	                   /_local/expire) lifecycle expiration (S3)
//
// All the emulation is outside the function code: the functions get the
// events AWS would send and reach the emulators through their ordinary
// aws-sdk-go-v2 clients, with endpoints from AWS_ENDPOINT_URL_DYNAMODB,
// AWS_ENDPOINT_URL_SESV2 and AWS_ENDPOINT_URL_S3.
//
// # Processes
//
// Every process runs in its own process group and is stopped with its
// descendants (emulator.Process.Stop): SIGTERM, then SIGKILL after a grace
// period, then a check that none is left. Env.Stop stops everything in
// reverse order of start; Start stops what it started when it fails
// half-way.
//
// Tests start local mode, or one function under the runtime interface
// emulator, with dev/local/localtest.
package local
