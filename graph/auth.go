package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/db"
	"usergraph/graph/exec"
	"usergraph/internal/auth"
	"usergraph/model"
)

type ctxKey int

const (
	loadersKey ctxKey = iota
	// credentialKey holds the Authorization header a request was
	// authenticated with.
	credentialKey
)

// requireAdmin is where scopes are enforced, once for every root field. A
// field marked @public needs nothing; one marked @signedIn, any valid
// credential; every other field needs a credential holding the scope its
// @scope directive names (FORBIDDEN with extensions.scope otherwise). Introspection (__schema, __type) is public:
// the schema is published anyway and the playground needs it.
func requireAdmin(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rc := graphql.GetRootFieldContext(ctx)
	if rc == nil {
		return next(ctx)
	}
	ctx, err := admit(ctx, rc.Field)
	if err != nil {
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	return next(ctx)
}

// admit checks that the request's credential may run the root field f,
// and returns ctx naming who writes through it (db.WithActor). gqlgen runs
// a subscription's root field without the root-field middleware, so the
// subscription resolvers call it themselves.
func admit(ctx context.Context, f graphql.CollectedField) (context.Context, error) {
	if strings.HasPrefix(f.Name, "__") || f.Definition.Directives.ForName("public") != nil {
		return ctx, nil
	}
	p := auth.PrincipalOf(ctx)
	if p == nil {
		return ctx, auth.Refusal(ctx)
	}
	if scope := missingScope(p.Scopes, f.Field); scope != "" {
		return ctx, model.Forbidden(scope)
	}
	return db.WithActor(ctx, p.Actor, f.Name), nil
}

// missingScope is the first scope that field, or a field selected under
// it, declares with @scope and granted lacks ("" when none is missing).
// Nested fields that need a scope of their own (User.auditLog) are checked
// here too, before anything runs: a credential without it gets FORBIDDEN
// for the root field that selects it, never part of an answer.
func missingScope(granted []string, field *ast.Field) string {
	if field.Definition != nil && field.Definition.Directives.ForName("signedIn") == nil {
		if scope := fieldScope(field.Definition.Directives); !model.ScopeAllows(granted, scope) {
			return scope
		}
	}
	return missingScopeIn(granted, field.SelectionSet)
}

func missingScopeIn(granted []string, set ast.SelectionSet) string {
	for _, sel := range set {
		var scope string
		switch s := sel.(type) {
		case *ast.Field:
			if s.Definition != nil && s.Definition.Directives.ForName("scope") != nil {
				scope = missingScope(granted, s)
			} else {
				scope = missingScopeIn(granted, s.SelectionSet)
			}
		case *ast.InlineFragment:
			scope = missingScopeIn(granted, s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil { // validation has refused cycles
				scope = missingScopeIn(granted, s.Definition.SelectionSet)
			}
		}
		if scope != "" {
			return scope
		}
	}
	return ""
}

// fieldScope is the scope a field's @scope directive names ("" when it has
// none, which no credential holds but "*": TestEveryRootFieldDeclaresAScope
// keeps it from happening).
func fieldScope(dirs ast.DirectiveList) string {
	d := dirs.ForName("scope")
	if d == nil {
		return ""
	}
	if a := d.Arguments.ForName("name"); a != nil && a.Value != nil {
		return a.Value.Raw
	}
	return ""
}

// poolID is the user pool of the request's credential. requireAdmin has
// already refused requests without one, so the empty string never reaches
// a store call; should it, no row matches it.
func poolID(ctx context.Context) string {
	if p := auth.PrincipalOf(ctx); p != nil {
		return p.Pool
	}
	return ""
}

// Every field that declares a scope says so in its description, as the
// schema is loaded: introspection carries no applied directives, so the
// playground's docs, schema.graphql and the descriptions the TypeScript
// codegen copies would otherwise not show what a credential needs.
func init() { describeScopes(exec.NewExecutableSchema(exec.Config{}).Schema()) }

// describeScopes appends the scope sentence to the description of every
// field with @scope (and the no-credential sentence to every @public one).
func describeScopes(s *ast.Schema) {
	for _, def := range s.Types {
		for _, f := range def.Fields {
			var note string
			switch {
			case fieldScope(f.Directives) != "":
				note = "Needs the `" + fieldScope(f.Directives) + "` scope."
			case f.Directives.ForName("public") != nil:
				note = "Needs no credential."
			case f.Directives.ForName("signedIn") != nil:
				note = "Needs a credential, of any scope."
			default:
				continue
			}
			if !strings.HasSuffix(f.Description, note) {
				f.Description = strings.TrimSpace(f.Description + "\n\n" + note)
			}
		}
	}
}
