package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

func scanStory(r pgx.Row) (model.Story, error) {
	var (
		st          model.Story
		first, last *time.Time
		details     *string
	)
	if err := r.Scan(&st.ID, &st.Title, &first, &last, &st.Articles, &st.Outlets, &st.Rev, &st.DetailsRev, &details); err != nil {
		return model.Story{}, err
	}
	st.FirstSeen = timeVal(first)
	st.LastSeen = timeVal(last)
	if details != nil && *details != "" {
		st.Details = new(model.StoryDetails)
		if err := json.Unmarshal([]byte(*details), st.Details); err != nil {
			return model.Story{}, fmt.Errorf("story %d: details: %w", st.ID, err)
		}
	}
	return st, nil
}

// members returns up to limit members of a story, earliest first (limit <= 0: all).
func members(ctx context.Context, q dbtx, story int64, limit int) ([]model.ArticleRef, error) {
	lim := "ALL"
	if limit > 0 {
		lim = strconv.Itoa(limit)
	}
	var refs []model.ArticleRef
	err := runQuery(ctx, q, `SELECT `+refColumns+`, a.sort_time, substr(a.text, 1, $1)
		FROM articles a WHERE a.story_id = $2 ORDER BY a.sort_time, a.id LIMIT `+lim, func(rows pgx.Rows) error {
		r, err := scanRef(rows, store.MemberExcerpt)
		refs = append(refs, r)
		return err
	}, 4*store.MemberExcerptRunes, story)
	return refs, err
}

const storyColumns = `id, title, first_seen, last_seen, articles, outlets, rev, details_rev, details`

// storyHeadColumns are storyColumns with no details (StoryPreview).
const storyHeadColumns = `id, title, first_seen, last_seen, articles, outlets, rev, details_rev, NULL::text`

// GetStory returns the story with all its Members, earliest first. A
// member's Published is its published time, or its fetch time when unknown.
func (s *Store) GetStory(ctx context.Context, id int64) (model.Story, error) {
	return s.story(ctx, "get story", storyColumns, id, 0)
}

// StoryPreview returns the story without its Details, with at most
// members Members, earliest first.
func (s *Store) StoryPreview(ctx context.Context, id int64, n int) (model.Story, error) {
	return s.story(ctx, "story preview", storyHeadColumns, id, max(n, 1))
}

// story reads story id's columns cols with up to limit members (limit <=
// 0: all); op names the call in errors.
func (s *Store) story(ctx context.Context, op, cols string, id int64, limit int) (model.Story, error) {
	q, done := s.db(ctx)
	defer done()
	st, err := scanStory(q.QueryRow(ctx, `SELECT `+cols+` FROM stories WHERE id = $1`, id))
	if err != nil {
		return model.Story{}, fmt.Errorf("postgres: %s %d: %w", op, id, notFound(err))
	}
	if st.Members, err = members(ctx, q, id, limit); err != nil {
		return model.Story{}, fmt.Errorf("postgres: %s %d: members: %w", op, id, err)
	}
	return st, nil
}

// ListStories returns stories by latest report first (Since filters on the
// latest report), each with at most 10 Members, earliest first, and the
// total number.
func (s *Store) ListStories(ctx context.Context, f store.StoryFilter) ([]model.Story, int, error) {
	limit, err := store.PageLimit(f.Limit, f.Offset, 20)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list stories: %w", err)
	}
	var (
		conds []string
		args  []any
		where string
	)
	if !f.Since.IsZero() {
		args = append(args, f.Since.UTC())
		conds = append(conds, `last_seen >= $1`)
	}
	if f.OneSided {
		conds = append(conds, `one_sided`)
	}
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, " AND ")
	}
	q, done := s.db(ctx)
	defer done()
	var total int
	if !f.NoTotal {
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM stories`+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("postgres: list stories: count: %w", err)
		}
	}
	n := len(args)
	var out []model.Story
	err = runQuery(ctx, q, `SELECT `+storyColumns+` FROM stories`+where+
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
		if c.Signature, err = store.DecodeSignature(sig); err != nil {
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

// StaleStories returns up to limit ids of stories whose details are older
// than their members, by id.
func (s *Store) StaleStories(ctx context.Context, limit int) ([]int64, error) {
	if limit <= 0 {
		limit = 100
	}
	q, done := s.db(ctx)
	defer done()
	var ids []int64
	err := runQuery(ctx, q, `SELECT id FROM stories WHERE details_rev < rev ORDER BY id LIMIT $1`, func(rows pgx.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: stale stories: %w", err)
	}
	return ids, nil
}

// SaveStoryDetails stores the updates' details in one transaction, each
// unless its story changed since or is gone.
func (s *Store) SaveStoryDetails(ctx context.Context, ups []store.StoryDetailsUpdate) ([]bool, error) {
	saved := make([]bool, len(ups))
	if len(ups) == 0 {
		return saved, nil
	}
	enc := make([]string, len(ups))
	for i := range ups {
		b, err := json.Marshal(ups[i].Details)
		if err != nil {
			return nil, fmt.Errorf("postgres: save details of story %d: %w", ups[i].ID, err)
		}
		enc[i] = clean(string(b))
	}
	// Rerunning it after a lost commit stores the same details again.
	err := s.transactIdempotent(ctx, func(tx pgx.Tx) error {
		var b pgx.Batch
		for i, u := range ups {
			b.Queue(`UPDATE stories SET details = $1, details_rev = rev, one_sided = $2
				WHERE id = $3 AND rev = $4`, enc[i], u.Details.OneSided, u.ID, u.Rev)
		}
		res := tx.SendBatch(ctx, &b)
		for i, u := range ups {
			tag, err := res.Exec()
			if err != nil {
				res.Close()
				return fmt.Errorf("story %d: %w", u.ID, err)
			}
			saved[i] = tag.RowsAffected() == 1
		}
		return res.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: save story details: %w", err)
	}
	return saved, nil
}

// ActiveOutlets returns the distinct outlets of the articles published (or
// fetched) in [since, until).
func (s *Store) ActiveOutlets(ctx context.Context, since, until time.Time) ([]string, error) {
	q, done := s.db(ctx)
	defer done()
	var out []string
	err := runQuery(ctx, q, `SELECT DISTINCT outlet FROM articles WHERE sort_time >= $1 AND sort_time < $2`,
		func(rows pgx.Rows) error {
			var k string
			if err := rows.Scan(&k); err != nil {
				return err
			}
			out = append(out, k)
			return nil
		}, since.UTC(), until.UTC())
	if err != nil {
		return nil, fmt.Errorf("postgres: active outlets: %w", err)
	}
	return out, nil
}
