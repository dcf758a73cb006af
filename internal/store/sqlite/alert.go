package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// AddAlert stores al and sets its ID; CreatedAt defaults to now.
func (s *Store) AddAlert(ctx context.Context, al *model.Alert) error {
	if al.CreatedAt.IsZero() {
		al.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	}
	srcs, err := jsonArg(al.SourceIDs, len(al.SourceIDs) == 0)
	if err != nil {
		return fmt.Errorf("sqlite: add alert: %w", err)
	}
	ents, err := jsonArg(al.Entities, len(al.Entities) == 0)
	if err != nil {
		return fmt.Errorf("sqlite: add alert: %w", err)
	}
	var id int64
	err = s.transact(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO alerts (query, source_ids, entities, webhook, email, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			al.Query, srcs, ents, al.Webhook, al.Email, timeArg(al.CreatedAt)).Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("sqlite: add alert %q: %w", al.Query, err)
	}
	al.ID = id
	return nil
}

const alertColumns = `id, query, source_ids, entities, webhook, email, created_at`

func scanAlert(r rowScanner) (model.Alert, error) {
	var (
		al         model.Alert
		srcs, ents sql.NullString
		created    sql.NullInt64
	)
	if err := r.Scan(&al.ID, &al.Query, &srcs, &ents, &al.Webhook, &al.Email, &created); err != nil {
		return model.Alert{}, err
	}
	if srcs.Valid && srcs.String != "" {
		if err := json.Unmarshal([]byte(srcs.String), &al.SourceIDs); err != nil {
			return model.Alert{}, fmt.Errorf("alert %d: source ids: %w", al.ID, err)
		}
	}
	if ents.Valid && ents.String != "" {
		if err := json.Unmarshal([]byte(ents.String), &al.Entities); err != nil {
			return model.Alert{}, fmt.Errorf("alert %d: entities: %w", al.ID, err)
		}
	}
	al.CreatedAt = timeVal(created)
	return al, nil
}

// GetAlert returns the alert with that id.
func (s *Store) GetAlert(ctx context.Context, id int64) (model.Alert, error) {
	al, err := scanAlert(s.r.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, id))
	if err != nil {
		return model.Alert{}, fmt.Errorf("sqlite: get alert %d: %w", id, notFound(err))
	}
	return al, nil
}

// ListAlerts returns every alert by id.
func (s *Store) ListAlerts(ctx context.Context) ([]model.Alert, error) {
	var out []model.Alert
	err := runQuery(ctx, s.r, `SELECT `+alertColumns+` FROM alerts ORDER BY id`, func(rows *sql.Rows) error {
		al, err := scanAlert(rows)
		if err != nil {
			return err
		}
		out = append(out, al)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list alerts: %w", err)
	}
	return out, nil
}

// DeleteAlert removes the alert and its delivery records.
func (s *Store) DeleteAlert(ctx context.Context, id int64) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM alerts WHERE id = ?`, id)
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
		return fmt.Errorf("sqlite: delete alert %d: %w", id, err)
	}
	return nil
}

// RecordDelivery marks articleID as delivered for alertID; first is false
// when it had been recorded before. An unknown alert or article gives
// store.ErrNotFound.
func (s *Store) RecordDelivery(ctx context.Context, alertID, articleID int64) (bool, error) {
	var first bool
	err := s.transact(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO alert_deliveries (alert_id, article_id, delivered_at)
			VALUES (?, ?, ?) ON CONFLICT (alert_id, article_id) DO NOTHING`,
			alertID, articleID, time.Now().UnixMicro())
		if err != nil {
			if isForeignKeyViolation(err) {
				return store.ErrNotFound
			}
			return err
		}
		n, err := res.RowsAffected()
		first = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: record delivery of article %d for alert %d: %w", articleID, alertID, err)
	}
	return first, nil
}

// Delivered lists the articles recorded for the alert, newest first (by
// published, else fetched, time), at most limit (0 means 50).
func (s *Store) Delivered(ctx context.Context, alertID int64, limit int) ([]model.Article, error) {
	if limit <= 0 {
		limit = 50
	}
	var list []*model.Article
	err := runQuery(ctx, s.r, `SELECT `+articleColumns+` FROM alert_deliveries d
		JOIN articles a ON a.id = d.article_id WHERE d.alert_id = ?
		ORDER BY a.sort_time DESC, a.id DESC LIMIT ?`, func(rows *sql.Rows) error {
		a, err := scanArticle(rows)
		if err != nil {
			return err
		}
		list = append(list, a)
		return nil
	}, alertID, limit)
	if err == nil {
		err = s.fillDetails(ctx, list)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: delivered for alert %d: %w", alertID, err)
	}
	out := make([]model.Article, len(list))
	for i, a := range list {
		out[i] = *a
	}
	return out, nil
}

// GetSetting returns the value stored under key, or store.ErrNotFound.
func (s *Store) GetSetting(ctx context.Context, key string) (string, error) {
	var v string
	if err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v); err != nil {
		return "", fmt.Errorf("sqlite: get setting %q: %w", key, notFound(err))
	}
	return v, nil
}

// SetSetting stores value under key, replacing any earlier value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: set setting %q: %w", key, err)
	}
	return nil
}
