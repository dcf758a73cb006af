package apitest

import "context"

// WithBandLock implements store.Stories; the fake has one process.
func (s *Store) WithBandLock(ctx context.Context, bands []uint64, fn func(ctx context.Context) error) error {
	return fn(ctx)
}
