package search

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"khabar/internal/model"
	"khabar/internal/store"
)

// Refresh computes the related reading of the stored article a and stores
// it, so that a's page shows it without searching; then it offers a to
// the stored related reading of each article it found, which a newer
// article may join (a later development of an older one). Ingest calls it
// after each save; a bulk import calls it for each article at its end.
func (s *Service) Refresh(ctx context.Context, a model.Article) error {
	links, err := s.Keep(ctx, a)
	if err != nil {
		return err
	}
	for _, l := range links {
		if err := s.Offer(ctx, l.ID, a); err != nil {
			return err
		}
	}
	return nil
}

// Keep computes the related reading of the stored article a and stores
// it; it returns what it stored.
func (s *Service) Keep(ctx context.Context, a model.Article) ([]store.RelatedLink, error) {
	links, err := s.Compute(ctx, a, RelatedLimit)
	if err != nil {
		return nil, err
	}
	if err := s.st.SaveRelated(ctx, a.ID, links); err != nil {
		return nil, fmt.Errorf("search: keep related of %d: %w", a.ID, err)
	}
	return links, nil
}

// Offer adds x to the stored related reading of article id when x
// qualifies for it (as Compute would judge), keeping the best RelatedLimit.
// An article whose related reading was never computed is left alone: its
// page computes it in full.
//
// Offer reads, then replaces the stored list: calls for one id must not
// run at once.
func (s *Service) Offer(ctx context.Context, id int64, x model.Article) error {
	links, ok, err := s.st.GetRelated(ctx, id)
	if err != nil {
		return fmt.Errorf("search: related of %d: %w", id, err)
	}
	if !ok {
		return nil
	}
	for _, l := range links {
		if l.ID == x.ID {
			return nil
		}
	}
	r, err := s.st.GetArticle(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("search: related of %d: %w", id, err)
	}
	if sameStory(r, x) || strings.TrimSpace(x.Title) == strings.TrimSpace(r.Title) {
		return nil
	}
	score, strong := s.shared(s.features(r), x)
	if score < 3 || !strong {
		return nil
	}
	cands := []candidate{{id: x.ID, published: x.Published, score: score}}
	for _, l := range links {
		b, err := s.st.GetArticle(ctx, l.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("search: related of %d: %w", id, err)
		}
		if strings.TrimSpace(b.Title) == strings.TrimSpace(x.Title) {
			return nil // x repeats a title already shown
		}
		cands = append(cands, candidate{id: b.ID, published: b.Published, score: int(l.Score)})
	}
	if err := s.st.SaveRelated(ctx, id, rank(r.Published, cands, RelatedLimit)); err != nil {
		return fmt.Errorf("search: related of %d: %w", id, err)
	}
	return nil
}
