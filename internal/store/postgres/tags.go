package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

// relatedLimit bounds EntityInfo.Related.
const relatedLimit = 20

// articleCountEstimate is the number of articles above which DocFreq
// takes PostgreSQL's estimate of the count rather than counting.
const articleCountEstimate = 100_000

// DocFreq returns how many stored articles have each of the phrases (0 for
// one never seen; every asked phrase is in the map) and the number of
// articles in all, read in one repeatable-read transaction so the two
// agree; past articleCountEstimate articles that number is PostgreSQL's
// estimate.
func (s *Store) DocFreq(ctx context.Context, phrases []string) (map[string]int, int, error) {
	df := make(map[string]int, len(phrases))
	for _, p := range phrases {
		df[p] = 0
	}
	byHash := make(map[int64][]string, len(phrases))
	hs := make([]int64, 0, len(phrases))
	for _, p := range phrases {
		h := store.PhraseHash(p)
		if _, ok := byHash[h]; !ok {
			hs = append(hs, h)
		}
		byHash[h] = append(byHash[h], p)
	}
	q, done := s.db(ctx)
	defer done()
	var docs int
	read := func(tx pgx.Tx) error {
		// Exact while the table is small; past articleCountEstimate rows,
		// the planner's estimate (kept by autovacuum): COUNT(*) reads the
		// whole table for every new article, and keyword weights need
		// only the magnitude.
		if err := tx.QueryRow(ctx, `SELECT CASE WHEN c.reltuples > $1 THEN c.reltuples::bigint
			ELSE (SELECT COUNT(*) FROM articles) END
			FROM pg_class c WHERE c.oid = 'articles'::regclass`, articleCountEstimate).Scan(&docs); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		if len(hs) == 0 {
			return nil
		}
		return runQuery(ctx, tx, `SELECT hash, df FROM phrase_df WHERE hash = ANY($1::bigint[])`,
			func(rows pgx.Rows) error {
				var h int64
				var n int
				if err := rows.Scan(&h, &n); err != nil {
					return err
				}
				for _, p := range byHash[h] {
					df[p] = n
				}
				return nil
			}, hs)
	}
	// A read-only transaction: when the server closed the connection it
	// began on, it is begun again on another, as a single statement is.
	var err error
	for attempt := 1; ; attempt++ {
		for p := range df {
			df[p] = 0
		}
		err = pgx.BeginTxFunc(ctx, beginner{q}, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, read)
		if !again(ctx, err, attempt) {
			break
		}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: doc freq: %w", err)
	}
	return df, docs, nil
}

// beginner adapts a dbtx (pool or connection) to pgx.BeginTxFunc.
type beginner struct{ q dbtx }

func (b beginner) BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	switch q := b.q.(type) {
	case interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	}:
		return q.BeginTx(ctx, opts)
	default:
		return b.q.Begin(ctx)
	}
}

// GetEntity returns what the store knows of the entity with that canonical
// name: its most frequent type, its surface forms (by the number of articles
// using each, most first), the number of articles, and the entities
// appearing in the same articles (most shared articles first, at most 20).
func (s *Store) GetEntity(ctx context.Context, name string) (store.EntityInfo, error) {
	q, done := s.db(ctx)
	defer done()
	info := store.EntityInfo{Name: name}
	err := q.QueryRow(ctx, `SELECT COUNT(DISTINCT article_id) FROM article_entities WHERE name = $1`, name).Scan(&info.Articles)
	if err != nil {
		return store.EntityInfo{}, fmt.Errorf("postgres: get entity %q: %w", name, err)
	}
	if info.Articles == 0 {
		return store.EntityInfo{}, fmt.Errorf("postgres: get entity %q: %w", name, store.ErrNotFound)
	}
	err = q.QueryRow(ctx, `SELECT type FROM article_entities WHERE name = $1
		GROUP BY type ORDER BY COUNT(*) DESC, type LIMIT 1`, name).Scan(&info.Type)
	if err != nil {
		return store.EntityInfo{}, fmt.Errorf("postgres: get entity %q: type: %w", name, err)
	}
	err = runQuery(ctx, q, `SELECT m FROM article_entities e, unnest(e.mentions) AS m
		WHERE e.name = $1
		GROUP BY m ORDER BY COUNT(DISTINCT e.article_id) DESC, m`, func(rows pgx.Rows) error {
		var m string
		if err := rows.Scan(&m); err != nil {
			return err
		}
		info.Aliases = append(info.Aliases, m)
		return nil
	}, name)
	if err != nil {
		return store.EntityInfo{}, fmt.Errorf("postgres: get entity %q: aliases: %w", name, err)
	}
	err = runQuery(ctx, q, `SELECT o.name, MIN(o.type), COUNT(DISTINCT o.article_id) AS n
		FROM article_entities e JOIN article_entities o ON o.article_id = e.article_id AND o.name <> e.name
		WHERE e.name = $1
		GROUP BY o.name ORDER BY n DESC, o.name LIMIT $2`, func(rows pgx.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Type, &tc.Count); err != nil {
			return err
		}
		info.Related = append(info.Related, tc)
		return nil
	}, name, relatedLimit)
	if err != nil {
		return store.EntityInfo{}, fmt.Errorf("postgres: get entity %q: related: %w", name, err)
	}
	return info, nil
}

// window turns [since, until) into bounds on sort_time; zero times do not
// bound (NULL).
func window(since, until time.Time) (any, any) {
	return timeArg(since), timeArg(until)
}

// TopTags counts articles published (or fetched) in [since, until) per
// keyword, matched on its normalized form and shown in its most frequent
// written form; most articles first, at most limit (0 means 20).
func (s *Store) TopTags(ctx context.Context, since, until time.Time, limit int) ([]store.TermCount, error) {
	if limit <= 0 {
		limit = 20
	}
	lo, hi := window(since, until)
	q, done := s.db(ctx)
	defer done()
	var out []store.TermCount
	err := runQuery(ctx, q, `WITH w AS (
			SELECT k.article_id, k.norm, k.keyword FROM article_keywords k
			JOIN articles a ON a.id = k.article_id
			WHERE ($1::timestamptz IS NULL OR a.sort_time >= $1) AND ($2::timestamptz IS NULL OR a.sort_time < $2)),
		n AS (SELECT norm, COUNT(DISTINCT article_id) AS n FROM w GROUP BY norm ORDER BY n DESC, norm LIMIT $3),
		f AS (SELECT w.norm, w.keyword, COUNT(*) AS c FROM w JOIN n ON n.norm = w.norm GROUP BY w.norm, w.keyword),
		b AS (SELECT norm, keyword, ROW_NUMBER() OVER (PARTITION BY norm ORDER BY c DESC, keyword) AS r FROM f)
		SELECT b.keyword, n.n FROM n JOIN b ON b.norm = n.norm AND b.r = 1
		ORDER BY n.n DESC, n.norm`, func(rows pgx.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Count); err != nil {
			return err
		}
		out = append(out, tc)
		return nil
	}, lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: top tags: %w", err)
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
	q, done := s.db(ctx)
	defer done()
	var out []store.TermCount
	err := runQuery(ctx, q, `WITH w AS (
			SELECT e.article_id, e.name, e.type FROM article_entities e
			JOIN articles a ON a.id = e.article_id
			WHERE ($1::timestamptz IS NULL OR a.sort_time >= $1) AND ($2::timestamptz IS NULL OR a.sort_time < $2)),
		n AS (SELECT name, COUNT(DISTINCT article_id) AS n FROM w GROUP BY name ORDER BY n DESC, name LIMIT $3),
		f AS (SELECT w.name, w.type, COUNT(*) AS c FROM w JOIN n ON n.name = w.name GROUP BY w.name, w.type),
		b AS (SELECT name, type, ROW_NUMBER() OVER (PARTITION BY name ORDER BY c DESC, type) AS r FROM f)
		SELECT n.name, b.type, n.n FROM n JOIN b ON b.name = n.name AND b.r = 1
		ORDER BY n.n DESC, n.name`, func(rows pgx.Rows) error {
		var tc store.TermCount
		if err := rows.Scan(&tc.Term, &tc.Type, &tc.Count); err != nil {
			return err
		}
		out = append(out, tc)
		return nil
	}, lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: top entities: %w", err)
	}
	return out, nil
}

// ObserveNames counts one observation of each name (by name and type) and
// keeps the union of the surface forms seen with it. Names are written in
// (name, type) order so that concurrent observers do not deadlock.
func (s *Store) ObserveNames(ctx context.Context, names []model.Entity) error {
	if len(names) == 0 {
		return nil
	}
	sorted := slices.Clone(names)
	slices.SortStableFunc(sorted, func(a, b model.Entity) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		if a.Type < b.Type {
			return -1
		} else if a.Type > b.Type {
			return 1
		}
		return 0
	})
	err := s.transact(ctx, func(tx pgx.Tx) error {
		for _, e := range sorted {
			if e.Name == "" {
				continue
			}
			// New forms are appended in the order seen, each once.
			if _, err := tx.Exec(ctx, `INSERT INTO learned_names AS l (name, type, seen, mentions)
				VALUES ($1, $2, 1, ARRAY(
					SELECT m FROM (SELECT DISTINCT ON (m) m, o FROM unnest($3::text[]) WITH ORDINALITY AS t(m, o)
						WHERE m <> '' ORDER BY m, o) d
					ORDER BY o))
				ON CONFLICT (name, type) DO UPDATE SET seen = l.seen + 1,
					mentions = l.mentions || ARRAY(
						SELECT m FROM (SELECT DISTINCT ON (m) m, o FROM unnest($3::text[]) WITH ORDINALITY AS t(m, o)
							WHERE m <> '' ORDER BY m, o) d
						WHERE NOT (m = ANY(l.mentions)) ORDER BY o)`,
				e.Name, e.Type, strs(e.Mentions)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: observe names: %w", err)
	}
	return nil
}

// LearnedNames returns names observed at least min times, most observed first.
func (s *Store) LearnedNames(ctx context.Context, min int) ([]model.Entity, error) {
	q, done := s.db(ctx)
	defer done()
	var out []model.Entity
	err := runQuery(ctx, q, `SELECT name, type, mentions FROM learned_names WHERE seen >= $1
		ORDER BY seen DESC, name, type`, func(rows pgx.Rows) error {
		var e model.Entity
		if err := rows.Scan(&e.Name, &e.Type, &e.Mentions); err != nil {
			return err
		}
		if len(e.Mentions) == 0 {
			e.Mentions = nil
		}
		out = append(out, e)
		return nil
	}, min)
	if err != nil {
		return nil, fmt.Errorf("postgres: learned names: %w", err)
	}
	return out, nil
}

// CommonTerms returns the keywords and entity names in at least share of
// some outlet's articles of [since, until) (outlets with at least
// minArticles there).
func (s *Store) CommonTerms(ctx context.Context, since, until time.Time, share float64, minArticles int) ([]string, []string, error) {
	lo, hi := window(since, until)
	minArticles = max(minArticles, 1)
	q, done := s.db(ctx)
	defer done()
	collect := func(query string) ([]string, error) {
		out := []string{}
		err := runQuery(ctx, q, query, func(rows pgx.Rows) error {
			var v string
			if err := rows.Scan(&v); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		}, lo, hi, minArticles, share)
		return out, err
	}
	const outlets = `WITH w AS MATERIALIZED (SELECT id, outlet FROM articles
			WHERE ($1::timestamptz IS NULL OR sort_time >= $1) AND ($2::timestamptz IS NULL OR sort_time < $2)),
		tot AS (SELECT outlet, COUNT(*) AS n FROM w GROUP BY outlet HAVING COUNT(*) >= $3)`
	tags, err := collect(outlets + `,
		per AS (SELECT w.outlet, k.norm, COUNT(DISTINCT k.article_id) AS n
			FROM w JOIN tot ON tot.outlet = w.outlet JOIN article_keywords k ON k.article_id = w.id
			GROUP BY w.outlet, k.norm),
		common AS (SELECT DISTINCT per.norm FROM per JOIN tot ON tot.outlet = per.outlet WHERE per.n >= $4::float8 * tot.n)
		SELECT DISTINCT k.keyword FROM common c JOIN article_keywords k ON k.norm = c.norm
			JOIN w ON w.id = k.article_id
		ORDER BY k.keyword`)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: common terms: tags: %w", err)
	}
	ents, err := collect(outlets + `,
		per AS (SELECT w.outlet, e.name, COUNT(DISTINCT e.article_id) AS n
			FROM w JOIN tot ON tot.outlet = w.outlet JOIN article_entities e ON e.article_id = w.id
			GROUP BY w.outlet, e.name)
		SELECT DISTINCT per.name FROM per JOIN tot ON tot.outlet = per.outlet WHERE per.n >= $4::float8 * tot.n
		ORDER BY per.name`)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: common terms: entities: %w", err)
	}
	return tags, ents, nil
}
