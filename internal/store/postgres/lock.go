package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// WithBandLock runs fn while holding, across every process sharing the
// database, a lock on each of the LSH band keys bands. Ingest wraps its
// story decision in it — Candidates, ByContentHash, the choice of story
// and duplicate, SaveArticle — so that two workers ingesting copies of one
// story at the same moment (copies share bands) decide one after the
// other, the second seeing the first's article; articles sharing no band
// do not wait for each other.
//
// The locks are session advisory locks, taken in key order (so two
// callers never deadlock) on one pooled connection that fn's store calls
// use through the ctx it receives; they are released when fn returns, and
// by the server if the process dies. Calls made with that ctx run one at a
// time on the held connection, so fn should not share it between
// goroutines expecting parallelism. Nested calls reuse the held connection
// and lock the keys they add.
//
// When the server closes the connection holding the locks (a restart, a
// failover), the locks go with it: fn is run again from the start, on
// another connection, when the loss was its error.
func (s *Store) WithBandLock(ctx context.Context, bands []uint64, fn func(ctx context.Context) error) error {
	keys := lockKeys(bands)
	if len(keys) == 0 {
		return fn(ctx)
	}
	if h, ok := ctx.Value(heldKey{}).(*heldConn); ok {
		// Nested: lock on the connection already held (session locks are
		// reentrant), released again before returning.
		h.mu.Lock()
		_, err := h.conn.Exec(ctx, `SELECT count(pg_advisory_lock($1, k)) FROM unnest($2::integer[]) AS k`, lockClassBand, keys)
		h.mu.Unlock()
		if err != nil {
			return fmt.Errorf("postgres: band lock: %w", err)
		}
		ferr := fn(ctx)
		h.mu.Lock()
		_, err = h.conn.Exec(context.WithoutCancel(ctx), `SELECT count(pg_advisory_unlock($1, k)) FROM unnest($2::integer[]) AS k`, lockClassBand, keys)
		h.mu.Unlock()
		if err != nil {
			return errors.Join(ferr, fmt.Errorf("postgres: band unlock: %w", err))
		}
		return ferr
	}
	for attempt := 1; ; attempt++ {
		err, lost := s.withBandLock(ctx, keys, fn)
		// A connection closed by the server (a restart, a failover) took
		// its locks with it: fn is run again, from the start, on another.
		if !lost || !again(ctx, err, attempt) {
			return err
		}
	}
}

// withBandLock is one attempt of WithBandLock; lost reports that err is
// the loss of the connection holding the locks, before fn or inside it.
func (s *Store) withBandLock(ctx context.Context, keys []int32, fn func(ctx context.Context) error) (err error, lost bool) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: band lock: %w", err), connectionLost(err)
	}
	// unnest yields the sorted keys in order, so the locks are taken in
	// key order; pg_advisory_lock waits (as long as ctx allows).
	if _, err := c.Exec(ctx, `SELECT count(pg_advisory_lock($1, k)) FROM unnest($2::integer[]) AS k`, lockClassBand, keys); err != nil {
		// Some locks may be held: never give this session back to the pool.
		c.Conn().Close(context.WithoutCancel(ctx))
		c.Release()
		return fmt.Errorf("postgres: band lock: %w", err), connectionLost(err)
	}
	h := &heldConn{conn: c.Conn()}
	ferr := fn(context.WithValue(ctx, heldKey{}, h))
	h.mu.Lock()
	defer h.mu.Unlock()
	if ferr != nil && c.Conn().IsClosed() {
		c.Release()
		return ferr, true
	}
	// Unlock even when ctx is done: the connection goes back to the pool.
	if _, err := c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock_all()`); err != nil {
		c.Conn().Close(context.WithoutCancel(ctx))
		c.Release()
		if connectionLost(err) || c.Conn().IsClosed() {
			// The session is gone, and its locks with it: fn's work
			// stands (its own statements reported their errors).
			return ferr, false
		}
		return errors.Join(ferr, fmt.Errorf("postgres: band unlock: %w", err)), false
	}
	c.Release()
	return ferr, false
}

// lockKeys maps band keys to the 32-bit second key of pg_advisory_lock(int,
// int), sorted and distinct. Two band keys folding to one lock key only make
// two unrelated articles wait for each other.
func lockKeys(bands []uint64) []int32 {
	keys := make([]int32, 0, len(bands))
	for _, b := range bands {
		keys = append(keys, int32(uint32(b)^uint32(b>>32)))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
