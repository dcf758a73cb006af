package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store"
)

// outletKeySQL is store.OutletKey of article a.
const outletKeySQL = `CASE WHEN a.outlet <> '' THEN a.outlet WHEN a.source_name <> '' THEN a.source_name
	ELSE 'source:' || a.source_id END`

// sqlArgs numbers the arguments of a statement as they are added.
type sqlArgs struct{ vals []any }

func (a *sqlArgs) add(v any) string {
	a.vals = append(a.vals, v)
	return "$" + strconv.Itoa(len(a.vals))
}

// filterConds returns the conditions on article a that f puts.
func filterConds(f store.Filter, args *sqlArgs) []string {
	var conds []string
	if !f.Since.IsZero() {
		conds = append(conds, `a.sort_time >= `+args.add(f.Since.UTC()))
	}
	if !f.Until.IsZero() {
		conds = append(conds, `a.sort_time < `+args.add(f.Until.UTC()))
	}
	switch {
	case len(f.SourceIDs) > 0 && len(f.Outlets) > 0:
		conds = append(conds, `(a.source_id = ANY(`+args.add(f.SourceIDs)+`::bigint[]) OR a.outlet = ANY(`+args.add(cleanAll(f.Outlets))+`::text[]))`)
	case len(f.SourceIDs) > 0:
		conds = append(conds, `a.source_id = ANY(`+args.add(f.SourceIDs)+`::bigint[])`)
	case len(f.Outlets) > 0:
		conds = append(conds, `a.outlet = ANY(`+args.add(cleanAll(f.Outlets))+`::text[])`)
	}
	if len(f.Countries) > 0 {
		conds = append(conds, `a.outlet IN (SELECT key FROM outlets WHERE country = ANY(`+args.add(cleanAll(f.Countries))+`::text[]))`)
	}
	if len(f.Kinds) > 0 {
		conds = append(conds, `a.outlet IN (SELECT key FROM outlets WHERE kind = ANY(`+args.add(cleanAll(f.Kinds))+`::text[]))`)
	}
	if f.Tag != "" {
		conds = append(conds, `a.id IN (SELECT article_id FROM article_keywords WHERE norm = `+args.add(clean(store.NormalizeTag(f.Tag)))+`)`)
	}
	if f.Entity != "" {
		conds = append(conds, `a.id IN (SELECT article_id FROM article_entities WHERE name = `+args.add(clean(f.Entity))+`)`)
	}
	return conds
}

// matchConds returns the conditions on article a of a full match of q
// (every clause, q.Any ignored) under all its filters; ok is false when q
// has clauses of which none has anything to match.
func matchConds(q store.TextQuery, args *sqlArgs) (conds []string, ok bool) {
	if len(q.Clauses) > 0 {
		tsq := TSQuery(q.Clauses, false)
		if tsq == "" {
			return nil, false
		}
		conds = append(conds, `a.search @@ `+args.add(tsq)+`::tsquery`)
	}
	if len(q.SourceIDs) > 0 {
		conds = append(conds, `a.source_id = ANY(`+args.add(q.SourceIDs)+`::bigint[])`)
	}
	if len(q.ExcludeIDs) > 0 {
		conds = append(conds, `NOT (a.id = ANY(`+args.add(q.ExcludeIDs)+`::bigint[]))`)
	}
	if q.ExcludeStory != 0 {
		conds = append(conds, `COALESCE(a.story_id, 0) <> `+args.add(q.ExcludeStory))
	}
	if !q.Since.IsZero() {
		conds = append(conds, `a.sort_time >= `+args.add(q.Since.UTC()))
	}
	return append(conds, filterConds(q.Filter, args)...), true
}

func whereSQL(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// Attention counts the full matches of q (store.Explorer).
func (s *Store) Attention(ctx context.Context, q store.TextQuery, top int) (store.Attention, error) {
	if top <= 0 {
		top = 10
	}
	out := store.Attention{Times: []time.Time{}, BySource: []store.OutletCount{}, ByCountry: []store.TermCount{},
		TopEntities: []store.TermCount{}, TopTags: []store.TermCount{}}
	var args sqlArgs
	conds, ok := matchConds(q, &args)
	if !ok {
		return out, nil
	}
	where := whereSQL(conds)
	groups := map[string]*store.OutletGroup{}
	db, done := s.db(ctx)
	err := runQuery(ctx, db, `SELECT a.sort_time, `+outletKeySQL+`, a.source_id, a.source_name FROM articles a`+where,
		func(rows pgx.Rows) error {
			var (
				t       *time.Time
				key     string
				src     int64
				srcName string
			)
			if err := rows.Scan(&t, &key, &src, &srcName); err != nil {
				return err
			}
			out.Times = append(out.Times, timeVal(t))
			g := groups[key]
			if g == nil {
				g = &store.OutletGroup{Key: key}
				groups[key] = g
			}
			g.Add(src, srcName)
			return nil
		}, args.vals...)
	done()
	if err != nil {
		return store.Attention{}, fmt.Errorf("postgres: attention: %w", err)
	}
	out.Total = len(out.Times)
	slices.SortFunc(out.Times, func(a, b time.Time) int { return a.Compare(b) })
	profiles, err := s.ListOutlets(ctx)
	if err != nil {
		return store.Attention{}, fmt.Errorf("postgres: attention: %w", err)
	}
	out.BySource, out.ByCountry = store.CountOutlets(profiles, groups)
	if out.Total == 0 {
		return out, nil
	}
	matched := `SELECT a.id FROM articles a` + where + ` ORDER BY a.sort_time DESC, a.id DESC LIMIT ` + strconv.Itoa(store.TopSample)
	lim := "$" + strconv.Itoa(len(args.vals)+1)
	qargs := append(slices.Clone(args.vals), top)
	db, done = s.db(ctx)
	defer done()
	err = runQuery(ctx, db, `WITH m AS MATERIALIZED (`+matched+`),
		w AS MATERIALIZED (SELECT e.article_id, e.name, e.type FROM article_entities e JOIN m ON m.id = e.article_id),
		n AS (SELECT name, COUNT(DISTINCT article_id) AS n FROM w GROUP BY name ORDER BY n DESC, name COLLATE "C" LIMIT `+lim+`),
		f AS (SELECT w.name, w.type, COUNT(*) AS c FROM w JOIN n ON n.name = w.name GROUP BY w.name, w.type),
		b AS (SELECT name, type, ROW_NUMBER() OVER (PARTITION BY name ORDER BY c DESC, type COLLATE "C") AS r FROM f)
		SELECT n.name, b.type, n.n FROM n JOIN b ON b.name = n.name AND b.r = 1
		ORDER BY n.n DESC, n.name COLLATE "C"`, func(rows pgx.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Type, &tc.Count); err != nil {
			return err
		}
		out.TopEntities = append(out.TopEntities, tc)
		return nil
	}, qargs...)
	if err != nil {
		return store.Attention{}, fmt.Errorf("postgres: attention: entities: %w", err)
	}
	err = runQuery(ctx, db, `WITH m AS MATERIALIZED (`+matched+`),
		w AS MATERIALIZED (SELECT k.article_id, k.norm, k.keyword FROM article_keywords k JOIN m ON m.id = k.article_id),
		n AS (SELECT norm, COUNT(DISTINCT article_id) AS n FROM w GROUP BY norm ORDER BY n DESC, norm COLLATE "C" LIMIT `+lim+`),
		f AS (SELECT w.norm, w.keyword, COUNT(*) AS c FROM w JOIN n ON n.norm = w.norm GROUP BY w.norm, w.keyword),
		b AS (SELECT norm, keyword, ROW_NUMBER() OVER (PARTITION BY norm ORDER BY c DESC, keyword COLLATE "C") AS r FROM f)
		SELECT b.keyword, n.n FROM n JOIN b ON b.norm = n.norm AND b.r = 1
		ORDER BY n.n DESC, n.norm COLLATE "C"`, func(rows pgx.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Count); err != nil {
			return err
		}
		out.TopTags = append(out.TopTags, tc)
		return nil
	}, qargs...)
	if err != nil {
		return store.Attention{}, fmt.Errorf("postgres: attention: tags: %w", err)
	}
	return out, nil
}

// CountByTime counts the articles under f in each interval between edges
// in one pass: each article falls in the last edge at or before its time.
func (s *Store) CountByTime(ctx context.Context, f store.Filter, edges []time.Time) ([]int, error) {
	if len(edges) < 2 {
		return []int{}, nil
	}
	if !slices.IsSortedFunc(edges, func(a, b time.Time) int { return a.Compare(b) }) {
		return nil, fmt.Errorf("postgres: count by time: edges not ascending: %w", store.ErrInvalid)
	}
	if f.Since.IsZero() || f.Since.Before(edges[0]) {
		f.Since = edges[0]
	}
	if f.Until.IsZero() || f.Until.After(edges[len(edges)-1]) {
		f.Until = edges[len(edges)-1]
	}
	utc := make([]time.Time, len(edges))
	for i, e := range edges {
		utc[i] = e.UTC()
	}
	var args sqlArgs
	e := args.add(utc)
	conds := filterConds(f, &args)
	counts := make([]int, len(edges)-1)
	db, done := s.db(ctx)
	defer done()
	// width_bucket over an array of bounds: bucket i (1-based) holds the
	// times in [edges[i-1], edges[i]).
	err := runQuery(ctx, db, `SELECT width_bucket(a.sort_time, `+e+`::timestamptz[]) AS b, COUNT(*)
		FROM articles a`+whereSQL(conds)+` GROUP BY b`, func(rows pgx.Rows) error {
		var b, n int
		if err := rows.Scan(&b, &n); err != nil {
			return err
		}
		if b >= 1 && b <= len(counts) {
			counts[b-1] = n
		}
		return nil
	}, args.vals...)
	if err != nil {
		return nil, fmt.Errorf("postgres: count by time: %w", err)
	}
	return counts, nil
}

// exportPage is how many matches EachMatch reads at once.
const exportPage = 500

// EachMatch calls fn for every full match of q in id order, a page of
// exportPage articles at a time (keyset by id, so each page costs its own
// rows).
func (s *Store) EachMatch(ctx context.Context, q store.TextQuery, fn func(*store.MatchRow) error) error {
	var args sqlArgs
	conds, ok := matchConds(q, &args)
	if !ok {
		return nil
	}
	after := "$" + strconv.Itoa(len(args.vals)+1)
	lim := "$" + strconv.Itoa(len(args.vals)+2)
	query := `SELECT a.id, a.url, a.title, a.source_name, a.outlet, a.published,
		COALESCE(o.name_ar, ''), COALESCE(o.name_en, ''), COALESCE(o.country, ''),
		(SELECT COALESCE(array_agg(k.keyword ORDER BY k.position), '{}') FROM article_keywords k WHERE k.article_id = a.id),
		(SELECT COALESCE(array_agg(e.name ORDER BY e.position), '{}') FROM article_entities e WHERE e.article_id = a.id)
		FROM articles a LEFT JOIN outlets o ON o.key = a.outlet` +
		whereSQL(append(slices.Clone(conds), `a.id > `+after)) + ` ORDER BY a.id LIMIT ` + lim
	var last int64
	rows := make([]store.MatchRow, 0, exportPage)
	for {
		rows = rows[:0]
		db, done := s.db(ctx)
		err := runQuery(ctx, db, query, func(r pgx.Rows) error {
			var (
				m                    store.MatchRow
				srcName, outlet      string
				published            *time.Time
				nameAR, nameEN, ctry string
			)
			if err := r.Scan(&m.ID, &m.URL, &m.Title, &srcName, &outlet, &published, &nameAR, &nameEN, &ctry,
				&m.Tags, &m.Entities); err != nil {
				return err
			}
			m.Source = store.OutletDisplayName(nameAR, nameEN, srcName, outlet)
			m.Country = ctry
			m.Published = timeVal(published)
			rows = append(rows, m)
			return nil
		}, append(slices.Clone(args.vals), last, exportPage)...)
		done()
		if err != nil {
			return fmt.Errorf("postgres: export: %w", err)
		}
		for i := range rows {
			if err := fn(&rows[i]); err != nil {
				return err
			}
		}
		if len(rows) < exportPage {
			return nil
		}
		last = rows[len(rows)-1].ID
	}
}
