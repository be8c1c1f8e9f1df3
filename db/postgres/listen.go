package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Watch calls wake whenever any replica NOTIFYs channel, until ctx ends:
// it LISTENs on a connection of its own, outside the pool, and reconnects
// (after a pause) when that connection fails. A notification sent while
// it was reconnecting is missed; wake is called once on every (re)connect
// so the caller looks for what it missed, and callers poll besides.
func (e Engine) Watch(ctx context.Context, channel string, wake func()) {
	for ctx.Err() == nil {
		e.listenOnce(ctx, channel, wake)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (e Engine) listenOnce(ctx context.Context, channel string, wake func()) {
	conn, err := pgx.ConnectConfig(ctx, e.listen.Copy())
	if err != nil {
		return
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return
	}
	wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return
		}
		wake()
	}
}

// Notify NOTIFYs channel when tx commits: every replica's Watch wakes.
func (Engine) Notify(tx *gorm.DB, channel string) error {
	return tx.Exec("SELECT pg_notify(?, '')", channel).Error
}

// SkipLocked makes a SELECT lock the rows it reads and pass over those
// another replica holds: each replica takes its own share of work.
func (Engine) SkipLocked() string { return " FOR UPDATE SKIP LOCKED" }
