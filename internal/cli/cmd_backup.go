package cli

import (
	"context"
	"fmt"
	"os"

	"khabar/internal/store/postgres"
	"khabar/internal/store/sqlite"
)

// runBackup writes a consistent snapshot of the store to a new file.
func runBackup(ctx context.Context, a *app, args []string) error {
	if len(args) != 1 {
		return usagef("want the file to write")
	}
	if _, err := os.Stat(args[0]); err == nil {
		return fmt.Errorf("%s exists; choose a new file", args[0])
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	if err := st.Backup(ctx, args[0]); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote %s\n", args[0])
	return nil
}

// runRestore loads a file that backup wrote into a store that holds no
// articles, sources or alerts yet: for the embedded store, a data folder
// without one; for PostgreSQL, an empty database of the same schema
// version. It never replaces what a store holds.
func runRestore(ctx context.Context, a *app, args []string) error {
	if len(args) != 1 {
		return usagef("want the backup file to read")
	}
	if _, err := os.Stat(args[0]); err != nil {
		return err
	}
	if a.cfg.DatabaseURL == "" {
		if err := sqlite.Restore(ctx, args[0], a.cfg.DataDir); err != nil {
			return err
		}
	} else {
		st, err := a.store(ctx)
		if err != nil {
			return err
		}
		pg, ok := st.(*postgres.Store)
		if !ok {
			return fmt.Errorf("restore: the store at the database URL is not PostgreSQL")
		}
		if err := pg.Restore(ctx, args[0]); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stdout, "restored %s\n", args[0])
	return nil
}
