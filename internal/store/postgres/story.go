package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

// excerptRunes bounds the excerpt of a story member.
const excerptRunes = 200

// excerpt cuts text to at most n runes at a word boundary.
func excerpt(text string, n int) string {
	text = strings.TrimSpace(text)
	if first, _, ok := strings.Cut(text, "\n\n"); ok {
		text = first
	}
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := n
	for i := n; i > n/2; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), unicode.IsSpace) + "…"
}

func scanStory(r pgx.Row) (model.Story, error) {
	var (
		st          model.Story
		first, last *time.Time
	)
	if err := r.Scan(&st.ID, &st.Title, &first, &last, &st.Articles, &st.Outlets); err != nil {
		return model.Story{}, err
	}
	st.FirstSeen = timeVal(first)
	st.LastSeen = timeVal(last)
	return st, nil
}

// members returns up to limit members of a story, earliest first (limit <= 0: all).
func members(ctx context.Context, q dbtx, story int64, limit int) ([]model.ArticleRef, error) {
	lim := "ALL"
	if limit > 0 {
		lim = strconv.Itoa(limit)
	}
	var refs []model.ArticleRef
	err := runQuery(ctx, q, `SELECT id, url, title, source_name, sort_time, substr(text, 1, $1)
		FROM articles WHERE story_id = $2 ORDER BY sort_time, id LIMIT `+lim, func(rows pgx.Rows) error {
		var (
			r    model.ArticleRef
			t    *time.Time
			text string
		)
		if err := rows.Scan(&r.ID, &r.URL, &r.Title, &r.Source, &t, &text); err != nil {
			return err
		}
		r.Published = timeVal(t)
		r.Excerpt = excerpt(text, excerptRunes)
		refs = append(refs, r)
		return nil
	}, 4*excerptRunes, story)
	return refs, err
}

const storyColumns = `id, title, first_seen, last_seen, articles, outlets`

// GetStory returns the story with all its Members, earliest first. A
// member's Published is its published time, or its fetch time when unknown.
func (s *Store) GetStory(ctx context.Context, id int64) (model.Story, error) {
	q, done := s.db(ctx)
	defer done()
	st, err := scanStory(q.QueryRow(ctx, `SELECT `+storyColumns+` FROM stories WHERE id = $1`, id))
	if err != nil {
		return model.Story{}, fmt.Errorf("postgres: get story %d: %w", id, notFound(err))
	}
	if st.Members, err = members(ctx, q, id, 0); err != nil {
		return model.Story{}, fmt.Errorf("postgres: get story %d: members: %w", id, err)
	}
	return st, nil
}

// ListStories returns stories by latest report first (Since filters on the
// latest report), each with at most 10 Members, earliest first, and the
// total number.
func (s *Store) ListStories(ctx context.Context, f store.StoryFilter) ([]model.Story, int, error) {
	if f.Limit < 0 || f.Offset < 0 {
		return nil, 0, fmt.Errorf("postgres: list stories: negative limit or offset: %w", store.ErrInvalid)
	}
	limit := f.Limit
	if limit == 0 {
		limit = 20
	}
	where, args := "", []any{}
	if !f.Since.IsZero() {
		where = ` WHERE last_seen >= $1`
		args = append(args, f.Since.UTC())
	}
	q, done := s.db(ctx)
	defer done()
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM stories`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: list stories: count: %w", err)
	}
	n := len(args)
	var out []model.Story
	err := runQuery(ctx, q, `SELECT `+storyColumns+` FROM stories`+where+
		` ORDER BY last_seen DESC NULLS LAST, id DESC LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2),
		func(rows pgx.Rows) error {
			st, err := scanStory(rows)
			if err != nil {
				return err
			}
			out = append(out, st)
			return nil
		}, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list stories: %w", err)
	}
	for i := range out {
		if out[i].Members, err = members(ctx, q, out[i].ID, 10); err != nil {
			return nil, 0, fmt.Errorf("postgres: list stories: members of %d: %w", out[i].ID, err)
		}
	}
	return out, total, nil
}

// Candidates returns articles published (or fetched) at or after since that
// share at least one of bands, most shared first (then newest), at most
// limit (0 means 50).
func (s *Store) Candidates(ctx context.Context, bands []uint64, since time.Time, limit int) ([]store.Candidate, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	keys := bandKeys(bands)
	// A plain range on sort_time, so that the (band_key, sort_time) index
	// reads only the rows in the window (an OR with a NULL test would let
	// a generic plan read every row of a key).
	sinceArg := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	if !since.IsZero() {
		sinceArg = since.UTC()
	}
	q, done := s.db(ctx)
	defer done()
	var out []store.Candidate
	err := runQuery(ctx, q, `WITH m AS (
			SELECT b.article_id AS id, COUNT(*) AS shared, MAX(b.sort_time) AS t
			FROM lsh_bands b
			WHERE b.band_key = ANY($1::bigint[]) AND b.sort_time >= $2
			GROUP BY b.article_id
			ORDER BY shared DESC, t DESC NULLS LAST, b.article_id DESC
			LIMIT $3)
		SELECT a.id, a.source_id, a.source_name, COALESCE(a.story_id, 0), a.duplicate_of, a.sort_time,
			a.content_hash, a.signature, m.shared
		FROM m JOIN articles a ON a.id = m.id
		ORDER BY m.shared DESC, m.t DESC NULLS LAST, a.id DESC`, func(rows pgx.Rows) error {
		var (
			c   store.Candidate
			t   *time.Time
			sig []byte
			err error
		)
		if err := rows.Scan(&c.ID, &c.SourceID, &c.SourceName, &c.StoryID, &c.DuplicateOf, &t,
			&c.ContentHash, &sig, &c.Shared); err != nil {
			return err
		}
		c.Published = timeVal(t)
		if c.Signature, err = decodeSignature(sig); err != nil {
			return fmt.Errorf("article %d: %w", c.ID, err)
		}
		out = append(out, c)
		return nil
	}, keys, sinceArg, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: candidates: %w", err)
	}
	return out, nil
}

// bandKeys returns the distinct band keys as int64 bit patterns, sorted.
func bandKeys(bands []uint64) []int64 {
	seen := make(map[uint64]bool, len(bands))
	keys := make([]int64, 0, len(bands))
	for _, b := range bands {
		if !seen[b] {
			seen[b] = true
			keys = append(keys, int64(b))
		}
	}
	slices.Sort(keys)
	return keys
}

// ByContentHash returns the earliest article (by published, else fetched,
// time; then id) with that content hash.
func (s *Store) ByContentHash(ctx context.Context, hash string) (model.Article, error) {
	if hash == "" {
		return model.Article{}, fmt.Errorf("postgres: by content hash: empty hash: %w", store.ErrNotFound)
	}
	q, done := s.db(ctx)
	defer done()
	a, err := scanArticle(q.QueryRow(ctx, `SELECT `+articleColumns+` FROM articles a
		WHERE a.content_hash = $1 ORDER BY a.sort_time, a.id LIMIT 1`, hash))
	if err == nil {
		err = fillDetails(ctx, q, []*model.Article{a})
	}
	if err != nil {
		return model.Article{}, fmt.Errorf("postgres: by content hash %q: %w", hash, notFound(err))
	}
	return *a, nil
}
