// Package tests checks the whole program offline: it runs the real program
// (internal/app) for each shipped stack under mocks and compares what it
// registers with the reviewed snapshots in testdata/snapshots, checks the
// project's conventions, and keeps the README in step with Pulumi.yaml.
//
// After an intended infrastructure change, review the diff and run:
//
//	go test ./tests -update
package tests
