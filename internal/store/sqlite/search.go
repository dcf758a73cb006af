package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"khabar/internal/store"
)

// Column weights for bm25, in the order of the articles_fts columns
// (title_terms, title_stems, body_terms, body_stems). A word's exact form is
// indexed in a terms column and its stem in the matching stems column, and
// a one-word clause asks for both; so an exact match scores in both columns
// while a stem-only match scores in the stems column alone, and exact
// outranks stem. Title columns weigh four times their body counterparts.
const bm25Weights = `8.0, 4.0, 2.0, 1.0`

// microsPerDay turns an age in microseconds into days.
const microsPerDay = 24 * 3600 * 1e6

// rankSQL returns what the ranking adds to a search (store.Searcher's
// contract): CTEs tp and bp of the articles with the query's words in
// order in the title and near one another in the body (none for a query
// that earns no proximity credit), their MATCH arguments, and the factor
// that multiplies relevance. It reads m.id and a.sort_time, and newest.t.
// w, when set, is a search's window (matchWindow): the proximity CTEs
// need not look outside it.
func rankSQL(q store.TextQuery, w matchRange) (ctes string, args []any, factor string) {
	clauses := q.Clauses
	fresh := fmt.Sprintf(`(1.0 + %g / (1.0 + %s / %g / %g))`,
		store.FreshBonus, ageExpr(q), float64(microsPerDay), store.FreshDays)
	title, body := PhraseExpressions(clauses)
	if title == "" {
		return "", nil, fresh
	}
	from := w.cond()
	ctes = `, tp AS (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ?` + from + `),
		bp AS (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ?` + from + `)`
	factor = fmt.Sprintf(`(1.0 + %g * (m.id IN tp) + %g * (m.id IN bp)) * %s`, store.PhraseTitleBonus, store.PhraseBodyBonus, fresh)
	return ctes, []any{title, body}, factor
}

// PhraseExpressions returns the FTS5 expressions that find the words of a
// query of several words (store.PhraseWords) in order and adjacent in the
// title, as exact forms or as stems, and within store.PhraseNear words of
// one another in the body; "" when the query earns no proximity credit.
func PhraseExpressions(clauses []store.Clause) (title, body string) {
	terms, stems := store.PhraseWords(clauses)
	var t, st, near []string
	for i := range terms {
		w, s := ftsText(terms[i]), ftsText(stems[i])
		if !hasWordChar(w) || !hasWordChar(s) {
			return "", ""
		}
		t, st, near = append(t, w), append(st, s), append(near, quote(w))
	}
	if len(t) < 2 {
		return "", ""
	}
	title = `{title_terms} : ` + quote(strings.Join(t, " ")) + ` OR {title_stems} : ` + quote(strings.Join(st, " "))
	body = fmt.Sprintf(`{body_terms} : NEAR(%s, %d)`, strings.Join(near, " "), store.PhraseNear)
	return title, body
}

// MatchExpression builds the FTS5 MATCH expression for the clauses: a
// one-word clause becomes ({title_terms body_terms} : "w" OR {title_stems
// body_stems} : "s"), with an OR more for each of its Alt forms in any
// column, a phrase becomes {title_terms body_terms} : "w1 w2"
// (words in order, adjacent), and clauses are joined with AND, or OR when
// any is true. Every word is a quoted FTS5 string with its double quotes
// doubled, so no user input is read as FTS5 syntax, and read as the index
// reads its words (ftsText). Words with no character of an indexed word
// (store.IsWordRune) are left out; the result is "" when nothing is left to
// match.
func MatchExpression(clauses []store.Clause, any bool) string {
	var parts []string
	for _, c := range clauses {
		var words []string
		for _, w := range c.Exact {
			if hasWordChar(w) {
				words = append(words, ftsText(w))
			}
		}
		if len(words) > 1 {
			parts = append(parts, `{title_terms body_terms} : `+quote(strings.Join(words, " ")))
			continue
		}
		var alts []string
		if len(words) == 1 {
			alts = append(alts, `{title_terms body_terms} : `+quote(words[0]))
		}
		if stem := ftsText(c.Stem); hasWordChar(stem) {
			alts = append(alts, `{title_stems body_stems} : `+quote(stem))
		}
		for _, a := range c.Alt {
			if a = ftsText(a); hasWordChar(a) {
				alts = append(alts, `{title_terms body_terms title_stems body_stems} : `+quote(a))
			}
		}
		switch {
		case len(alts) == 1:
			parts = append(parts, alts[0])
		case len(alts) > 1:
			parts = append(parts, "("+strings.Join(alts, " OR ")+")")
		}
	}
	op := " AND "
	if any {
		op = " OR "
	}
	return strings.Join(parts, op)
}

// quote makes s one FTS5 string. FTS5 reads the query as a C string, so a
// NUL would end it mid-string; the tokenizer splits words at a NUL anyway,
// so it becomes a space.
func quote(s string) string {
	s = strings.ReplaceAll(s, "\x00", " ")
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// hasWordChar reports whether s holds a character of an indexed word.
func hasWordChar(s string) bool {
	return strings.ContainsFunc(s, store.IsWordRune)
}

// SearchText runs q over the analysed title and body forms. Relevance is
// -bm25 with the column weights above; the score multiplies it by the
// proximity and freshness factors of store.Searcher's contract (rankSQL),
// the age counted from the newest article in the store back to the
// article's published (else fetched) time. Hits come best first
// (ties: newer id first) with the total number matching. A query with
// nothing to match gives no hits and no error.
//
// Speed: FTS5 scores every match, but when the query has no filter on
// articles (sources, story, since, Filter; ExcludeIDs is applied inside the index)
// only the candidateCap best matches by relevance alone are looked up in
// the articles table and ranked with freshness, and the total is a plain
// count of matches. The trade-offs: for a word in more than candidateCap
// articles, an article whose relevance ranks below the first candidateCap
// cannot appear, however fresh it is; and a query matching more than
// matchWindow articles scores only the newest matchWindow of them, so
// older ones cannot appear, however relevant (not a search Around a time).
// With filters every match is ranked.
func (s *Store) SearchText(ctx context.Context, q store.TextQuery) ([]store.Hit, int, error) {
	if _, err := store.PageLimit(q.Limit, q.Offset, 0); err != nil {
		return nil, 0, fmt.Errorf("sqlite: search: %w", err)
	}
	expr := MatchExpression(q.Clauses, q.Any)
	if expr == "" {
		return nil, 0, nil
	}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	var (
		conds []string
		args  = []any{expr}
	)
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
	conds, args = append(conds, fc...), append(args, fa...)
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	if len(conds) == 0 || (len(conds) == 1 && len(q.ExcludeIDs) > 0) {
		return s.searchCapped(ctx, q, expr, limit)
	}
	ctes, rankArgs, factor := rankSQL(q, matchRange{})
	query := `WITH m AS (
			SELECT rowid AS id, bm25(articles_fts, ` + bm25Weights + `) AS b
			FROM articles_fts WHERE articles_fts MATCH ?)` + ctes + `,
		newest AS (SELECT COALESCE(MAX(sort_time), 0) AS t FROM articles)
		SELECT a.id, -m.b * ` + factor + ` AS score,
			COUNT(*) OVER () AS total
		FROM m JOIN articles a ON a.id = m.id CROSS JOIN newest` + where + `
		ORDER BY score DESC, a.id DESC LIMIT ? OFFSET ?`
	qargs := append(append([]any{expr}, rankArgs...), args[1:]...)
	var (
		hits  []store.Hit
		total int
	)
	err := runQuery(ctx, s.r, query, func(rows *sql.Rows) error {
		var h store.Hit
		if err := rows.Scan(&h.ID, &h.Score, &total); err != nil {
			return err
		}
		hits = append(hits, h)
		return nil
	}, append(qargs, limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: search %q: %w", expr, err)
	}
	if len(hits) == 0 && q.Offset > 0 {
		// Past the last page: the window count came with no row.
		err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles_fts f JOIN articles a ON a.id = f.rowid
			WHERE articles_fts MATCH ?`+strings.Replace(where, " WHERE ", " AND ", 1), args...).Scan(&total)
		if err != nil {
			return nil, 0, fmt.Errorf("sqlite: search %q: count: %w", expr, err)
		}
	}
	return hits, total, nil
}

// ageExpr is the age of article a in microseconds for the freshness of
// the ranking: back from the newest article, or from q.Around in either
// direction. Around is written into the SQL as a number: it is one.
func ageExpr(q store.TextQuery) string {
	if q.Around.IsZero() {
		return `MAX(0, newest.t - COALESCE(a.sort_time, newest.t))`
	}
	t := fmt.Sprint(q.Around.UnixMicro())
	return `ABS(` + t + ` - COALESCE(a.sort_time, ` + t + `))`
}

// candidateCap bounds the matches ranked with freshness by an unfiltered
// search (see SearchText); it grows with the page asked for.
const candidateCap = 1000

// matchWindow bounds the matches an unfiltered search scores by relevance:
// a query matching more articles than that scores the newest matchWindow
// of them, by id (the order they were stored in), and the rest only count.
// FTS5's bm25 reads each match's column sizes, a B-tree search a match, so
// without the bound a common word's search cost grows with the store: at
// ten times SaudiNewsNet (310,300 articles) a word in 48,710 of them took
// 70 ms to score. A variable so that a test can make it small.
var matchWindow = 5000

// matchRange is the range of ids a search scores (see matchWindow); a zero
// bound is none.
type matchRange struct{ first, last int64 }

// cond is the window as a condition on the rowids of articles_fts. The
// bounds are numbers the store computed, written into the SQL as such.
func (w matchRange) cond() string {
	out := ""
	if w.first > 0 {
		out += fmt.Sprintf(" AND rowid >= %d", w.first)
	}
	if w.last > 0 {
		out += fmt.Sprintf(" AND rowid <= %d", w.last)
	}
	return out
}

// scoreRange finds the n matches of the search to score: the newest, or with
// q.AroundID the n/2 at or before that article and the n/2 after it. FTS5
// walks the matches in id order without scoring them; a side with fewer
// matches is left open.
func (s *Store) scoreRange(ctx context.Context, q store.TextQuery, exclude string, args []any, n int) (matchRange, error) {
	// The id n matches away from start in the direction dir; 0 when the
	// matches run out before.
	edge := func(cond, dir string, start int64, n int) (int64, error) {
		var id int64
		a := append(append([]any{}, args...), start, n-1)
		err := s.r.QueryRowContext(ctx, `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?`+exclude+
			` AND rowid `+cond+` ? ORDER BY rowid `+dir+` LIMIT 1 OFFSET ?`, a...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		return id, err
	}
	var (
		w   matchRange
		err error
	)
	switch {
	case q.Around.IsZero():
		w.first, err = edge("<=", "DESC", math.MaxInt64, n)
	case q.AroundID > 0:
		if w.first, err = edge("<=", "DESC", q.AroundID, max(n/2, 1)); err == nil {
			w.last, err = edge(">", "ASC", q.AroundID, max(n/2, 1))
		}
	}
	return w, err
}

func (s *Store) searchCapped(ctx context.Context, q store.TextQuery, expr string, limit int) ([]store.Hit, int, error) {
	cap := max(candidateCap, 4*(q.Offset+limit))
	exclude, args := "", []any{expr}
	if len(q.ExcludeIDs) > 0 {
		exclude = ` AND rowid NOT IN (SELECT value FROM json_each(?))`
		args = append(args, idsJSON(q.ExcludeIDs))
	}
	// The count and the ranking each walk every match; on two read
	// connections they run side by side, which halves a common word's wait.
	var total int
	countErr := make(chan error, 1)
	if q.NoTotal {
		countErr <- nil
	} else {
		go func() {
			countErr <- s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?`+exclude,
				args...).Scan(&total)
		}()
	}
	w, err := s.scoreRange(ctx, q, exclude, args, max(matchWindow, q.Offset+limit))
	if err != nil {
		<-countErr
		return nil, 0, fmt.Errorf("sqlite: search %q: window: %w", expr, err)
	}
	// The candidates' times come from the index articles_id_time, not
	// the table, whose leaf pages hold about an article each (migration
	// 0014): a thousand page reads per query fewer.
	ctes, rankArgs, factor := rankSQL(q, w)
	query := `WITH m AS (
			SELECT rowid AS id, bm25(articles_fts, ` + bm25Weights + `) AS b
			FROM articles_fts WHERE articles_fts MATCH ?` + exclude + w.cond() + `
			ORDER BY b LIMIT ?)` + ctes + `,
		newest AS (SELECT COALESCE(MAX(sort_time), 0) AS t FROM articles)
		SELECT a.id, -m.b * ` + factor + ` AS score
		FROM m JOIN articles a INDEXED BY articles_id_time ON a.id = m.id CROSS JOIN newest
		ORDER BY score DESC, a.id DESC LIMIT ? OFFSET ?`
	var hits []store.Hit
	err = runQuery(ctx, s.r, query, func(rows *sql.Rows) error {
		var h store.Hit
		if err := rows.Scan(&h.ID, &h.Score); err != nil {
			return err
		}
		hits = append(hits, h)
		return nil
	}, append(append(append(args, cap), rankArgs...), limit, q.Offset)...)
	if cerr := <-countErr; cerr != nil {
		return nil, 0, fmt.Errorf("sqlite: search %q: count: %w", expr, cerr)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: search %q: %w", expr, err)
	}
	return hits, total, nil
}

var _ store.IndexCompactor = (*Store)(nil)

// CompactIndex merges the full-text index's segments into one (FTS5's
// optimize). A bulk import leaves several (14 at 310,300 articles), and a
// search looks each term up in every one: merged, related reading at that
// size cost 44.9 ms of CPU an article instead of 70.4, and the merge took
// 9.3 s.
func (s *Store) CompactIndex(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("sqlite: compact the search index: %w", err)
	}
	return nil
}
