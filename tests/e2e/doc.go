// Package e2e tests the system end to end on one machine, the way users meet
// it: through local mode's HTTP front doors, with every function running as
// its real bootstrap binary under the Lambda runtime interface emulator and
// the AWS services played by dynalite, aws-ses-v2-local and s3local (see
// dev/local).
//
//	go test ./tests/e2e/...
//
// Each test starts its own local mode (localtest.Local) and stops it, and
// checks that none of its processes is left, whether the test passed or
// failed. Without the npm emulators (tests/emulators) the tests skip,
// except in CI (CI=true), where they fail.
package e2e
