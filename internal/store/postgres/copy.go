package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

// SettingsLister is a store that can list its settings; CopyFrom copies
// the settings of a source store that implements it.
type SettingsLister interface {
	ListSettings(ctx context.Context) (map[string]string, error)
}

// copyBatch is how many articles CopyFrom saves per transaction.
const copyBatch = 200

// maxSeenProbe bounds how far CopyFrom counts a learned name's observations
// when the source store can only say which names reach a threshold.
const maxSeenProbe = 100

// CopyFrom copies everything src holds into dst (khabar migrate-store):
// sources with their polling state, articles with their ids, stories and
// duplicate links, the stored related reading, alerts with their deliveries, learned names, and the
// settings when src implements SettingsLister. The stores keep the
// analysed forms only as indexes, so index recomputes an article's
// IndexData (terms, stems, phrases, bands) from the article. progress, if
// not nil, is called with the number of articles copied so far.
//
// It is idempotent: a rerun after an interruption or a completed copy
// updates what is there and adds what is missing, keeping ids. A dst that
// already holds other data with the same ids or URLs is refused with
// store.ErrConflict rather than mixed.
func CopyFrom(ctx context.Context, src store.Store, dst *Store, index func(*model.Article) store.IndexData, progress func(n int)) error {
	if index == nil {
		return fmt.Errorf("postgres: copy: no index function: %w", store.ErrInvalid)
	}
	outlets, err := src.ListOutlets(ctx)
	if err != nil {
		return fmt.Errorf("postgres: copy: %w", err)
	}
	for _, o := range outlets {
		if err := dst.SaveOutlet(ctx, o); err != nil {
			return fmt.Errorf("postgres: copy: %w", err)
		}
	}
	sources, err := src.ListSources(ctx)
	if err != nil {
		return fmt.Errorf("postgres: copy: %w", err)
	}
	for _, so := range sources {
		if err := dst.upsertSource(ctx, so); err != nil {
			return fmt.Errorf("postgres: copy: source %q: %w", so.URL, err)
		}
	}

	var (
		batch []*model.Article
		idxs  []store.IndexData
		later []*model.Article // without a story: saved after the sequences move
		ids   []int64
		n     int
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := dst.saveBatch(ctx, batch, idxs, true); err != nil {
			return err
		}
		n += len(batch)
		if progress != nil {
			progress(n)
		}
		batch, idxs = batch[:0], idxs[:0]
		return nil
	}
	err = src.EachArticle(ctx, func(a *model.Article) error {
		ids = append(ids, a.ID)
		if a.StoryID == 0 {
			later = append(later, a)
			return nil
		}
		batch = append(batch, a)
		idxs = append(idxs, index(a))
		if len(batch) == copyBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = dst.transact(ctx, func(tx pgx.Tx) error { return resetSequences(ctx, tx) })
	}
	if err != nil {
		return fmt.Errorf("postgres: copy: articles: %w", err)
	}
	for _, a := range later {
		if _, err := dst.saveBatch(ctx, []*model.Article{a}, []store.IndexData{index(a)}, true); err != nil {
			return fmt.Errorf("postgres: copy: articles: %w", err)
		}
		n++
		if progress != nil {
			progress(n)
		}
	}
	// Related lists name other articles: copied once every article is.
	if err := copyRelated(ctx, src, dst, ids); err != nil {
		return fmt.Errorf("postgres: copy: %w", err)
	}

	alerts, err := src.ListAlerts(ctx)
	if err != nil {
		return fmt.Errorf("postgres: copy: %w", err)
	}
	for _, al := range alerts {
		if err := dst.upsertAlert(ctx, al); err != nil {
			return fmt.Errorf("postgres: copy: alert %d: %w", al.ID, err)
		}
		delivered, err := src.Delivered(ctx, al.ID, 1<<30)
		if err != nil {
			return fmt.Errorf("postgres: copy: %w", err)
		}
		for _, a := range delivered {
			if _, err := dst.RecordDelivery(ctx, al.ID, a.ID); err != nil {
				return fmt.Errorf("postgres: copy: %w", err)
			}
		}
	}

	if err := copyLearnedNames(ctx, src, dst); err != nil {
		return fmt.Errorf("postgres: copy: %w", err)
	}
	if sl, ok := src.(SettingsLister); ok {
		settings, err := sl.ListSettings(ctx)
		if err != nil {
			return fmt.Errorf("postgres: copy: %w", err)
		}
		for k, v := range settings {
			if err := dst.SetSetting(ctx, k, v); err != nil {
				return fmt.Errorf("postgres: copy: %w", err)
			}
		}
	}
	return dst.transact(ctx, func(tx pgx.Tx) error { return resetSequences(ctx, tx) })
}

// upsertSource stores so under its own id, replacing what that id holds.
func (s *Store) upsertSource(ctx context.Context, so model.Source) error {
	q, done := s.db(ctx)
	defer done()
	_, err := q.Exec(ctx, `INSERT INTO sources
		(id, url, title, site_url, language, etag, last_modified, last_fetched, last_error,
		 next_fetch, error_count, interval_ns, created_at, outlet)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (id) DO UPDATE SET url = excluded.url, title = excluded.title,
			site_url = excluded.site_url, language = excluded.language, etag = excluded.etag,
			last_modified = excluded.last_modified, last_fetched = excluded.last_fetched,
			last_error = excluded.last_error, next_fetch = excluded.next_fetch,
			error_count = excluded.error_count, interval_ns = excluded.interval_ns,
			created_at = excluded.created_at, outlet = excluded.outlet`,
		so.ID, so.URL, so.Title, so.SiteURL, so.Language, so.ETag, so.LastModified,
		timeArg(so.LastFetched), so.LastError, timeArg(so.NextFetch), so.ErrorCount,
		int64(so.Interval), timeArg(so.CreatedAt), so.Outlet.Key)
	if isUniqueViolation(err) {
		return fmt.Errorf("URL stored under another id: %w", store.ErrConflict)
	}
	return err
}

// upsertAlert stores al under its own id.
func (s *Store) upsertAlert(ctx context.Context, al model.Alert) error {
	q, done := s.db(ctx)
	defer done()
	_, err := q.Exec(ctx, `INSERT INTO alerts (id, query, source_ids, entities, webhook, email, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET query = excluded.query, source_ids = excluded.source_ids,
			entities = excluded.entities, webhook = excluded.webhook, email = excluded.email,
			created_at = excluded.created_at`,
		al.ID, al.Query, int64s(al.SourceIDs), strs(al.Entities), al.Webhook, al.Email, timeArg(al.CreatedAt))
	return err
}

// copyLearnedNames copies the learned names with their observation counts.
// store.Tags tells only which names reach a count, so the counts are found
// by asking for 1, 2, 3 ... observations (at most maxSeenProbe; a name seen
// more often is copied with that many, far above any learning threshold).
func copyLearnedNames(ctx context.Context, src store.Store, dst *Store) error {
	type key struct{ name, typ string }
	seen := map[key]int{}
	forms := map[key][]string{}
	var order []key
	for k := 1; k <= maxSeenProbe; k++ {
		names, err := src.LearnedNames(ctx, k)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			break
		}
		for _, e := range names {
			kk := key{e.Name, e.Type}
			if _, ok := seen[kk]; !ok {
				order = append(order, kk)
				forms[kk] = e.Mentions
			}
			seen[kk] = k
		}
	}
	if len(order) == 0 {
		return nil
	}
	return dst.transact(ctx, func(tx pgx.Tx) error {
		for _, k := range order {
			if _, err := tx.Exec(ctx, `INSERT INTO learned_names (name, type, seen, mentions)
				VALUES ($1, $2, $3, $4)
				ON CONFLICT (name, type) DO UPDATE SET seen = excluded.seen, mentions = excluded.mentions`,
				k.name, k.typ, seen[k], strs(forms[k])); err != nil {
				return fmt.Errorf("learned name %q: %w", k.name, err)
			}
		}
		return nil
	})
}
