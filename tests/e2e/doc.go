// Package e2e tests the system end to end on one machine, the way users meet
// it: through local mode's HTTP front doors, with every function running as
// its real bootstrap binary under the Lambda runtime interface emulator and
// the AWS services played by dynalite, aws-ses-v2-local and s3local (see
// dev/local).
//
//	go test ./tests/e2e/...
//
// Every exchange with an API is checked against the API's exported OpenAPI
// document (package tests/contract): an answer the document does not
// describe fails the test that got it. TestClientSide is the clients' view:
// the hostile requests and uploads, the flows of the clients generated from
// the documents (tests/contract/todoclient, blogclient), and every CORS
// origin.
//
// Each test starts its own local mode (localtest.Local) and stops it, and
// checks that none of its processes is left, whether the test passed or
// failed. Without the npm emulators (tests/emulators) the tests skip,
// except in CI (CI=true), where they fail.
package e2e
