package main

import (
	"fmt"
	"os"

	"github.com/gopherstack/serverless-arch/dev/emulator"
)

// switchTo sends every later write to out to the file at path, or to a new
// file in the temporary directory when path is empty, and returns the
// file's name; "-" keeps the current writer and returns "". Local mode's
// output goes to the terminal while it starts and to the log file once it
// serves, so that nothing scrolls the block of URLs away. The file stays
// open until the process ends.
func switchTo(out *emulator.SyncWriter, path string) (string, error) {
	if path == "-" {
		return "", nil
	}
	var f *os.File
	var err error
	if path == "" {
		f, err = os.CreateTemp("", "serverless-arch-local-*.log")
	} else {
		f, err = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	}
	if err != nil {
		return "", fmt.Errorf("opening the log file: %w", err)
	}
	out.Switch(f)
	return f.Name(), nil
}
