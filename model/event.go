package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Event is one audit record as the change stream carries it: webhooks,
// the changes subscription and the changeEvents query. The audit trail is
// the outbox: a record becomes an event once its transaction committed and
// it was given its place in the stream (Seq, which only grows), so an event
// exists exactly when its change does, and every consumer sees the same
// order.
type Event struct {
	AuditRecord
	// Type names the object and what happened to it (EventTypeOf).
	Type string `json:"type"`
}

// NewEvent is r as an event.
func NewEvent(r *AuditRecord) *Event { return &Event{AuditRecord: *r, Type: EventTypeOf(r)} }

// The event types: "<object>.<verb>". Every object type has created,
// updated and deleted; the more specific verbs name a change made of one
// kind of field only (a record that mixes kinds is "updated").
const (
	VerbCreated = "created"
	VerbUpdated = "updated"
	VerbDeleted = "deleted"
)

// eventObjects names each audited object type in event types.
var eventObjects = map[AuditObjectType]string{
	AuditUser: "user", AuditGroup: "group", AuditRole: "role", AuditNamespace: "namespace",
	AuditResource: "resource", AuditUdf: "custom_field", AuditAPIKey: "api_key", AuditPool: "user_pool",
	AuditWebhook: "webhook",
}

// eventVerbs are each object's verbs beyond created, updated and deleted,
// and the field each stands for (fieldKind).
var eventVerbs = map[string][]string{
	"user":      {"archived", "restored", "password_changed", "tokens_revoked", "memberships_changed", "custom_data_changed", "grants_changed", "identities_changed"},
	"group":     {"roles_changed", "custom_data_changed", "grants_changed"},
	"role":      {"custom_data_changed", "grants_changed"},
	"api_key":   {"revoked"},
	"user_pool": {"secret_rotated"},
	"webhook":   {"secret_rotated", "redelivered"},
}

// EventTypes lists every event type, in a stable order, for the docs and
// for checking a filter.
func EventTypes() []string { return slices.Clone(eventTypes) }

// eventTypes is every event type, made once: every filter and endpoint
// checked reads it.
var eventTypes = listEventTypes()

func listEventTypes() []string {
	var out []string
	objs := make([]string, 0, len(eventObjects))
	for _, o := range eventObjects {
		objs = append(objs, o)
	}
	slices.Sort(objs)
	for _, o := range objs {
		for _, v := range append([]string{VerbCreated, VerbUpdated, VerbDeleted}, eventVerbs[o]...) {
			out = append(out, o+"."+v)
		}
	}
	return out
}

// fieldKind is the verb a change of one field stands for, "" for a plain
// field (updated).
func fieldKind(obj, field string) string {
	switch {
	case field == "password" && obj == "user":
		return "password_changed"
	case field == "tokens" || field == "tokenExpiredAt":
		return "tokens_revoked"
	case (field == "groups" || field == "roles") && obj == "user":
		return "memberships_changed"
	case field == "roles" && obj == "group":
		return "roles_changed"
	case field == "identities":
		return "identities_changed"
	case strings.HasPrefix(field, "customData."):
		return "custom_data_changed"
	case strings.HasPrefix(field, "grants."):
		return "grants_changed"
	case field == "revokedAt" && obj == "api_key":
		return "revoked"
	case field == "redelivered" && obj == "webhook":
		return "redelivered"
	case field == "secret" && (obj == "user_pool" || obj == "webhook"):
		return "secret_rotated"
	}
	return ""
}

// EventTypeOf names what r records: created or deleted when the object
// came or went (its createdAt appeared or vanished); a user archived or
// restored when its status moved into or out of Archived; otherwise the
// one specific verb every change shares, or updated.
func EventTypeOf(r *AuditRecord) string {
	obj := eventObjects[r.ObjectType]
	if obj == "" {
		obj = strings.ToLower(string(r.ObjectType))
	}
	verb := ""
	for i, c := range r.Changes {
		switch {
		case c.Field == "createdAt" && c.Before == nil && c.After != nil:
			return obj + "." + VerbCreated
		case c.Field == "createdAt" && c.Before != nil && c.After == nil:
			return obj + "." + VerbDeleted
		case c.Field == "status" && obj == "user" && isArchived(c.After) != isArchived(c.Before):
			if isArchived(c.After) {
				return obj + ".archived"
			}
			return obj + ".restored"
		}
		k := fieldKind(obj, c.Field)
		if i == 0 {
			verb = k
		} else if k != verb {
			verb = ""
		}
	}
	if verb == "" {
		verb = VerbUpdated
	}
	return obj + "." + verb
}

func isArchived(v any) bool { return v != nil && fmt.Sprint(v) == string(StatusArchived) }

// EventFilter narrows a change stream; every field set must match.
type EventFilter struct {
	// Types are event types or patterns: "user.created", "user.*", "*".
	Types []string `json:"types"`
	// ObjectTypes are the kinds of object.
	ObjectTypes []AuditObjectType `json:"objectTypes"`
	ObjectID    *string           `json:"objectId"`
	// Actor is an API key's id, or pool-secret, cli or system.
	Actor *string `json:"actor"`
}

// MaxEventTypes bounds the types a filter or a webhook names.
const MaxEventTypes = 64

// ValidEventTypes checks a list of event types or patterns (each a known
// type, "<object>.*" for a known object, or "*") and drops repeats.
// Errors name the item: field.N.
func ValidEventTypes(field string, types []string) ([]string, error) {
	known := eventTypes
	out, err := validList(field, "event types", types, func(f, t string) (string, error) {
		t = strings.TrimSpace(t)
		obj, verb, _ := strings.Cut(t, ".")
		if t == "*" || slices.Contains(known, t) || (verb == "*" && slices.ContainsFunc(known, func(k string) bool { return strings.HasPrefix(k, obj+".") })) {
			return t, nil
		}
		return "", Invalid(f, "unknown event type %q: use one of the documented types (user.created, …), <object>.* or *", t)
	})
	if err == nil && len(out) > MaxEventTypes {
		return nil, Invalid(field, "at most %d event types", MaxEventTypes)
	}
	return out, err
}

// TypeMatches says whether an event of type typ is one of patterns (none:
// every type).
func TypeMatches(patterns []string, typ string) bool {
	if len(patterns) == 0 {
		return true
	}
	obj, _, _ := strings.Cut(typ, ".")
	for _, p := range patterns {
		if p == "*" || p == typ || p == obj+".*" {
			return true
		}
	}
	return false
}

// Validate checks the filter and normalises its types; errors name
// field.<input field>.
func (f *EventFilter) Validate(field string) error {
	if f.Types != nil {
		types, err := ValidEventTypes(field+".types", f.Types)
		if err != nil {
			return err
		}
		f.Types = types
	}
	if len(f.ObjectTypes) > len(eventObjects) {
		return Invalid(field+".objectTypes", "at most %d object types", len(eventObjects))
	}
	for _, c := range []struct {
		name string
		v    *string
	}{{"objectId", f.ObjectID}, {"actor", f.Actor}} {
		if c.v != nil {
			if err := CheckText(field+"."+c.name, *c.v, MaxNameLength); err != nil {
				return err
			}
		}
	}
	return nil
}

// Matches says whether e passes the filter.
func (f *EventFilter) Matches(e *Event) bool {
	return TypeMatches(f.Types, e.Type) &&
		(len(f.ObjectTypes) == 0 || slices.Contains(f.ObjectTypes, e.ObjectType)) &&
		(f.ObjectID == nil || *f.ObjectID == e.ObjectID) &&
		(f.Actor == nil || *f.Actor == e.ActorID)
}

// eventCursorPrefix marks a stream position that is not an event's id:
// the endCursor of a changeEvents page, which may lie past events the
// filter left out.
const eventCursorPrefix = "ec_"

// EventCursor is the stream position seq as a client holds it.
func EventCursor(seq int64) string { return eventCursorPrefix + strconv.FormatInt(seq, 10) }

// ParseEventCursor reads an EventCursor; ok is false for anything else
// (an event's id, say).
func ParseEventCursor(s string) (seq int64, ok bool) {
	rest, found := strings.CutPrefix(s, eventCursorPrefix)
	if !found {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, err == nil && n >= 0
}
