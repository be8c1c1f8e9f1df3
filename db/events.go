package db

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"usergraph/model"
)

// The change stream (model.Event): the audit trail is its outbox. A record
// becomes an event when it is given seq, its place in the stream, from
// event_sequence, whose last number only grows:
//
//   - SQLite has one writer, so a write takes its numbers in its own
//     transaction (insertSequenced, from flush): the order writes commit in
//     is the order they number in, and a reader never sees a number before
//     a smaller one.
//   - PostgreSQL commits concurrent writes, and a number taken inside a
//     transaction could become visible after a reader went past it. So
//     records are written without one and SequenceEvents numbers the
//     committed ones afterwards, one sequencer at a time (the row lock on
//     event_sequence), in the order they were inserted — a write that
//     waited for another's row lock inserted after that one committed, so
//     the changes of one object keep their order — and NOTIFYs every
//     replica.

// EventsChannel is the channel SequenceEvents NOTIFYs (PostgreSQL) when
// events were numbered.
const EventsChannel = "usergraph_events"

// insertSequenced inserts records (one writer only), numbering them in
// the same statement: (SELECT last FROM event_sequence) + k, an
// uncorrelated subquery SQLite evaluates once per statement, and the
// trigger audit_records_seq moves last on (migration 3). A separate
// UPDATE of the counter cost creates 15% of their throughput; this costs
// none. A statement holds at most auditRowsPerStatement records, each
// statement reading last anew.
func insertSequenced(tx *gorm.DB, records []*model.AuditRecord) error {
	const row = "(?,?,?,?,?,?,?,?,?,?,?,?,?,(SELECT last FROM event_sequence) + ?)"
	for start := 0; start < len(records); start += auditRowsPerStatement {
		chunk := records[start:min(start+auditRowsPerStatement, len(records))]
		var sql strings.Builder
		sql.WriteString("INSERT INTO audit_records (id, pool_id, at, actor_type, actor_id, actor_name, actor_issuer, actor_subject, actor_email, operation, object_type, object_id, changes, seq) VALUES ")
		args := make([]any, 0, 14*len(chunk))
		for i, r := range chunk {
			if i > 0 {
				sql.WriteByte(',')
			}
			sql.WriteString(row)
			changes, err := json.Marshal(r.Changes) // as the model's json serializer writes it
			if err != nil {
				return err
			}
			args = append(args, r.ID, r.PoolID, r.At, string(r.ActorType), r.ActorID, r.ActorName, r.ActorIssuer, r.ActorSubject, r.ActorEmail, r.Operation,
				string(r.ObjectType), r.ObjectID, string(changes), i+1)
		}
		if err := tx.Exec(sql.String(), args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// sequenceBatch bounds the records one sequencer transaction numbers.
const sequenceBatch = 5000

// SequenceEvents numbers committed records that have no place in the
// stream yet (PostgreSQL; on SQLite every record has one already) and
// NOTIFYs EventsChannel. It returns how many it numbered; it numbers at
// most sequenceBatch at a time, so a caller told "more" calls again.
func (s *Store) SequenceEvents(ctx context.Context) (int64, error) {
	if s.db.eng.SingleWriter() {
		return 0, nil
	}
	// A look without the lock first: every replica calls this often,
	// and most of the time there is nothing to number.
	var any []string
	if err := s.db.w.WithContext(ctx).Raw("SELECT id FROM audit_records WHERE seq IS NULL LIMIT 1").Scan(&any).Error; err != nil || len(any) == 0 {
		return 0, translate(err)
	}
	var n int64
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last int64
		if err := tx.Raw("SELECT last FROM event_sequence WHERE id = 1 FOR UPDATE").Scan(&last).Error; err != nil {
			return err
		}
		res := tx.Exec(`UPDATE audit_records SET seq = n.seq
			FROM (SELECT id, ? + row_number() OVER (ORDER BY ins) AS seq FROM audit_records WHERE seq IS NULL ORDER BY ins LIMIT ?) AS n
			WHERE audit_records.id = n.id`, last, sequenceBatch)
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		if n == 0 {
			return nil
		}
		if err := tx.Exec("UPDATE event_sequence SET last = ? WHERE id = 1", last+n).Error; err != nil {
			return err
		}
		return s.db.eng.Notify(tx, EventsChannel)
	})
	return n, translate(err)
}

// CatchUp numbers what committed and is not numbered yet, so a reader of
// the stream sees every change committed before it read — its own
// client's last write included — without waiting for a sequencer pass.
// Nothing to do on SQLite, and one indexed look on PostgreSQL when
// nothing is waiting.
func (s *Store) CatchUp(ctx context.Context) error {
	for {
		n, err := s.SequenceEvents(ctx)
		if err != nil || n < sequenceBatch {
			return err
		}
	}
}

// WatchEvents calls wake whenever another replica numbered events, until
// ctx ends (PostgreSQL's LISTEN; on SQLite it only waits for ctx).
func (s *Store) WatchEvents(ctx context.Context, wake func()) {
	s.db.eng.Watch(ctx, EventsChannel, wake)
}

// LastEventSeq is the stream's head: the last number given.
func (s *Store) LastEventSeq(ctx context.Context) (int64, error) {
	var last int64
	err := s.read(ctx).Raw("SELECT last FROM event_sequence WHERE id = 1").Scan(&last).Error
	return last, translate(err)
}

// EventsAfter returns up to limit events of every pool after seq, in
// stream order: what the process's hub (internal/events) fans out.
func (s *Store) EventsAfter(ctx context.Context, seq int64, limit int) ([]*model.Event, error) {
	var rows []*model.AuditRecord
	err := s.read(ctx).Where("seq > ?", seq).Order("seq").Limit(limit).Find(&rows).Error
	return toEvents(rows), translate(err)
}

// maxEventScan bounds the records one Events call reads looking for
// matches, so a filter that matches little costs a known amount; the
// caller continues from the position returned.
const maxEventScan = 2000

// Events returns up to limit of the pool's events after seq that pass f,
// in stream order; the position read up to (the last event returned, or
// further when the events after it did not pass the filter), where the
// next call continues; and whether events were left unread. The filter's
// columns narrow the statement; the types, which the changes decide, are
// matched here, reading at most maxEventScan records.
func (s *Store) Events(ctx context.Context, poolID string, seq int64, f model.EventFilter, limit int) (_ []*model.Event, reached int64, more bool, _ error) {
	if err := s.CatchUp(ctx); err != nil {
		return nil, seq, false, err
	}
	q := s.read(ctx).Where("pool_id = ? AND seq > ?", poolID, seq)
	if len(f.ObjectTypes) > 0 {
		q = q.Where("object_type IN ?", f.ObjectTypes)
	}
	if f.ObjectID != nil {
		q = q.Where("object_id = ?", *f.ObjectID)
	}
	if f.Actor != nil {
		q = q.Where("actor_id = ?", *f.Actor)
	}
	scan := limit + 1
	if len(f.Types) > 0 {
		scan = max(scan, maxEventScan)
	}
	var rows []*model.AuditRecord
	if err := q.Order("seq").Limit(scan).Find(&rows).Error; err != nil {
		return nil, seq, false, translate(err)
	}
	var out []*model.Event
	reached = seq
	for i, r := range rows {
		if len(out) == limit {
			return out, reached, true, nil
		}
		e := model.NewEvent(r)
		reached = *r.Seq
		if f.Matches(e) {
			out = append(out, e)
		}
		if i == scan-1 {
			return out, reached, true, nil
		}
	}
	return out, reached, false, nil
}

// EventPosition is the stream position a client's after names: an
// event's id, or an EventCursor (a changeEvents endCursor). A position the
// trail no longer reaches — the events after it pruned by retention — is
// CURSOR_EXPIRED; an id the pool has no event by is NOT_FOUND; field names
// the argument.
func (s *Store) EventPosition(ctx context.Context, poolID, after, field string) (int64, error) {
	if err := s.CatchUp(ctx); err != nil {
		return 0, err
	}
	if seq, ok := model.ParseEventCursor(after); ok {
		last, err := s.LastEventSeq(ctx)
		if err != nil {
			return 0, err
		}
		if seq > last {
			return 0, model.Invalid(field, "not a position of this stream")
		}
		var oldest *int64
		if err := s.read(ctx).Raw("SELECT min(seq) FROM audit_records").Scan(&oldest).Error; err != nil {
			return 0, translate(err)
		}
		if (oldest == nil && seq < last) || (oldest != nil && *oldest > seq+1) {
			return 0, cursorExpired(field)
		}
		return seq, nil
	}
	if err := model.CheckText(field, after, model.MaxNameLength); err != nil {
		return 0, err
	}
	var seqs []*int64
	if err := s.read(ctx).Raw("SELECT seq FROM audit_records WHERE pool_id = ? AND id = ?", poolID, after).Scan(&seqs).Error; err != nil {
		return 0, translate(err)
	}
	if len(seqs) == 1 && seqs[0] != nil {
		return *seqs[0], nil
	}
	if u, err := uuid.Parse(after); err == nil && u.Version() == 7 {
		sec, nsec := u.Time().UnixTime()
		// The column itself, not min(at): SQLite types an aggregate's
		// value as text.
		var oldest []time.Time
		if err := s.read(ctx).Raw("SELECT at FROM audit_records ORDER BY at LIMIT 1").Scan(&oldest).Error; err != nil {
			return 0, translate(err)
		}
		if len(oldest) == 0 || time.Unix(sec, nsec).Before(oldest[0]) {
			return 0, cursorExpired(field)
		}
	}
	return 0, model.NotFoundOf("event", field, "no such event")
}

func cursorExpired(field string) error {
	return &model.Error{Code: model.CodeCursorExpired, Field: field,
		Message: "the events after this position are past the audit trail's retention: start again without one"}
}

// EventByID is one of the pool's events (NOT_FOUND on field when it is
// not one, or not numbered yet).
func (s *Store) EventByID(ctx context.Context, poolID, id, field string) (*model.Event, error) {
	if err := s.CatchUp(ctx); err != nil {
		return nil, err
	}
	var r model.AuditRecord
	err := s.read(ctx).Where("pool_id = ? AND id = ? AND seq IS NOT NULL", poolID, id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFoundOf("event", field, "no such event")
	}
	if err != nil {
		return nil, translate(err)
	}
	return model.NewEvent(&r), nil
}

func toEvents(rows []*model.AuditRecord) []*model.Event {
	out := make([]*model.Event, len(rows))
	for i, r := range rows {
		out[i] = model.NewEvent(r)
	}
	return out
}
