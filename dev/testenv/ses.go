package testenv

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/emulator"
)

// SESMail is one message aws-ses-v2-local accepted, as its GET /store API
// reports it (templates already rendered).
type SESMail struct {
	MessageID   string `json:"messageId"`
	From        string `json:"from"`
	Destination struct {
		To  []string `json:"to"`
		Cc  []string `json:"cc"`
		Bcc []string `json:"bcc"`
	} `json:"destination"`
	Subject string `json:"subject"`
	Body    struct {
		HTML string `json:"html"`
		Text string `json:"text"`
	} `json:"body"`
	// At is the Unix time, in seconds, the message was accepted.
	At int64 `json:"at"`
}

// SES starts aws-ses-v2-local (tests/emulators) for the test and returns its
// endpoint, such as "http://127.0.0.1:40123". It is stopped when the test
// ends, whether it passed or not.
//
// Point SDK clients at it with AWSConfig or AWS_ENDPOINT_URL_SESV2; read what
// was sent with SESMails. Templates are rendered with Handlebars, as SES does.
func SES(t testing.TB) (endpoint string) {
	t.Helper()
	return start(t, emulator.StartSES)
}

// SESMails returns every message the emulator at endpoint has accepted, in
// the order it accepted them.
func SESMails(t testing.TB, endpoint string) []SESMail {
	t.Helper()
	resp, err := http.Get(endpoint + "/store")
	if err != nil {
		t.Fatalf("reading the SES emulator store: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the SES emulator store: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reading the SES emulator store: %s: %s", resp.Status, body)
	}
	var store struct {
		Emails []SESMail `json:"emails"`
	}
	if err := json.Unmarshal(body, &store); err != nil {
		t.Fatalf("decoding the SES emulator store: %v", err)
	}
	return store.Emails
}
