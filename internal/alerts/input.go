package alerts

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/weburl"
)

// Input is an alert as a reader fills the portal's form or a client posts
// it to the API.
type Input struct {
	Query    string   `json:"query"`
	Sources  []int64  `json:"sources"`
	Entities []string `json:"entities"`
	Webhook  string   `json:"webhook"`
	Email    string   `json:"email"`
}

// FieldError is a mistake in one field of an Input: the caller's to fix.
type FieldError struct {
	Field string // query, sources, entities, webhook, email
	Why   string // follows the field's name: "query: is required"
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Why }

// NewAlert checks in before it is stored and returns the alert: the query
// must parse (se runs it once), sources must exist, the webhook must pass
// weburl.Check and the e-mail be an address. A mistake of the caller's is
// a *FieldError; any other error is the store's or the searcher's.
func NewAlert(ctx context.Context, st store.Sources, se search.Searcher, in Input) (model.Alert, error) {
	a := model.Alert{Query: strings.TrimSpace(in.Query)}
	if a.Query == "" {
		return a, &FieldError{"query", "is required"}
	}
	if utf8.RuneCountInString(a.Query) > 500 {
		return a, &FieldError{"query", "must be at most 500 characters"}
	}
	for _, id := range in.Sources {
		if _, err := st.GetSource(ctx, id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return a, &FieldError{"sources", fmt.Sprintf("no source with id %d", id)}
			}
			return a, fmt.Errorf("alerts: alert source %d: %w", id, err)
		}
		a.SourceIDs = append(a.SourceIDs, id)
	}
	for _, e := range in.Entities {
		if e = strings.TrimSpace(e); e == "" {
			return a, &FieldError{"entities", "must not hold empty names"}
		}
		a.Entities = append(a.Entities, e)
	}
	if in.Webhook != "" {
		u, err := weburl.Check(in.Webhook)
		if err != nil {
			return a, &FieldError{"webhook", weburl.Reason(err)}
		}
		a.Webhook = u
	}
	if in.Email != "" {
		addr, err := mail.ParseAddress(in.Email)
		if err != nil {
			return a, &FieldError{"email", "is not an email address: " + err.Error()}
		}
		a.Email = addr.Address
	}
	_, err := se.Search(ctx, search.Request{Query: a.Query, SourceIDs: a.SourceIDs, Limit: 1})
	if errors.Is(err, store.ErrInvalid) {
		return a, &FieldError{"query", err.Error()}
	}
	if err != nil {
		return a, fmt.Errorf("alerts: check alert query: %w", err)
	}
	return a, nil
}
