package cli

import (
	"context"
	"fmt"
	"strings"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/postgres"
)

// runMigrateStore copies the store named by --data (or --db) into a
// PostgreSQL database. The analysed forms the indexes need are computed
// again on the way, with the same analysis as ingest. It can be run again:
// what is there is updated, what is missing added.
func runMigrateStore(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "migrate-store")
	to := fs.String("to", "", "PostgreSQL URL to copy the store into (postgres://user:pass@host/db)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if !strings.HasPrefix(*to, "postgres://") && !strings.HasPrefix(*to, "postgresql://") {
		return usagef("--to wants a postgres:// URL, got %q", redact(*to))
	}
	if *to == a.cfg.DatabaseURL {
		return usagef("--to names the store being copied")
	}
	src, err := a.store(ctx)
	if err != nil {
		return err
	}
	dst, err := postgres.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	p, err := a.pipeline(ctx, src)
	if err != nil {
		return err
	}
	index := func(art *model.Article) store.IndexData {
		c := *art // Prepare fills fields; the copy keeps the stored ones
		pr, err := p.Prepare(ctx, &c)
		if err != nil {
			return store.IndexData{}
		}
		return pr.Index
	}
	progress := func(n int) {
		if isTerminal(a.stderr) {
			fmt.Fprintf(a.stderr, "\r\033[Kmigrate-store: %d articles copied", n)
		}
	}
	if err := postgres.CopyFrom(ctx, src, dst, index, progress); err != nil {
		return err
	}
	if isTerminal(a.stderr) {
		fmt.Fprintln(a.stderr)
	}
	n, err := dst.CountArticles(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "copied the store into %s: %d articles\n", redact(*to), n)
	return nil
}
