// Package lambdamain is the start every function here shares: logs as JSON
// lines on standard output (where CloudWatch Logs also finds embedded
// metrics), then the handler built once from the environment, for every
// invocation of the execution environment.
package lambdamain

import (
	"context"
	"log/slog"
	"os"
)

// Handler sets up the logs and builds the handler with newHandler from the
// process's environment. When that fails it logs why and exits with status
// 1, so that Lambda reports the failed start (an Init error) and no event
// reaches a function without its configuration. what names the function in
// that line.
func Handler[H any](what string, newHandler func(ctx context.Context, getenv func(string) string) (H, error)) H {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))
	h, err := newHandler(context.Background(), os.Getenv)
	if err != nil {
		slog.Error("starting "+what, "error", err)
		os.Exit(1)
	}
	return h
}
