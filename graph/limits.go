package graph

import (
	"context"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"usergraph/graph/exec"
	"usergraph/internal/bounded"
	"usergraph/model"
)

// Limits bound what one request may cost. A zero field takes its default
// (DefaultLimits).
type Limits struct {
	// MaxBodyBytes bounds a request body (a batch of 1,000 users fits).
	MaxBodyBytes int64
	// MaxComplexity bounds an operation's cost, computed before it runs:
	// every field costs 1 and every list field costs its children times
	// the most items it can return (its limit, or a fixed bound for an
	// unpaged list), so aliases and nesting multiply as they would at run
	// time.
	MaxComplexity int
	// MaxDepth bounds how deeply an operation nests fields (introspection
	// aside).
	MaxDepth int
	// MaxRows bounds the rows one operation may read, counted as it runs:
	// a backstop under the computed cost.
	MaxRows int64
	// RequestTimeout is how long one request may run. Its deadline reaches
	// the database: a write that cannot answer in time rolls back.
	RequestTimeout time.Duration
	// MaxBatch bounds the operations of one batch (a POST of a JSON
	// array); together they must cost no more than MaxComplexity.
	MaxBatch int
	// NoIntrospection refuses __schema and __type (production servers
	// that publish their schema otherwise; the playground then has no
	// docs). The zero value, as every zero limit, is the default: on.
	NoIntrospection bool
}

// DefaultLimits are safe defaults. The headline console page (50 users
// with their groups and roles) costs about 10,000; the largest accepted
// response is a few MB.
var DefaultLimits = Limits{
	MaxBodyBytes:   4 << 20,
	MaxComplexity:  50_000,
	MaxDepth:       12,
	MaxRows:        200_000,
	RequestTimeout: 60 * time.Second,
	MaxBatch:       10,
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	if l.MaxComplexity <= 0 {
		l.MaxComplexity = d.MaxComplexity
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxBatch <= 0 {
		l.MaxBatch = d.MaxBatch
	}
	if l.RequestTimeout <= 0 {
		l.RequestTimeout = d.RequestTimeout
	}
	return l
}

// CountCost is what counting a listing's matches costs on top of its
// page: a bounded count reads up to 10,000 index entries; an exact count
// may read the whole pool, so a handful of them fill an operation.
const (
	CountCost      = 10
	ExactCountCost = 5_000
)

// complexity prices every list field by the most items it can return.
func complexity() exec.ComplexityRoot {
	var c exec.ComplexityRoot
	paged := func(child int, limit *int) int { return ListCost(child, PageSize(limit)) }
	nested := func(child int) int { return ListCost(child, model.MaxNestedList) }
	counted := func(exact *bool) int {
		if exact != nil && *exact {
			return ExactCountCost
		}
		return CountCost
	}

	c.Query.Users = func(child int, _, limit *int, _ *model.UserSort, _ *model.UserFilter, exact *bool, _ *string, _ []string, _ *bool, _ *string, first *int) int {
		return paged(child, firstOr(first, limit)) + counted(exact)
	}
	c.Query.SearchUsers = func(child int, _ string, _ []string, _ *model.UserFilter, _ *model.UserSort, _, limit *int, _, exact *bool, _ *string, first *int) int {
		return paged(child, firstOr(first, limit)) + counted(exact)
	}
	c.Query.Groups = func(child int, _ []*model.CustomDataPred, _, limit *int, _ *string, first *int) int {
		return paged(child, firstOr(first, limit))
	}
	c.Query.Roles = func(child int, _ *string, _ []*model.CustomDataPred, _, limit *int, _ *string, first *int) int {
		return paged(child, firstOr(first, limit))
	}
	c.Query.Namespaces = func(child int, _, limit *int, _ *string, first *int) int { return paged(child, firstOr(first, limit)) }
	c.Query.Resources = func(child int, _ string, _ *model.ResourceType, _, limit *int, _ *string, first *int) int {
		return paged(child, firstOr(first, limit))
	}
	c.Query.AuthorizedResources = func(child int, _ string, _ *string, _ *model.ResourceType) int {
		return ListCost(child, model.MaxAuthorizedResources)
	}
	c.Query.APIKeys = func(child int) int { return ListCost(child, model.MaxAPIKeys) }
	c.OperatorSignIn.Rules = func(child int) int { return ListCost(child, model.MaxScopeRules) }
	c.Query.AuditLog = func(child int, _ *model.AuditFilter, _, limit *int, _ *string, first *int) int {
		return paged(child, firstOr(first, limit)) + CountCost
	}
	c.User.AuditLog = func(child int, _, limit *int) int { return paged(child, limit) }
	// A record's changes are read whole: priced like custom data, by the
	// usual bound of what one write changes on one object.
	c.AuditRecord.Changes = func(int) int { return 1 + model.MaxCustomDataBytes/100 }
	c.ChangeEvent.Changes = c.AuditRecord.Changes
	c.Query.ChangeEvents = func(child int, _ *model.EventFilter, _ *string, first *int) int { return paged(child, first) }
	c.Subscription.Changes = func(child int, _ *model.EventFilter, _ *string) int { return child }
	c.Query.Webhooks = func(child int) int { return ListCost(child, model.MaxWebhooks) }
	c.Webhook.Events = func(int) int { return ListCost(1, model.MaxEventTypes) }
	c.Query.WebhookDeliveries = func(child int, _ string, _ *model.DeliveryFilter, first *int, _ *string) int {
		return paged(child, first)
	}
	c.WebhookDelivery.Log = func(child int) int { return ListCost(child, model.MaxDeliveryLog) }
	c.Query.Udf = func(child int, _ model.UdfTargetType) int { return ListCost(child, model.MaxUdfDefinitions) }
	c.Query.UserBatch = func(child int, ids []string) int { return ListCost(child, len(ids)) }
	c.Query.ArchivedUsers = func(child int, _, limit *int, _ *string, first *int) int {
		return paged(child, firstOr(first, limit)) + CountCost
	}
	c.Mutation.ArchiveUsers = func(child int, ids []string) int { return ListCost(child, len(ids)) }
	c.Mutation.RestoreUsers = func(child int, ids []string) int { return ListCost(child, len(ids)) }
	c.Query.UdfValueBatch = func(child int, ids []string) int { return ListCost(child, len(ids)) }
	c.Query.IsActionAllowedBatch = func(child int, checks []*model.ActionCheck) int { return ListCost(child, len(checks)) }

	c.Mutation.CreateUsers = func(child int, users []*model.UserInput, _ *exec.BatchWriteOptions) int {
		return ListCost(child, len(users))
	}
	c.Mutation.UpdateUsers = func(child int, users []*exec.UpdateUsersItem, _ *exec.UpdateUsersOptions) int {
		return ListCost(child, len(users))
	}
	c.Mutation.SetUdfValueBatch = func(child int, input []*model.UserCustomData) int { return ListCost(child, len(input)) }
	c.Mutation.AddGroups = func(child int, _ string, _ []string) int { return nested(child) }
	c.Mutation.RemoveGroups = func(child int, _ string, _ []string) int { return nested(child) }
	c.Mutation.AddRoles = func(child int, _ string, _ []string, _ *string) int { return nested(child) }
	c.Mutation.RemoveRoles = func(child int, _ string, _ []string, _ *string) int { return nested(child) }

	c.Group.Users = func(child int, _, limit *int, _ *model.Membership, _ *bool) int { return paged(child, limit) }
	c.Group.Members = func(child int, _, limit *int, _ *model.Membership) int { return paged(child, limit) }
	c.Role.Members = func(child int, _, limit *int, _ *model.Membership) int { return paged(child, limit) }
	c.Member.Via = func(child int) int { return nested(child) }
	c.Resource.Grants = func(child int, _, limit *int) int { return paged(child, limit) }
	c.Query.UsersWhoCan = func(child int, _ *string, _, _ string, _ *model.UserFilter, _ *string, _ *model.UserSort, _, limit *int, _ *string, first *int, exact *bool) int {
		return paged(child, firstOr(first, limit)) + counted(exact)
	}
	c.UserAccess.Via = func(child int) int { return nested(child) }
	// A preview lists up to first users a side, each with a change per
	// resource entry it touches and the ways of each.
	// Its lists are priced by first (the root's argument), read here from
	// the operation's arguments.
	c.Query.PreviewAccessChange = func(child int, _ model.AccessChange, first *int, exact *bool) int {
		return 1 + child*PageSize(first) + 2*counted(exact)
	}
	c.AccessDiffList.List = func(child int) int { return 1 + child }
	c.AccessDiff.Changes = func(child int) int { return nested(child) }
	c.ActionChange.Via = func(child int) int { return ListCost(child, model.MaxPreviewVia) }
	c.Group.Children = nested
	c.Group.Ancestors = func(child int) int { return ListCost(child, model.MaxGroupDepth) }
	c.Role.Users = func(child int, _, limit *int, _ *model.Membership) int { return paged(child, limit) }
	c.Group.AuthorizedResources = func(child int, _ *string, _ *model.ResourceType) int { return nested(child) }
	c.Role.AuthorizedResources = func(child int, _ *string, _ *model.ResourceType) int { return nested(child) }
	c.User.AuthorizedResources = func(child int, _ *string, _ *model.ResourceType) int { return nested(child) }
	c.User.Groups = func(child int, _ *model.Membership) int { return nested(child) }
	c.User.Roles = func(child int, _ *string, _ *model.Membership, _ *bool) int { return nested(child) }
	c.User.HeldRoles = func(child int, _ *string) int { return nested(child) }
	c.Group.Roles = func(child int, _ *string) int { return nested(child) }
	c.User.Identities = func(child int) int { return ListCost(child, model.MaxIdentities) }
	// A resource's actions are stored together, so reading one reads them
	// all, descriptions included, whatever is selected.
	c.Resource.Actions = func(child int) int {
		return ListCost(child, model.MaxResourceActions) + model.MaxResourceActions*model.MaxDescriptionLength/100
	}
	// Large values are priced by their bound, at about a unit per 100
	// characters, so an operation's cost bounds its answer's size: custom
	// data (16 KB a record) and descriptions (1,000 characters).
	customData := func(int) int { return 1 + model.MaxCustomDataBytes/100 }
	c.User.CustomData, c.UserCustomData.Data = customData, customData
	c.Group.CustomData, c.Role.CustomData = customData, customData
	description := func(int) int { return 1 + model.MaxDescriptionLength/100 }
	c.Group.Description, c.Role.Description, c.Namespace.Description = description, description, description
	c.Resource.Description, c.ResourceAction.Description, c.UserDefinedField.Description = description, description, description
	return c
}

// PageSize is the page a limit argument asks for (its default when absent;
// an out-of-range limit is refused when the field runs).
func PageSize(limit *int) int {
	if limit != nil && *limit > 0 {
		return min(*limit, model.MaxLimit)
	}
	return model.DefaultLimit
}

// firstOr is the page size of a listing paged by first or by limit.
func firstOr(first, limit *int) *int {
	if first != nil {
		return first
	}
	return limit
}

// ListCost is a list field's cost: itself, and n times its children.
func ListCost(child, n int) int { return 1 + child*max(n, 1) }

// operationChecks refuses, before anything runs, an operation nested
// deeper than maxDepth or one that asks for more than one access token
// (aliases would otherwise multiply secret guesses in one request), and
// introspection when it is turned off (with a client code: gqlgen's own
// refusal has none).
type operationChecks struct {
	maxDepth        int
	noIntrospection bool
	// shapes keeps what the checks read of each document: a console
	// sends the same few documents over and over.
	shapes *bounded.Map[docKey, operationShape]
}

// operationShape is what the checks read of an operation's text.
type operationShape struct {
	depth, accessTokens int
	introspects         bool // a root field is __schema or __type
}

func newOperationChecks(maxDepth int, noIntrospection bool) operationChecks {
	return operationChecks{maxDepth: maxDepth, noIntrospection: noIntrospection, shapes: newDocCache[docKey, operationShape]()}
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = newOperationChecks(1, false)

func (operationChecks) ExtensionName() string                   { return "usergraph operation checks" }
func (operationChecks) Validate(graphql.ExecutableSchema) error { return nil }
func (c operationChecks) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	key := docKey{rc.Doc, rc.Operation}
	shape, ok := c.shapes.Get(key)
	if !ok {
		shape = operationShape{depth: depth(rc.Doc, rc.Operation.SelectionSet, map[string]bool{}),
			accessTokens: countRootField(rc.Doc, rc.Operation.SelectionSet, "accessToken", map[string]bool{}),
			introspects: countRootField(rc.Doc, rc.Operation.SelectionSet, "__schema", map[string]bool{})+
				countRootField(rc.Doc, rc.Operation.SelectionSet, "__type", map[string]bool{}) > 0}
		c.shapes.Put(key, shape)
	}
	if d := shape.depth; d > c.maxDepth {
		err := gqlerror.Errorf("operation is nested %d levels deep, which exceeds the limit of %d", d, c.maxDepth)
		err.Extensions = map[string]any{"code": string(model.CodeDepthLimitExceeded), "depth": d, "limit": c.maxDepth}
		return err
	}
	if shape.introspects && c.noIntrospection {
		err := gqlerror.Errorf("introspection (__schema, __type) is turned off on this server")
		err.Extensions = map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}
		return err
	}
	if n := shape.accessTokens; n > 1 {
		err := gqlerror.Errorf("an operation may ask for accessToken once, not %d times", n)
		err.Extensions = map[string]any{"code": string(model.CodeComplexityLimitExceeded)}
		return err
	}
	// GraphQL's rule that a subscription selects one root field
	// (gqlparser leaves it to the executor, whose refusal has no code).
	if rc.Operation.Operation == ast.Subscription {
		if n := len(graphql.CollectFields(rc, rc.Operation.SelectionSet, []string{"Subscription"})); n != 1 {
			err := gqlerror.Errorf("a subscription selects exactly one root field, not %d", n)
			err.Extensions = map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}
			return err
		}
	}
	return nil
}

// depth is how deeply set nests fields, through fragments; introspection
// fields (__schema, __type) do not count: the playground's own query is
// deep, and its cost is fixed by the schema.
func depth(doc *ast.QueryDocument, set ast.SelectionSet, visiting map[string]bool) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + depth(doc, s.SelectionSet, visiting)
		case *ast.InlineFragment:
			d = depth(doc, s.SelectionSet, visiting)
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil && !visiting[s.Name] {
				visiting[s.Name] = true
				d = depth(doc, f.SelectionSet, visiting)
				delete(visiting, s.Name)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// countRootField counts the selections of a root field, aliases and
// fragments included.
func countRootField(doc *ast.QueryDocument, set ast.SelectionSet, name string, visiting map[string]bool) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == name {
				n++
			}
		case *ast.InlineFragment:
			n += countRootField(doc, s.SelectionSet, name, visiting)
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil && !visiting[s.Name] {
				visiting[s.Name] = true
				n += countRootField(doc, f.SelectionSet, name, visiting)
				delete(visiting, s.Name)
			}
		}
	}
	return n
}
