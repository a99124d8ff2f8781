package main

import (
	"errors"
	"net/mail"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
)

// verdict is what a refused SendEmail means for the user's mail.
type verdict int

const (
	// verdictRetry: transient (throttling, 5xx, network, a timeout) or our
	// own configuration (a missing template): release and retry.
	verdictRetry verdict = iota
	// verdictReject: the address can never be mailed; recorded for good.
	verdictReject
	// verdictHold: the account cannot send to this address yet (the SES
	// sandbox, an unverified identity, sending paused or suspended). That is
	// a state of the account, not a verdict on the address, and it lasts
	// longer than the mapping's retries: the mail is held for a re-drive.
	verdictHold
)

// classify tells a bad recipient, which is recorded and never retried, from
// a state of the account, which is held, and from everything else, which is
// retried. Errors naming our own sender are configuration problems, not the
// user's.
//
// In the sandbox SES answers every unverified recipient with MessageRejected
// "Email address is not verified. The following identities failed the check
// in region ...: <recipient>". It names the recipient, but says nothing about
// the address: once the account has production access, the same address is
// accepted. Any "not verified" refusal is therefore held, whoever it names.
func (h *Handler) classify(err error, recipient string) (verdict, string) {
	var (
		rejected  *types.MessageRejected
		bad       *types.BadRequestException
		paused    *types.SendingPausedException
		suspended *types.AccountSuspendedException
		mailFrom  *types.MailFromDomainNotVerifiedException
	)
	switch {
	case errors.As(err, &rejected):
		msg := aws.ToString(rejected.Message)
		if mentions(msg, "not verified") {
			return verdictHold, "MessageRejected: " + msg
		}
		if mentions(msg, h.From) {
			return verdictRetry, ""
		}
		return verdictReject, "MessageRejected: " + msg
	case errors.As(err, &paused):
		return verdictHold, "SendingPaused: " + aws.ToString(paused.Message)
	case errors.As(err, &suspended):
		return verdictHold, "AccountSuspended: " + aws.ToString(suspended.Message)
	case errors.As(err, &mailFrom):
		return verdictHold, "MailFromDomainNotVerified: " + aws.ToString(mailFrom.Message)
	case errors.As(err, &bad):
		msg := aws.ToString(bad.Message)
		if mentions(msg, h.From) {
			return verdictRetry, ""
		}
		if mentions(msg, recipient) || mentions(msg, "address") || mentions(msg, "domain") {
			return verdictReject, "BadRequestException: " + msg
		}
	}
	return verdictRetry, ""
}

func mentions(s, sub string) bool {
	return sub != "" && strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// addressProblem returns why SES would refuse addr, or "" when it looks
// deliverable: one plain address (no display name), ASCII only, since SES
// takes no SMTPUTF8 local parts and wants IDN domains in punycode, and a
// domain with at least one dot.
func addressProblem(addr string) string {
	if len(addr) > 254 {
		return "invalid address: longer than 254 characters"
	}
	for _, r := range addr {
		if r > unicode.MaxASCII {
			return "invalid address: non-ASCII characters"
		}
	}
	parsed, err := mail.ParseAddress(addr)
	if err != nil {
		return "invalid address: " + err.Error()
	}
	if parsed.Address != addr || parsed.Name != "" {
		return "invalid address: not a bare address"
	}
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "invalid address: domain " + domain + " is not fully qualified"
	}
	return ""
}
