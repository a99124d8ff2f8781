package main

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// switchWriter passes writes on to one writer, and then, from one moment
// on, to another: local mode's output goes to the terminal while it starts
// and to a log file once it serves, so that nothing scrolls the block of
// URLs away.
type switchWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *switchWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// switchTo sends every later write to the file at path, or to a new file in
// the temporary directory when path is empty, and returns the file's name;
// "-" keeps the current writer and returns "". The file stays open until
// the process ends.
func (s *switchWriter) switchTo(path string) (string, error) {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w = f
	return f.Name(), nil
}
