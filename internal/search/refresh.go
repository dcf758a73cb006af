package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
	next, changed, err := s.offer(ctx, id, links, x)
	if err != nil || !changed {
		return err
	}
	if err := s.st.SaveRelated(ctx, id, next); err != nil {
		return fmt.Errorf("search: related of %d: %w", id, err)
	}
	return nil
}

// Offering is an article offered to the related reading of another (To).
type Offering struct {
	To      int64
	Article model.Article
}

// OfferAll makes the offers in order, as Offer does, and saves the lists
// they change in one write (store.Related.SaveRelatedLists). Calls must not
// run at once with each other or with Offer for the same ids.
func (s *Service) OfferAll(ctx context.Context, offers []Offering) error {
	lists := map[int64][]store.RelatedLink{}
	known := map[int64]bool{}
	var changed []int64
	for _, o := range offers {
		links, ok := lists[o.To]
		if !ok {
			if seen := known[o.To]; seen {
				continue // never computed: left alone
			}
			var err error
			links, ok, err = s.st.GetRelated(ctx, o.To)
			if err != nil {
				return fmt.Errorf("search: related of %d: %w", o.To, err)
			}
			known[o.To] = true
			if !ok {
				continue
			}
			lists[o.To] = links
		}
		next, ch, err := s.offer(ctx, o.To, links, o.Article)
		if err != nil {
			return err
		}
		if ch {
			if !slices.Contains(changed, o.To) {
				changed = append(changed, o.To)
			}
			lists[o.To] = next
		}
	}
	if len(changed) == 0 {
		return nil
	}
	out := make([]store.RelatedList, 0, len(changed))
	for _, id := range changed {
		out = append(out, store.RelatedList{ID: id, Links: lists[id]})
	}
	if err := s.st.SaveRelatedLists(ctx, out); err != nil {
		return fmt.Errorf("search: offered related reading: %w", err)
	}
	return nil
}

// offer returns the related reading of article id, now links, with x
// offered to it (Offer); changed is false when x does not qualify.
func (s *Service) offer(ctx context.Context, id int64, links []store.RelatedLink, x model.Article) (next []store.RelatedLink, changed bool, err error) {
	for _, l := range links {
		if l.ID == x.ID {
			return nil, false, nil
		}
	}
	r, err := s.st.GetArticle(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("search: related of %d: %w", id, err)
	}
	if sameStory(r, x) || strings.TrimSpace(x.Title) == strings.TrimSpace(r.Title) {
		return nil, false, nil
	}
	score, strong := s.shared(s.features(r), x)
	if score < 3 || !strong {
		return nil, false, nil
	}
	cands := []candidate{{id: x.ID, published: x.Published, score: score}}
	for _, l := range links {
		b, err := s.st.GetArticle(ctx, l.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, false, fmt.Errorf("search: related of %d: %w", id, err)
		}
		if strings.TrimSpace(b.Title) == strings.TrimSpace(x.Title) {
			return nil, false, nil // x repeats a title already shown
		}
		cands = append(cands, candidate{id: b.ID, published: b.Published, score: int(l.Score)})
	}
	return rank(r.Published, cands, RelatedLimit), true, nil
}
