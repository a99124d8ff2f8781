// Command local runs the whole system on this machine, without AWS:
//
//	go run ./cmd/local [-port 3000] [-stack dev] [-state FILE] [-logs FILE] [-quiet]
//
// It deploys the dev stack's recording onto local emulators (package
// dev/local) and serves the blog site, the to-do API and the blog API on
// localhost, with thumbnails and welcome mails working as in AWS. While it
// starts it shows the processes' output; once everything answers it sends
// that output to a log file and prints the URLs and the API key last. On
// Ctrl-C (SIGINT) or SIGTERM it stops every process it started. The ports,
// how to sign in and upload, and each flag are described in [README: Run it]
// (and by -h).
//
// [README: Run it]: https://github.com/gopherstack/serverless-arch#run-it
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"

	"github.com/gopherstack/serverless-arch/dev/emulator"
	"github.com/gopherstack/serverless-arch/dev/local"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
}

// State is what -state writes: everything a script needs to talk to local
// mode.
type State struct {
	Site, TodoAPI, BlogAPI string
	TokenURL               string
	S3, SES, DynamoDB      string
	UploadsBucket          string
	UploadPrefix           string
	ThumbnailsBucket       string
	ThumbnailPrefix        string
	Sizes                  []int
	APIKey                 string
	PID                    int
	// Logs is the file the output goes to, "" when it stays on stderr.
	Logs string
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("local", flag.ContinueOnError)
	port := fs.Int("port", 3000, "first of the ports to serve on; 0 picks free ports")
	stack := fs.String("stack", "dev", "stack whose configuration is used")
	statePath := fs.String("state", "", "write the URLs and keys as JSON to this file once serving")
	logsPath := fs.String("logs", "", "where the processes' output and the request log go once serving (default: a new file in the temporary directory; - for stderr)")
	quiet := fs.Bool("quiet", false, "do not record the processes' output")
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}

	// Stop on the first signal; the handler is installed before anything
	// starts, so no child can outlive an early Ctrl-C.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Everything goes to stderr while local mode starts, and to the log
	// file once it serves, after the block is printed.
	out := emulator.NewSyncWriter(stderr)
	log := slog.New(slog.NewTextHandler(out, nil))
	if err := installEmulators(ctx, log, stderr); err != nil {
		return err
	}
	var logs io.Writer = out
	if *quiet {
		logs = io.Discard
	}
	started := make(chan struct{})
	var env *local.Env
	var startErr error
	go func() {
		defer close(started)
		env, startErr = local.Start(ctx, local.Options{Port: *port, Stack: *stack, Logs: logs, Log: log})
	}()
	select {
	case <-started:
	case <-ctx.Done():
		<-started // Start stops what it started when it fails; stop the rest below
	}
	if startErr != nil {
		return startErr
	}
	defer func() {
		fmt.Fprintln(stderr, "local: stopping")
		if err := env.Stop(); err != nil {
			fmt.Fprintln(stderr, "local: stopping:", err)
		}
	}()
	if ctx.Err() != nil {
		return nil
	}
	logFile, err := switchTo(out, *logsPath)
	if err != nil {
		return err
	}

	s := env.Settings
	state := State{
		Site: env.SiteURL, TodoAPI: env.TodoAPIURL, BlogAPI: env.BlogAPIURL,
		TokenURL: env.TokenURL,
		S3:       env.S3.Endpoint, SES: env.SES.Endpoint, DynamoDB: env.DynamoDB.Endpoint,
		UploadsBucket: s.UploadsBucket, UploadPrefix: s.UploadPrefix,
		ThumbnailsBucket: s.ThumbnailsBucket, ThumbnailPrefix: s.ThumbnailPrefix, Sizes: s.Sizes,
		APIKey: s.APIKey, PID: os.Getpid(), Logs: logFile,
	}
	printURLs(stdout, state)
	if *statePath != "" {
		if err := writeState(*statePath, state); err != nil {
			return err
		}
		defer os.Remove(*statePath)
	}

	<-ctx.Done()
	return nil
}

// writeState writes state as JSON to path, whole and then renamed, so that
// a script polling for the file never reads half of it.
func writeState(path string, state State) error {
	b, _ := json.MarshalIndent(state, "", "  ")
	part := path + ".part"
	if err := os.WriteFile(part, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(part, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// printURLs prints how to use local mode, ending with the block of URLs
// and the API key, so that it is the last thing on the terminal.
func printURLs(w io.Writer, s State) {
	fmt.Fprintf(w, "\nTry:\n")
	fmt.Fprintf(w, "  TOKEN=$(curl -s '%s?user=alice' | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')\n", s.TokenURL)
	fmt.Fprintf(w, "  curl -s -H \"Authorization: $TOKEN\" -H 'Content-Type: application/json' -d '{\"title\":\"Buy milk\"}' %s/todos\n", s.TodoAPI)
	fmt.Fprintf(w, "  curl -s -H 'x-api-key: %s' -H 'Content-Type: application/json' -d '{\"slug\":\"hello\",\"title\":\"Hello\",\"body\":\"First post\"}' %s/posts\n", s.APIKey, s.BlogAPI)
	fmt.Fprintf(w, "  curl -s -T photo.jpg %s/%s/%sphoto.jpg   # then open %s/%s%d/photo.jpg\n",
		s.S3, s.UploadsBucket, s.UploadPrefix, s.Site, s.ThumbnailPrefix, s.Sizes[len(s.Sizes)-1])
	if s.Logs != "" {
		fmt.Fprintf(w, "\nThe functions', emulators' and requests' logs: tail -f %s\n", s.Logs)
	}
	fmt.Fprintf(w, "\nLocal mode is running. Ctrl-C stops it.\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Blog site\t%s/\t(/api/* → blog API, /thumbnails/* → thumbnails)\n", s.Site)
	fmt.Fprintf(tw, "Blog API\t%s/posts\t\n", s.BlogAPI)
	fmt.Fprintf(tw, "To-do API\t%s/todos\tAuthorization: a token from %s?user=alice\n", s.TodoAPI, s.TokenURL)
	fmt.Fprintf(tw, "Welcome mails\t%s/store\t(the SES emulator's store; its web view is %s/)\n", s.SES, s.SES)
	fmt.Fprintf(tw, "S3\t%s\tbuckets %s, %s\n", s.S3, s.UploadsBucket, s.ThumbnailsBucket)
	fmt.Fprintf(tw, "DynamoDB\t%s\t\n", s.DynamoDB)
	fmt.Fprintf(tw, "API key\t%s\tx-api-key of POST /posts\n", s.APIKey)
	tw.Flush()
}

// installEmulators runs `npm ci` in tests/emulators when dynalite or
// aws-ses-v2-local is missing, so that a fresh clone needs no other step.
func installEmulators(ctx context.Context, log *slog.Logger, out io.Writer) error {
	root, err := emulator.ModuleRoot()
	if err != nil {
		return err
	}
	if emulator.Installed(root) == nil {
		return nil
	}
	dir := filepath.Join(root, "tests", "emulators")
	log.Info("installing the npm emulators (once)", "dir", dir)
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, out, out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("installing the emulators with npm ci in %s: %w", dir, err)
	}
	return emulator.Installed(root)
}
