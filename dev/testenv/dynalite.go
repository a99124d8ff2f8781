package testenv

import (
	"errors"
	"io"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/gopherstack/serverless-arch/dev/emulator"
)

// Dynalite starts an in-memory dynalite (a DynamoDB emulator) for the test
// and returns its endpoint, such as "http://127.0.0.1:40123". Tables become
// ACTIVE as soon as they are created.
func Dynalite(t testing.TB) (endpoint string) {
	t.Helper()
	return start(t, emulator.StartDynalite)
}

// AWSConfig returns an aws.Config for a client of the emulator at endpoint:
// region us-east-1, static fake credentials, and nothing read from the
// environment or ~/.aws, so that a developer's real settings never leak in.
func AWSConfig(t testing.TB, endpoint string) aws.Config {
	t.Helper()
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTESTENV", "testenv-secret", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// start runs an emulator on a free port for the rest of the test and
// returns its endpoint. It is stopped, with everything it started, by
// t.Cleanup whether the test passed or not; its output is logged when the
// test failed.
func start(t testing.TB, run func(root string, port int, logs io.Writer) (*emulator.Service, error)) string {
	t.Helper()
	root, err := emulator.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	s, err := run(root, 0, nil)
	if err != nil {
		SkipIfNotInstalled(t, err)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stopping %s: %v", s.Name, err)
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", s.Name, s.Output())
		}
	})
	return s.Endpoint
}

// SkipIfNotInstalled skips the test when err reports a missing emulator
// (emulator.ErrNotInstalled), or fails it when the environment variable CI
// is "true", so that integration tests cannot silently stop running in CI.
// Other errors are left to the caller.
func SkipIfNotInstalled(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, emulator.ErrNotInstalled) {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(err)
	}
	t.Skip(err)
}
