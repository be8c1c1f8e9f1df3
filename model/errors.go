// Package model is usergraph's domain: the records it stores, their enums,
// the rules a write must satisfy, and the typed errors every layer speaks.
// It runs no queries; db persists these types and graph exposes them.
package model

import (
	"errors"
	"fmt"
)

// Code classifies an error for clients. It is what the GraphQL layer puts in
// extensions.code, so clients branch on it and never on message text.
type Code string

// The error codes a client can see.
const (
	CodeNotFound        Code = "NOT_FOUND"
	CodeAlreadyExists   Code = "ALREADY_EXISTS"
	CodeInvalidInput    Code = "INVALID_INPUT"
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeInternal        Code = "INTERNAL"
	// CodeForbidden is a credential (an API key) without the scope a
	// field needs; extensions.scope names it.
	CodeForbidden Code = "FORBIDDEN"

	// Codes of requests refused before they reach GraphQL, each with its
	// own HTTP status.
	CodeBadRequest           Code = "BAD_REQUEST"            // 400: not a JSON object, empty, unreadable
	CodePayloadTooLarge      Code = "PAYLOAD_TOO_LARGE"      // 413
	CodeMethodNotAllowed     Code = "METHOD_NOT_ALLOWED"     // 405: not GET or POST, or a mutation by GET
	CodeUnsupportedMediaType Code = "UNSUPPORTED_MEDIA_TYPE" // 415: a POST that is not application/json

	// Codes of operations refused for what they would cost.
	CodeComplexityLimitExceeded Code = "COMPLEXITY_LIMIT_EXCEEDED" // too costly (computed), too many rows read, accessToken twice
	CodeDepthLimitExceeded      Code = "DEPTH_LIMIT_EXCEEDED"
	CodeRateLimited             Code = "RATE_LIMITED" // extensions.retryAfter says when to try again, in seconds
	// CodeCancelled is a request cancelled by its client or past its
	// deadline; a write it was making rolled back.
	CodeCancelled Code = "CANCELLED"
)

// Error is a client-facing error: a code, the input field it concerns (a
// dotted path such as "userInfo.email" or "data.age", empty when none) and a
// message for humans. Index is the position of the offending item in a batch
// write, or nil outside batches.
type Error struct {
	Code    Code
	Field   string
	Message string
	Index   *int
	// Subject names what a NOT_FOUND error did not find ("user",
	// "namespace", "role", …), so a caller tells an unknown namespace from
	// an unknown role by type (errors.Is with ErrNamespaceNotFound), never
	// by reading the field.
	Subject string
	// RetryAfter, on RATE_LIMITED, is how many seconds to wait.
	RetryAfter int
	// Scope, on FORBIDDEN, is the scope that was needed.
	Scope string
	// ResumeAfter, on SLOW_CONSUMER, is the last event the subscriber
	// was sent: subscribe again after it.
	ResumeAfter string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Is makes errors.Is(err, model.ErrNotFound) and friends match any *Error
// with the same code, whatever its field and message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Field == "" && t.Message == "" && t.Code == e.Code && (t.Subject == "" || t.Subject == e.Subject)
}

// Sentinels for errors.Is; they carry only a code.
var (
	ErrNotFound        = &Error{Code: CodeNotFound}
	ErrAlreadyExists   = &Error{Code: CodeAlreadyExists}
	ErrInvalidInput    = &Error{Code: CodeInvalidInput}
	ErrUnauthenticated = &Error{Code: CodeUnauthenticated}

	ErrNamespaceNotFound = &Error{Code: CodeNotFound, Subject: "namespace"}
	ErrResourceNotFound  = &Error{Code: CodeNotFound, Subject: "resource"}
	ErrRoleNotFound      = &Error{Code: CodeNotFound, Subject: "role"}
)

// NotFound reports that the thing named by field does not exist in the pool.
func NotFound(field, format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundOf reports that a subject ("user", "namespace", "role", …) named
// by field does not exist in the pool.
func NotFoundOf(subject, field, format string, args ...any) *Error {
	e := NotFound(field, format, args...)
	e.Subject = subject
	return e
}

// AlreadyExists reports a uniqueness violation on field.
func AlreadyExists(field, format string, args ...any) *Error {
	return &Error{Code: CodeAlreadyExists, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports input that breaks a rule; field names the offending input.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalidInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Unauthenticated reports a missing or unusable credential.
func Unauthenticated(format string, args ...any) *Error {
	return &Error{Code: CodeUnauthenticated, Message: fmt.Sprintf(format, args...)}
}

// AsError returns the *Error inside err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// WithPrefix returns a copy of err whose field is prefixed by prefix
// ("email" becomes "userInfo.email"). Errors that are not *Error pass through.
func WithPrefix(err error, prefix string) error {
	e, ok := AsError(err)
	if !ok || prefix == "" {
		return err
	}
	c := *e
	if c.Field == "" {
		c.Field = prefix
	} else {
		c.Field = prefix + "." + c.Field
	}
	return &c
}

// WithField returns a copy of err on another field (a lookup's error moved
// to the input that named what was looked up). Errors that are not *Error
// pass through.
func WithField(err error, field string) error {
	e, ok := AsError(err)
	if !ok {
		return err
	}
	c := *e
	c.Field = field
	return &c
}

// AtIndex marks err as the error of item i of a batch. Errors that are not
// *Error pass through.
func AtIndex(err error, i int) error {
	e, ok := AsError(err)
	if !ok {
		return err
	}
	c := *e
	c.Index = &i
	return &c
}

// Codes of the change stream (events, webhooks, subscriptions).
const (
	// CodeCursorExpired is a resume position older than the audit
	// trail's retention: the events after it are gone; start afresh.
	CodeCursorExpired Code = "CURSOR_EXPIRED"
	// CodeSlowConsumer ends a subscription that did not read its events
	// as fast as they came; extensions.resumeAfter is the last event it
	// was sent, to subscribe again from.
	CodeSlowConsumer Code = "SLOW_CONSUMER"
	// CodeTooManySubscriptions refuses a subscription past the bounds
	// per pool or per credential.
	CodeTooManySubscriptions Code = "TOO_MANY_SUBSCRIPTIONS"
)

// The codes of GraphQL's own refusals, as gqlgen sets them: a document
// that does not parse or validate, and automatic persisted queries.
const (
	CodeGraphQLParseFailed         Code = "GRAPHQL_PARSE_FAILED"
	CodeGraphQLValidationFailed    Code = "GRAPHQL_VALIDATION_FAILED"
	CodePersistedQueryNotFound     Code = "PERSISTED_QUERY_NOT_FOUND"
	CodePersistedQueryNotSupported Code = "PERSISTED_QUERY_NOT_SUPPORTED"
)

// Codes is every code a client can see in extensions.code: the list the
// TypeScript client's ErrorCode is generated from (internal/tscodes), so
// the two cannot drift. A new code goes here.
func Codes() []Code {
	return []Code{
		CodeUnauthenticated, CodeForbidden, CodeInvalidInput, CodeNotFound, CodeAlreadyExists,
		CodeRateLimited, CodeComplexityLimitExceeded, CodeDepthLimitExceeded, CodeCancelled,
		CodeGraphQLParseFailed, CodeGraphQLValidationFailed, CodePersistedQueryNotFound, CodePersistedQueryNotSupported,
		CodeBadRequest, CodePayloadTooLarge, CodeUnsupportedMediaType, CodeMethodNotAllowed,
		CodeCursorExpired, CodeSlowConsumer, CodeTooManySubscriptions, CodeInternal,
	}
}
