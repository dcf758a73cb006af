package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"khabar/internal/store"
)

// maxDueScan bounds the due sources one claim looks at to pick hosts.
const maxDueScan = 10000

// ClaimHosts leases up to req.MaxHosts hosts with due sources to req.Owner
// and claims their due sources, in one IMMEDIATE transaction.
func (s *Store) ClaimHosts(ctx context.Context, req store.HostClaimRequest) ([]store.HostClaim, error) {
	if req.MaxHosts <= 0 {
		return nil, nil
	}
	if req.Lease < 0 {
		return nil, fmt.Errorf("sqlite: claim hosts: negative lease %v: %w", req.Lease, store.ErrInvalid)
	}
	if req.Owner == "" {
		return nil, fmt.Errorf("sqlite: claim hosts: empty owner: %w", store.ErrInvalid)
	}
	now := req.Now.UnixMicro()
	until := req.Now.Add(req.Lease).UnixMicro()
	var out []store.HostClaim
	err := s.transact(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		held := map[string]bool{}
		err := runQuery(ctx, tx, `SELECT host FROM host_leases WHERE until > ?`, func(rows *sql.Rows) error {
			var h string
			if err := rows.Scan(&h); err != nil {
				return err
			}
			held[h] = true
			return nil
		}, now)
		if err != nil {
			return err
		}
		byHost := map[string]int{}
		err = runQuery(ctx, tx, `SELECT `+sourceColumns+sourcesFrom+`
			WHERE s.next_fetch IS NULL OR s.next_fetch <= ?
				OR (? AND s.error_count = 0 AND (s.last_fetched IS NULL OR s.last_fetched < ?))
			ORDER BY COALESCE(s.next_fetch, 0), s.id LIMIT ?`, func(rows *sql.Rows) error {
			src, err := scanSource(rows)
			if err != nil {
				return err
			}
			h := store.SourceHost(src.URL)
			if held[h] {
				return nil
			}
			i, ok := byHost[h]
			if !ok {
				if len(out) == req.MaxHosts {
					return nil
				}
				i = len(out)
				byHost[h] = i
				out = append(out, store.HostClaim{Host: h})
			}
			out[i].Sources = append(out[i].Sources, src)
			return nil
		}, now, req.Manual, timeArg(req.Since), maxDueScan)
		if err != nil {
			return err
		}
		for i := range out {
			if _, err := tx.ExecContext(ctx, `INSERT INTO host_leases (host, owner, until) VALUES (?, ?, ?)
				ON CONFLICT (host) DO UPDATE SET owner = excluded.owner, until = excluded.until`,
				out[i].Host, req.Owner, until); err != nil {
				return err
			}
			for j := range out[i].Sources {
				src := &out[i].Sources[j]
				if _, err := tx.ExecContext(ctx, `UPDATE sources SET next_fetch = ? WHERE id = ?`, until, src.ID); err != nil {
					return err
				}
				src.NextFetch = time.UnixMicro(until).UTC()
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim hosts: %w", err)
	}
	return out, nil
}

// RenewHosts moves the end of owner's leases on hosts to until.
func (s *Store) RenewHosts(ctx context.Context, owner string, hosts []string, until time.Time) error {
	if len(hosts) == 0 {
		return nil
	}
	err := s.transact(ctx, func(tx *sql.Tx) error {
		for _, h := range hosts {
			if _, err := tx.ExecContext(ctx, `UPDATE host_leases SET until = ? WHERE owner = ? AND host = ?`,
				until.UnixMicro(), owner, h); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: renew host leases: %w", err)
	}
	return nil
}

// ReleaseHost ends owner's lease on host at freeAt.
func (s *Store) ReleaseHost(ctx context.Context, owner, host string, freeAt time.Time) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE host_leases SET until = ? WHERE owner = ? AND host = ?`,
			freeAt.UnixMicro(), owner, host)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: release host %q: %w", host, err)
	}
	return nil
}

// JoinRound enters owner into the live round by hand, or begins one.
func (s *Store) JoinRound(ctx context.Context, owner string, now, until time.Time) (time.Time, error) {
	if owner == "" {
		return time.Time{}, fmt.Errorf("sqlite: join crawl round: empty owner: %w", store.ErrInvalid)
	}
	start := now.UnixMicro()
	err := s.transact(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM crawl_rounds WHERE until <= ?`, now.UnixMicro()); err != nil {
			return err
		}
		var first sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT min(started_at) FROM crawl_rounds`).Scan(&first); err != nil {
			return err
		}
		if first.Valid && first.Int64 < start {
			start = first.Int64
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO crawl_rounds (owner, started_at, until) VALUES (?, ?, ?)
			ON CONFLICT (owner) DO UPDATE SET started_at = excluded.started_at, until = excluded.until`,
			owner, start, until.UnixMicro())
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: join crawl round: %w", err)
	}
	return time.UnixMicro(start).UTC(), nil
}

// LeaveRound takes owner out of the round by hand.
func (s *Store) LeaveRound(ctx context.Context, owner string) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM crawl_rounds WHERE owner = ?`, owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: leave crawl round: %w", err)
	}
	return nil
}
