package cli

import (
	"context"
	"fmt"
	"time"

	"khabar/internal/ingest"
)

func runCrawl(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "crawl")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	if err := a.seedOutlets(ctx, st); err != nil {
		return err
	}
	var progress func(ingest.Progress)
	if isTerminal(a.stderr) {
		progress = func(p ingest.Progress) {
			fmt.Fprintf(a.stderr, "\r\033[Kcrawl: %d/%d sources, %d new articles, %d errors",
				p.SourcesDone, p.SourcesTotal, p.NewArticles, p.Errors)
		}
	}
	c, err := a.crawler(ctx, st, true, progress)
	if err != nil {
		return err
	}
	rep, err := c.RunOnce(ctx)
	a.refreshStories(ctx, st)
	a.waitAlerts(time.Minute)
	a.waitRelated(time.Minute)
	if progress != nil {
		fmt.Fprintln(a.stderr)
	}
	fmt.Fprintf(a.stdout, "crawled %d sources: %d new articles, %d unchanged, %d failed\n",
		rep.Sources, rep.NewArticles, rep.NotModified, rep.Errors)
	return err
}
