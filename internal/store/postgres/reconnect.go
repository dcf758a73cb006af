package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// maxReconnects bounds how many times one statement is sent again after
// the server closed the connection it was sent on.
const maxReconnects = 4

// pooled is the pool as calls outside a transaction use it. When the
// server closes its connections (a restart, a failover,
// pg_terminate_backend), each idle connection of the pool fails once, at
// its next use, and the pool then drops it; a statement that failed so,
// before it gave a row, is sent again on another connection.
//
// A statement cut while it runs is rolled back by the server; one whose
// commit had been done but not answered when the connection went is run
// twice. Every statement sent outside a transaction is a read, or a write
// that a second run leaves as the first did (fetch state, settings, a
// unique insert that then reports the conflict), or a count whose drift
// by one does not matter (learned names), so that is safe.
type pooled struct{ p *pgxpool.Pool }

// again reports whether a statement that failed with err on attempt
// should be sent again, after a short pause.
func again(ctx context.Context, err error, attempt int) bool {
	if err == nil || attempt >= maxReconnects || ctx.Err() != nil || !connectionLost(err) {
		return false
	}
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Duration(attempt*attempt) * 10 * time.Millisecond):
		return true
	}
}

func (d pooled) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	for attempt := 1; ; attempt++ {
		tag, err := d.p.Exec(ctx, sql, args...)
		if !again(ctx, err, attempt) {
			return tag, err
		}
	}
}

// Query sends the query and reads its first row before returning, so that
// a connection found closed then is replaced; an error after the first row
// is the caller's, as usual.
func (d pooled) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	for attempt := 1; ; attempt++ {
		rows, err := d.p.Query(ctx, sql, args...)
		if err != nil {
			if again(ctx, err, attempt) {
				continue
			}
			return rows, err
		}
		if rows.Next() {
			return &peekedRows{Rows: rows, first: true}, nil
		}
		rows.Close()
		if err := rows.Err(); err != nil && again(ctx, err, attempt) {
			continue
		}
		return rows, nil
	}
}

func (d pooled) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return pooledRow{d: d, ctx: ctx, sql: sql, args: args}
}

func (d pooled) Begin(ctx context.Context) (pgx.Tx, error) {
	for attempt := 1; ; attempt++ {
		tx, err := d.p.Begin(ctx)
		if !again(ctx, err, attempt) {
			return tx, err
		}
	}
}

// pooledRow runs its query when scanned, sent again like Query.
type pooledRow struct {
	d    pooled
	ctx  context.Context
	sql  string
	args []any
}

func (r pooledRow) Scan(dest ...any) error {
	for attempt := 1; ; attempt++ {
		err := r.d.p.QueryRow(r.ctx, r.sql, r.args...).Scan(dest...)
		if !again(r.ctx, err, attempt) {
			return err
		}
	}
}

// peekedRows are rows whose first row was read already.
type peekedRows struct {
	pgx.Rows
	first bool
}

func (r *peekedRows) Next() bool {
	if r.first {
		r.first = false
		return true
	}
	return r.Rows.Next()
}
