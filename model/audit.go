package model

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"
)

// AuditRecord is one change to one object of a pool: who made it, through
// which operation, and what changed. Every write that changes data writes
// its records in the transaction that makes the change, so the trail holds
// exactly what committed.
//
// The indexes serve auditLog, newest first, under each of its filters:
// (pool, at, id) alone, and (pool, <filter column>, at, id) for actor,
// object type, object id and operation. ix_audit_at serves pruning, which
// crosses pools.
type AuditRecord struct {
	ID         string          `json:"id" gorm:"primaryKey;size:36"`
	PoolID     string          `json:"-" gorm:"size:36;not null;index:ix_audit_pool,priority:1;index:ix_audit_actor,priority:1;index:ix_audit_object,priority:1;index:ix_audit_type,priority:1;index:ix_audit_operation,priority:1"`
	At         time.Time       `json:"at" gorm:"not null;index:ix_audit_pool,priority:2;index:ix_audit_actor,priority:3;index:ix_audit_object,priority:3;index:ix_audit_type,priority:3;index:ix_audit_operation,priority:3;index:ix_audit_at"`
	ActorType  ActorType       `json:"actorType" gorm:"size:16;not null"`
	ActorID    string          `json:"actorId" gorm:"size:36;not null;index:ix_audit_actor,priority:2"`
	ActorName  string          `json:"actorName" gorm:"size:255;not null"`
	Operation  string          `json:"operation" gorm:"size:64;not null;index:ix_audit_operation,priority:2"`
	ObjectType AuditObjectType `json:"objectType" gorm:"size:16;not null;index:ix_audit_type,priority:2"`
	ObjectID   string          `json:"objectId" gorm:"size:36;not null;index:ix_audit_object,priority:2"`
	Changes    []Change        `json:"changes" gorm:"serializer:json;type:text;not null"`

	Pool *UserPool `json:"-" gorm:"foreignKey:PoolID;constraint:OnDelete:CASCADE"`
}

// Actor returns who made the change.
func (r *AuditRecord) Actor() Actor {
	return Actor{Type: r.ActorType, ID: r.ActorID, Name: r.ActorName}
}

// ActorType is the kind of credential a change was made with.
type ActorType string

// The actor types.
const (
	ActorAPIKey     ActorType = "API_KEY"     // an API key: ID is the key's id, Name its name
	ActorPoolSecret ActorType = "POOL_SECRET" // an admin token minted from the pool secret
	ActorCLI        ActorType = "CLI"         // the usergraph command on the server's machine
	ActorSystem     ActorType = "SYSTEM"      // the server itself (the default pool on first start)
)

// Actor is who made a change. ID is an API key's id; the other actors have
// one fixed ID each ("pool-secret", "cli", "system"), so auditLog filters
// on one column whatever the actor.
type Actor struct {
	Type ActorType
	ID   string
	Name string
}

// The actors that are not API keys.
var (
	PoolSecretActor = Actor{Type: ActorPoolSecret, ID: "pool-secret", Name: "pool secret"}
	CLIActor        = Actor{Type: ActorCLI, ID: "cli", Name: "cli"}
	SystemActor     = Actor{Type: ActorSystem, ID: "system", Name: "system"}
)

// APIKeyActor is the actor of changes made with key k.
func APIKeyActor(k *APIKey) Actor { return Actor{Type: ActorAPIKey, ID: k.ID, Name: k.Name} }

// AuditObjectType is the kind of object a record is about.
type AuditObjectType string

// The audited object types.
const (
	AuditUser      AuditObjectType = "USER"
	AuditGroup     AuditObjectType = "GROUP"
	AuditRole      AuditObjectType = "ROLE"
	AuditNamespace AuditObjectType = "NAMESPACE"
	AuditResource  AuditObjectType = "RESOURCE"
	AuditUdf       AuditObjectType = "UDF"
	AuditAPIKey    AuditObjectType = "API_KEY"
	AuditPool      AuditObjectType = "USER_POOL"
)

// Change is one field's change: its value before and after, as JSON (null
// when the field was unset, or the object did not exist). Fields of
// relations are named for them: "groups" (a membership gained, After the
// group's code, or lost, Before it), "roles" ("namespace/code"),
// "customData.<key>", "grants.<namespace>/<resource>" (the actions).
type Change struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// Redacted stands for a secret in a change: passwords, pool secrets and
// API keys are never written to the trail, only that they changed.
const Redacted = "[redacted]"

// unaudited are the JSON fields a diff leaves out: the ids the record
// already carries, and update times (the record has its own).
var unaudited = []string{"id", "userPoolId", "updatedAt"}

// Diff lists the fields whose JSON value differs between before and after,
// in after's field order (before's for a deletion). Either may be nil: a
// creation lists every field after sets, a deletion every field before
// had (empty values — null, false, 0, "", [] — count as unset there). Fields tagged json:"-" (hashes, secrets) never
// appear: SecretChange records those.
func Diff(before, after any) []Change {
	b, bKeys := fieldsOf(before)
	a, aKeys := fieldsOf(after)
	keys := aKeys
	if after == nil {
		keys = bKeys
	}
	var out []Change
	for _, k := range keys {
		if slices.Contains(unaudited, k) {
			continue
		}
		bv, av := b[k], a[k]
		if bytes.Equal(bv, av) || (isEmpty(bv) && isEmpty(av)) {
			continue
		}
		out = append(out, Change{Field: k, Before: rawOrNil(bv), After: rawOrNil(av)})
	}
	return out
}

// Snapshot freezes v's audited state, for a Diff after v changes in place.
func Snapshot(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic("audit: cannot encode " + err.Error()) // model types always encode
	}
	return raw
}

// SecretChange is the change of a secret field: that it was set (or
// changed, or removed), never its value.
func SecretChange(field string, before, after bool) Change {
	c := Change{Field: field}
	if before {
		c.Before = Redacted
	}
	if after {
		c.After = Redacted
	}
	return c
}

// OrNil is *p for a change, nil when p is: a typed nil pointer would not
// compare equal to nil.
func OrNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// SameJSON reports whether a and b encode to the same JSON (nil: null).
func SameJSON(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// fieldsOf returns v's JSON object fields and their order; nil gives none.
func fieldsOf(v any) (map[string]json.RawMessage, []string) {
	if v == nil {
		return nil, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic("audit: cannot encode " + err.Error()) // model types always encode
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	fields := map[string]json.RawMessage{}
	var order []string
	if t, _ := dec.Token(); t != json.Delim('{') {
		return nil, nil
	}
	for dec.More() {
		t, _ := dec.Token()
		k, _ := t.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			panic("audit: cannot decode " + err.Error())
		}
		fields[k] = val
		order = append(order, k)
	}
	return fields, order
}

func isNull(v json.RawMessage) bool { return len(v) == 0 || string(v) == "null" }

// isEmpty reports a JSON value that says nothing on its own: absent, null,
// false, 0, "", [] or {}. Only a creation or deletion compares with it.
func isEmpty(v json.RawMessage) bool {
	switch string(v) {
	case "", "null", "false", "0", `""`, "[]", "{}":
		return true
	}
	return false
}

// rawOrNil keeps a JSON value as it was encoded; null becomes nil.
func rawOrNil(v json.RawMessage) any {
	if isNull(v) {
		return nil
	}
	return v
}

// AuditFilter narrows auditLog; every field set must match.
type AuditFilter struct {
	Actor      *string          `json:"actor"` // an API key's id, or pool-secret, cli, system
	ObjectType *AuditObjectType `json:"objectType"`
	ObjectID   *string          `json:"objectId"`
	Operation  *string          `json:"operation"`
	Since      *time.Time       `json:"since"` // at or after
	Until      *time.Time       `json:"until"` // before
}
