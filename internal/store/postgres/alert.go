package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

// AddAlert stores al and sets its ID; CreatedAt defaults to now.
func (s *Store) AddAlert(ctx context.Context, al *model.Alert) error {
	if al.CreatedAt.IsZero() {
		al.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	}
	id, err := s.insertAlert(ctx, *al, false)
	if err != nil {
		return fmt.Errorf("postgres: add alert %q: %w", al.Query, err)
	}
	al.ID = id
	return nil
}

// insertAlert inserts al, with its own ID when keepID is set (CopyFrom).
func (s *Store) insertAlert(ctx context.Context, al model.Alert, keepID bool) (int64, error) {
	q, done := s.db(ctx)
	defer done()
	var id any
	if keepID {
		id = al.ID
	}
	var out int64
	err := q.QueryRow(ctx, `INSERT INTO alerts (id, query, source_ids, entities, webhook, email, created_at)
		VALUES (COALESCE($1, nextval(pg_get_serial_sequence('alerts', 'id'))), $2, $3, $4, $5, $6, $7) RETURNING id`,
		id, clean(al.Query), int64s(al.SourceIDs), strs(cleanAll(al.Entities)), clean(al.Webhook), clean(al.Email), timeArg(al.CreatedAt)).Scan(&out)
	return out, err
}

const alertColumns = `id, query, source_ids, entities, webhook, email, created_at`

func scanAlert(r pgx.Row) (model.Alert, error) {
	var (
		al      model.Alert
		created *time.Time
	)
	if err := r.Scan(&al.ID, &al.Query, &al.SourceIDs, &al.Entities, &al.Webhook, &al.Email, &created); err != nil {
		return model.Alert{}, err
	}
	if len(al.SourceIDs) == 0 {
		al.SourceIDs = nil
	}
	if len(al.Entities) == 0 {
		al.Entities = nil
	}
	al.CreatedAt = timeVal(created)
	return al, nil
}

// GetAlert returns the alert with that id.
func (s *Store) GetAlert(ctx context.Context, id int64) (model.Alert, error) {
	q, done := s.db(ctx)
	defer done()
	al, err := scanAlert(q.QueryRow(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = $1`, id))
	if err != nil {
		return model.Alert{}, fmt.Errorf("postgres: get alert %d: %w", id, notFound(err))
	}
	return al, nil
}

// ListAlerts returns every alert by id.
func (s *Store) ListAlerts(ctx context.Context) ([]model.Alert, error) {
	q, done := s.db(ctx)
	defer done()
	var out []model.Alert
	err := runQuery(ctx, q, `SELECT `+alertColumns+` FROM alerts ORDER BY id`, func(rows pgx.Rows) error {
		al, err := scanAlert(rows)
		if err != nil {
			return err
		}
		out = append(out, al)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list alerts: %w", err)
	}
	return out, nil
}

// DeleteAlert removes the alert and its delivery records.
func (s *Store) DeleteAlert(ctx context.Context, id int64) error {
	q, done := s.db(ctx)
	defer done()
	tag, err := q.Exec(ctx, `DELETE FROM alerts WHERE id = $1`, id)
	if err == nil && tag.RowsAffected() == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: delete alert %d: %w", id, err)
	}
	return nil
}

// RecordDelivery marks articleID as delivered for alertID; first is false
// when it had been recorded before. Two processes recording the same pair
// at once: exactly one gets first. An unknown alert or article gives
// store.ErrNotFound.
func (s *Store) RecordDelivery(ctx context.Context, alertID, articleID int64) (bool, error) {
	q, done := s.db(ctx)
	defer done()
	tag, err := q.Exec(ctx, `INSERT INTO alert_deliveries (alert_id, article_id, delivered_at)
		VALUES ($1, $2, now()) ON CONFLICT (alert_id, article_id) DO NOTHING`, alertID, articleID)
	if err != nil {
		if isForeignKeyViolation(err) {
			err = store.ErrNotFound
		}
		return false, fmt.Errorf("postgres: record delivery of article %d for alert %d: %w", articleID, alertID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Delivered lists the articles recorded for the alert, newest first (by
// published, else fetched, time), at most limit (0 means 50).
func (s *Store) Delivered(ctx context.Context, alertID int64, limit int) ([]model.Article, error) {
	if limit <= 0 {
		limit = 50
	}
	q, done := s.db(ctx)
	defer done()
	var list []*model.Article
	err := runQuery(ctx, q, `SELECT `+articleColumns+` FROM alert_deliveries d
		JOIN articles a ON a.id = d.article_id WHERE d.alert_id = $1
		ORDER BY a.sort_time DESC, a.id DESC LIMIT $2`, func(rows pgx.Rows) error {
		a, err := scanArticle(rows)
		if err != nil {
			return err
		}
		list = append(list, a)
		return nil
	}, alertID, limit)
	if err == nil {
		err = fillDetails(ctx, q, list)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: delivered for alert %d: %w", alertID, err)
	}
	out := make([]model.Article, len(list))
	for i, a := range list {
		out[i] = *a
	}
	return out, nil
}

// GetSetting returns the value stored under key, or store.ErrNotFound.
func (s *Store) GetSetting(ctx context.Context, key string) (string, error) {
	q, done := s.db(ctx)
	defer done()
	var v string
	if err := q.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v); err != nil {
		return "", fmt.Errorf("postgres: get setting %q: %w", key, notFound(err))
	}
	return v, nil
}

// SetSetting stores value under key, replacing any earlier value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	q, done := s.db(ctx)
	defer done()
	if _, err := q.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("postgres: set setting %q: %w", key, err)
	}
	return nil
}

// ListSettings returns every setting (CopyFrom uses it through
// SettingsLister).
func (s *Store) ListSettings(ctx context.Context) (map[string]string, error) {
	q, done := s.db(ctx)
	defer done()
	out := map[string]string{}
	err := runQuery(ctx, q, `SELECT key, value FROM settings`, func(rows pgx.Rows) error {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		out[k] = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list settings: %w", err)
	}
	return out, nil
}
