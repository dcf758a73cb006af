package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// AddUser stores u and sets its ID; CreatedAt defaults to now.
func (s *Store) AddUser(ctx context.Context, u *model.User) error {
	if strings.TrimSpace(u.Name) == "" || u.PasswordHash == "" {
		return fmt.Errorf("sqlite: add user: empty name or password hash: %w", store.ErrInvalid)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	}
	var id int64
	err := s.transact(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO users (name, password_hash, fever_key, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			u.Name, u.PasswordHash, u.FeverKey, timeArg(u.CreatedAt)).Scan(&id)
	})
	if isUniqueViolation(err) {
		return fmt.Errorf("sqlite: add user %q: %w", u.Name, store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlite: add user %q: %w", u.Name, err)
	}
	u.ID = id
	return nil
}

const userColumns = `id, name, password_hash, fever_key, created_at`

func scanUser(r rowScanner) (model.User, error) {
	var (
		u       model.User
		created sql.NullInt64
	)
	if err := r.Scan(&u.ID, &u.Name, &u.PasswordHash, &u.FeverKey, &created); err != nil {
		return model.User{}, err
	}
	u.CreatedAt = timeVal(created)
	return u, nil
}

func (s *Store) getUser(ctx context.Context, what, where string, arg any) (model.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if err != nil {
		return model.User{}, fmt.Errorf("sqlite: get user %s: %w", what, notFound(err))
	}
	return u, nil
}

// GetUser returns the user with that id.
func (s *Store) GetUser(ctx context.Context, id int64) (model.User, error) {
	return s.getUser(ctx, fmt.Sprint(id), "id = ?", id)
}

// GetUserByName returns the user with that name.
func (s *Store) GetUserByName(ctx context.Context, name string) (model.User, error) {
	return s.getUser(ctx, fmt.Sprintf("%q", name), "name = ?", name)
}

// GetUserByFeverKey returns the user whose Fever key is key.
func (s *Store) GetUserByFeverKey(ctx context.Context, key string) (model.User, error) {
	if key == "" {
		return model.User{}, fmt.Errorf("sqlite: get user by fever key: empty key: %w", store.ErrNotFound)
	}
	return s.getUser(ctx, "by fever key", "fever_key = ?", key)
}

// ListUsers returns every user by name.
func (s *Store) ListUsers(ctx context.Context) ([]model.User, error) {
	var out []model.User
	err := runQuery(ctx, s.r, `SELECT `+userColumns+` FROM users ORDER BY name`, func(rows *sql.Rows) error {
		u, err := scanUser(rows)
		out = append(out, u)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list users: %w", err)
	}
	return out, nil
}

// execOne runs a statement that must change one row, else ErrNotFound.
func (s *Store) execOne(ctx context.Context, what, query string, args ...any) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return nil
}

// DeleteUser removes the user and its reading state.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.execOne(ctx, fmt.Sprintf("delete user %d", id), `DELETE FROM users WHERE id = ?`, id)
}

// SetPasswordHash replaces the user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	if hash == "" {
		return fmt.Errorf("sqlite: set password of user %d: empty hash: %w", id, store.ErrInvalid)
	}
	return s.execOne(ctx, fmt.Sprintf("set password of user %d", id), `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id)
}

// SetFeverKey replaces the user's Fever key.
func (s *Store) SetFeverKey(ctx context.Context, id int64, key string) error {
	return s.execOne(ctx, fmt.Sprintf("set fever key of user %d", id), `UPDATE users SET fever_key = ? WHERE id = ?`, key, id)
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
		t := store.NormalizeTag(f.Term)
		if t == "" {
			return "", 0, "", fmt.Errorf("follow a tag: empty tag: %w", store.ErrInvalid)
		}
		return f.Kind, 0, t, nil
	case model.FollowName:
		if strings.TrimSpace(f.Term) == "" {
			return "", 0, "", fmt.Errorf("follow a name: empty name: %w", store.ErrInvalid)
		}
		return f.Kind, 0, f.Term, nil
	}
	return "", 0, "", fmt.Errorf("follow: unknown kind %q: %w", f.Kind, store.ErrInvalid)
}

// Follow adds f to the user's follows, or relabels it.
func (s *Store) Follow(ctx context.Context, userID int64, f model.Follow) error {
	kind, src, term, err := followKey(f)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if (kind == model.FollowTag || kind == model.FollowName) && f.Label == "" {
		f.Label = term
	}
	err = s.transact(ctx, func(tx *sql.Tx) error {
		if kind == model.FollowSource {
			var ok bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sources WHERE id = ?)`, src).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("source %d: %w", src, store.ErrNotFound)
			}
		}
		if kind == model.FollowSearch {
			var query string
			if err := tx.QueryRowContext(ctx, `SELECT query FROM alerts WHERE id = ?`, src).Scan(&query); err != nil {
				return fmt.Errorf("alert %d: %w", src, notFound(err))
			}
			if f.Label == "" {
				f.Label = query
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO user_follows (user_id, kind, source_id, term, label, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (user_id, kind, source_id, term) DO UPDATE SET label = excluded.label`,
			userID, kind, src, term, f.Label, time.Now().UnixMicro())
		if isForeignKeyViolation(err) {
			return fmt.Errorf("user %d: %w", userID, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: user %d follows %s %d%s: %w", userID, kind, src, term, err)
	}
	return nil
}

// Unfollow removes a follow.
func (s *Store) Unfollow(ctx context.Context, userID int64, f model.Follow) error {
	kind, src, term, err := followKey(f)
	if err != nil {
		return fmt.Errorf("sqlite: un%w", err)
	}
	return s.execOne(ctx, fmt.Sprintf("user %d unfollows %s %d%s", userID, kind, src, term),
		`DELETE FROM user_follows WHERE user_id = ? AND kind = ? AND source_id = ? AND term = ?`, userID, kind, src, term)
}

// ListFollows returns the user's follows.
func (s *Store) ListFollows(ctx context.Context, userID int64) ([]model.Follow, error) {
	var out []model.Follow
	err := runQuery(ctx, s.r, `SELECT f.kind, f.source_id, f.term, f.label, f.created_at, COALESCE(NULLIF(s.title, ''), s.url, al.query, f.term)
		FROM user_follows f LEFT JOIN sources s ON f.kind = 'source' AND s.id = f.source_id
		LEFT JOIN alerts al ON f.kind = 'search' AND al.id = f.source_id
		WHERE f.user_id = ? AND (f.kind <> 'source' OR s.id IS NOT NULL) AND (f.kind <> 'search' OR al.id IS NOT NULL)
		ORDER BY f.kind <> 'source', f.source_id, f.term, f.kind`, func(rows *sql.Rows) error {
		var (
			f       model.Follow
			created sql.NullInt64
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
		return nil, fmt.Errorf("sqlite: list follows of user %d: %w", userID, err)
	}
	return out, nil
}

// RenameLabel renames a label of the user.
func (s *Store) RenameLabel(ctx context.Context, userID int64, from, to string) error {
	if strings.TrimSpace(to) == "" || from == "" {
		return fmt.Errorf("sqlite: rename label %q to %q: empty label: %w", from, to, store.ErrInvalid)
	}
	err := s.transact(ctx, func(tx *sql.Tx) error {
		n, err := changed(tx.ExecContext(ctx, `UPDATE user_follows SET label = ? WHERE user_id = ? AND label = ?`, to, userID, from))
		if err != nil {
			return err
		}
		// An article labelled both keeps one.
		m, err := changed(tx.ExecContext(ctx, `UPDATE OR IGNORE user_item_labels SET label = ? WHERE user_id = ? AND label = ?`, to, userID, from))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_item_labels WHERE user_id = ? AND label = ?`, userID, from); err != nil {
			return err
		}
		if n+m == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: rename label %q of user %d: %w", from, userID, err)
	}
	return nil
}

func changed(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteLabel removes a label of the user.
func (s *Store) DeleteLabel(ctx context.Context, userID int64, label string) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		a, err := changed(tx.ExecContext(ctx, `UPDATE user_follows SET label = '' WHERE user_id = ? AND label = ? AND kind = 'source'`, userID, label))
		if err != nil {
			return err
		}
		b, err := changed(tx.ExecContext(ctx, `DELETE FROM user_follows WHERE user_id = ? AND label = ? AND kind <> 'source'`, userID, label))
		if err != nil {
			return err
		}
		c, err := changed(tx.ExecContext(ctx, `DELETE FROM user_item_labels WHERE user_id = ? AND label = ?`, userID, label))
		if err != nil {
			return err
		}
		if a+b+c == 0 || label == "" {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete label %q of user %d: %w", label, userID, err)
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
	err := s.transact(ctx, func(tx *sql.Tx) error {
		// col is one of two names this file passes, never client text.
		st, err := tx.PrepareContext(ctx, `INSERT INTO user_articles (user_id, article_id, `+col+`)
			SELECT ?, id, ? FROM articles WHERE id = ?
			ON CONFLICT (user_id, article_id) DO UPDATE SET `+col+` = excluded.`+col)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, userID, v, id); err != nil {
				if isForeignKeyViolation(err) {
					return fmt.Errorf("user %d: %w", userID, store.ErrNotFound)
				}
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: set %s of %d articles for user %d: %w", col, len(ids), userID, err)
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
	if strings.TrimSpace(label) == "" {
		return fmt.Errorf("sqlite: label articles: empty label: %w", store.ErrInvalid)
	}
	err := s.transact(ctx, func(tx *sql.Tx) error {
		q := `DELETE FROM user_item_labels WHERE user_id = ? AND label = ? AND article_id = ?`
		if on {
			q = `INSERT OR IGNORE INTO user_item_labels (user_id, label, article_id) SELECT ?, ?, id FROM articles WHERE id = ?`
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, q, userID, label, id); err != nil {
				if isForeignKeyViolation(err) {
					return fmt.Errorf("user %d: %w", userID, store.ErrNotFound)
				}
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: label %d articles %q for user %d: %w", len(ids), label, userID, err)
	}
	return nil
}

func itemTimeArg(t time.Time) any { return t.UnixMicro() }

// MarkRead marks every article q matches read.
func (s *Store) MarkRead(ctx context.Context, q store.ItemQuery) (int, error) {
	q.Unread = true
	sel, args := store.ItemSQL(q, "?, a.id, 1", false, itemTimeArg)
	var n int64
	err := s.transact(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = changed(tx.ExecContext(ctx, `INSERT INTO user_articles (user_id, article_id, read) `+sel+`
			ON CONFLICT (user_id, article_id) DO UPDATE SET read = 1`, append([]any{q.UserID}, args...)...))
		if isForeignKeyViolation(err) {
			return fmt.Errorf("user %d: %w", q.UserID, store.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: mark read for user %d: %w", q.UserID, err)
	}
	return int(n), nil
}

// ItemIDs returns the ids of the articles q matches.
func (s *Store) ItemIDs(ctx context.Context, q store.ItemQuery) ([]int64, error) {
	sel, args := store.ItemSQL(q, "a.id", true, itemTimeArg)
	out := []int64{}
	err := runQuery(ctx, s.r, sel, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		out = append(out, id)
		return err
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: items of user %d: %w", q.UserID, err)
	}
	return out, nil
}

// CountItems counts the articles q matches.
func (s *Store) CountItems(ctx context.Context, q store.ItemQuery) (int, time.Time, error) {
	sel, args := store.ItemSQL(q, "COUNT(*), MAX(a.sort_time)", false, itemTimeArg)
	var (
		n      int
		newest sql.NullInt64
	)
	if err := s.r.QueryRowContext(ctx, sel, args...).Scan(&n, &newest); err != nil {
		return 0, time.Time{}, fmt.Errorf("sqlite: count items of user %d: %w", q.UserID, err)
	}
	return n, timeVal(newest), nil
}

// ItemStates returns the user's state of the articles ids.
func (s *Store) ItemStates(ctx context.Context, userID int64, ids []int64) (map[int64]store.ItemState, error) {
	out := map[int64]store.ItemState{}
	if len(ids) == 0 {
		return out, nil
	}
	list := idList(ids)
	err := runQuery(ctx, s.r, `SELECT article_id, read, starred FROM user_articles WHERE user_id = ? AND article_id IN (`+list+`)`, func(rows *sql.Rows) error {
		var (
			id            int64
			read, starred int
		)
		if err := rows.Scan(&id, &read, &starred); err != nil {
			return err
		}
		out[id] = store.ItemState{Read: read == 1, Starred: starred == 1}
		return nil
	}, userID)
	if err == nil {
		err = runQuery(ctx, s.r, `SELECT article_id, label FROM user_item_labels WHERE user_id = ? AND article_id IN (`+list+`) ORDER BY label`, func(rows *sql.Rows) error {
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
		}, userID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: item states of user %d: %w", userID, err)
	}
	return out, nil
}

// idList writes ids (integers khabar holds) as a SQL list.
func idList(ids []int64) string {
	ids = slices.Clone(ids)
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, id)
	}
	return b.String()
}

// StarredArticleIDs returns every article some user starred.
func (s *Store) StarredArticleIDs(ctx context.Context) ([]int64, error) {
	out := []int64{}
	err := runQuery(ctx, s.r, `SELECT DISTINCT article_id FROM user_articles WHERE starred = 1 ORDER BY article_id`, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		out = append(out, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: starred articles: %w", err)
	}
	return out, nil
}
