package sqlite

import "context"

// WithBandLock runs fn. SQLite has one writer: within a process ingest
// already serialises its decisions; two processes writing one file may both
// decide before either saves, and are told apart only by the story
// bookkeeping (see docs/DEPLOY.md: several writers want PostgreSQL).
func (s *Store) WithBandLock(ctx context.Context, bands []uint64, fn func(ctx context.Context) error) error {
	return fn(ctx)
}
