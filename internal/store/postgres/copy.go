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

	if err := copyUsers(ctx, src, dst); err != nil {
		return fmt.Errorf("postgres: copy: %w", err)
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

// usersBatch is how many articles' reading state copyUsers reads at once.
const usersBatch = 1000

// copyUsers copies the accounts under their ids, with what each follows
// and its read, starred and labelled articles.
func copyUsers(ctx context.Context, src store.Store, dst *Store) error {
	us, err := src.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, u := range us {
		if err := dst.upsertUser(ctx, u); err != nil {
			return fmt.Errorf("user %q: %w", u.Name, err)
		}
		fs, err := src.ListFollows(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, f := range fs {
			if err := dst.Follow(ctx, u.ID, f); err != nil {
				return fmt.Errorf("user %q: %w", u.Name, err)
			}
		}
		var after int64
		for {
			ids, err := src.ItemIDs(ctx, store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamAll}, ByID: true, AfterID: after, Limit: usersBatch})
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				break
			}
			after = ids[len(ids)-1]
			states, err := src.ItemStates(ctx, u.ID, ids)
			if err != nil {
				return err
			}
			var read, starred []int64
			labels := map[string][]int64{}
			for id, st := range states {
				if st.Read {
					read = append(read, id)
				}
				if st.Starred {
					starred = append(starred, id)
				}
				for _, l := range st.Labels {
					labels[l] = append(labels[l], id)
				}
			}
			if err := dst.SetRead(ctx, u.ID, read, true); err != nil {
				return err
			}
			if err := dst.SetStarred(ctx, u.ID, starred, true); err != nil {
				return err
			}
			for l, ids := range labels {
				if err := dst.SetArticleLabel(ctx, u.ID, ids, l, true); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// upsertUser stores u under its own id.
func (s *Store) upsertUser(ctx context.Context, u model.User) error {
	q, done := s.db(ctx)
	defer done()
	_, err := q.Exec(ctx, `INSERT INTO users (id, name, password_hash, fever_key, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
			fever_key = excluded.fever_key, created_at = excluded.created_at`,
		u.ID, clean(u.Name), u.PasswordHash, u.FeverKey, timeArg(u.CreatedAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("name stored under another id: %w", store.ErrConflict)
	}
	return err
}
