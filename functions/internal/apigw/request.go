package apigw

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// DefaultMaxBodyBytes is the request body limit for ordinary JSON writes.
const DefaultMaxBodyBytes = 16 << 10

// Header returns the first value of the named request header. API Gateway
// passes header names as the client sent them, so the match ignores case.
func Header(req *events.APIGatewayProxyRequest, name string) string {
	if v, ok := req.Headers[name]; ok {
		return v
	}
	for k, v := range req.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	for k, vs := range req.MultiValueHeaders {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// DecodeJSON decodes the request body, a single JSON object of at most
// maxBytes bytes sent as application/json, into dst. Fields that dst does not
// have are rejected, so that a typo is not silently ignored. Every failure is
// an *Error: 415 for another content type, 413 for a body over the limit and
// 400 for anything else, naming the field when there is one.
func DecodeJSON(req *events.APIGatewayProxyRequest, maxBytes int, dst any) error {
	mediaType, _, err := mime.ParseMediaType(Header(req, "Content-Type"))
	if err != nil || mediaType != "application/json" {
		return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "the request body must be sent as Content-Type: application/json"}
	}
	tooLarge := &Error{Status: http.StatusRequestEntityTooLarge, Code: "payload_too_large",
		Message: "the request body must not exceed " + strconv.Itoa(maxBytes) + " bytes"}

	body := []byte(req.Body)
	if req.IsBase64Encoded {
		// Check the encoded size first so that a huge body is never decoded.
		if len(req.Body) > base64.StdEncoding.EncodedLen(maxBytes) {
			return tooLarge
		}
		if body, err = base64.StdEncoding.DecodeString(req.Body); err != nil {
			return &Error{Status: http.StatusBadRequest, Code: "invalid_body", Message: "the request body is not valid base64"}
		}
	}
	if len(body) > maxBytes {
		return tooLarge
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &Error{Status: http.StatusBadRequest, Code: "missing_body", Message: "a JSON request body is required"}
	}
	// encoding/json would quietly turn invalid bytes into U+FFFD.
	if !utf8.Valid(body) {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_body", Message: "the request body is not valid UTF-8"}
	}

	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "the request body must hold a single JSON object"}
	}
	return nil
}

// jsonError explains a decoding error in terms of the request.
func jsonError(err error) *Error {
	if typeErr, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if typeErr.Field == "" {
			return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: "the request body must be a JSON object"}
		}
		return Invalid(typeErr.Field, typeErr.Field+" must be a JSON "+jsonKind(typeErr.Type.Kind()))
	}
	// encoding/json reports unknown fields only as text: json: unknown field "name".
	if quoted, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field, unquoteErr := strconv.Unquote(quoted)
		if unquoteErr == nil {
			return &Error{Status: http.StatusBadRequest, Code: "unknown_field", Field: field,
				Message: "unknown field " + quoted}
		}
	}
	msg := "the request body is not valid JSON"
	if syntaxErr, ok := errors.AsType[*json.SyntaxError](err); ok {
		msg += " (at byte " + strconv.FormatInt(syntaxErr.Offset, 10) + ")"
	}
	return &Error{Status: http.StatusBadRequest, Code: "invalid_json", Message: msg}
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(kind reflect.Kind) string {
	switch kind {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return kind.String()
}

// QueryInt reads an integer query string parameter between min and max
// inclusive, or def when the parameter is absent.
func QueryInt(req *events.APIGatewayProxyRequest, name string, def, min, max int) (int, error) {
	raw, ok := req.QueryStringParameters[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > max {
		return 0, Invalid(name, name+" must be an integer from "+strconv.Itoa(min)+" to "+strconv.Itoa(max))
	}
	return n, nil
}

// PageParams reads the paging parameters of a list request: ?limit, from 1
// to max and def when absent, and ?cursor, a token of [Cursor.Encode] that
// must hold exactly the key attributes keys (nil for the first page).
func PageParams(req *events.APIGatewayProxyRequest, def, max int, keys ...string) (limit int, cursor Cursor, err error) {
	limit, err = QueryInt(req, "limit", def, 1, max)
	if err != nil {
		return 0, nil, err
	}
	cursor, err = ParseCursor(req.QueryStringParameters["cursor"], keys...)
	if err != nil {
		return 0, nil, err
	}
	return limit, cursor, nil
}

// CognitoSub returns the caller's Cognito user pool subject, the "sub" claim
// that a REST API Cognito user pool authorizer puts in
// requestContext.authorizer.claims. It is the only trustworthy identity of the
// caller; a missing or empty claim is a 401.
func CognitoSub(req *events.APIGatewayProxyRequest) (string, error) {
	var sub string
	switch claims := req.RequestContext.Authorizer["claims"].(type) {
	case map[string]any: // as decoded from the event JSON
		sub, _ = claims["sub"].(string)
	case map[string]string:
		sub = claims["sub"]
	}
	if sub == "" || len(sub) > 128 {
		return "", Unauthorized("the request carries no valid Cognito identity")
	}
	return sub, nil
}

// CheckText validates a text field: it must have between min and max
// characters (Unicode code points) and no control characters, except line
// breaks and tabs when multiline is set. With min > 0 it must also not be
// blank.
//
// It must also not hold U+FFFD, the replacement character. API Gateway
// hands a body that is not valid UTF-8 to the function with each invalid
// byte replaced by U+FFFD (unless its content type is a binary media type),
// so the character is how a function behind it sees text that was not
// valid UTF-8 when the client sent it; no one types it on purpose.
func CheckText(field, value string, min, max int, multiline bool) error {
	if strings.ContainsRune(value, utf8.RuneError) {
		return Invalid(field, field+" must be valid UTF-8 text (it holds U+FFFD, the mark of bytes that were not)")
	}
	n := utf8.RuneCountInString(value)
	if n < min || n > max || (min > 0 && strings.TrimSpace(value) == "") {
		if min > 0 {
			return Invalid(field, field+" must have "+strconv.Itoa(min)+" to "+strconv.Itoa(max)+" characters and not be blank")
		}
		return Invalid(field, field+" must have at most "+strconv.Itoa(max)+" characters")
	}
	for _, r := range value {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return Invalid(field, field+" must not contain control characters")
		}
	}
	return nil
}

// Location returns the Location of a resource created under the request's
// path: a relative reference (RFC 9110, section 10.2.2), the last segment of
// the path the client called followed by id, which the client resolves
// against the URL it called. The function cannot see under which path the
// client reached it: the stage URL (/v1/posts), a custom domain's base path,
// or a CDN serving the API under a prefix (/api/posts, with the prefix
// stripped on the way). The relative reference is right on all of them:
// "posts/hello" from /v1/posts is /v1/posts/hello, from /api/posts it is
// /api/posts/hello.
func Location(req *events.APIGatewayProxyRequest, id string) string {
	ref := url.PathEscape(id)
	if p := req.Path; p != "" && !strings.HasSuffix(p, "/") {
		// From "/todos/" the reference is the id alone.
		ref = url.PathEscape(p[strings.LastIndex(p, "/")+1:]) + "/" + ref
	}
	if strings.Contains(strings.SplitN(ref, "/", 2)[0], ":") {
		// A first segment with a colon would read as a URL scheme.
		ref = "./" + ref
	}
	return ref
}
