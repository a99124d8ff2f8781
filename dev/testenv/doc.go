// Package testenv starts local stand-ins for AWS services for integration
// tests, and gives aws-sdk-go-v2 configuration that talks to them.
//
// The emulators are npm packages installed under tests/emulators (run
// `npm ci` there). Each helper starts one through dev/emulator, as
// local mode does: it finds the binary relative to the module root, starts
// it on a free loopback port, waits until it answers, and stops it and
// whatever it started with t.Cleanup, also when the test fails:
//
//	func TestStore(t *testing.T) {
//		endpoint := testenv.Dynalite(t)
//		db := dynamodb.NewFromConfig(testenv.AWSConfig(t, endpoint))
//		...
//	}
//
// A missing emulator skips the test with a message saying how to install it,
// except when the environment variable CI is "true": in CI a missing emulator
// is a failure, so that integration tests cannot silently stop running.
//
// To run the whole system (local mode) or a function under the Lambda
// runtime interface emulator in a test, use dev/local/localtest; it
// lives apart because local mode imports the handler packages whose
// integration tests import this package.
package testenv
