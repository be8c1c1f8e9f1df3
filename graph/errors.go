package graph

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/model"
)

// presentError is the one place errors become GraphQL errors. A model.Error
// keeps its message and gets extensions.code (and field, index); gqlgen's
// own parse and validation errors keep their codes; anything else is an
// internal fault: logged with its path, and shown to the client only as
// INTERNAL, never with SQL or driver text.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if me, ok := model.AsError(err); ok {
			field := me.Field
			if field == "" && len(gqlErr.Path) > 1 {
				// Raised while reading an argument: the path is the
				// field's, then the argument's.
				field = dotted(gqlErr.Path[1:])
			}
			gqlErr.Message = me.Message
			if field != "" && me.Code == model.CodeInvalidInput {
				gqlErr.Message = field + ": " + me.Message
			}
			gqlErr.Extensions = map[string]any{"code": string(me.Code)}
			if field != "" {
				gqlErr.Extensions["field"] = field
			}
			if me.Index != nil {
				gqlErr.Extensions["index"] = *me.Index
			}
			if me.RetryAfter > 0 {
				gqlErr.Extensions["retryAfter"] = me.RetryAfter
			}
			if me.Scope != "" {
				gqlErr.Extensions["scope"] = me.Scope
			}
			if me.ResumeAfter != "" {
				gqlErr.Extensions["resumeAfter"] = me.ResumeAfter
			}
			return gqlErr
		}
		if code, ok := gqlErr.Extensions["code"]; ok {
			// A variable that fails the schema's types (an unknown enum
			// value, a string for an Int) is bad input, like any other:
			// name the argument path it was given to, so a form can point
			// at the field whatever the variable is called.
			if code == "GRAPHQL_VALIDATION_FAILED" && len(gqlErr.Path) > 1 && gqlErr.Path[0] == ast.PathName("variable") {
				field := variablePath(ctx, gqlErr.Path[1:])
				gqlErr.Extensions["code"] = string(model.CodeInvalidInput)
				gqlErr.Extensions["field"] = field
				gqlErr.Message = field + ": " + variableMessage(gqlErr.Message)
			}
			return gqlErr
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || ended(ctx) {
			// Cancelled by the client or past the request's deadline
			// (a driver may report the interruption in words of its own).
			gqlErr.Message = "the request was cancelled or timed out"
			gqlErr.Extensions = map[string]any{"code": string(model.CodeCancelled)}
			return gqlErr
		}
		log.ErrorContext(ctx, "internal error", "path", gqlErr.Path.String(), "err", err)
		gqlErr.Message = "internal error"
		gqlErr.Extensions = map[string]any{"code": string(model.CodeInternal)}
		return gqlErr
	}
}

// variablePath turns a path into a variable ($u, then .gender) into the
// argument path the variable stands for (userInfo.gender).
func variablePath(ctx context.Context, p ast.Path) string {
	name, _ := p[0].(ast.PathName)
	if graphql.HasOperationContext(ctx) {
		op := graphql.GetOperationContext(ctx)
		if arg := variableArgument(op.Doc, op.Operation, string(name)); arg != "" {
			return joinPath(arg, dotted(p[1:]))
		}
	}
	return dotted(p)
}

// variableMessages say in the server's words what gqlparser's variable
// checks say in Go's ("cannot use map as String", "must be a UserInput,
// not a slice"): a client is told what the field wants, never the Go kind
// of what it sent.
var variableMessages = []struct {
	pattern *regexp.Regexp
	say     string
}{
	{regexp.MustCompile(`^cannot use \S+ as ID\b`), "must be an ID: a string or a whole number"},
	{regexp.MustCompile(`^cannot use \S+ as Int$`), "must be an Int: a whole number"},
	{regexp.MustCompile(`^cannot use \S+ as Float$`), "must be a Float: a number"},
	{regexp.MustCompile(`^cannot use \S+ as Boolean$`), "must be a Boolean: true or false"},
	{regexp.MustCompile(`^cannot use \S+ as (\w+)$`), "must be a $1"},
	{regexp.MustCompile(`^must be a (\w+), not a \w+$`), "must be a $1: a JSON object"},
	{regexp.MustCompile(`^enums must be ints or strings$`), "must be one of the enum's values, as a string"},
	{regexp.MustCompile(`^.* is not a valid (\w+)$`), "is not one of the values of $1"},
}

// variableMessage is gqlparser's message about a variable in the server's
// words; one it does not know is kept (its others — "cannot be null",
// "must be defined", "unknown field" — are plain already).
func variableMessage(msg string) string {
	for _, m := range variableMessages {
		if m.pattern.MatchString(msg) {
			return m.pattern.ReplaceAllString(msg, m.say)
		}
	}
	return msg
}

// ended reports whether the request's context is done, or its deadline
// has passed: a driver may fail at the deadline (a dial's i/o timeout)
// an instant before the context's own timer marks it done, and that is
// the client's deadline, not a fault.
func ended(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	deadline, ok := ctx.Deadline()
	return ok && !time.Now().Before(deadline)
}
