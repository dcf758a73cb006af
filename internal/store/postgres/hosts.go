package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

// errHostTaken rolls back the claim of a host another worker holds.
var errHostTaken = errors.New("host taken")

// maxDueScan bounds the due sources one claim looks at to pick hosts.
const maxDueScan = 10000

// ClaimHosts leases up to req.MaxHosts hosts with due sources to req.Owner
// and claims their due sources. Candidate sources are read first and
// grouped by host in Go (the host is the fetcher's, from the URL); each
// host is then leased with one INSERT … ON CONFLICT DO UPDATE … WHERE the
// lease is free, which PostgreSQL serialises per host, so of two workers
// racing for a host exactly one gets it. Only the lease holder claims a
// host's sources.
func (s *Store) ClaimHosts(ctx context.Context, req store.HostClaimRequest) ([]store.HostClaim, error) {
	if req.MaxHosts <= 0 {
		return nil, nil
	}
	if req.Lease < 0 {
		return nil, fmt.Errorf("postgres: claim hosts: negative lease %v: %w", req.Lease, store.ErrInvalid)
	}
	if req.Owner == "" {
		return nil, fmt.Errorf("postgres: claim hosts: empty owner: %w", store.ErrInvalid)
	}
	now := req.Now.UTC().Truncate(time.Microsecond)
	until := now.Add(req.Lease)
	q, done := s.db(ctx)
	defer done()
	// Due sources by host, hosts in the order of their earliest source.
	type cand struct {
		host string
		ids  []int64
	}
	held := map[string]bool{}
	err := runQuery(ctx, q, `SELECT host FROM host_leases WHERE until > $1`, func(rows pgx.Rows) error {
		var h string
		if err := rows.Scan(&h); err != nil {
			return err
		}
		held[h] = true
		return nil
	}, now)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim hosts: %w", err)
	}
	var hosts []*cand
	byHost := map[string]*cand{}
	err = runQuery(ctx, q, `SELECT s.id, s.url FROM sources s
		WHERE s.next_fetch IS NULL OR s.next_fetch <= $1
			OR ($2 AND s.error_count = 0 AND (s.last_fetched IS NULL OR s.last_fetched < $3))
		ORDER BY s.next_fetch NULLS FIRST, s.id
		LIMIT $4`, func(rows pgx.Rows) error {
		var (
			id int64
			u  string
		)
		if err := rows.Scan(&id, &u); err != nil {
			return err
		}
		h := store.SourceHost(u)
		if held[h] {
			return nil
		}
		c := byHost[h]
		if c == nil {
			c = &cand{host: h}
			byHost[h] = c
			hosts = append(hosts, c)
		}
		c.ids = append(c.ids, id)
		return nil
	}, now, req.Manual, timeArg(req.Since), maxDueScan)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim hosts: %w", err)
	}
	var out []store.HostClaim
	for _, c := range hosts {
		if len(out) == req.MaxHosts {
			break
		}
		// The lease and the claim of its sources commit together: a
		// worker never holds a host whose sources it did not claim.
		var srcs []model.Source
		err := s.transact(ctx, func(tx pgx.Tx) error {
			srcs = srcs[:0]
			var got string
			err := tx.QueryRow(ctx, `INSERT INTO host_leases (host, owner, until) VALUES ($1, $2, $3)
				ON CONFLICT (host) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
				WHERE host_leases.until <= $4
				RETURNING host`, c.host, req.Owner, until, now).Scan(&got)
			if err == pgx.ErrNoRows {
				return errHostTaken
			}
			if err != nil {
				return err
			}
			// The due condition again: a source may have been fetched
			// since it was read, by the host's previous holder.
			err = runQuery(ctx, tx, `WITH claimed AS (
					UPDATE sources s SET next_fetch = $1
					FROM (SELECT id, next_fetch AS old_next FROM sources WHERE id = ANY($2)) p
					WHERE s.id = p.id AND (s.next_fetch IS NULL OR s.next_fetch <= $3
						OR ($4 AND s.error_count = 0 AND (s.last_fetched IS NULL OR s.last_fetched < $5)))
					RETURNING `+sourceColumns+`, p.old_next)
				SELECT * FROM claimed ORDER BY old_next NULLS FIRST, id`, func(rows pgx.Rows) error {
				var old *time.Time
				src, err := scanSource(rows, &old)
				if err != nil {
					return err
				}
				srcs = append(srcs, src)
				return nil
			}, until, c.ids, now, req.Manual, timeArg(req.Since))
			if err != nil {
				return err
			}
			if len(srcs) == 0 {
				return errHostTaken // nothing left to do there: no lease
			}
			return nil
		})
		if errors.Is(err, errHostTaken) {
			continue // another worker holds it, or has done its sources
		}
		if err != nil {
			return out, fmt.Errorf("postgres: claim host %q: %w", c.host, err)
		}
		out = append(out, store.HostClaim{Host: c.host, Sources: srcs})
	}
	return out, nil
}

// RenewHosts moves the end of owner's leases on hosts to until.
func (s *Store) RenewHosts(ctx context.Context, owner string, hosts []string, until time.Time) error {
	if len(hosts) == 0 {
		return nil
	}
	q, done := s.db(ctx)
	defer done()
	if _, err := q.Exec(ctx, `UPDATE host_leases SET until = $1 WHERE owner = $2 AND host = ANY($3)`,
		until.UTC(), owner, slices.Clone(hosts)); err != nil {
		return fmt.Errorf("postgres: renew host leases: %w", err)
	}
	return nil
}

// ReleaseHost ends owner's lease on host at freeAt.
func (s *Store) ReleaseHost(ctx context.Context, owner, host string, freeAt time.Time) error {
	q, done := s.db(ctx)
	defer done()
	if _, err := q.Exec(ctx, `UPDATE host_leases SET until = $1 WHERE owner = $2 AND host = $3`,
		freeAt.UTC(), owner, host); err != nil {
		return fmt.Errorf("postgres: release host %q: %w", host, err)
	}
	return nil
}

// JoinRound enters owner into the live round by hand, or begins one.
func (s *Store) JoinRound(ctx context.Context, owner string, now, until time.Time) (time.Time, error) {
	if owner == "" {
		return time.Time{}, fmt.Errorf("postgres: join crawl round: empty owner: %w", store.ErrInvalid)
	}
	var start time.Time
	err := s.transact(ctx, func(tx pgx.Tx) error {
		// One round at a time: the lock makes joiners see each other.
		if _, err := tx.Exec(ctx, `LOCK TABLE crawl_rounds IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM crawl_rounds WHERE until <= $1`, now.UTC()); err != nil {
			return err
		}
		var first *time.Time
		if err := tx.QueryRow(ctx, `SELECT min(started_at) FROM crawl_rounds`).Scan(&first); err != nil {
			return err
		}
		start = now.UTC().Truncate(time.Microsecond)
		if first != nil && first.Before(start) {
			start = first.UTC()
		}
		_, err := tx.Exec(ctx, `INSERT INTO crawl_rounds (owner, started_at, until) VALUES ($1, $2, $3)
			ON CONFLICT (owner) DO UPDATE SET started_at = EXCLUDED.started_at, until = EXCLUDED.until`,
			owner, start, until.UTC())
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("postgres: join crawl round: %w", err)
	}
	return start, nil
}

// LeaveRound takes owner out of the round by hand.
func (s *Store) LeaveRound(ctx context.Context, owner string) error {
	q, done := s.db(ctx)
	defer done()
	if _, err := q.Exec(ctx, `DELETE FROM crawl_rounds WHERE owner = $1`, owner); err != nil {
		return fmt.Errorf("postgres: leave crawl round: %w", err)
	}
	return nil
}
