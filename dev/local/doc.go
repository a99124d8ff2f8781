// Package local runs the system on one machine without AWS: what
// `go run ./cmd/local` runs and what the end-to-end tests start
// (dev/local/localtest). Start records the stack's program under the mocks
// and deploys what FromRecording reads from it, so local mode restates none
// of the wiring; [README: Run it] says what that proves and how to use it.
//
// What stands in for what, all outside the function code, which gets the
// events AWS would send and reaches the emulators by AWS_ENDPOINT_URL_*:
//
//   - Lambda: each function's bootstrap, built for this machine with the
//     deployment's flags, under aws-lambda-rie (Function);
//   - API Gateway: API, which turns requests into proxy events after API
//     Gateway's checks, with the stack's routes and models;
//   - Cognito: Tokens, HMAC-signed JWTs whose claims reach the functions as
//     the Cognito authorizer's would;
//   - CloudFront: the site handler, routing the recorded behaviours;
//   - DynamoDB, SES v2: dynalite, aws-ses-v2-local (dev/emulator); Streams:
//     StreamFeeder, polling each mapped table; S3 with its notifications:
//     cmd/s3local, serving S3.
//
// Every process runs in its own process group and is stopped with its
// descendants (emulator.Process.Stop); Env.Stop stops everything in reverse
// order of start, and Start stops what it started when it fails half-way.
//
// [README: Run it]: https://github.com/gopherstack/serverless-arch#run-it
package local
