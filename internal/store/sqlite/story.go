package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

func scanStory(r rowScanner) (model.Story, error) {
	var (
		st          model.Story
		first, last sql.NullInt64
		details     sql.NullString
	)
	if err := r.Scan(&st.ID, &st.Title, &first, &last, &st.Articles, &st.Outlets, &st.Rev, &st.DetailsRev, &details); err != nil {
		return model.Story{}, err
	}
	st.FirstSeen = timeVal(first)
	st.LastSeen = timeVal(last)
	if details.Valid && details.String != "" {
		st.Details = new(model.StoryDetails)
		if err := json.Unmarshal([]byte(details.String), st.Details); err != nil {
			return model.Story{}, fmt.Errorf("story %d: details: %w", st.ID, err)
		}
	}
	return st, nil
}

// membersSQL reads a story's members, earliest first, at most ?3 (-1: all).
const membersSQL = `SELECT ` + refColumns + `, a.sort_time, substr(a.text, 1, ?1)
	FROM articles a WHERE a.story_id = ?2 ORDER BY a.sort_time, a.id LIMIT ?3`

// members returns up to limit members of a story, earliest first (limit <= 0: all).
func (s *Store) members(ctx context.Context, story int64, limit int) ([]model.ArticleRef, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	var refs []model.ArticleRef
	err := runQuery(ctx, s.pstmts.members, "", func(rows *sql.Rows) error {
		r, err := scanRef(rows, store.MemberExcerpt)
		refs = append(refs, r)
		return err
	}, 4*store.MemberExcerptRunes, story, limit)
	return refs, err
}

const storyColumns = `id, title, first_seen, last_seen, articles, outlets, rev, details_rev, details`

// storyHeadColumns are storyColumns with no details (StoryPreview).
const storyHeadColumns = `id, title, first_seen, last_seen, articles, outlets, rev, details_rev, NULL`

// GetStory returns the story with all its Members, earliest first. A
// member's Published is its published time, or its fetch time when unknown.
func (s *Store) GetStory(ctx context.Context, id int64) (model.Story, error) {
	return s.story(ctx, "get story", s.pstmts.story, id, 0)
}

// StoryPreview returns the story without its Details, with at most
// members Members, earliest first.
func (s *Store) StoryPreview(ctx context.Context, id int64, members int) (model.Story, error) {
	return s.story(ctx, "story preview", s.pstmts.storyHead, id, max(members, 1))
}

// story reads story id by stmt (its row by id) with up to limit members
// (limit <= 0: all); op names the call in errors.
func (s *Store) story(ctx context.Context, op string, stmt *sql.Stmt, id int64, limit int) (model.Story, error) {
	st, err := scanStory(stmt.QueryRowContext(ctx, id))
	if err != nil {
		return model.Story{}, fmt.Errorf("sqlite: %s %d: %w", op, id, notFound(err))
	}
	if st.Members, err = s.members(ctx, id, limit); err != nil {
		return model.Story{}, fmt.Errorf("sqlite: %s %d: members: %w", op, id, err)
	}
	return st, nil
}

// ListStories returns stories by latest report first (Since filters on the
// latest report), each with at most 10 Members, earliest first, and the
// total number.
func (s *Store) ListStories(ctx context.Context, f store.StoryFilter) ([]model.Story, int, error) {
	limit, err := store.PageLimit(f.Limit, f.Offset, 20)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: list stories: %w", err)
	}
	var (
		conds []string
		args  []any
		where string
	)
	if !f.Since.IsZero() {
		conds = append(conds, `last_seen >= ?`)
		args = append(args, f.Since.UnixMicro())
	}
	if f.OneSided {
		conds = append(conds, `one_sided = 1`)
	}
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, " AND ")
	}
	var total int
	if !f.NoTotal {
		err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM stories`+where, args...).Scan(&total)
		if err != nil {
			return nil, 0, fmt.Errorf("sqlite: list stories: count: %w", err)
		}
	}
	var out []model.Story
	err = runQuery(ctx, s.r, `SELECT `+storyColumns+` FROM stories`+where+
		` ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?`, func(rows *sql.Rows) error {
		st, err := scanStory(rows)
		if err != nil {
			return err
		}
		out = append(out, st)
		return nil
	}, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: list stories: %w", err)
	}
	for i := range out {
		if out[i].Members, err = s.members(ctx, out[i].ID, 10); err != nil {
			return nil, 0, fmt.Errorf("sqlite: list stories: members of %d: %w", out[i].ID, err)
		}
	}
	return out, total, nil
}

// candidatesQuery is Candidates' statement: the bands' rows in the window
// through the lsh_bands primary key (band_key, sort_time, article_id), a
// range per key, counted per article, then the best articles' rows.
const candidatesQuery = `WITH m AS (
			SELECT b.article_id AS id, COUNT(*) AS shared, MAX(b.sort_time) AS t
			FROM lsh_bands b
			WHERE b.band_key IN (SELECT value FROM json_each(?)) AND b.sort_time >= ?
			GROUP BY b.article_id
			ORDER BY shared DESC, t DESC, b.article_id DESC
			LIMIT ?)
		SELECT a.id, a.source_id, a.source_name, COALESCE(a.story_id, 0), a.duplicate_of, a.sort_time,
			a.content_hash, a.signature, m.shared
		FROM m JOIN articles a ON a.id = m.id
		ORDER BY m.shared DESC, m.t DESC, a.id DESC`

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
	seen := make(map[uint64]bool, len(bands))
	keys := make([]int64, 0, len(bands))
	for _, b := range bands {
		if !seen[b] {
			seen[b] = true
			keys = append(keys, int64(b))
		}
	}
	sinceMicros := int64(math.MinInt64) // no window: every row
	if !since.IsZero() {
		sinceMicros = since.UnixMicro()
	}
	var out []store.Candidate
	err := runQuery(ctx, s.rstmts.candidates, "", func(rows *sql.Rows) error {
		var (
			c   store.Candidate
			t   sql.NullInt64
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
	}, idsJSON(keys), sinceMicros, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: candidates: %w", err)
	}
	return out, nil
}

// ByContentHash returns the earliest article (by published, else fetched,
// time; then id) with that content hash.
func (s *Store) ByContentHash(ctx context.Context, hash string) (model.Article, error) {
	if hash == "" {
		return model.Article{}, fmt.Errorf("sqlite: by content hash: empty hash: %w", store.ErrNotFound)
	}
	a, err := scanArticle(s.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles a
		WHERE a.content_hash = ? ORDER BY a.sort_time, a.id LIMIT 1`, hash))
	if err == nil {
		err = s.fillDetails(ctx, []*model.Article{a})
	}
	if err != nil {
		return model.Article{}, fmt.Errorf("sqlite: by content hash %q: %w", hash, notFound(err))
	}
	return *a, nil
}

// StaleStories returns up to limit ids of stories whose details are older
// than their members, by id.
func (s *Store) StaleStories(ctx context.Context, limit int) ([]int64, error) {
	if limit <= 0 {
		limit = 100
	}
	var ids []int64
	err := runQuery(ctx, s.r, `SELECT id FROM stories WHERE details_rev < rev ORDER BY id LIMIT ?`, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stale stories: %w", err)
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
			return nil, fmt.Errorf("sqlite: save details of story %d: %w", ups[i].ID, err)
		}
		enc[i] = string(b)
	}
	err := s.transact(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE stories SET details = ?, details_rev = rev, one_sided = ?
			WHERE id = ? AND rev = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i, u := range ups {
			res, err := stmt.ExecContext(ctx, enc[i], u.Details.OneSided, u.ID, u.Rev)
			if err != nil {
				return fmt.Errorf("story %d: %w", u.ID, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			saved[i] = n == 1
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: save story details: %w", err)
	}
	return saved, nil
}

// ActiveOutlets returns the distinct outlets of the articles published (or
// fetched) in [since, until).
func (s *Store) ActiveOutlets(ctx context.Context, since, until time.Time) ([]string, error) {
	var out []string
	err := runQuery(ctx, s.r, `SELECT DISTINCT outlet FROM articles WHERE sort_time >= ? AND sort_time < ?`,
		func(rows *sql.Rows) error {
			var k string
			if err := rows.Scan(&k); err != nil {
				return err
			}
			out = append(out, k)
			return nil
		}, since.UnixMicro(), until.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("sqlite: active outlets: %w", err)
	}
	return out, nil
}
