package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

// rebind turns the ? placeholders of store.ItemSQL into $1, $2 … (the
// text holds no other question mark).
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// AddUser stores u and sets its ID; CreatedAt defaults to now.
func (s *Store) AddUser(ctx context.Context, u *model.User) error {
	if strings.TrimSpace(u.Name) == "" || u.PasswordHash == "" {
		return fmt.Errorf("postgres: add user: empty name or password hash: %w", store.ErrInvalid)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	}
	q, done := s.db(ctx)
	defer done()
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO users (name, password_hash, fever_key, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		clean(u.Name), u.PasswordHash, u.FeverKey, timeArg(u.CreatedAt)).Scan(&id)
	if isUniqueViolation(err) {
		return fmt.Errorf("postgres: add user %q: %w", u.Name, store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("postgres: add user %q: %w", u.Name, err)
	}
	u.ID = id
	return nil
}

const userColumns = `id, name, password_hash, fever_key, created_at`

func scanUser(r pgx.Row) (model.User, error) {
	var (
		u       model.User
		created *time.Time
	)
	if err := r.Scan(&u.ID, &u.Name, &u.PasswordHash, &u.FeverKey, &created); err != nil {
		return model.User{}, err
	}
	u.CreatedAt = timeVal(created)
	return u, nil
}

func (s *Store) getUser(ctx context.Context, what, where string, arg any) (model.User, error) {
	q, done := s.db(ctx)
	defer done()
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if err != nil {
		return model.User{}, fmt.Errorf("postgres: get user %s: %w", what, notFound(err))
	}
	return u, nil
}

// GetUser returns the user with that id.
func (s *Store) GetUser(ctx context.Context, id int64) (model.User, error) {
	return s.getUser(ctx, fmt.Sprint(id), "id = $1", id)
}

// GetUserByName returns the user with that name.
func (s *Store) GetUserByName(ctx context.Context, name string) (model.User, error) {
	return s.getUser(ctx, fmt.Sprintf("%q", name), "name = $1", clean(name))
}

// GetUserByFeverKey returns the user whose Fever key is key.
func (s *Store) GetUserByFeverKey(ctx context.Context, key string) (model.User, error) {
	if key == "" {
		return model.User{}, fmt.Errorf("postgres: get user by fever key: empty key: %w", store.ErrNotFound)
	}
	return s.getUser(ctx, "by fever key", "fever_key = $1", clean(key))
}

// ListUsers returns every user by name.
func (s *Store) ListUsers(ctx context.Context) ([]model.User, error) {
	q, done := s.db(ctx)
	defer done()
	var out []model.User
	err := runQuery(ctx, q, `SELECT `+userColumns+` FROM users ORDER BY name`, func(rows pgx.Rows) error {
		u, err := scanUser(rows)
		out = append(out, u)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", err)
	}
	return out, nil
}

// execOne runs a statement that must change one row, else ErrNotFound.
func (s *Store) execOne(ctx context.Context, what, query string, args ...any) error {
	q, done := s.db(ctx)
	defer done()
	tag, err := q.Exec(ctx, query, args...)
	if err == nil && tag.RowsAffected() == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return nil
}

// DeleteUser removes the user and its reading state.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.execOne(ctx, fmt.Sprintf("delete user %d", id), `DELETE FROM users WHERE id = $1`, id)
}

// SetPasswordHash replaces the user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	if hash == "" {
		return fmt.Errorf("postgres: set password of user %d: empty hash: %w", id, store.ErrInvalid)
	}
	return s.execOne(ctx, fmt.Sprintf("set password of user %d", id), `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id)
}

// SetFeverKey replaces the user's Fever key.
func (s *Store) SetFeverKey(ctx context.Context, id int64, key string) error {
	return s.execOne(ctx, fmt.Sprintf("set fever key of user %d", id), `UPDATE users SET fever_key = $1 WHERE id = $2`, clean(key), id)
}

// followKey checks f and returns its key columns.
func followKey(f model.Follow) (kind string, sourceID int64, term string, err error) {
	switch f.Kind {
	case model.FollowSource:
		if f.SourceID <= 0 {
			return "", 0, "", fmt.Errorf("follow a source: no source id: %w", store.ErrInvalid)
		}
		return f.Kind, f.SourceID, "", nil
	case model.FollowSearch:
		if f.AlertID <= 0 {
			return "", 0, "", fmt.Errorf("follow a saved search: no alert id: %w", store.ErrInvalid)
		}
		return f.Kind, f.AlertID, "", nil
	case model.FollowTag:
		t := clean(store.NormalizeTag(f.Term))
		if t == "" {
			return "", 0, "", fmt.Errorf("follow a tag: empty tag: %w", store.ErrInvalid)
		}
		return f.Kind, 0, t, nil
	case model.FollowName:
		if strings.TrimSpace(f.Term) == "" {
			return "", 0, "", fmt.Errorf("follow a name: empty name: %w", store.ErrInvalid)
		}
		return f.Kind, 0, clean(f.Term), nil
	}
	return "", 0, "", fmt.Errorf("follow: unknown kind %q: %w", f.Kind, store.ErrInvalid)
}

// Follow adds f to the user's follows, or relabels it.
func (s *Store) Follow(ctx context.Context, userID int64, f model.Follow) error {
	kind, src, term, err := followKey(f)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if (kind == model.FollowTag || kind == model.FollowName) && f.Label == "" {
		f.Label = term
	}
	err = s.transact(ctx, func(tx pgx.Tx) error {
		if kind == model.FollowSource {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sources WHERE id = $1)`, src).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("source %d: %w", src, store.ErrNotFound)
			}
		}
		if kind == model.FollowSearch {
			var query string
			if err := tx.QueryRow(ctx, `SELECT query FROM alerts WHERE id = $1`, src).Scan(&query); err != nil {
				return fmt.Errorf("alert %d: %w", src, notFound(err))
			}
			if f.Label == "" {
				f.Label = clean(query)
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO user_follows (user_id, kind, source_id, term, label, created_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (user_id, kind, source_id, term) DO UPDATE SET label = excluded.label`,
			userID, kind, src, term, clean(f.Label), time.Now().UTC())
		if isForeignKeyViolation(err) {
			return fmt.Errorf("user %d: %w", userID, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: user %d follows %s %d%s: %w", userID, kind, src, term, err)
	}
	return nil
}

// Unfollow removes a follow.
func (s *Store) Unfollow(ctx context.Context, userID int64, f model.Follow) error {
	kind, src, term, err := followKey(f)
	if err != nil {
		return fmt.Errorf("postgres: un%w", err)
	}
	return s.execOne(ctx, fmt.Sprintf("user %d unfollows %s %d%s", userID, kind, src, term),
		`DELETE FROM user_follows WHERE user_id = $1 AND kind = $2 AND source_id = $3 AND term = $4`, userID, kind, src, term)
}

// ListFollows returns the user's follows.
func (s *Store) ListFollows(ctx context.Context, userID int64) ([]model.Follow, error) {
	q, done := s.db(ctx)
	defer done()
	var out []model.Follow
	err := runQuery(ctx, q, `SELECT f.kind, f.source_id, f.term, f.label, f.created_at, COALESCE(NULLIF(s.title, ''), s.url, al.query, f.term)
		FROM user_follows f LEFT JOIN sources s ON f.kind = 'source' AND s.id = f.source_id
		LEFT JOIN alerts al ON f.kind = 'search' AND al.id = f.source_id
		WHERE f.user_id = $1 AND (f.kind <> 'source' OR s.id IS NOT NULL) AND (f.kind <> 'search' OR al.id IS NOT NULL)
		ORDER BY f.kind <> 'source', f.source_id, f.term COLLATE "C", f.kind`, func(rows pgx.Rows) error {
		var (
			f       model.Follow
			created *time.Time
		)
		if err := rows.Scan(&f.Kind, &f.SourceID, &f.Term, &f.Label, &created, &f.Title); err != nil {
			return err
		}
		f.CreatedAt = timeVal(created)
		if f.Kind == model.FollowSearch {
			f.AlertID, f.SourceID = f.SourceID, 0
		}
		out = append(out, f)
		return nil
	}, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list follows of user %d: %w", userID, err)
	}
	return out, nil
}

// RenameLabel renames a label of the user.
func (s *Store) RenameLabel(ctx context.Context, userID int64, from, to string) error {
	to = clean(to)
	if strings.TrimSpace(to) == "" || from == "" {
		return fmt.Errorf("postgres: rename label %q to %q: empty label: %w", from, to, store.ErrInvalid)
	}
	err := s.transact(ctx, func(tx pgx.Tx) error {
		a, err := tx.Exec(ctx, `UPDATE user_follows SET label = $1 WHERE user_id = $2 AND label = $3`, to, userID, from)
		if err != nil {
			return err
		}
		// An article labelled both keeps one.
		if _, err := tx.Exec(ctx, `DELETE FROM user_item_labels WHERE user_id = $1 AND label = $2
			AND article_id IN (SELECT article_id FROM user_item_labels WHERE user_id = $1 AND label = $3)`, userID, from, to); err != nil {
			return err
		}
		b, err := tx.Exec(ctx, `UPDATE user_item_labels SET label = $1 WHERE user_id = $2 AND label = $3`, to, userID, from)
		if err != nil {
			return err
		}
		if a.RowsAffected()+b.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: rename label %q of user %d: %w", from, userID, err)
	}
	return nil
}

// DeleteLabel removes a label of the user.
func (s *Store) DeleteLabel(ctx context.Context, userID int64, label string) error {
	err := s.transact(ctx, func(tx pgx.Tx) error {
		a, err := tx.Exec(ctx, `UPDATE user_follows SET label = '' WHERE user_id = $1 AND label = $2 AND kind = 'source'`, userID, label)
		if err != nil {
			return err
		}
		b, err := tx.Exec(ctx, `DELETE FROM user_follows WHERE user_id = $1 AND label = $2 AND kind <> 'source'`, userID, label)
		if err != nil {
			return err
		}
		c, err := tx.Exec(ctx, `DELETE FROM user_item_labels WHERE user_id = $1 AND label = $2`, userID, label)
		if err != nil {
			return err
		}
		if a.RowsAffected()+b.RowsAffected()+c.RowsAffected() == 0 || label == "" {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: delete label %q of user %d: %w", label, userID, err)
	}
	return nil
}

// setState writes one state column of the user's rows for ids.
func (s *Store) setState(ctx context.Context, userID int64, ids []int64, col string, on bool) error {
	if len(ids) == 0 {
		return nil
	}
	v := 0
	if on {
		v = 1
	}
	err := s.transact(ctx, func(tx pgx.Tx) error {
		// col is one of two names this file passes, never client text.
		_, err := tx.Exec(ctx, `INSERT INTO user_articles (user_id, article_id, `+col+`)
			SELECT $1::bigint, id, $2::integer FROM articles WHERE id = ANY($3)
			ON CONFLICT (user_id, article_id) DO UPDATE SET `+col+` = excluded.`+col, userID, v, ids)
		if isForeignKeyViolation(err) {
			return fmt.Errorf("user %d: %w", userID, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: set %s of %d articles for user %d: %w", col, len(ids), userID, err)
	}
	return nil
}

// SetRead marks the articles read or unread.
func (s *Store) SetRead(ctx context.Context, userID int64, ids []int64, read bool) error {
	return s.setState(ctx, userID, ids, "read", read)
}

// SetStarred stars or unstars the articles.
func (s *Store) SetStarred(ctx context.Context, userID int64, ids []int64, starred bool) error {
	return s.setState(ctx, userID, ids, "starred", starred)
}

// SetArticleLabel labels the articles, or takes the label off.
func (s *Store) SetArticleLabel(ctx context.Context, userID int64, ids []int64, label string, on bool) error {
	label = clean(label)
	if strings.TrimSpace(label) == "" {
		return fmt.Errorf("postgres: label articles: empty label: %w", store.ErrInvalid)
	}
	q := `DELETE FROM user_item_labels WHERE user_id = $1 AND label = $2 AND article_id = ANY($3)`
	if on {
		q = `INSERT INTO user_item_labels (user_id, label, article_id) SELECT $1::bigint, $2::text, id FROM articles WHERE id = ANY($3)
			ON CONFLICT DO NOTHING`
	}
	err := s.transact(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, q, userID, label, ids)
		if isForeignKeyViolation(err) {
			return fmt.Errorf("user %d: %w", userID, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: label %d articles %q for user %d: %w", len(ids), label, userID, err)
	}
	return nil
}

func itemTimeArg(t time.Time) any { return t.UTC() }

// MarkRead marks every article q matches read.
func (s *Store) MarkRead(ctx context.Context, q store.ItemQuery) (int, error) {
	q.Unread = true
	sel, args := store.ItemSQL(q, "CAST(? AS bigint), a.id, 1", false, itemTimeArg)
	var n int64
	err := s.transact(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, rebind(`INSERT INTO user_articles (user_id, article_id, read) `+sel+`
			ON CONFLICT (user_id, article_id) DO UPDATE SET read = 1`), append([]any{q.UserID}, args...)...)
		if isForeignKeyViolation(err) {
			return fmt.Errorf("user %d: %w", q.UserID, store.ErrNotFound)
		}
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: mark read for user %d: %w", q.UserID, err)
	}
	return int(n), nil
}

// ItemIDs returns the ids of the articles q matches.
func (s *Store) ItemIDs(ctx context.Context, q store.ItemQuery) ([]int64, error) {
	sel, args := store.ItemSQL(q, "a.id", true, itemTimeArg)
	db, done := s.db(ctx)
	defer done()
	out := []int64{}
	err := runQuery(ctx, db, rebind(sel), func(rows pgx.Rows) error {
		var id int64
		err := rows.Scan(&id)
		out = append(out, id)
		return err
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: items of user %d: %w", q.UserID, err)
	}
	return out, nil
}

// CountItems counts the articles q matches.
func (s *Store) CountItems(ctx context.Context, q store.ItemQuery) (int, time.Time, error) {
	sel, args := store.ItemSQL(q, "COUNT(*), MAX(a.sort_time)", false, itemTimeArg)
	db, done := s.db(ctx)
	defer done()
	var (
		n      int
		newest *time.Time
	)
	if err := db.QueryRow(ctx, rebind(sel), args...).Scan(&n, &newest); err != nil {
		return 0, time.Time{}, fmt.Errorf("postgres: count items of user %d: %w", q.UserID, err)
	}
	return n, timeVal(newest), nil
}

// ItemStates returns the user's state of the articles ids.
func (s *Store) ItemStates(ctx context.Context, userID int64, ids []int64) (map[int64]store.ItemState, error) {
	out := map[int64]store.ItemState{}
	if len(ids) == 0 {
		return out, nil
	}
	db, done := s.db(ctx)
	defer done()
	err := runQuery(ctx, db, `SELECT article_id, read, starred FROM user_articles WHERE user_id = $1 AND article_id = ANY($2)`, func(rows pgx.Rows) error {
		var (
			id            int64
			read, starred int
		)
		if err := rows.Scan(&id, &read, &starred); err != nil {
			return err
		}
		out[id] = store.ItemState{Read: read == 1, Starred: starred == 1}
		return nil
	}, userID, ids)
	if err == nil {
		err = runQuery(ctx, db, `SELECT article_id, label FROM user_item_labels WHERE user_id = $1 AND article_id = ANY($2) ORDER BY label COLLATE "C"`, func(rows pgx.Rows) error {
			var (
				id    int64
				label string
			)
			if err := rows.Scan(&id, &label); err != nil {
				return err
			}
			st := out[id]
			st.Labels = append(st.Labels, label)
			out[id] = st
			return nil
		}, userID, ids)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: item states of user %d: %w", userID, err)
	}
	return out, nil
}

// StarredArticleIDs returns every article some user starred.
func (s *Store) StarredArticleIDs(ctx context.Context) ([]int64, error) {
	db, done := s.db(ctx)
	defer done()
	out := []int64{}
	err := runQuery(ctx, db, `SELECT DISTINCT article_id FROM user_articles WHERE starred = 1 ORDER BY article_id`, func(rows pgx.Rows) error {
		var id int64
		err := rows.Scan(&id)
		out = append(out, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: starred articles: %w", err)
	}
	return out, nil
}
