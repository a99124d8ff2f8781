package apigw

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Error is an answer other than success, rendered as the JSON error body
// {"error":{"code":...,"message":...,"field":...,"details":...}}.
type Error struct {
	// Status is the HTTP status code.
	Status int `json:"-"`
	// Code is a stable, machine-readable reason such as "invalid_field".
	Code string `json:"code"`
	// Message explains the problem to a developer.
	Message string `json:"message"`
	// Field names the request field at fault, for 400 answers.
	Field string `json:"field,omitempty"`
	// Details carries extra data a client can act on, such as the current
	// version after a conflict.
	Details any `json:"details,omitempty"`

	// cause is logged for 5xx answers and never shown to the client.
	cause error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
	if e.Field != "" {
		msg += " (field " + e.Field + ")"
	}
	if e.cause != nil {
		msg += ": " + e.cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.cause }

// Invalid reports a request field with a bad value (400).
func Invalid(field, message string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "invalid_field", Field: field, Message: message}
}

// NotFound reports a resource that does not exist for the caller (404).
func NotFound(message string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Message: message}
}

// Conflict reports a write that lost against the stored state (409); details,
// if not nil, tell the client what the stored state is.
func Conflict(message string, details any) *Error {
	return &Error{Status: http.StatusConflict, Code: "conflict", Message: message, Details: details}
}

// Unauthorized reports a request without usable caller identity (401).
func Unauthorized(message string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: message}
}

// asError turns any endpoint error into the answer to give. Errors that are
// not an *Error are failures of the function or of AWS; their text stays in
// cause, out of the response.
func asError(err error) *Error {
	if apiErr, ok := errors.AsType[*Error](err); ok {
		return apiErr
	}
	if transient(err) {
		return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable",
			Message: "the service is temporarily unavailable, retry later", cause: err}
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal",
		Message: "internal error", cause: err}
}

// transient reports errors worth retrying: the ones the AWS SDK's own retryer
// treats as retryable or throttling (after it has given up), and deadlines.
func transient(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	return retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary ||
		retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary
}
