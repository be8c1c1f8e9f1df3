package model

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
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
	ID        string    `json:"id" gorm:"primaryKey;size:36"`
	PoolID    string    `json:"-" gorm:"size:36;not null;index:ix_audit_pool,priority:1;index:ix_audit_actor,priority:1;index:ix_audit_object,priority:1;index:ix_audit_type,priority:1;index:ix_audit_operation,priority:1"`
	At        time.Time `json:"at" gorm:"not null;index:ix_audit_pool,priority:2;index:ix_audit_actor,priority:3;index:ix_audit_object,priority:3;index:ix_audit_type,priority:3;index:ix_audit_operation,priority:3;index:ix_audit_at"`
	ActorType ActorType `json:"actorType" gorm:"size:16;not null"`
	ActorID   string    `json:"actorId" gorm:"size:36;not null;index:ix_audit_actor,priority:2"`
	ActorName string    `json:"actorName" gorm:"size:255;not null"`
	// An operator's issuer, subject and email (OperatorActor); empty for
	// the other actors.
	ActorIssuer  string          `json:"actorIssuer" gorm:"size:2048;not null;default:''"`
	ActorSubject string          `json:"actorSubject" gorm:"size:255;not null;default:''"`
	ActorEmail   string          `json:"actorEmail" gorm:"size:255;not null;default:''"`
	Operation    string          `json:"operation" gorm:"size:64;not null;index:ix_audit_operation,priority:2"`
	ObjectType   AuditObjectType `json:"objectType" gorm:"size:16;not null;index:ix_audit_type,priority:2"`
	ObjectID     string          `json:"objectId" gorm:"size:36;not null;index:ix_audit_object,priority:2"`
	Changes      []Change        `json:"changes" gorm:"serializer:json;type:text;not null"`
	// Seq is the record's place in the change stream (model.Event): nil
	// until it is given one, in its transaction on SQLite, just after it
	// committed on PostgreSQL (db/events.go).
	Seq *int64 `json:"-" gorm:"column:seq"`

	Pool *UserPool `json:"-" gorm:"foreignKey:PoolID;constraint:OnDelete:CASCADE"`
}

// Actor returns who made the change.
func (r *AuditRecord) Actor() Actor {
	return Actor{Type: r.ActorType, ID: r.ActorID, Name: r.ActorName,
		Issuer: r.ActorIssuer, Subject: r.ActorSubject, Email: r.ActorEmail}
}

// ActorType is the kind of credential a change was made with.
type ActorType string

// The actor types.
const (
	ActorAPIKey     ActorType = "API_KEY"     // an API key: ID is the key's id, Name its name
	ActorOperator   ActorType = "OPERATOR"    // a person signed in through the pool's OpenID Connect provider
	ActorPoolSecret ActorType = "POOL_SECRET" // an admin token minted from the pool secret
	ActorCLI        ActorType = "CLI"         // the usergraph command on the server's machine
	ActorSystem     ActorType = "SYSTEM"      // the server itself (the default pool on first start)
)

// Actor is who made a change. ID is an API key's id, or an operator's
// (OperatorActor); the other actors have one fixed ID each
// ("pool-secret", "cli", "system"), so auditLog filters on one column
// whatever the actor. Issuer, Subject and Email name an operator as their
// identity provider does.
type Actor struct {
	Type    ActorType
	ID      string
	Name    string
	Issuer  string
	Subject string
	Email   string
}

// OperatorIssuer, OperatorSubject and OperatorEmail are an operator's
// issuer, subject and email; nil for other actors (and an operator
// without an email claim), which the API shows as null.
func (a Actor) OperatorIssuer() *string  { return optional(a.Issuer) }
func (a Actor) OperatorSubject() *string { return optional(a.Subject) }
func (a Actor) OperatorEmail() *string   { return optional(a.Email) }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
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
	AuditWebhook   AuditObjectType = "WEBHOOK"
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

// Diff lists the fields whose value differs between before and after (each
// a pointer to a model struct, or a Snapshot of one), in field order. Either
// may be nil: a creation lists every field after sets, a deletion every
// field before had (empty values — null, false, 0, "", [] — count as unset
// there). Fields are named as the API names them (their JSON names);
// fields tagged json:"-" (hashes, secrets) never appear: SecretChange
// records those.
func Diff(before, after any) []Change {
	b, a := snapshotOf(before), snapshotOf(after)
	fields := a.fields
	if fields == nil {
		fields = b.fields
	}
	var out []Change
	for i, f := range fields {
		bv, av := b.value(i), a.value(i)
		if sameValue(bv, av) || (b.values == nil && isZero(av)) || (a.values == nil && isZero(bv)) {
			continue
		}
		out = append(out, Change{Field: f.name, Before: bv, After: av})
	}
	return out
}

// Snapshot freezes a model struct's audited fields (v is a pointer to
// it), for a Diff after v changes in place.
func Snapshot(v any) any { return snapshotOf(v) }

// snapshot is a struct's audited field values, empty values as nil.
type snapshot struct {
	fields []auditedField
	values []any
}

func (s snapshot) value(i int) any {
	if s.values == nil {
		return nil
	}
	return s.values[i]
}

// auditedField is a struct field a diff compares: its JSON name and index.
type auditedField struct {
	name  string
	index int
}

// auditedFields caches each struct type's audited fields.
var auditedFields sync.Map // reflect.Type → []auditedField

func fieldsOfType(t reflect.Type) []auditedField {
	if f, ok := auditedFields.Load(t); ok {
		return f.([]auditedField)
	}
	var out []auditedField
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" || name == "" || slices.Contains(unaudited, name) {
			continue
		}
		out = append(out, auditedField{name: name, index: i})
	}
	auditedFields.Store(t, out)
	return out
}

// snapshotOf reads v's audited fields; nil gives an empty snapshot.
func snapshotOf(v any) snapshot {
	switch x := v.(type) {
	case nil:
		return snapshot{}
	case snapshot:
		return x
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return snapshot{}
		}
		rv = rv.Elem()
	}
	fields := fieldsOfType(rv.Type())
	values := make([]any, len(fields))
	for i, f := range fields {
		values[i] = plain(rv.Field(f.index))
	}
	return snapshot{fields: fields, values: values}
}

// plain is a field's value as a change holds it: pointers followed, copies
// of slices, nil for null and for an empty list.
func plain(v reflect.Value) any {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Slice && v.Len() == 0 {
		return nil
	}
	if v.Kind() == reflect.Slice {
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		return c.Interface()
	}
	return v.Interface()
}

// isZero reports an empty value: nil, false, 0 or "".
func isZero(v any) bool { return v == nil || reflect.ValueOf(v).IsZero() }

// sameValue compares two plain values: times by instant, the rest deeply.
func sameValue(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return reflect.DeepEqual(a, b)
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

// AuditFilter narrows auditLog; every field set must match.
type AuditFilter struct {
	Actor      *string          `json:"actor"` // an API key's id, or pool-secret, cli, system
	ObjectType *AuditObjectType `json:"objectType"`
	ObjectID   *string          `json:"objectId"`
	Operation  *string          `json:"operation"`
	Since      *time.Time       `json:"since"` // at or after
	Until      *time.Time       `json:"until"` // before
}
