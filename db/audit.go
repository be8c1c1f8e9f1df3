package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// The audit trail. Every write runs in Store.write, which gives its
// transaction an audit buffer; the write methods record each change they
// make to it (recordChanges), and the buffer is inserted, in a few
// multi-row statements, in the same transaction just before it commits. So
// the trail holds exactly what committed: a rolled-back write leaves no
// record, and no committed change lacks one, whatever kills the process.

type auditCtxKey int

const (
	actorKey auditCtxKey = iota
	bufferKey
)

// actorOp is who is writing, and through which operation.
type actorOp struct {
	actor     model.Actor
	operation string
}

// WithActor names who the writes made with ctx are made by, and the
// operation (the API's root field, or the CLI's command) they serve. Writes
// without it are recorded as the system's.
func WithActor(ctx context.Context, actor model.Actor, operation string) context.Context {
	return context.WithValue(ctx, actorKey, actorOp{actor, operation})
}

// auditBuffer collects one transaction's audit records, one per changed
// object: changes to an object already recorded in the transaction join its
// record.
type auditBuffer struct {
	actorOp
	at      time.Time
	records []*model.AuditRecord
	index   map[auditKey]int
	// merges logs each change merged into a record opened earlier, so a
	// savepoint rollback can take it out again (mark, rollback).
	merges []merge
}

// merge is one change joined to an existing record: its Changes held n
// entries before.
type merge struct {
	record, n int
}

type auditKey struct {
	typ model.AuditObjectType
	id  string
}

func newAuditBuffer(ctx context.Context, now time.Time) *auditBuffer {
	a, ok := ctx.Value(actorKey).(actorOp)
	if !ok {
		a = actorOp{actor: model.SystemActor}
	}
	return &auditBuffer{actorOp: a, at: now, index: map[auditKey]int{}}
}

// withAudit gives ctx a fresh audit buffer for one transaction.
func withAudit(ctx context.Context, now time.Time) (context.Context, *auditBuffer) {
	b := newAuditBuffer(ctx, now)
	return context.WithValue(ctx, bufferKey, b), b
}

// auditOf returns the audit buffer of the transaction tx runs in. Every
// write goes through Store.write, which sets one; a change recorded
// elsewhere is a programming error, and any test of it panics.
func auditOf(tx *gorm.DB) *auditBuffer {
	b, ok := tx.Statement.Context.Value(bufferKey).(*auditBuffer)
	if !ok {
		panic("db: a change recorded outside Store.write")
	}
	return b
}

// recordChanges records changes to one object of the pool in tx's audit
// buffer. No changes, no record: an update that changes nothing is not a
// change.
func recordChanges(tx *gorm.DB, poolID string, typ model.AuditObjectType, id string, changes ...model.Change) {
	if len(changes) == 0 {
		return
	}
	b := auditOf(tx)
	k := auditKey{typ, id}
	if i, ok := b.index[k]; ok {
		b.merges = append(b.merges, merge{i, len(b.records[i].Changes)})
		b.records[i].Changes = append(b.records[i].Changes, changes...)
		return
	}
	b.index[k] = len(b.records)
	b.records = append(b.records, &model.AuditRecord{ID: newID(), PoolID: poolID, At: b.at,
		ActorType: b.actor.Type, ActorID: b.actor.ID, ActorName: b.actor.Name,
		ActorIssuer: b.actor.Issuer, ActorSubject: b.actor.Subject, ActorEmail: b.actor.Email, Operation: b.operation,
		ObjectType: typ, ObjectID: id, Changes: changes})
}

// recordDiff records the difference between two states of an object (nil
// before: created; nil after: deleted).
func recordDiff(tx *gorm.DB, poolID string, typ model.AuditObjectType, id string, before, after any) {
	recordChanges(tx, poolID, typ, id, model.Diff(before, after)...)
}

// auditMark is the state of a buffer at a savepoint.
type auditMark struct{ records, merges int }

// mark and rollback bracket a savepoint: rolling the savepoint back drops
// the records opened since the mark and the changes merged since into
// records opened before it, so the buffer holds what it held at the mark.
func (b *auditBuffer) mark() auditMark { return auditMark{len(b.records), len(b.merges)} }

func (b *auditBuffer) rollback(m auditMark) {
	for j := len(b.merges) - 1; j >= m.merges; j-- {
		mg := b.merges[j]
		if mg.record < m.records {
			b.records[mg.record].Changes = b.records[mg.record].Changes[:mg.n]
		}
	}
	b.merges = b.merges[:m.merges]
	for _, r := range b.records[m.records:] {
		delete(b.index, auditKey{r.ObjectType, r.ObjectID})
	}
	b.records = b.records[:m.records]
}

// auditRowsPerStatement bounds one INSERT of records: 14 parameters a row,
// well under every engine's limit, so a batch of 1,000 changes costs 3
// statements.
const auditRowsPerStatement = 400

// flush inserts the buffered records in tx. When sequenced (one writer:
// SQLite), the insert also gives them their places in the change stream
// (insertSequenced); otherwise the sequencer does once they committed.
func (b *auditBuffer) flush(tx *gorm.DB, sequenced bool) error {
	if len(b.records) == 0 {
		return nil
	}
	if sequenced {
		return insertSequenced(tx, b.records)
	}
	return tx.Omit("Pool").CreateInBatches(b.records, auditRowsPerStatement).Error
}

// recorded is how many records the buffer holds.
func (b *auditBuffer) recorded() int { return len(b.records) }

// AuditLog returns a page of the pool's audit records that pass the
// filter, newest first, and their count (bounded as every count is).
func (s *Store) AuditLog(ctx context.Context, poolID string, f model.AuditFilter, p model.Page) ([]*model.AuditRecord, int64, error) {
	if f.Since != nil && f.Until != nil && !f.Since.Before(*f.Until) {
		return nil, 0, model.Invalid("filter.until", "must be after since")
	}
	q := s.read(ctx).Where("pool_id = ?", poolID)
	for _, c := range []struct {
		col, field string
		v          *string
	}{{"actor_id", "actor", f.Actor}, {"object_id", "objectId", f.ObjectID}, {"operation", "operation", f.Operation}} {
		if c.v == nil {
			continue
		}
		if err := model.CheckText("filter."+c.field, *c.v, model.MaxNameLength); err != nil {
			return nil, 0, err
		}
		q = q.Where(c.col+" = ?", *c.v)
	}
	if f.ObjectType != nil {
		q = q.Where("object_type = ?", *f.ObjectType)
	}
	if f.Since != nil {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		q = q.Where("at < ?", f.Until.UTC())
	}
	q = q.Session(&gorm.Session{}) // reusable for both statements
	var total int64
	if !p.NoCount {
		var err error
		if total, err = countRows(q.Model(&model.AuditRecord{}), p); err != nil {
			return nil, 0, err
		}
	}
	if p.After != nil {
		cond, args := auditOrder.After(p.After, s.db.eng.NullsSmallest())
		q = q.Where(cond, args...)
	}
	list, err := pageRows[model.AuditRecord](q, p, auditOrder.SQL())
	return list, total, err
}

// auditOrder is the audit log's: newest first.
var auditOrder = query.Ordering{Name: "audit", Cols: []query.OrderCol{{Col: "at", Desc: true, Time: true}, {Col: "id", Desc: true}}}

// DecodeAuditCursor reads a client's cursor for the audit log.
func DecodeAuditCursor(field, cursor string) (*model.Cursor, error) {
	return auditOrder.Decode(field, cursor)
}

// AuditCursor is the position of r in the audit log.
func AuditCursor(r *model.AuditRecord) string { return auditOrder.Cursor(r.At, r.ID).Encode() }

// AuditLogsByObjectIDs returns a page of each object's audit records, newest first,
// in one statement for any number of objects: a UNION ALL of one LIMITed
// range of ix_audit_object per object, so each part stops after its page
// however long the object's history.
func (s *Store) AuditLogsByObjectIDs(ctx context.Context, poolID string, objectIDs []string, p model.Page) (map[string][]*model.AuditRecord, error) {
	out := make(map[string][]*model.AuditRecord, len(objectIDs))
	if len(objectIDs) == 0 {
		return out, nil
	}
	parts := make([]string, len(objectIDs))
	args := make([]any, 0, 4*len(objectIDs))
	for i, id := range objectIDs {
		parts[i] = fmt.Sprintf("SELECT * FROM (SELECT * FROM audit_records WHERE pool_id = ? AND object_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?) p%d", i)
		args = append(args, poolID, id, p.Limit, p.Offset())
	}
	var rows []*model.AuditRecord
	if err := s.read(ctx).Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	if err := query.Charge(ctx, len(rows)); err != nil {
		return nil, err
	}
	// UNION ALL promises no order: restore newest first within each object.
	slices.SortStableFunc(rows, func(a, b *model.AuditRecord) int {
		return cmp.Or(b.At.Compare(a.At), strings.Compare(b.ID, a.ID))
	})
	for _, r := range rows {
		out[r.ObjectID] = append(out[r.ObjectID], r)
	}
	return out, nil
}

// PruneAudit deletes the audit records older than before, every pool's,
// batch at a time: each batch is its own short transaction, so writers
// wait for one batch at most, never for the whole prune. It returns how
// many it deleted. Pruning is housekeeping, not a change: it is not itself
// audited.
func (s *Store) PruneAudit(ctx context.Context, before time.Time, batch int) (int64, error) {
	var total int64
	for {
		res := s.db.w.WithContext(ctx).Exec(
			"DELETE FROM audit_records WHERE id IN (SELECT id FROM audit_records WHERE at < ? ORDER BY at LIMIT ?)", before.UTC(), batch)
		if res.Error != nil {
			return total, translate(res.Error)
		}
		total += res.RowsAffected
		if res.RowsAffected < int64(batch) {
			return total, nil
		}
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(10 * time.Millisecond): // let writers in between batches
		}
	}
}
