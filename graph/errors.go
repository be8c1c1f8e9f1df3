package graph

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"

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
			if field == "" {
				field = inputPath(gqlErr.Path)
			}
			gqlErr.Message = me.Message
			if field != "" && me.Code == model.CodeInvalidInput && !strings.HasPrefix(me.Message, field) {
				gqlErr.Message = field + ": " + me.Message
			}
			gqlErr.Extensions = map[string]any{"code": string(me.Code)}
			if field != "" {
				gqlErr.Extensions["field"] = field
			}
			if me.Index != nil {
				gqlErr.Extensions["index"] = *me.Index
			}
			return gqlErr
		}
		if code, ok := gqlErr.Extensions["code"]; ok {
			// A variable that fails the schema's types (an unknown enum
			// value, a string for an Int) is bad input, like any other:
			// name the variable's field so a form can point at it.
			if code == "GRAPHQL_VALIDATION_FAILED" && len(gqlErr.Path) > 1 && gqlErr.Path[0] == ast.PathName("variable") {
				gqlErr.Extensions["code"] = string(model.CodeInvalidInput)
				gqlErr.Extensions["field"] = inputPath(gqlErr.Path)
			}
			return gqlErr
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			gqlErr.Message = "the request was cancelled or timed out"
			gqlErr.Extensions = map[string]any{"code": "CANCELLED"}
			return gqlErr
		}
		log.ErrorContext(ctx, "internal error", "path", gqlErr.Path.String(), "err", err)
		gqlErr.Message = "internal error"
		gqlErr.Extensions = map[string]any{"code": string(model.CodeInternal)}
		return gqlErr
	}
}

// inputPath turns the path of an argument error (the field's response path
// followed by the argument and input-field names) into a dotted input field
// such as "userInfo.lastLogin".
func inputPath(p []ast.PathElement) string {
	var parts []string
	for _, el := range p {
		switch e := el.(type) {
		case ast.PathName:
			parts = append(parts, string(e))
		case ast.PathIndex:
			parts = append(parts, strconv.Itoa(int(e)))
		}
	}
	if len(parts) <= 1 {
		return ""
	}
	return strings.Join(parts[1:], ".")
}

// inputErr prefixes the field of an input error with the argument it came
// from ("email" → "userInfo.email"); other errors pass through.
func inputErr(err error, arg string) error {
	if me, ok := model.AsError(err); ok && (me.Code == model.CodeInvalidInput || me.Code == model.CodeAlreadyExists) {
		return model.WithPrefix(err, arg)
	}
	return err
}

// itemError names the field of a batch item's error: "<arg>.<index>.<sub>.<field>"
// for a batch argument, or "<sub>.<field>" for a single item, where the
// item's own userId keeps its name.
func itemError(err error, arg, sub string) error {
	me, ok := model.AsError(err)
	if !ok || me.Index == nil {
		return err
	}
	c := *me
	var parts []string
	if arg != "" {
		parts = append(parts, arg, strconv.Itoa(*me.Index))
	} else {
		c.Index = nil
	}
	if sub != "" && c.Field != "userId" {
		parts = append(parts, sub)
	}
	if c.Field != "" {
		parts = append(parts, c.Field)
	}
	c.Field = strings.Join(parts, ".")
	return &c
}
