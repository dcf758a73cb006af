package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store"
)

// Full-text search over khabar's analysed forms, with the semantics of
// store/sqlite's FTS5 table:
//
//   - Each IndexData field is split into tokens as store/sqlite's index
//     reads it — runs of store.IsWordRune runes, lowercased — and the
//     tokens become lexemes of one tsvector with weights
//     A (title terms), B (title stems), C (body terms), D (body stems).
//     The Go code writes the tsvector value itself (tsvectorLiteral), so
//     no server parser, dictionary or locale takes part.
//   - A clause becomes a tsquery whose lexemes are restricted by weight to
//     the columns FTS5 would search: a word ('w':AC | 's':BD), a phrase
//     ('w1':AC <-> 'w2':AC). Every lexeme is quoted, so user input is never
//     read as tsquery syntax, and the query text is a bound parameter.
//   - Relevance is ts_rank with weights {D, C, B, A} = {1, 2, 4, 8}/8, the
//     ratios of SQLite's bm25 column weights; the proximity and freshness
//     factors are the ranking contract's (store.Searcher).

// rankWeights are ts_rank's weights, in its order D, C, B, A.
const rankWeights = `{0.125, 0.25, 0.5, 1.0}`

// Field offsets in the tsvector: the short title fields first, then the
// body's, each field starting past the previous one's last position with a
// gap, so that a phrase never spans two fields.
const (
	maxPosition = 16383 // PostgreSQL's largest tsvector position
	fieldGap    = 64
	maxLexeme   = 2046 // PostgreSQL's longest lexeme, in bytes
)

// tokens splits s into the words of the full-text index: runs of
// store.IsWordRune runes, lowercased.
func tokens(s string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, strings.ToLower(s[start:end]))
			start = -1
		}
	}
	for i, r := range s {
		if store.IsWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

// quoteLexeme writes w as a quoted tsvector/tsquery lexeme: in single
// quotes, with quotes doubled and backslashes escaped.
func quoteLexeme(b *strings.Builder, w string) {
	b.WriteByte('\'')
	for _, r := range w {
		switch r {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
}

// tsvectorLiteral is the tsvector text of an article's index data: every
// token with its position and weight. Positions past PostgreSQL's maximum
// are clamped to it (as to_tsvector does); lexemes longer than PostgreSQL
// allows are left out.
func tsvectorLiteral(idx store.IndexData) string {
	var b strings.Builder
	pos := 1
	for _, f := range []struct {
		text   string
		weight byte
	}{
		{idx.TitleTerms, 'A'}, {idx.TitleStems, 'B'}, {idx.BodyTerms, 'C'}, {idx.BodyStems, 'D'},
	} {
		toks := tokens(clean(f.text))
		for _, t := range toks {
			if len(t) > maxLexeme {
				pos++
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			quoteLexeme(&b, t)
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(min(pos, maxPosition)))
			b.WriteByte(f.weight)
			pos++
		}
		if len(toks) > 0 {
			pos += fieldGap
		}
	}
	return b.String()
}

// TSQuery builds the tsquery text for the clauses (see the comment at the
// top of this file): a one-word clause matches its exact form in the terms
// or its stem in the stems (or an Alt form anywhere), a phrase matches its words in order and
// adjacent in the terms, and clauses are joined with & (all) or | (any).
// A word that tokenizes into several tokens (as the SQLite index would) is a
// phrase of them. Words with no token are left out; the result is "" when
// nothing is left to match.
func TSQuery(clauses []store.Clause, any bool) string {
	var parts []string
	for _, c := range clauses {
		var words []string
		kept := 0 // the words with a token, as MatchExpression counts them
		for _, w := range c.Exact {
			if t := tokens(clean(w)); len(t) > 0 {
				kept++
				words = append(words, t...)
			}
		}
		exact := phrase(words, "AC")
		if kept > 1 {
			parts = append(parts, exact)
			continue
		}
		var alts []string
		if kept == 1 {
			alts = append(alts, exact)
		}
		if stem := phrase(tokens(clean(c.Stem)), "BD"); stem != "" {
			alts = append(alts, stem)
		}
		for _, a := range c.Alt {
			if alt := phrase(tokens(clean(a)), "ABCD"); alt != "" {
				alts = append(alts, alt)
			}
		}
		switch {
		case len(alts) == 1:
			parts = append(parts, alts[0])
		case len(alts) > 1:
			parts = append(parts, "("+strings.Join(alts, " | ")+")")
		}
	}
	op := " & "
	if any {
		op = " | "
	}
	return strings.Join(parts, op)
}

// PhraseQueries returns the tsqueries that find the words of a query of
// several words (store.PhraseWords) in order and adjacent in the title, as
// exact forms or as stems, and adjacent in the body; "" when the query
// earns no proximity credit.
func PhraseQueries(clauses []store.Clause) (title, body string) {
	terms, stems := store.PhraseWords(clauses)
	var t, st []string
	for i := range terms {
		w, s := tokens(clean(terms[i])), tokens(clean(stems[i]))
		if len(w) != 1 || len(s) != 1 {
			return "", ""
		}
		t, st = append(t, w[0]), append(st, s[0])
	}
	if len(t) < 2 {
		return "", ""
	}
	return phrase(t, "A") + " | " + phrase(st, "B"), phrase(t, "C")
}

// phrase is the tsquery of words in order and adjacent, each restricted to
// the given weights; "" for no words.
func phrase(words []string, weights string) string {
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	if len(words) > 1 {
		b.WriteByte('(')
	}
	for i, w := range words {
		if i > 0 {
			b.WriteString(" <-> ")
		}
		quoteLexeme(&b, w)
		b.WriteByte(':')
		b.WriteString(weights)
	}
	if len(words) > 1 {
		b.WriteByte(')')
	}
	return b.String()
}

// matchWindow bounds the matches an unfiltered search ranks: a query
// matching more articles than that ranks the newest matchWindow of them,
// by id (the order they were stored in), and the rest only count. ts_rank
// reads each match's vector, detoasting it, so without the bound a common
// word's search cost grows with the store, as it did in store/sqlite,
// where at 310,300 articles a word in 48,710 of them took 70 ms to score.
// A variable so that a test can make it small.
var matchWindow = 5000

// SearchText runs q over the analysed title and body forms. Relevance is
// ts_rank with the weights above; the score multiplies it by the proximity
// credit and the gentle freshness factor
// 1 + store.FreshBonus/(1 + age_days/store.FreshDays) of store.Searcher's
// contract, the age counted from the newest article in the store back to
// the article's published (else fetched) time. Hits come best first (ties:
// newer id first) with the total number matching (with q.NoTotal it may
// be 0: the count is spared). A query with nothing to match gives no hits
// and no error.
//
// Speed: the GIN index finds the matches and ts_rank reads each one's
// vector. When the query has no filter on articles (sources, story, since,
// Filter; ExcludeIDs alone is none) only a window of
// max(matchWindow, Offset+Limit) matches is ranked: the newest by id, or
// with q.AroundID the half at or before that article and the half after
// it (none with Around alone, whose newest matches need not be the
// nearest); the total is the window's size when it holds every match, else
// a plain count of every match, which reads no rank. The trade-off: a
// common word's search cannot bring back an article older than its
// window, however relevant. With filters every match is ranked.
func (s *Store) SearchText(ctx context.Context, q store.TextQuery) ([]store.Hit, int, error) {
	if _, err := store.PageLimit(q.Limit, q.Offset, 0); err != nil {
		return nil, 0, fmt.Errorf("postgres: search: %w", err)
	}
	tsq := TSQuery(q.Clauses, q.Any)
	if tsq == "" {
		return nil, 0, nil
	}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	conds := []string{`a.search @@ $1::tsquery`}
	args := []any{tsq}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(q.SourceIDs) > 0 {
		conds = append(conds, `a.source_id = ANY(`+arg(q.SourceIDs)+`::bigint[])`)
	}
	if len(q.ExcludeIDs) > 0 {
		conds = append(conds, `NOT (a.id = ANY(`+arg(q.ExcludeIDs)+`::bigint[]))`)
	}
	if q.ExcludeStory != 0 {
		conds = append(conds, `COALESCE(a.story_id, 0) <> `+arg(q.ExcludeStory))
	}
	if !q.Since.IsZero() {
		conds = append(conds, `a.sort_time >= `+arg(q.Since.UTC()))
	}
	fa := sqlArgs{vals: args}
	conds = append(conds, filterConds(q.Filter, &fa)...)
	args = fa.vals
	where := strings.Join(conds, " AND ")
	countArgs := slices.Clone(args)
	// The age for freshness: back from the newest article, or from Around
	// in either direction.
	age := `GREATEST(0, EXTRACT(EPOCH FROM newest.t - COALESCE(a.sort_time, newest.t)))`
	if !q.Around.IsZero() {
		at := arg(q.Around.UTC())
		age = `ABS(EXTRACT(EPOCH FROM ` + at + `::timestamptz - COALESCE(a.sort_time, ` + at + `::timestamptz)))`
	}
	lim, off := arg(limit), arg(q.Offset)
	// Proximity credit (store.Searcher): the words in order in the title
	// (exact forms or stems), and next to one another in the body (a
	// tsquery cannot say "within a few words").
	proximity := "1.0"
	if title, body := PhraseQueries(q.Clauses); title != "" {
		proximity = fmt.Sprintf(`(1.0 + %g * (a.search @@ %s::tsquery)::int + %g * (a.search @@ %s::tsquery)::int)`,
			store.PhraseTitleBonus, arg(title), store.PhraseBodyBonus, arg(body))
	}
	score := `ts_rank('` + rankWeights + `'::float4[], a.search, $1::tsquery) * ` + proximity + ` *
				(1.0 + ` + fmt.Sprint(store.FreshBonus) + ` / (1.0 + ` + age + `::float8 / 86400.0 / ` + fmt.Sprint(store.FreshDays) + `)) AS score`
	db, done := s.db(ctx)
	defer done()
	unfiltered := len(conds) == 1 || (len(conds) == 2 && len(q.ExcludeIDs) > 0)
	if unfiltered && (q.Around.IsZero() || q.AroundID > 0) {
		return s.searchWindow(ctx, db, q, tsq, where, score, args, countArgs, lim, off, max(matchWindow, q.Offset+limit))
	}
	query := `WITH newest AS (SELECT MAX(sort_time) AS t FROM articles)
		SELECT a.id, ` + score + `, COUNT(*) OVER () AS total
		FROM articles a CROSS JOIN newest
		WHERE ` + where + `
		ORDER BY score DESC, a.id DESC LIMIT ` + lim + ` OFFSET ` + off
	var (
		hits  []store.Hit
		total int
	)
	err := runQuery(ctx, db, query, func(rows pgx.Rows) error {
		var h store.Hit
		if err := rows.Scan(&h.ID, &h.Score, &total); err != nil {
			return err
		}
		hits = append(hits, h)
		return nil
	}, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: search %s: %w", tsq, err)
	}
	if len(hits) == 0 && q.Offset > 0 {
		// Past the last page: the window count came with no row.
		err := db.QueryRow(ctx, `SELECT COUNT(*) FROM articles a WHERE `+where, countArgs...).Scan(&total)
		if err != nil {
			return nil, 0, fmt.Errorf("postgres: search %s: count: %w", tsq, err)
		}
	}
	return hits, total, nil
}

// searchWindow ranks the n matches of an unfiltered search that its window
// holds (see matchWindow): the newest, or with q.AroundID the n/2 at or
// before that article and the n/2 after it. The window is picked by id
// from the matches before any is ranked, and carries the columns the score
// reads, so that ts_rank runs on its rows alone; a side with fewer matches
// holds what there is. A window that was not cut holds every match, and
// its size is the total; otherwise the total is a separate count of every
// match, not run with q.NoTotal. where, score, lim and off are
// SearchText's, over args; countArgs are where's alone.
func (s *Store) searchWindow(ctx context.Context, db dbtx, q store.TextQuery, tsq, where, score string,
	args, countArgs []any, lim, off string, n int) ([]store.Hit, int, error) {
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	const cols = `SELECT a.id, a.search, a.sort_time FROM articles a WHERE `
	var window string
	full := n // a window of this many rows or more may have been cut
	if q.AroundID > 0 {
		full = max(n/2, 1) // either half
		at, half := arg(q.AroundID), arg(full)
		window = `(` + cols + where + ` AND a.id <= ` + at + ` ORDER BY a.id DESC LIMIT ` + half + `)
			UNION ALL
			(` + cols + where + ` AND a.id > ` + at + ` ORDER BY a.id ASC LIMIT ` + half + `)`
	} else {
		window = cols + where + ` ORDER BY a.id DESC LIMIT ` + arg(n)
	}
	query := `WITH w AS (` + window + `),
		newest AS (SELECT MAX(sort_time) AS t FROM articles)
		SELECT a.id, ` + score + `, COUNT(*) OVER () AS in_window
		FROM w a CROSS JOIN newest
		ORDER BY score DESC, a.id DESC LIMIT ` + lim + ` OFFSET ` + off
	var (
		hits     []store.Hit
		inWindow int
	)
	err := runQuery(ctx, db, query, func(rows pgx.Rows) error {
		var h store.Hit
		if err := rows.Scan(&h.ID, &h.Score, &inWindow); err != nil {
			return err
		}
		hits = append(hits, h)
		return nil
	}, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: search %s: window: %w", tsq, err)
	}
	if len(hits) > 0 && inWindow < full {
		return hits, inWindow, nil
	}
	var total int
	if !q.NoTotal {
		// The window was cut, or the page is past its last row.
		err := db.QueryRow(ctx, `SELECT COUNT(*) FROM articles a WHERE `+where, countArgs...).Scan(&total)
		if err != nil {
			return nil, 0, fmt.Errorf("postgres: search %s: count: %w", tsq, err)
		}
	}
	return hits, total, nil
}
