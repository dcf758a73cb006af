package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkpointEvery is the least time between two background checkpoints.
const checkpointEvery = time.Second

// checkpointer copies the write-ahead log into the database file on a
// connection of its own, after commits, at most once per checkpointEvery.
//
// SQLite would otherwise checkpoint inside the commit that crosses
// wal_autocheckpoint, and that commit then waits for the copy and the
// fsync of the database file: in a bulk import, most of each batch's
// commit (about a second in 1.3). A PASSIVE checkpoint never waits for the
// writer or the readers, and the writer goes on appending to the log while
// it runs; what it cannot copy yet (pages a reader still needs) it copies
// next time. The writer's own wal_autocheckpoint stays, far higher, as a
// safety net.
type checkpointer struct {
	db   *sql.DB
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
}

func startCheckpointer(path string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s for checkpoints: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
		}
		// An error (a busy lock, a full disk) leaves the log as it is: the
		// next checkpoint, or the writer's own, copies it later.
		c.checkpoint(context.Background())
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// Checkpoint copies the whole write-ahead log into the database file now,
// and waits (for a background checkpoint too, if one is running: they
// share one connection). The log starts over only at the start of a write
// transaction that finds it all copied and no reader still in it; the
// background checkpoint, started by a commit and then at most once a
// second, had seldom finished by the next batch of an import, and the log
// grew by every batch, up to the writer's checkpoint limit. A passive
// checkpoint never waits for readers; one that cannot copy everything
// leaves the rest for later, as the background one does.
func (s *Store) Checkpoint(ctx context.Context) error {
	if s.ckpt == nil {
		return nil
	}
	if err := s.ckpt.checkpoint(ctx); err != nil {
		return fmt.Errorf("sqlite: checkpoint: %w", err)
	}
	return nil
}

// checkpoint copies what it can of the log into the database file; it
// never waits for the writer or the readers (PASSIVE).
func (c *checkpointer) checkpoint(ctx context.Context) error {
	_, err := c.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	return err
}

// poke asks for a checkpoint; it never blocks.
func (c *checkpointer) poke() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// close stops the checkpoints and closes their connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
