package graph

import (
	"context"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/model"
)

// Subscriptions end with an error (SLOW_CONSUMER, say) through their
// transport: gqlgen's WebSocket transport sends an "error" message, the
// SSE transport (internal/httpapi) a last event with errors. The transport
// puts how in the context it runs the subscription under.

type streamFailKey struct{}

// WithStreamFail gives ctx how its transport ends a subscription with an
// error; fail is called with the subscription's own context.
func WithStreamFail(ctx context.Context, fail func(ctx context.Context, err *gqlerror.Error)) context.Context {
	return context.WithValue(ctx, streamFailKey{}, fail)
}

// failStream ends the subscription of ctx with err, through its
// transport (nowhere when it has no say).
func failStream(ctx context.Context, err *gqlerror.Error) {
	if fail, ok := ctx.Value(streamFailKey{}).(func(context.Context, *gqlerror.Error)); ok {
		fail(ctx, err)
	}
}

// eventFilter is a change filter argument, checked (an absent one passes
// every event).
func eventFilter(f *model.EventFilter) (model.EventFilter, error) {
	if f == nil {
		return model.EventFilter{}, nil
	}
	out := *f
	return out, out.Validate("filter")
}

// eventPosition is the stream position an after argument names (0, the
// start, when absent).
func (r *Resolver) eventPosition(ctx context.Context, after *string) (int64, error) {
	if after == nil {
		return 0, nil
	}
	return r.Store.EventPosition(ctx, poolID(ctx), *after, "after")
}

// requireWebhooks refuses webhook operations on a server that does not
// deliver them (a graph.Config without Webhooks: some tests, tools).
func (r *Resolver) requireWebhooks() error {
	if r.Webhooks == nil {
		return &model.Error{Code: model.CodeInternal, Message: "this server does not deliver webhooks"}
	}
	return nil
}

// checkWebhook validates an endpoint's input, its URL by the SSRF guard
// too.
func (r *Resolver) checkWebhook(ctx context.Context, in *model.WebhookInput, create bool) error {
	if err := r.requireWebhooks(); err != nil {
		return err
	}
	if err := in.Validate(create); err != nil {
		return err
	}
	if in.URL != nil {
		return r.Webhooks.CheckURL(ctx, "url", *in.URL)
	}
	return nil
}

// stillAdmitted checks again that the credential a subscription was
// authenticated with holds: a revoked key, a rotated pool secret or an
// expired token ends the subscription (UNAUTHENTICATED) as it would end
// a request.
func (r *Resolver) stillAdmitted(ctx context.Context) error {
	header, _ := ctx.Value(credentialKey).(string)
	_, err := r.Guard.Admin(ctx, header)
	return err
}
