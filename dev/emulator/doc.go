// Package emulator runs the local stand-ins for AWS services as child
// processes, and stops them with everything they started. Local mode
// (dev/local) and the integration tests' helpers (dev/testenv) both start
// their emulators here, so they find, start and stop them the same way.
//
// The npm emulators (dynalite for DynamoDB, aws-ses-v2-local for SES v2) are
// installed under tests/emulators (run `npm ci` there); a missing one is an
// ErrNotInstalled error. Each starts on a loopback port, free or given, and
// counts as ready once it has printed its own "listening" line (so that a
// stranger on the port is never mistaken for it) and answered HTTP:
//
//	root, err := emulator.ModuleRoot()
//	...
//	db, err := emulator.StartDynalite(root, 0, os.Stderr)
//	...
//	defer db.Stop()
//	client := dynamodb.New(dynamodb.Options{BaseEndpoint: &db.Endpoint, ...})
//
// Every process runs in its own process group and is stopped with its
// descendants (Process.Stop): SIGTERM, then SIGKILL after a grace period, then
// a check that none is left. The package imports nothing of the project's, so
// any test helper can use it without an import cycle.
package emulator
