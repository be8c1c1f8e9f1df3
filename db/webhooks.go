package db

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
)

// Webhooks: a pool's endpoints (audited like any object of the pool) and
// the deliveries of its events to them (bookkeeping, not audited: an
// attempt is not a change to the pool, and auditing it would make events
// of its own). Delivery state lives in the database, so any replica may
// take up a delivery another one dropped (internal/webhook).

// webhookByID reads one of the pool's endpoints in tx.
func webhookByID(tx *gorm.DB, poolID, id, field string) (*model.Webhook, error) {
	var w model.Webhook
	err := tx.Where("pool_id = ? AND id = ?", poolID, id).Take(&w).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFoundOf("webhook", field, "no such webhook")
	}
	return &w, err
}

// CreateWebhook adds an endpoint signing with secret (in has been
// validated). It receives the events that come after it.
func (s *Store) CreateWebhook(ctx context.Context, poolID string, in model.WebhookInput, secret string) (*model.Webhook, error) {
	now := s.now()
	w := &model.Webhook{ID: newID(), PoolID: poolID, URL: *in.URL, Events: in.Events, Enabled: true,
		Secret: secret, CreatedAt: now, UpdatedAt: now}
	if in.Description != nil {
		w.Description = *in.Description
	}
	if in.Enabled != nil {
		w.Enabled = *in.Enabled
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&model.Webhook{}).Where("pool_id = ?", poolID).Count(&n).Error; err != nil {
			return err
		}
		if n >= model.MaxWebhooks {
			return model.Invalid("url", "this user pool already has %d webhooks, the most it may", n)
		}
		if err := tx.Raw("SELECT last FROM event_sequence WHERE id = 1").Scan(&w.Cursor).Error; err != nil {
			return err
		}
		recordDiff(tx, poolID, model.AuditWebhook, w.ID, nil, w)
		recordChanges(tx, poolID, model.AuditWebhook, w.ID, model.SecretChange("secret", false, true))
		return tx.Create(w).Error
	})
	return w, err
}

// UpdateWebhook changes an endpoint's set fields (in has been validated).
// Enabling it clears its failure streak; it then resumes from the event it
// stopped at.
func (s *Store) UpdateWebhook(ctx context.Context, poolID, id string, in model.WebhookInput) (*model.Webhook, error) {
	var out *model.Webhook
	err := s.write(ctx, func(tx *gorm.DB) error {
		w, err := webhookByID(tx, poolID, id, "id")
		if err != nil {
			return err
		}
		before := model.Snapshot(w)
		if in.URL != nil {
			w.URL = *in.URL
		}
		if in.Events != nil {
			w.Events = in.Events
		}
		if in.Description != nil {
			w.Description = *in.Description
		}
		if in.Enabled != nil && *in.Enabled != w.Enabled {
			w.Enabled, w.DisabledReason = *in.Enabled, ""
			if w.Enabled {
				w.FailingSince = nil
			}
		}
		w.UpdatedAt = s.now()
		recordDiff(tx, poolID, model.AuditWebhook, w.ID, before, w)
		out = w
		return tx.Select("*").Updates(w).Error
	})
	return out, err
}

// DeleteWebhook deletes an endpoint and its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, poolID, id string) (*model.Webhook, error) {
	var out *model.Webhook
	err := s.write(ctx, func(tx *gorm.DB) error {
		w, err := webhookByID(tx, poolID, id, "id")
		if err != nil {
			return err
		}
		recordDiff(tx, poolID, model.AuditWebhook, w.ID, w, nil)
		if err := tx.Where("webhook_id = ?", w.ID).Delete(&model.WebhookDelivery{}).Error; err != nil {
			return err
		}
		out = w
		return tx.Delete(w).Error
	})
	return out, err
}

// RotateWebhookSecret gives an endpoint secret to sign with; the old one
// signs too until grace has passed.
func (s *Store) RotateWebhookSecret(ctx context.Context, poolID, id, secret string, grace time.Duration) (*model.Webhook, error) {
	var out *model.Webhook
	err := s.write(ctx, func(tx *gorm.DB) error {
		w, err := webhookByID(tx, poolID, id, "id")
		if err != nil {
			return err
		}
		until := s.now().Add(grace)
		w.PreviousSecret, w.PreviousSecretUntil, w.Secret, w.UpdatedAt = w.Secret, &until, secret, s.now()
		recordChanges(tx, poolID, model.AuditWebhook, w.ID, model.SecretChange("secret", true, true))
		out = w
		return tx.Select("*").Updates(w).Error
	})
	return out, err
}

// Webhooks lists the pool's endpoints, oldest first.
func (s *Store) Webhooks(ctx context.Context, poolID string) ([]*model.Webhook, error) {
	var out []*model.Webhook
	err := s.read(ctx).Where("pool_id = ?", poolID).Order("created_at, id").Find(&out).Error
	return out, translate(err)
}

// Webhook is one of the pool's endpoints.
func (s *Store) Webhook(ctx context.Context, poolID, id, field string) (*model.Webhook, error) {
	w, err := webhookByID(s.read(ctx), poolID, id, field)
	return w, translate(err)
}

// WebhookDeliveries lists an endpoint's deliveries, newest first, after
// the delivery after (an id) when given.
func (s *Store) WebhookDeliveries(ctx context.Context, poolID, webhookID string, f model.DeliveryFilter, limit int, after *string) ([]*model.WebhookDelivery, error) {
	for _, c := range []struct {
		field string
		v     *string
	}{{"filter.eventId", f.EventID}, {"after", after}} {
		if c.v != nil {
			if err := model.CheckText(c.field, *c.v, model.MaxNameLength); err != nil {
				return nil, err
			}
		}
	}
	if _, err := s.Webhook(ctx, poolID, webhookID, "webhookId"); err != nil {
		return nil, err
	}
	q := s.read(ctx).Where("webhook_id = ?", webhookID)
	if f.State != nil {
		q = q.Where("state = ?", *f.State)
	}
	if f.EventID != nil {
		q = q.Where("event_id = ?", *f.EventID)
	}
	if after != nil {
		q = q.Where("id < ?", *after)
	}
	var out []*model.WebhookDelivery
	err := q.Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// RedeliverEvent queues the pool's event for the endpoint again, due now:
// its delivery back to pending (its attempts kept), or a new delivery when
// there was none.
func (s *Store) RedeliverEvent(ctx context.Context, poolID, webhookID, eventID string) (*model.WebhookDelivery, error) {
	e, err := s.EventByID(ctx, poolID, eventID, "eventId")
	if err != nil {
		return nil, err
	}
	var out *model.WebhookDelivery
	err = s.write(ctx, func(tx *gorm.DB) error {
		if _, err := webhookByID(tx, poolID, webhookID, "webhookId"); err != nil {
			return err
		}
		now := s.now()
		// Who asked for a delivery again is worth keeping: an event
		// redelivered reaches a receiver a second time.
		recordChanges(tx, poolID, model.AuditWebhook, webhookID, model.Change{Field: "redelivered", After: eventID})
		var d model.WebhookDelivery
		err := tx.Where("webhook_id = ? AND seq = ?", webhookID, *e.Seq).Take(&d).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			d = *newDelivery(webhookID, e, now)
			out = &d
			return tx.Create(&d).Error
		case err != nil:
			return err
		}
		d.State, d.NextAttemptAt, d.LeaseUntil, d.FirstAttemptAt = model.DeliveryPending, &now, nil, nil
		out = &d
		return tx.Select("state", "next_attempt_at", "lease_until", "first_attempt_at").Updates(&d).Error
	})
	return out, err
}

func newDelivery(webhookID string, e *model.Event, now time.Time) *model.WebhookDelivery {
	return &model.WebhookDelivery{ID: newID(), PoolID: e.PoolID, WebhookID: webhookID, EventID: e.ID, Seq: *e.Seq,
		EventType: e.Type, ObjectID: e.ObjectID, State: model.DeliveryPending, NextAttemptAt: &now,
		Log: []model.DeliveryAttempt{}, CreatedAt: now}
}

// fanOutBatch bounds the events one fan-out reads per pool.
const fanOutBatch = 1000

// FanOutWebhooks queues, for every enabled endpoint, a delivery of each
// event after its cursor that it takes, and moves its cursor: each event
// once per endpoint, in one transaction per pass (replicas pass over
// endpoints another one holds). It returns how many deliveries it queued
// and whether events were left for another pass.
func (s *Store) FanOutWebhooks(ctx context.Context) (queued int, more bool, err error) {
	err = s.write(ctx, func(tx *gorm.DB) error {
		queued, more = 0, false
		var hooks []*model.Webhook
		if err := tx.Raw("SELECT * FROM webhooks WHERE enabled ORDER BY pool_id, id" + s.db.eng.SkipLocked()).Scan(&hooks).Error; err != nil {
			return err
		}
		byPool := map[string][]*model.Webhook{}
		for _, w := range hooks {
			byPool[w.PoolID] = append(byPool[w.PoolID], w)
		}
		now := s.now()
		for pool, ws := range byPool {
			from := ws[0].Cursor
			for _, w := range ws {
				from = min(from, w.Cursor)
			}
			var rows []*model.AuditRecord
			if err := tx.Where("pool_id = ? AND seq > ?", pool, from).Order("seq").Limit(fanOutBatch).Find(&rows).Error; err != nil {
				return err
			}
			if len(rows) == 0 {
				continue
			}
			more = more || len(rows) == fanOutBatch
			last := *rows[len(rows)-1].Seq
			var ds []*model.WebhookDelivery
			for _, r := range rows {
				e := model.NewEvent(r)
				for _, w := range ws {
					if *e.Seq > w.Cursor && model.TypeMatches(w.Events, e.Type) {
						ds = append(ds, newDelivery(w.ID, e, now))
					}
				}
			}
			if len(ds) > 0 {
				if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(ds, 200).Error; err != nil {
					return err
				}
			}
			ids := make([]string, len(ws))
			for i, w := range ws {
				ids[i] = w.ID
			}
			if err := tx.Model(&model.Webhook{}).Where("id IN ? AND cursor < ?", ids, last).Update("cursor", last).Error; err != nil {
				return err
			}
			queued += len(ds)
		}
		return nil
	})
	return queued, more, err
}

// Claimed is a delivery taken for an attempt: with its event (nil when
// the audit trail no longer holds it) and its endpoint.
type Claimed struct {
	Delivery *model.WebhookDelivery
	Event    *model.Event
	Webhook  *model.Webhook
	// Lease is the claim's: the result is recorded only under it.
	Lease time.Time
}

// ClaimDeliveries takes up to limit due deliveries of enabled endpoints
// for an attempt, each leased until now+lease: no other replica takes it
// meanwhile, and if this one dies, the lease runs out and another does.
// Of one endpoint's pending deliveries for one object, only the oldest is
// ever due: an object's events arrive in their order.
func (s *Store) ClaimDeliveries(ctx context.Context, lease time.Duration, limit int) ([]Claimed, error) {
	var out []Claimed
	err := s.write(ctx, func(tx *gorm.DB) error {
		out = nil
		now := s.now()
		var ds []*model.WebhookDelivery
		err := tx.Raw(`SELECT * FROM webhook_deliveries d
			WHERE d.state = 'PENDING' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
			AND d.webhook_id IN (SELECT id FROM webhooks WHERE enabled)
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id AND e.object_id = d.object_id AND e.state = 'PENDING' AND e.seq < d.seq)
			ORDER BY d.next_attempt_at, d.seq LIMIT ?`+s.db.eng.SkipLocked(), now, now, limit).Scan(&ds).Error
		if err != nil || len(ds) == 0 {
			return err
		}
		until := now.Add(lease)
		ids := make([]string, len(ds))
		seqs := make([]int64, len(ds))
		hookIDs := map[string]bool{}
		for i, d := range ds {
			ids[i], seqs[i] = d.ID, d.Seq
			hookIDs[d.WebhookID] = true
		}
		if err := tx.Model(&model.WebhookDelivery{}).Where("id IN ?", ids).Update("lease_until", until).Error; err != nil {
			return err
		}
		var records []*model.AuditRecord
		if err := tx.Where("seq IN ?", seqs).Find(&records).Error; err != nil {
			return err
		}
		events := make(map[int64]*model.Event, len(records))
		for _, r := range records {
			events[*r.Seq] = model.NewEvent(r)
		}
		var hooks []*model.Webhook
		if err := tx.Where("id IN ?", slices.Collect(maps.Keys(hookIDs))).Find(&hooks).Error; err != nil {
			return err
		}
		byID := make(map[string]*model.Webhook, len(hooks))
		for _, w := range hooks {
			byID[w.ID] = w
		}
		for _, d := range ds {
			d.LeaseUntil = &until
			out = append(out, Claimed{Delivery: d, Event: events[d.Seq], Webhook: byID[d.WebhookID], Lease: until})
		}
		return nil
	})
	return out, err
}

// Outcome is the result of one attempt of a claimed delivery.
type Outcome struct {
	Claimed
	Attempt model.DeliveryAttempt
	// Delivered: the endpoint answered 2xx. Otherwise NextAt is when to
	// try again, nil to give up (the retry window has passed).
	Delivered bool
	NextAt    *time.Time
}

// RecordOutcomes records attempts: each delivery's new state and log,
// only while the claim's lease is still the delivery's (a replica whose
// lease ran out does not undo what another did since), and each
// endpoint's health — a success ends its failure streak; one that has
// failed for longer than disableAfter is disabled.
func (s *Store) RecordOutcomes(ctx context.Context, outs []Outcome, disableAfter time.Duration) error {
	if len(outs) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		now := s.now()
		succeeded := map[string]bool{} // per endpoint recorded: whether any attempt succeeded
		for _, o := range outs {
			d := *o.Delivery
			d.Attempts++
			d.Log = append(append([]model.DeliveryAttempt(nil), d.Log...), o.Attempt)
			if over := len(d.Log) - model.MaxDeliveryLog; over > 0 {
				d.Log = d.Log[over:]
			}
			at := o.Attempt.At
			if d.FirstAttemptAt == nil {
				d.FirstAttemptAt = &at
			}
			d.LastAttemptAt, d.LastStatus, d.LastError, d.LastLatencyMs = &at, o.Attempt.Status, o.Attempt.Error, o.Attempt.LatencyMs
			d.LeaseUntil = nil
			switch {
			case o.Delivered:
				d.State, d.NextAttemptAt, d.DeliveredAt = model.DeliveryDelivered, nil, &at
			case o.NextAt != nil:
				d.State, d.NextAttemptAt = model.DeliveryPending, o.NextAt
			default:
				d.State, d.NextAttemptAt = model.DeliveryFailed, nil
			}
			res := tx.Model(&model.WebhookDelivery{}).Where("id = ? AND lease_until = ?", d.ID, o.Lease).
				Select("attempts", "log", "first_attempt_at", "last_attempt_at", "last_status", "last_error", "last_latency_ms",
					"lease_until", "state", "next_attempt_at", "delivered_at").Updates(&d)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue // the lease ran out: another attempt owns it now
			}
			succeeded[d.WebhookID] = succeeded[d.WebhookID] || o.Delivered
		}
		for id, ok := range succeeded {
			if ok {
				if err := tx.Model(&model.Webhook{}).Where("id = ?", id).
					Updates(map[string]any{"failing_since": nil, "last_success_at": now}).Error; err != nil {
					return err
				}
				continue
			}
			if err := tx.Exec("UPDATE webhooks SET last_failure_at = ?, failing_since = coalesce(failing_since, ?) WHERE id = ?", now, now, id).Error; err != nil {
				return err
			}
			if err := tx.Exec("UPDATE webhooks SET enabled = ?, disabled_reason = ? WHERE id = ? AND enabled AND failing_since < ?",
				false, model.WebhookFailing, id, now.Add(-disableAfter)).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// WebhookCursor is the least cursor of the enabled endpoints (where
// fan-out would start), and whether there is any: a dispatcher reads it
// before it takes the writer for a fan-out, which most commits do not
// need.
func (s *Store) WebhookCursor(ctx context.Context) (least int64, any bool, err error) {
	var c []int64
	err = s.read(ctx).Raw("SELECT min(cursor) FROM webhooks WHERE enabled HAVING count(*) > 0").Scan(&c).Error
	if err != nil || len(c) == 0 {
		return 0, false, translate(err)
	}
	return c[0], true, nil
}

// NextDue is when the earliest pending delivery of an enabled endpoint is
// due (nil when none is), for a dispatcher to sleep until.
func (s *Store) NextDue(ctx context.Context) (*time.Time, error) {
	var at []time.Time
	err := s.read(ctx).Raw(`SELECT next_attempt_at FROM webhook_deliveries WHERE state = 'PENDING'
		AND webhook_id IN (SELECT id FROM webhooks WHERE enabled) ORDER BY next_attempt_at LIMIT 1`).Scan(&at).Error
	if err != nil || len(at) == 0 {
		return nil, translate(err)
	}
	return &at[0], nil
}

// PruneDeliveries deletes finished deliveries (delivered or failed for
// good) older than before, a batch at a time.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time, batch int) (int64, error) {
	var total int64
	for {
		var n int64
		err := s.write(ctx, func(tx *gorm.DB) error {
			res := tx.Exec(`DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
				WHERE created_at < ? AND state <> 'PENDING' ORDER BY created_at LIMIT ?)`, before.UTC(), batch)
			n = res.RowsAffected
			return res.Error
		})
		total += n
		if err != nil || n < int64(batch) {
			return total, err
		}
	}
}

// PendingDeliveries counts the deliveries waiting for an attempt, for
// the metrics.
func (s *Store) PendingDeliveries(ctx context.Context) (int64, error) {
	var n int64
	err := s.read(ctx).Model(&model.WebhookDelivery{}).Where("state = 'PENDING'").Count(&n).Error
	return n, translate(err)
}
