package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// relatedLimit bounds EntityInfo.Related.
const relatedLimit = 20

// DocFreq returns how many stored articles have each of the phrases (0 for
// one never seen; every asked phrase is in the map) and the number of
// articles in all, read in one transaction so the two agree.
func (s *Store) DocFreq(ctx context.Context, phrases []string) (map[string]int, int, error) {
	df := make(map[string]int, len(phrases))
	for _, p := range phrases {
		df[p] = 0
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: doc freq: %w", err)
	}
	defer tx.Rollback()
	var docs int
	if err := tx.StmtContext(ctx, s.rstmts.countArticles).QueryRowContext(ctx).Scan(&docs); err != nil {
		return nil, 0, fmt.Errorf("sqlite: doc freq: count: %w", err)
	}
	if len(phrases) > 0 {
		byHash := make(map[int64][]string, len(phrases))
		hs := make([]int64, 0, len(phrases))
		for _, p := range phrases {
			h := store.PhraseHash(p)
			if _, ok := byHash[h]; !ok {
				hs = append(hs, h)
			}
			byHash[h] = append(byHash[h], p)
		}
		err = runQuery(ctx, tx.StmtContext(ctx, s.rstmts.docFreq), "",
			func(rows *sql.Rows) error {
				var h int64
				var n int
				if err := rows.Scan(&h, &n); err != nil {
					return err
				}
				for _, p := range byHash[h] {
					df[p] = n
				}
				return nil
			}, idsJSON(hs))
		if err != nil {
			return nil, 0, fmt.Errorf("sqlite: doc freq: %w", err)
		}
	}
	return df, docs, nil
}

// GetEntity returns what the store knows of the entity with that canonical
// name: its most frequent type, its surface forms (by the number of articles
// using each, most first), the number of articles, and the entities
// appearing in the same articles (most shared articles first, at most 20).
func (s *Store) GetEntity(ctx context.Context, name string) (store.EntityInfo, error) {
	info := store.EntityInfo{Name: name}
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(DISTINCT article_id) FROM article_entities WHERE name = ?`, name).Scan(&info.Articles)
	if err != nil {
		return store.EntityInfo{}, fmt.Errorf("sqlite: get entity %q: %w", name, err)
	}
	if info.Articles == 0 {
		return store.EntityInfo{}, fmt.Errorf("sqlite: get entity %q: %w", name, store.ErrNotFound)
	}
	err = s.r.QueryRowContext(ctx, `SELECT type FROM article_entities WHERE name = ?
		GROUP BY type ORDER BY COUNT(*) DESC, type LIMIT 1`, name).Scan(&info.Type)
	if err != nil {
		return store.EntityInfo{}, fmt.Errorf("sqlite: get entity %q: type: %w", name, err)
	}
	err = runQuery(ctx, s.r, `SELECT m.value FROM article_entities e, json_each(e.mentions) m
		WHERE e.name = ? AND e.mentions IS NOT NULL AND json_type(e.mentions) = 'array'
		GROUP BY m.value ORDER BY COUNT(DISTINCT e.article_id) DESC, m.value`, func(rows *sql.Rows) error {
		var m string
		if err := rows.Scan(&m); err != nil {
			return err
		}
		info.Aliases = append(info.Aliases, m)
		return nil
	}, name)
	if err != nil {
		return store.EntityInfo{}, fmt.Errorf("sqlite: get entity %q: aliases: %w", name, err)
	}
	err = runQuery(ctx, s.r, `SELECT o.name, MIN(o.type), COUNT(DISTINCT o.article_id) AS n
		FROM article_entities e JOIN article_entities o ON o.article_id = e.article_id AND o.name <> e.name
		WHERE e.name = ?
		GROUP BY o.name ORDER BY n DESC, o.name LIMIT ?`, func(rows *sql.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Type, &tc.Count); err != nil {
			return err
		}
		info.Related = append(info.Related, tc)
		return nil
	}, name, relatedLimit)
	if err != nil {
		return store.EntityInfo{}, fmt.Errorf("sqlite: get entity %q: related: %w", name, err)
	}
	return info, nil
}

// window turns [since, until) into bounds on sort_time; zero times do not bound.
func window(since, until time.Time) (int64, int64) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !since.IsZero() {
		lo = since.UnixMicro()
	}
	if !until.IsZero() {
		hi = until.UnixMicro()
	}
	return lo, hi
}

// TopTags counts articles published (or fetched) in [since, until) per
// keyword, matched on its normalized form and shown in its most frequent
// written form; most articles first, at most limit (0 means 20).
//
// The window's rows (w) are MATERIALIZED: inlined, SQLite 3.54 scanned
// every keyword row by its norm index for the written forms, ten times the
// work; and each name's form is picked with ROW_NUMBER, where a correlated
// subquery ran the whole grouping again for each of the limit names.
func (s *Store) TopTags(ctx context.Context, since, until time.Time, limit int) ([]store.TermCount, error) {
	if limit <= 0 {
		limit = 20
	}
	lo, hi := window(since, until)
	var out []store.TermCount
	err := runQuery(ctx, s.r, `WITH w AS MATERIALIZED (
			SELECT k.article_id, k.norm, k.keyword FROM article_keywords k
			JOIN articles a ON a.id = k.article_id
			WHERE a.sort_time >= ? AND a.sort_time < ?),
		n AS (SELECT norm, COUNT(DISTINCT article_id) AS n FROM w GROUP BY norm ORDER BY n DESC, norm LIMIT ?),
		f AS (SELECT w.norm, w.keyword, COUNT(*) AS c FROM w JOIN n ON n.norm = w.norm GROUP BY w.norm, w.keyword),
		b AS (SELECT norm, keyword, ROW_NUMBER() OVER (PARTITION BY norm ORDER BY c DESC, keyword) AS r FROM f)
		SELECT b.keyword, n.n FROM n JOIN b ON b.norm = n.norm AND b.r = 1
		ORDER BY n.n DESC, n.norm`, func(rows *sql.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Count); err != nil {
			return err
		}
		out = append(out, tc)
		return nil
	}, lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: top tags: %w", err)
	}
	return out, nil
}

// TopEntities counts articles published (or fetched) in [since, until) per
// entity name, with its most frequent type; most articles first, at most
// limit (0 means 20).
func (s *Store) TopEntities(ctx context.Context, since, until time.Time, limit int) ([]store.TermCount, error) {
	if limit <= 0 {
		limit = 20
	}
	lo, hi := window(since, until)
	var out []store.TermCount
	err := runQuery(ctx, s.r, `WITH w AS MATERIALIZED (
			SELECT e.article_id, e.name, e.type FROM article_entities e
			JOIN articles a ON a.id = e.article_id
			WHERE a.sort_time >= ? AND a.sort_time < ?),
		n AS (SELECT name, COUNT(DISTINCT article_id) AS n FROM w GROUP BY name ORDER BY n DESC, name LIMIT ?),
		f AS (SELECT w.name, w.type, COUNT(*) AS c FROM w JOIN n ON n.name = w.name GROUP BY w.name, w.type),
		b AS (SELECT name, type, ROW_NUMBER() OVER (PARTITION BY name ORDER BY c DESC, type) AS r FROM f)
		SELECT n.name, b.type, n.n FROM n JOIN b ON b.name = n.name AND b.r = 1
		ORDER BY n.n DESC, n.name`, func(rows *sql.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Type, &tc.Count); err != nil {
			return err
		}
		out = append(out, tc)
		return nil
	}, lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: top entities: %w", err)
	}
	return out, nil
}

// ObserveNames counts one observation of each name (by name and type) and
// keeps the union of the surface forms seen with it.
//
// The whole list costs two statements: one read of the names already
// known, and one upsert of the merged counts and forms (a bulk import
// observes thousands of names per batch).
func (s *Store) ObserveNames(ctx context.Context, names []model.Entity) error {
	type key struct{ Name, Type string }
	type obs struct {
		Name  string   `json:"name"`
		Type  string   `json:"type"`
		Seen  int      `json:"seen"`
		Forms []string `json:"forms,omitempty"`
	}
	byKey := map[key]*obs{}
	var list []*obs
	for _, e := range names {
		if e.Name == "" {
			continue
		}
		k := key{e.Name, e.Type}
		o := byKey[k]
		if o == nil {
			o = &obs{Name: e.Name, Type: e.Type}
			byKey[k] = o
			list = append(list, o)
		}
		o.Seen++
		// Mentions are merged below, after the stored forms.
		o.Forms = append(o.Forms, e.Mentions...)
	}
	if len(list) == 0 {
		return nil
	}
	keys, err := json.Marshal(list)
	if err != nil {
		return fmt.Errorf("sqlite: observe names: %w", err)
	}
	err = s.transact(ctx, func(tx *sql.Tx) error {
		stored := map[key][]string{}
		err := runQuery(ctx, tx, `SELECT l.name, l.type, l.mentions FROM learned_names l
			JOIN (SELECT DISTINCT value ->> 'name' AS name, value ->> 'type' AS type FROM json_each(?)) k
			ON l.name = k.name AND l.type = k.type`, func(rows *sql.Rows) error {
			var (
				k  key
				mj sql.NullString
			)
			if err := rows.Scan(&k.Name, &k.Type, &mj); err != nil {
				return err
			}
			if mj.Valid && mj.String != "" {
				var forms []string
				if err := json.Unmarshal([]byte(mj.String), &forms); err != nil {
					return fmt.Errorf("name %q: stored forms: %w", k.Name, err)
				}
				stored[k] = forms
			}
			return nil
		}, string(keys))
		if err != nil {
			return err
		}
		for _, o := range list {
			seen := o.Forms
			forms := stored[key{o.Name, o.Type}]
			have := make(map[string]bool, len(forms)+len(seen))
			for _, f := range forms {
				have[f] = true
			}
			for _, m := range seen {
				if m != "" && !have[m] {
					have[m] = true
					forms = append(forms, m)
				}
			}
			o.Forms = forms
		}
		rows, err := json.Marshal(list)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO learned_names (name, type, seen, mentions)
			SELECT value ->> 'name', value ->> 'type', value ->> 'seen', value -> 'forms' FROM json_each(?) WHERE true
			ON CONFLICT (name, type) DO UPDATE SET seen = seen + excluded.seen, mentions = excluded.mentions`,
			string(rows))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: observe names: %w", err)
	}
	return nil
}

// LearnedNames returns names observed at least min times, most observed first.
func (s *Store) LearnedNames(ctx context.Context, min int) ([]model.Entity, error) {
	var out []model.Entity
	err := runQuery(ctx, s.r, `SELECT name, type, mentions FROM learned_names WHERE seen >= ?
		ORDER BY seen DESC, name, type`, func(rows *sql.Rows) error {
		var (
			e  model.Entity
			mj sql.NullString
		)
		if err := rows.Scan(&e.Name, &e.Type, &mj); err != nil {
			return err
		}
		if mj.Valid && mj.String != "" {
			if err := json.Unmarshal([]byte(mj.String), &e.Mentions); err != nil {
				return fmt.Errorf("name %q: stored forms: %w", e.Name, err)
			}
		}
		out = append(out, e)
		return nil
	}, min)
	if err != nil {
		return nil, fmt.Errorf("sqlite: learned names: %w", err)
	}
	return out, nil
}

// CommonTerms returns the keywords and entity names in at least share of
// some outlet's articles of [since, until) (outlets with at least
// minArticles there).
func (s *Store) CommonTerms(ctx context.Context, since, until time.Time, share float64, minArticles int) ([]string, []string, error) {
	lo, hi := window(since, until)
	minArticles = max(minArticles, 1)
	collect := func(query string) ([]string, error) {
		out := []string{}
		err := runQuery(ctx, s.r, query, func(rows *sql.Rows) error {
			var v string
			if err := rows.Scan(&v); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		}, lo, hi, minArticles, share)
		return out, err
	}
	const outlets = `WITH w AS MATERIALIZED (SELECT id, outlet FROM articles WHERE sort_time >= ? AND sort_time < ?),
		tot AS (SELECT outlet, COUNT(*) AS n FROM w GROUP BY outlet HAVING COUNT(*) >= ?)`
	tags, err := collect(outlets + `,
		per AS (SELECT w.outlet, k.norm, COUNT(DISTINCT k.article_id) AS n
			FROM w JOIN tot ON tot.outlet = w.outlet JOIN article_keywords k ON k.article_id = w.id
			GROUP BY w.outlet, k.norm),
		common AS (SELECT DISTINCT per.norm FROM per JOIN tot ON tot.outlet = per.outlet WHERE per.n >= ? * tot.n)
		SELECT DISTINCT k.keyword FROM common c JOIN article_keywords k ON k.norm = c.norm
			JOIN w ON w.id = k.article_id
		ORDER BY k.keyword`)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: common terms: tags: %w", err)
	}
	ents, err := collect(outlets + `,
		per AS (SELECT w.outlet, e.name, COUNT(DISTINCT e.article_id) AS n
			FROM w JOIN tot ON tot.outlet = w.outlet JOIN article_entities e ON e.article_id = w.id
			GROUP BY w.outlet, e.name)
		SELECT DISTINCT per.name FROM per JOIN tot ON tot.outlet = per.outlet WHERE per.n >= ? * tot.n
		ORDER BY per.name`)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: common terms: entities: %w", err)
	}
	return tags, ents, nil
}
