package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"khabar/internal/store"
)

// outletKeySQL is store.OutletKey of article a.
const outletKeySQL = `CASE WHEN a.outlet <> '' THEN a.outlet WHEN a.source_name <> '' THEN a.source_name
	ELSE 'source:' || a.source_id END`

// filterConds returns the conditions on article a that f puts, with their
// arguments.
func filterConds(f store.Filter) (conds []string, args []any) {
	if !f.Since.IsZero() {
		conds = append(conds, `a.sort_time >= ?`)
		args = append(args, f.Since.UnixMicro())
	}
	if !f.Until.IsZero() {
		conds = append(conds, `a.sort_time < ?`)
		args = append(args, f.Until.UnixMicro())
	}
	switch {
	case len(f.SourceIDs) > 0 && len(f.Outlets) > 0:
		conds = append(conds, `(a.source_id IN (SELECT value FROM json_each(?)) OR a.outlet IN (SELECT value FROM json_each(?)))`)
		args = append(args, idsJSON(f.SourceIDs), stringsJSON(f.Outlets))
	case len(f.SourceIDs) > 0:
		conds = append(conds, `a.source_id IN (SELECT value FROM json_each(?))`)
		args = append(args, idsJSON(f.SourceIDs))
	case len(f.Outlets) > 0:
		conds = append(conds, `a.outlet IN (SELECT value FROM json_each(?))`)
		args = append(args, stringsJSON(f.Outlets))
	}
	if len(f.Countries) > 0 {
		conds = append(conds, `a.outlet IN (SELECT key FROM outlets WHERE country IN (SELECT value FROM json_each(?)))`)
		args = append(args, stringsJSON(f.Countries))
	}
	if len(f.Kinds) > 0 {
		conds = append(conds, `a.outlet IN (SELECT key FROM outlets WHERE kind IN (SELECT value FROM json_each(?)))`)
		args = append(args, stringsJSON(f.Kinds))
	}
	if f.Tag != "" {
		conds = append(conds, `a.id IN (SELECT article_id FROM article_keywords WHERE norm = ?)`)
		args = append(args, store.NormalizeTag(f.Tag))
	}
	if f.Entity != "" {
		conds = append(conds, `a.id IN (SELECT article_id FROM article_entities WHERE name = ?)`)
		args = append(args, f.Entity)
	}
	return conds, args
}

func stringsJSON(ss []string) string {
	b, _ := json.Marshal(ss) // a []string always encodes
	return string(b)
}

// matchSQL returns the FROM and WHERE of the articles a that match q in
// full (every clause, q.Any ignored) under all its filters, with their
// arguments; ok is false when q has clauses of which none has anything to
// match (then nothing matches). A query without clauses matches every
// article under its filters.
func matchSQL(q store.TextQuery) (from string, conds []string, args []any, ok bool) {
	from = ` FROM articles a`
	if len(q.Clauses) > 0 {
		expr := MatchExpression(q.Clauses, false)
		if expr == "" {
			return "", nil, nil, false
		}
		from = ` FROM articles_fts f JOIN articles a ON a.id = f.rowid`
		conds = append(conds, `articles_fts MATCH ?`)
		args = append(args, expr)
	}
	if len(q.SourceIDs) > 0 {
		conds = append(conds, `a.source_id IN (SELECT value FROM json_each(?))`)
		args = append(args, idsJSON(q.SourceIDs))
	}
	if len(q.ExcludeIDs) > 0 {
		conds = append(conds, `a.id NOT IN (SELECT value FROM json_each(?))`)
		args = append(args, idsJSON(q.ExcludeIDs))
	}
	if q.ExcludeStory != 0 {
		conds = append(conds, `COALESCE(a.story_id, 0) <> ?`)
		args = append(args, q.ExcludeStory)
	}
	if !q.Since.IsZero() {
		conds = append(conds, `a.sort_time >= ?`)
		args = append(args, q.Since.UnixMicro())
	}
	fc, fa := filterConds(q.Filter)
	return from, append(conds, fc...), append(args, fa...), true
}

func whereSQL(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// Attention counts the full matches of q (store.Explorer): one pass over
// the matches for their ids, times and outlets, then the entities and the
// keywords of the newest store.TopSample of them, side by side on two read
// connections, from those ids (the full-text match is run once).
func (s *Store) Attention(ctx context.Context, q store.TextQuery, top int) (store.Attention, error) {
	if top <= 0 {
		top = 10
	}
	out := store.Attention{Times: []time.Time{}, BySource: []store.OutletCount{}, ByCountry: []store.TermCount{},
		TopEntities: []store.TermCount{}, TopTags: []store.TermCount{}}
	from, conds, args, ok := matchSQL(q)
	if !ok {
		return out, nil
	}
	where := whereSQL(conds)
	// The counts read the narrow covering index, never the wide rows
	// (migration 0012).
	from = strings.Replace(from, ` articles a`, ` articles a INDEXED BY articles_explore`, 1)
	groups := map[string]*store.OutletGroup{}
	type match struct {
		t  int64 // sort_time; NULL reads as the smallest, as SQLite orders it
		id int64
	}
	var matches []match
	err := runQuery(ctx, s.r, `SELECT a.id, a.sort_time, `+outletKeySQL+`, a.source_id, a.source_name`+from+where, func(rows *sql.Rows) error {
		var (
			id      int64
			t       sql.NullInt64
			key     string
			src     int64
			srcName string
		)
		if err := rows.Scan(&id, &t, &key, &src, &srcName); err != nil {
			return err
		}
		out.Times = append(out.Times, timeVal(t))
		m := match{t: math.MinInt64, id: id}
		if t.Valid {
			m.t = t.Int64
		}
		matches = append(matches, m)
		g := groups[key]
		if g == nil {
			g = &store.OutletGroup{Key: key}
			groups[key] = g
		}
		g.Add(src, srcName)
		return nil
	}, args...)
	if err != nil {
		return store.Attention{}, fmt.Errorf("sqlite: attention: %w", err)
	}
	out.Total = len(out.Times)
	slices.SortFunc(out.Times, func(a, b time.Time) int { return a.Compare(b) })
	profiles, err := s.ListOutlets(ctx)
	if err != nil {
		return store.Attention{}, fmt.Errorf("sqlite: attention: %w", err)
	}
	out.BySource, out.ByCountry = store.CountOutlets(profiles, groups)
	if out.Total == 0 {
		return out, nil
	}
	// The newest matches, as ORDER BY sort_time DESC, id DESC would give.
	slices.SortFunc(matches, func(a, b match) int {
		if c := cmp.Compare(b.t, a.t); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	ids := make([]int64, 0, min(len(matches), store.TopSample))
	for _, m := range matches[:min(len(matches), store.TopSample)] {
		ids = append(ids, m.id)
	}
	sample := idsJSON(ids)
	var entErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		entErr = runQuery(ctx, s.r, `WITH m AS MATERIALIZED (SELECT value AS id FROM json_each(?)),
		w AS MATERIALIZED (SELECT e.article_id, e.name, e.type FROM m JOIN article_entities e INDEXED BY article_entities_article ON e.article_id = m.id),
		n AS (SELECT name, COUNT(DISTINCT article_id) AS n FROM w GROUP BY name ORDER BY n DESC, name LIMIT ?),
		f AS (SELECT w.name, w.type, COUNT(*) AS c FROM w JOIN n ON n.name = w.name GROUP BY w.name, w.type),
		b AS (SELECT name, type, ROW_NUMBER() OVER (PARTITION BY name ORDER BY c DESC, type) AS r FROM f)
		SELECT n.name, b.type, n.n FROM n JOIN b ON b.name = n.name AND b.r = 1
		ORDER BY n.n DESC, n.name`, func(rows *sql.Rows) error {
			var tc store.TermCount
			if err := rows.Scan(&tc.Term, &tc.Type, &tc.Count); err != nil {
				return err
			}
			out.TopEntities = append(out.TopEntities, tc)
			return nil
		}, sample, top)
	}()
	err = runQuery(ctx, s.r, `WITH m AS MATERIALIZED (SELECT value AS id FROM json_each(?)),
		w AS MATERIALIZED (SELECT k.article_id, k.norm, k.keyword FROM m JOIN article_keywords k INDEXED BY article_keywords_article ON k.article_id = m.id),
		n AS (SELECT norm, COUNT(DISTINCT article_id) AS n FROM w GROUP BY norm ORDER BY n DESC, norm LIMIT ?),
		f AS (SELECT w.norm, w.keyword, COUNT(*) AS c FROM w JOIN n ON n.norm = w.norm GROUP BY w.norm, w.keyword),
		b AS (SELECT norm, keyword, ROW_NUMBER() OVER (PARTITION BY norm ORDER BY c DESC, keyword) AS r FROM f)
		SELECT b.keyword, n.n FROM n JOIN b ON b.norm = n.norm AND b.r = 1
		ORDER BY n.n DESC, n.norm`, func(rows *sql.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Count); err != nil {
			return err
		}
		out.TopTags = append(out.TopTags, tc)
		return nil
	}, sample, top)
	<-done
	if entErr != nil {
		return store.Attention{}, fmt.Errorf("sqlite: attention: entities: %w", entErr)
	}
	if err != nil {
		return store.Attention{}, fmt.Errorf("sqlite: attention: tags: %w", err)
	}
	return out, nil
}

// CountByTime counts the articles under f in each interval between
// edges, each by a range count over the index on sort_time.
func (s *Store) CountByTime(ctx context.Context, f store.Filter, edges []time.Time) ([]int, error) {
	if len(edges) < 2 {
		return []int{}, nil
	}
	if !slices.IsSortedFunc(edges, func(a, b time.Time) int { return a.Compare(b) }) {
		return nil, fmt.Errorf("sqlite: count by time: edges not ascending: %w", store.ErrInvalid)
	}
	// Each interval is counted by a range on the index on sort_time,
	// clipped to the filter's own bounds; the filter's other conditions
	// are checked on the index's entries, which hold the outlet and the
	// source (migration 0013), so no article row is read. (Left in the subquery, the
	// filter's bounds made SQLite range over all of them for every
	// interval.)
	since, until := f.Since, f.Until
	f.Since, f.Until = time.Time{}, time.Time{}
	conds, args := filterConds(f)
	spans := make([][3]int64, 0, len(edges)-1)
	for i := 0; i+1 < len(edges); i++ {
		lo, hi := edges[i], edges[i+1]
		if !since.IsZero() && since.After(lo) {
			lo = since
		}
		if !until.IsZero() && until.Before(hi) {
			hi = until
		}
		if lo.Before(hi) {
			spans = append(spans, [3]int64{int64(i), lo.UnixMicro(), hi.UnixMicro()})
		}
	}
	counts := make([]int, len(edges)-1)
	if len(spans) == 0 {
		return counts, nil
	}
	b, _ := json.Marshal(spans)
	err := runQuery(ctx, s.r, `WITH e AS (SELECT value ->> 0 AS i, value ->> 1 AS lo, value ->> 2 AS hi FROM json_each(?))
		SELECT e.i, (SELECT COUNT(*) FROM articles a INDEXED BY articles_sort_time`+whereSQL(append([]string{`a.sort_time >= e.lo`, `a.sort_time < e.hi`}, conds...))+`)
		FROM e`, func(rows *sql.Rows) error {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		if i >= 0 && i < len(counts) {
			counts[i] = n
		}
		return nil
	}, append([]any{string(b)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: count by time: %w", err)
	}
	return counts, nil
}

// exportPage is how many matches EachMatch reads at once.
const exportPage = 500

// EachMatch calls fn for every full match of q in id order, a page of
// exportPage articles at a time (the full-text index is read from the
// last id on, so each page costs its own matches only).
func (s *Store) EachMatch(ctx context.Context, q store.TextQuery, fn func(*store.MatchRow) error) error {
	from, conds, args, ok := matchSQL(q)
	if !ok {
		return nil
	}
	idCol := `a.id`
	if len(q.Clauses) > 0 {
		idCol = `f.rowid`
	}
	query := `SELECT a.id, a.url, a.title, a.source_name, a.source_id, a.outlet, a.published,
		COALESCE(o.name_ar, ''), COALESCE(o.name_en, ''), COALESCE(o.country, '')` +
		from + ` LEFT JOIN outlets o ON o.key = a.outlet` +
		whereSQL(append(slices.Clone(conds), idCol+` > ?`)) + ` ORDER BY ` + idCol + ` LIMIT ?`
	var last int64
	rows := make([]store.MatchRow, 0, exportPage)
	for {
		rows = rows[:0]
		err := runQuery(ctx, s.r, query, func(r *sql.Rows) error {
			var (
				m                    store.MatchRow
				srcName, outlet      string
				srcID                int64
				published            sql.NullInt64
				nameAR, nameEN, ctry string
			)
			if err := r.Scan(&m.ID, &m.URL, &m.Title, &srcName, &srcID, &outlet, &published, &nameAR, &nameEN, &ctry); err != nil {
				return err
			}
			m.Source = store.OutletDisplayName(nameAR, nameEN, srcName, outlet)
			m.Country = ctry
			m.Published = timeVal(published)
			rows = append(rows, m)
			return nil
		}, append(slices.Clone(args), last, exportPage)...)
		if err != nil {
			return fmt.Errorf("sqlite: export: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]int64, len(rows))
		at := make(map[int64]int, len(rows))
		for i, m := range rows {
			ids[i] = m.ID
			at[m.ID] = i
		}
		err = runQuery(ctx, s.r, `SELECT article_id, keyword FROM article_keywords
			WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, position`, func(r *sql.Rows) error {
			var (
				id int64
				k  string
			)
			if err := r.Scan(&id, &k); err != nil {
				return err
			}
			rows[at[id]].Tags = append(rows[at[id]].Tags, k)
			return nil
		}, idsJSON(ids))
		if err != nil {
			return fmt.Errorf("sqlite: export: keywords: %w", err)
		}
		err = runQuery(ctx, s.r, `SELECT article_id, name FROM article_entities
			WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, position`, func(r *sql.Rows) error {
			var (
				id int64
				n  string
			)
			if err := r.Scan(&id, &n); err != nil {
				return err
			}
			rows[at[id]].Entities = append(rows[at[id]].Entities, n)
			return nil
		}, idsJSON(ids))
		if err != nil {
			return fmt.Errorf("sqlite: export: entities: %w", err)
		}
		for i := range rows {
			if err := fn(&rows[i]); err != nil {
				return err
			}
			rows[i].Tags, rows[i].Entities = nil, nil
		}
		last = rows[len(rows)-1].ID
		if len(rows) < exportPage {
			return nil
		}
	}
}
