// Command echo is a test function: it answers its event and the environment
// variable the event names, and fails the ways the event asks it to.
package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

type event struct {
	Env   string `json:"env"`
	Fail  string `json:"fail"`
	Sleep int    `json:"sleepMs"`
}

func main() {
	if os.Getenv("ECHO_CRASH_AT_START") != "" {
		os.Exit(3)
	}
	lambda.Start(func(ctx context.Context, e event) (map[string]any, error) {
		time.Sleep(time.Duration(e.Sleep) * time.Millisecond)
		switch e.Fail {
		case "error":
			return nil, errors.New("asked to fail")
		case "panic":
			panic("asked to panic")
		case "exit":
			os.Exit(2)
		}
		return map[string]any{"env": os.Getenv(e.Env), "pid": os.Getpid()}, nil
	})
}
