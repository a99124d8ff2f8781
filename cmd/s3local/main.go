// Command s3local serves an in-memory S3 (gofakes3) over HTTP and emulates
// S3 event notifications to Lambda functions, for local mode and tests.
//
//	s3local -addr 127.0.0.1:4569 -bucket myblog-media \
//	  -notify '{"bucket":"myblog-media","prefix":"uploads/","suffixes":[".jpg",".png"],
//	            "events":["s3:ObjectCreated:*","s3:ObjectRemoved:*"],
//	            "function":"http://127.0.0.1:9101/2015-03-31/functions/function/invocations"}'
//
// When an object is created (PUT, browser POST upload, copy, completed
// multipart upload) or, for "s3:ObjectRemoved:*", deleted under a
// notification's prefix and suffixes, s3local invokes the function at the
// notification's URL (a runtime interface emulator) with exactly the event S3
// would send, asynchronously as S3 does: one invocation at a time per
// function, failures retried after -retry-delay up to maximumRetryAttempts
// times (default 2, as Lambda), then recorded as failed. GET /_local/deliveries
// lists every delivery and its outcome; PUT /_local/notifications replaces the
// notifications (GET lists them); POST /_local/expire?bucket=B&key=K deletes an
// object as a lifecycle rule would, notifying "s3:LifecycleExpiration:*".
//
// Clients use path-style addressing (http://127.0.0.1:4569/bucket/key), which
// the AWS SDK picks by itself for an IP address. It prints "s3local listening
// at <URL>" once it accepts requests (-addr 127.0.0.1:0 lets the kernel pick
// the port), and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gopherstack/serverless-arch/dev/local"
)

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "s3local:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("s3local", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:4569", "address to listen on; port 0 picks a free one")
	region := fs.String("region", "us-east-1", "region reported in events")
	retryDelay := fs.Duration("retry-delay", time.Second, "wait before retrying a failed delivery")
	var buckets, notify listFlag
	fs.Var(&buckets, "bucket", "bucket to create (repeatable)")
	fs.Var(&notify, "notify", `notification as JSON: {"bucket","prefix","suffixes","function","maximumRetryAttempts"} (repeatable)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := local.S3Config{Region: *region, Buckets: buckets, RetryDelay: *retryDelay,
		Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	for _, n := range notify {
		var parsed local.Notification
		dec := json.NewDecoder(strings.NewReader(n))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&parsed); err != nil {
			return fmt.Errorf("-notify %s: %w", n, err)
		}
		if err := parsed.Validate(); err != nil {
			return fmt.Errorf("-notify %s: %w", n, err)
		}
		cfg.Notifications = append(cfg.Notifications, parsed)
	}
	s3, err := local.NewS3(cfg)
	if err != nil {
		return err
	}
	defer s3.Close()

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s3, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	fmt.Printf("s3local listening at http://%s\n", l.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
