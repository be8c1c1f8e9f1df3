// Package graph is usergraph's GraphQL API: the schema
// (schema/*.graphqls), thin resolvers that authorize, map input, make one
// store call and map the result, the per-request loaders, pricing and the
// other operation rules, the root-field scope checks, the error presenter
// and argument paths (the one place error fields are named). Schema (api.go)
// is what the HTTP layer, internal/httpapi, serves; graph knows nothing of
// HTTP. The code gqlgen generates from the schema lives apart, in
// graph/exec.
package graph

//go:generate sh -c "cd .. && go run ./graph/plan/plangen"
//go:generate sh -c "cd .. && go run -tags sqlite_fts5 . schema > schema.graphql"
//go:generate sh -c "cd .. && go run ./internal/tscodes clients/typescript/src/codes.ts"

import (
	"context"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/db"
	"usergraph/internal/auth"
	"usergraph/internal/events"
	"usergraph/internal/operator"
	"usergraph/internal/webhook"
)

// Resolver holds what every resolver needs. It keeps no state between
// requests, so any number of replicas can serve one database.
type Resolver struct {
	Store  *db.Store
	Signer *auth.Signer
	// CountLimit is how far user listings count without exactCount.
	CountLimit int64

	// Guard checks credentials and throttles failed guesses.
	Guard *auth.Guard
	// Operators checks a pool's OpenID Connect provider when its
	// operator sign-in is set.
	Operators *operator.Verifier
	// Events follows the change stream for subscriptions; Webhooks
	// checks and pings endpoints.
	Events   *events.Hub
	Webhooks *webhook.Service
	// present turns an error into the one clients get (presentError).
	present func(context.Context, error) *gqlerror.Error
}
