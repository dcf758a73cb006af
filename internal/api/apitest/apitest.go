// Package apitest provides in-memory test doubles for the portal's and the
// API's dependencies: a store.Store kept in maps and a Searcher doing plain
// substring matching. They are for tests of web and api only; they keep
// the store contract loosely (no analysis, exact tag matching).
package apitest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
	"sync"
	"time"

	"khabar/internal/model"
	"khabar/internal/plaintext"
	"khabar/internal/search"
	"khabar/internal/store"
)

// Store is an in-memory store.Store. The zero value is not usable; call NewStore.
type Store struct {
	NoUsers
	mu        sync.Mutex
	sources   map[int64]*model.Source
	articles  map[int64]*model.Article
	alerts    map[int64]*model.Alert
	delivered map[[2]int64]bool
	settings  map[string]string
	related   map[int64][]store.RelatedLink
	nextID    int64
	nextStory int64
	outlets   map[string]model.Outlet
	storyRev  map[int64]int64 // raised by every save touching the story
	details   map[int64]storyDetails
	leases    map[string]hostLease
	rounds    map[string][2]time.Time // owner → round start, lease end
}

type hostLease struct {
	owner string
	until time.Time
}

// storyDetails are a story's stored details and the revision they were computed at.
type storyDetails struct {
	rev int64
	d   model.StoryDetails
}

var _ store.Store = (*Store)(nil)

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{sources: map[int64]*model.Source{}, articles: map[int64]*model.Article{},
		alerts: map[int64]*model.Alert{}, delivered: map[[2]int64]bool{}, settings: map[string]string{},
		outlets: map[string]model.Outlet{}, storyRev: map[int64]int64{}, details: map[int64]storyDetails{},
		related: map[int64][]store.RelatedLink{}, leases: map[string]hostLease{}, rounds: map[string][2]time.Time{}}
}

func (s *Store) id() int64 { s.nextID++; return s.nextID }

// AddSource implements store.Sources.
func (s *Store) AddSource(_ context.Context, src *model.Source) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.sources {
		if x.URL == src.URL {
			return fmt.Errorf("apitest: source %s: %w", src.URL, store.ErrConflict)
		}
	}
	src.ID = s.id()
	c := *src
	s.sources[src.ID] = &c
	return nil
}

// GetSource implements store.Sources.
func (s *Store) GetSource(_ context.Context, id int64) (model.Source, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	src, ok := s.sources[id]
	if !ok {
		return model.Source{}, fmt.Errorf("apitest: source %d: %w", id, store.ErrNotFound)
	}
	out := *src
	out.Articles = s.countLocked(func(a *model.Article) bool { return a.SourceID == id })
	if o, ok := s.outlets[out.Outlet.Key]; ok {
		out.Outlet = o
	}
	return out, nil
}

func (s *Store) countLocked(f func(*model.Article) bool) int {
	n := 0
	for _, a := range s.articles {
		if f(a) {
			n++
		}
	}
	return n
}

// GetSourceByURL implements store.Sources.
func (s *Store) GetSourceByURL(ctx context.Context, u string) (model.Source, error) {
	s.mu.Lock()
	var id int64
	for _, x := range s.sources {
		if x.URL == u {
			id = x.ID
		}
	}
	s.mu.Unlock()
	if id == 0 {
		return model.Source{}, fmt.Errorf("apitest: source %s: %w", u, store.ErrNotFound)
	}
	return s.GetSource(ctx, id)
}

// ListSources implements store.Sources.
func (s *Store) ListSources(ctx context.Context) ([]model.Source, error) {
	s.mu.Lock()
	ids := make([]int64, 0, len(s.sources))
	for id := range s.sources {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	slices.Sort(ids)
	out := make([]model.Source, 0, len(ids))
	for _, id := range ids {
		src, err := s.GetSource(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, nil
}

// DeleteSource implements store.Sources.
func (s *Store) DeleteSource(_ context.Context, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sources[id]; !ok {
		return fmt.Errorf("apitest: source %d: %w", id, store.ErrNotFound)
	}
	delete(s.sources, id)
	return nil
}

// ClaimDueSources implements store.Sources.
func (s *Store) ClaimDueSources(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Source, error) {
	return s.claim(now, lease, limit, false)
}

// ClaimSources implements store.Sources.
func (s *Store) ClaimSources(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Source, error) {
	return s.claim(now, lease, limit, true)
}

func (s *Store) claim(now time.Time, lease time.Duration, limit int, healthy bool) ([]model.Source, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []model.Source
	for _, x := range s.sources {
		if len(out) < limit && (!x.NextFetch.After(now) || healthy && x.ErrorCount == 0 && x.NextFetch.After(now.Add(lease))) {
			x.NextFetch = now.Add(lease)
			out = append(out, *x)
		}
	}
	return out, nil
}

// ClaimHosts implements store.Sources.
func (s *Store) ClaimHosts(_ context.Context, req store.HostClaimRequest) ([]store.HostClaim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.sources))
	for id := range s.sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []store.HostClaim
	at := map[string]int{}
	for _, id := range ids {
		x := s.sources[id]
		h := store.SourceHost(x.URL)
		if l, ok := s.leases[h]; ok && l.until.After(req.Now) || !store.SourceIsDue(*x, req) {
			continue
		}
		i, ok := at[h]
		if !ok {
			if len(out) >= req.MaxHosts {
				continue
			}
			i = len(out)
			at[h] = i
			out = append(out, store.HostClaim{Host: h})
			s.leases[h] = hostLease{req.Owner, req.Now.Add(req.Lease)}
		}
		x.NextFetch = req.Now.Add(req.Lease)
		out[i].Sources = append(out[i].Sources, *x)
	}
	return out, nil
}

// RenewHosts implements store.Sources.
func (s *Store) RenewHosts(_ context.Context, owner string, hosts []string, until time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range hosts {
		if l, ok := s.leases[h]; ok && l.owner == owner {
			s.leases[h] = hostLease{owner, until}
		}
	}
	return nil
}

// ReleaseHost implements store.Sources.
func (s *Store) ReleaseHost(_ context.Context, owner, host string, freeAt time.Time) error {
	return s.RenewHosts(context.Background(), owner, []string{host}, freeAt)
}

// JoinRound implements store.Sources.
func (s *Store) JoinRound(_ context.Context, owner string, now, until time.Time) (time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := now
	for o, r := range s.rounds {
		if !r[1].After(now) {
			delete(s.rounds, o)
		} else if r[0].Before(start) {
			start = r[0]
		}
	}
	s.rounds[owner] = [2]time.Time{start, until}
	return start, nil
}

// LeaveRound implements store.Sources.
func (s *Store) LeaveRound(_ context.Context, owner string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.rounds, owner)
	return nil
}

// SaveFetchState implements store.Sources.
func (s *Store) SaveFetchState(_ context.Context, src model.Source) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.sources[src.ID]
	if !ok {
		return fmt.Errorf("apitest: source %d: %w", src.ID, store.ErrNotFound)
	}
	x.ETag, x.LastModified, x.LastFetched, x.LastError = src.ETag, src.LastModified, src.LastFetched, src.LastError
	x.NextFetch, x.ErrorCount, x.Interval = src.NextFetch, src.ErrorCount, src.Interval
	if src.Title != "" {
		x.Title = src.Title
	}
	return nil
}

// SaveArticle implements store.Articles; idx is ignored.
func (s *Store) SaveArticle(_ context.Context, a *model.Article, _ store.IndexData) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveLocked(a), nil
}

// SaveArticles implements store.Articles. Saving in memory cannot fail
// half way, so checking the batch first makes it all or nothing.
func (s *Store) SaveArticles(_ context.Context, as []*model.Article, idx []store.IndexData) ([]bool, error) {
	if len(as) != len(idx) {
		return nil, fmt.Errorf("apitest: %d articles with %d index data: %w", len(as), len(idx), store.ErrInvalid)
	}
	for i, a := range as {
		if a == nil || a.URL == "" {
			return nil, fmt.Errorf("apitest: article %d of the batch has no URL: %w", i, store.ErrInvalid)
		}
	}
	if err := store.CheckBatchRefs(as); err != nil {
		return nil, fmt.Errorf("apitest: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	created := make([]bool, len(as))
	for i, a := range as {
		if err := store.ResolveBatchRefs(as, i); err != nil {
			return nil, fmt.Errorf("apitest: %w", err)
		}
		created[i] = s.saveLocked(a)
	}
	return created, nil
}

func (s *Store) saveLocked(a *model.Article) bool {
	created := true
	for _, x := range s.articles {
		if x.URL == a.URL {
			a.ID, created = x.ID, false
		}
	}
	if created {
		a.ID = s.id()
	}
	if old, ok := s.articles[a.ID]; ok && old.StoryID != a.StoryID && a.StoryID != 0 {
		s.storyRev[old.StoryID]++
	}
	if a.StoryID == 0 {
		s.nextStory++
		a.StoryID = s.nextStory
	}
	if a.Outlet == "" {
		a.Outlet = a.SourceName
	}
	s.storyRev[a.StoryID]++
	c := *a
	s.articles[a.ID] = &c
	return created
}

// withOutlet returns a with its outlet's display name.
func (s *Store) withOutlet(a model.Article) model.Article {
	if o, ok := s.outlets[a.Outlet]; ok {
		a.OutletName = o.Name()
	}
	return a
}

// GetArticle implements store.Articles.
func (s *Store) GetArticle(_ context.Context, id int64) (model.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.articles[id]
	if !ok {
		return model.Article{}, fmt.Errorf("apitest: article %d: %w", id, store.ErrNotFound)
	}
	return s.withOutlet(*a), nil
}

// GetArticleByURL implements store.Articles.
func (s *Store) GetArticleByURL(_ context.Context, u string) (model.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.articles {
		if a.URL == u {
			return s.withOutlet(*a), nil
		}
	}
	return model.Article{}, fmt.Errorf("apitest: article %s: %w", u, store.ErrNotFound)
}

// HasArticle implements store.Articles.
func (s *Store) HasArticle(ctx context.Context, u string) (bool, error) {
	_, err := s.GetArticleByURL(ctx, u)
	return err == nil, nil
}

func when(a *model.Article) time.Time {
	if a.Published.IsZero() {
		return a.Fetched
	}
	return a.Published
}

// sortedLocked returns the articles matching f, newest first.
func (s *Store) sortedLocked(f func(*model.Article) bool) []model.Article {
	var out []model.Article
	for _, a := range s.articles {
		if f(a) {
			out = append(out, s.withOutlet(*a))
		}
	}
	slices.SortFunc(out, func(x, y model.Article) int {
		if c := when(&y).Compare(when(&x)); c != 0 {
			return c
		}
		return cmp.Compare(y.ID, x.ID)
	})
	return out
}

// ListArticles implements store.Articles.
func (s *Store) ListArticles(_ context.Context, f store.ArticleFilter) ([]model.Article, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.sortedLocked(func(a *model.Article) bool {
		switch {
		case f.SourceID != 0 && a.SourceID != f.SourceID,
			f.StoryID != 0 && a.StoryID != f.StoryID,
			!f.Since.IsZero() && when(a).Before(f.Since),
			!f.Until.IsZero() && !when(a).Before(f.Until):
			return false
		case f.Tag != "" && !slices.ContainsFunc(a.Keywords, func(k string) bool { return strings.EqualFold(k, f.Tag) }):
			return false
		case f.Entity != "" && !slices.ContainsFunc(a.Entities, func(e model.Entity) bool { return e.Name == f.Entity }):
			return false
		}
		return true
	})
	return page(all, f.Limit, 50, f.Offset), len(all), nil
}

func page[T any](all []T, limit, def, offset int) []T {
	if limit == 0 {
		limit = def
	}
	if offset >= len(all) {
		return nil
	}
	return all[offset:min(len(all), offset+limit)]
}

// EachArticle implements store.Articles.
func (s *Store) EachArticle(ctx context.Context, fn func(*model.Article) error) error {
	s.mu.Lock()
	all := s.sortedLocked(func(*model.Article) bool { return true })
	s.mu.Unlock()
	slices.SortFunc(all, func(x, y model.Article) int { return cmp.Compare(x.ID, y.ID) })
	for i := range all {
		if err := fn(&all[i]); err != nil {
			return err
		}
	}
	return nil
}

// CountArticles implements store.Articles.
func (s *Store) CountArticles(context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.articles), nil
}

func (s *Store) ref(a model.Article) model.ArticleRef {
	a = s.withOutlet(a)
	return model.ArticleRef{ID: a.ID, URL: a.URL, Title: a.Title, Source: a.DisplaySource(), Published: a.Published, Outlet: a.Outlet}
}

func (s *Store) storyLocked(id int64, maxMembers int) (model.Story, bool) {
	ms := s.sortedLocked(func(a *model.Article) bool { return a.StoryID == id })
	if len(ms) == 0 {
		return model.Story{}, false
	}
	slices.Reverse(ms) // earliest first
	st := model.Story{ID: id, Title: ms[0].Title, FirstSeen: when(&ms[0]), LastSeen: when(&ms[len(ms)-1]), Articles: len(ms)}
	outlets := map[string]bool{}
	for i, m := range ms {
		outlets[m.Outlet] = true
		if maxMembers == 0 || i < maxMembers {
			st.Members = append(st.Members, s.ref(m))
		}
	}
	st.Outlets = len(outlets)
	st.Rev = s.storyRev[id]
	if d, ok := s.details[id]; ok {
		st.DetailsRev = d.rev
		dc := d.d
		st.Details = &dc
	}
	return st, true
}

// GetStory implements store.Stories.
func (s *Store) GetStory(_ context.Context, id int64) (model.Story, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.storyLocked(id, 0)
	if !ok {
		return model.Story{}, fmt.Errorf("apitest: story %d: %w", id, store.ErrNotFound)
	}
	return st, nil
}

// ListStories implements store.Stories.
func (s *Store) ListStories(_ context.Context, f store.StoryFilter) ([]model.Story, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := map[int64]bool{}
	for _, a := range s.articles {
		ids[a.StoryID] = true
	}
	var all []model.Story
	for id := range ids {
		st, _ := s.storyLocked(id, 10)
		if (f.Since.IsZero() || !st.LastSeen.Before(f.Since)) && (!f.OneSided || st.Details != nil && st.Details.OneSided) {
			all = append(all, st)
		}
	}
	slices.SortFunc(all, func(x, y model.Story) int {
		if c := y.LastSeen.Compare(x.LastSeen); c != 0 {
			return c
		}
		return cmp.Compare(y.ID, x.ID)
	})
	return page(all, f.Limit, 20, f.Offset), len(all), nil
}

// StaleStories implements store.StoryDetails.
func (s *Store) StaleStories(_ context.Context, limit int) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for id, rev := range s.storyRev {
		if s.details[id].rev < rev && s.countLocked(func(a *model.Article) bool { return a.StoryID == id }) > 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}

// SaveStoryDetails implements store.StoryDetails.
func (s *Store) SaveStoryDetails(_ context.Context, ups []store.StoryDetailsUpdate) ([]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	saved := make([]bool, len(ups))
	for i, u := range ups {
		if s.storyRev[u.ID] != u.Rev {
			continue
		}
		s.details[u.ID] = storyDetails{rev: u.Rev, d: u.Details}
		saved[i] = true
	}
	return saved, nil
}

// ActiveOutlets implements store.StoryDetails.
func (s *Store) ActiveOutlets(_ context.Context, since, until time.Time) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, a := range s.articles {
		if t := when(a); !t.Before(since) && t.Before(until) && !seen[a.Outlet] {
			seen[a.Outlet] = true
			out = append(out, a.Outlet)
		}
	}
	return out, nil
}

// SaveOutlet implements store.Outlets.
func (s *Store) SaveOutlet(_ context.Context, o model.Outlet) error {
	if o.Key == "" {
		return fmt.Errorf("apitest: outlet without key: %w", store.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outlets[o.Key] = o
	s.touchOutletLocked(o.Key)
	return nil
}

func (s *Store) touchOutletLocked(key string) {
	for _, a := range s.articles {
		if a.Outlet == key {
			s.storyRev[a.StoryID]++
		}
	}
}

// AddOutlets implements store.Outlets.
func (s *Store) AddOutlets(_ context.Context, os []model.Outlet) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range os {
		if _, ok := s.outlets[o.Key]; !ok {
			s.outlets[o.Key] = o
			s.touchOutletLocked(o.Key)
		}
	}
	return nil
}

// GetOutlet implements store.Outlets.
func (s *Store) GetOutlet(_ context.Context, key string) (model.Outlet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.outlets[key]
	if !ok {
		return model.Outlet{}, fmt.Errorf("apitest: outlet %q: %w", key, store.ErrNotFound)
	}
	return o, nil
}

// ListOutlets implements store.Outlets.
func (s *Store) ListOutlets(context.Context) ([]model.Outlet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []model.Outlet
	for _, o := range s.outlets {
		out = append(out, o)
	}
	slices.SortFunc(out, func(x, y model.Outlet) int { return cmp.Compare(x.Key, y.Key) })
	return out, nil
}

// SetSourceOutlet implements store.Outlets.
func (s *Store) SetSourceOutlet(_ context.Context, sourceID int64, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	src, ok := s.sources[sourceID]
	if !ok {
		return fmt.Errorf("apitest: source %d: %w", sourceID, store.ErrNotFound)
	}
	src.Outlet = model.Outlet{Key: key}
	for _, a := range s.articles {
		if a.SourceID == sourceID {
			a.Outlet = key
			s.storyRev[a.StoryID]++
		}
	}
	return nil
}

// Candidates implements store.Stories; the fake keeps no bands.
func (s *Store) Candidates(context.Context, []uint64, time.Time, int) ([]store.Candidate, error) {
	return nil, nil
}

// ByContentHash implements store.Stories.
func (s *Store) ByContentHash(_ context.Context, hash string) (model.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best *model.Article
	for _, a := range s.articles {
		if a.ContentHash == hash && (best == nil || a.ID < best.ID) {
			best = a
		}
	}
	if best == nil {
		return model.Article{}, fmt.Errorf("apitest: hash %s: %w", hash, store.ErrNotFound)
	}
	return *best, nil
}

// DocFreq implements store.Tags over keywords.
func (s *Store) DocFreq(_ context.Context, phrases []string) (map[string]int, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	df := map[string]int{}
	for _, p := range phrases {
		df[p] = s.countLocked(func(a *model.Article) bool { return slices.Contains(a.Keywords, p) })
	}
	return df, len(s.articles), nil
}

// GetEntity implements store.Tags.
func (s *Store) GetEntity(_ context.Context, name string) (store.EntityInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := store.EntityInfo{Name: name}
	aliases, related := map[string]int{}, map[[2]string]int{}
	for _, a := range s.articles {
		i := slices.IndexFunc(a.Entities, func(e model.Entity) bool { return e.Name == name })
		if i < 0 {
			continue
		}
		info.Articles++
		info.Type = a.Entities[i].Type
		for _, m := range a.Entities[i].Mentions {
			aliases[m]++
		}
		for _, e := range a.Entities {
			if e.Name != name {
				related[[2]string{e.Name, e.Type}]++
			}
		}
	}
	if info.Articles == 0 {
		return info, fmt.Errorf("apitest: entity %q: %w", name, store.ErrNotFound)
	}
	for m := range aliases {
		info.Aliases = append(info.Aliases, m)
	}
	slices.SortFunc(info.Aliases, func(x, y string) int { return cmp.Or(cmp.Compare(aliases[y], aliases[x]), cmp.Compare(x, y)) })
	for k, n := range related {
		info.Related = append(info.Related, store.TermCount{Term: k[0], Type: k[1], Count: n})
	}
	sortTerms(info.Related)
	return info, nil
}

func sortTerms(ts []store.TermCount) {
	slices.SortFunc(ts, func(x, y store.TermCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Term, y.Term))
	})
}

func (s *Store) top(since, until time.Time, limit int, terms func(*model.Article) []store.TermCount) []store.TermCount {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := map[[2]string]int{}
	for _, a := range s.articles {
		if t := when(a); t.Before(since) || !t.Before(until) {
			continue
		}
		for _, t := range terms(a) {
			counts[[2]string{t.Term, t.Type}]++
		}
	}
	var out []store.TermCount
	for k, n := range counts {
		out = append(out, store.TermCount{Term: k[0], Type: k[1], Count: n})
	}
	sortTerms(out)
	return out[:min(len(out), limit)]
}

// TopTags implements store.Tags.
func (s *Store) TopTags(_ context.Context, since, until time.Time, limit int) ([]store.TermCount, error) {
	return s.top(since, until, limit, func(a *model.Article) (ts []store.TermCount) {
		for _, k := range a.Keywords {
			ts = append(ts, store.TermCount{Term: k})
		}
		return ts
	}), nil
}

// TopEntities implements store.Tags.
func (s *Store) TopEntities(_ context.Context, since, until time.Time, limit int) ([]store.TermCount, error) {
	return s.top(since, until, limit, func(a *model.Article) (ts []store.TermCount) {
		for _, e := range a.Entities {
			ts = append(ts, store.TermCount{Term: e.Name, Type: e.Type})
		}
		return ts
	}), nil
}

// CommonTerms implements store.Tags (keywords matched exactly).
func (s *Store) CommonTerms(_ context.Context, since, until time.Time, share float64, minArticles int) ([]string, []string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	type key struct{ outlet, term string }
	total := map[string]int{}
	tags, ents := map[key]int{}, map[key]int{}
	for _, a := range s.articles {
		if t := when(a); t.Before(since) || !until.IsZero() && !t.Before(until) {
			continue
		}
		o := a.SourceName
		total[o]++
		seen := map[string]bool{}
		for _, k := range a.Keywords {
			if !seen["k"+k] {
				seen["k"+k] = true
				tags[key{o, k}]++
			}
		}
		for _, e := range a.Entities {
			if !seen["e"+e.Name] {
				seen["e"+e.Name] = true
				ents[key{o, e.Name}]++
			}
		}
	}
	pick := func(m map[key]int) []string {
		set := map[string]bool{}
		for k, n := range m {
			if t := total[k.outlet]; t >= max(minArticles, 1) && float64(n) >= share*float64(t) {
				set[k.term] = true
			}
		}
		out := []string{}
		for t := range set {
			out = append(out, t)
		}
		slices.Sort(out)
		return out
	}
	return pick(tags), pick(ents), nil
}

// ObserveNames implements store.Tags; the fake learns nothing.
func (s *Store) ObserveNames(context.Context, []model.Entity) error { return nil }

// LearnedNames implements store.Tags.
func (s *Store) LearnedNames(context.Context, int) ([]model.Entity, error) { return nil, nil }

// SearchText implements store.Searcher; the fake has no analysed index.
func (s *Store) SearchText(context.Context, store.TextQuery) ([]store.Hit, int, error) {
	return nil, 0, fmt.Errorf("apitest: SearchText: %w", store.ErrInvalid)
}

// AddAlert implements store.Alerts.
func (s *Store) AddAlert(_ context.Context, a *model.Alert) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.ID = s.id()
	c := *a
	s.alerts[a.ID] = &c
	return nil
}

// GetAlert implements store.Alerts.
func (s *Store) GetAlert(_ context.Context, id int64) (model.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.alerts[id]
	if !ok {
		return model.Alert{}, fmt.Errorf("apitest: alert %d: %w", id, store.ErrNotFound)
	}
	return *a, nil
}

// ListAlerts implements store.Alerts.
func (s *Store) ListAlerts(context.Context) ([]model.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []model.Alert
	for _, a := range s.alerts {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(x, y model.Alert) int { return cmp.Compare(x.ID, y.ID) })
	return out, nil
}

// DeleteAlert implements store.Alerts.
func (s *Store) DeleteAlert(_ context.Context, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.alerts, id)
	return nil
}

// RecordDelivery implements store.Alerts.
func (s *Store) RecordDelivery(_ context.Context, alertID, articleID int64) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := [2]int64{alertID, articleID}
	first := !s.delivered[k]
	s.delivered[k] = true
	return first, nil
}

// Delivered implements store.Alerts.
func (s *Store) Delivered(_ context.Context, alertID int64, limit int) ([]model.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sortedLocked(func(a *model.Article) bool { return s.delivered[[2]int64{alertID, a.ID}] })
	return out[:min(len(out), limit)], nil
}

// GetSetting implements store.Settings.
func (s *Store) GetSetting(_ context.Context, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.settings[key]
	if !ok {
		return "", fmt.Errorf("apitest: setting %q: %w", key, store.ErrNotFound)
	}
	return v, nil
}

// SetSetting implements store.Settings.
func (s *Store) SetSetting(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings[key] = value
	return nil
}

// SaveRelated implements store.Related.
func (s *Store) SaveRelated(_ context.Context, id int64, links []store.RelatedLink) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.articles[id]; !ok {
		return fmt.Errorf("apitest: related of %d: %w", id, store.ErrNotFound)
	}
	kept := []store.RelatedLink{}
	for _, l := range links {
		if _, ok := s.articles[l.ID]; ok && l.ID != id {
			kept = append(kept, l)
		}
	}
	s.related[id] = kept
	return nil
}

// SaveRelatedLists implements store.Related.
func (s *Store) SaveRelatedLists(ctx context.Context, lists []store.RelatedList) error {
	for _, l := range lists {
		if err := s.SaveRelated(ctx, l.ID, l.Links); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// GetRelated implements store.Related.
func (s *Store) GetRelated(_ context.Context, id int64) ([]store.RelatedLink, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	links, ok := s.related[id]
	return slices.Clone(links), ok, nil
}

// Backup implements store.Store; the fake has nothing on disk.
func (s *Store) Backup(context.Context, string) error {
	return fmt.Errorf("apitest: backup: %w", store.ErrInvalid)
}

// Close implements store.Store.
func (s *Store) Close() error { return nil }

// Searcher is a fake search.Searcher over any store.Store: every query word
// must occur in the title or text (plain substring); related articles
// share a keyword and are from another story (later developments when
// published more than search.LaterAfter after the article). It reads every article per
// call, which is fine for tests.
type Searcher struct {
	Store store.Store
	// Err, when set, is returned by every call.
	Err error
}

var _ search.Searcher = (*Searcher)(nil)

// matching returns the stored articles f accepts, newest first.
func (f *Searcher) matching(ctx context.Context, keep func(*model.Article) bool) ([]model.Article, error) {
	var out []model.Article
	err := f.Store.EachArticle(ctx, func(a *model.Article) error {
		if keep(a) {
			out = append(out, *a)
		}
		return nil
	})
	slices.SortFunc(out, func(x, y model.Article) int {
		return cmp.Or(when(&y).Compare(when(&x)), cmp.Compare(y.ID, x.ID))
	})
	return out, err
}

// Search implements search.Searcher.
func (f *Searcher) Search(ctx context.Context, q search.Request) (search.Results, error) {
	if f.Err != nil {
		return search.Results{}, f.Err
	}
	words := strings.Fields(q.Query)
	hits, err := f.matching(ctx, func(a *model.Article) bool {
		if len(q.SourceIDs) > 0 && !slices.Contains(q.SourceIDs, a.SourceID) {
			return false
		}
		if !q.Filter.IsZero() {
			o, _ := f.Store.GetOutlet(ctx, a.Outlet)
			if !filterMatch(q.Filter, a, o) {
				return false
			}
		}
		for _, w := range words {
			if !strings.Contains(a.Title+" "+a.Text, w) {
				return false
			}
		}
		return len(words) > 0
	})
	if err != nil {
		return search.Results{}, err
	}
	res := search.Results{Total: len(hits)}
	for i, a := range page(hits, q.Limit, 20, q.Offset) {
		res.Results = append(res.Results, search.Result{ID: a.ID, URL: a.URL, Title: a.Title,
			Snippet: snippet(a.Text, words), Source: a.DisplaySource(), Published: a.Published, Score: 1 / float64(q.Offset+i+1)})
	}
	return res, nil
}

// snippet escapes the start of text and marks the query words.
func snippet(text string, words []string) string {
	s := html.EscapeString(plaintext.Excerpt(text, 160))
	for _, w := range words {
		ew := html.EscapeString(w)
		s = strings.ReplaceAll(s, ew, "<mark>"+ew+"</mark>")
	}
	return s
}

// Related implements search.Searcher.
func (f *Searcher) Related(ctx context.Context, a model.Article, limit int) ([]model.ArticleRef, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	rel, err := f.matching(ctx, func(x *model.Article) bool {
		return x.ID != a.ID && x.StoryID != a.StoryID &&
			slices.ContainsFunc(x.Keywords, func(k string) bool { return slices.Contains(a.Keywords, k) })
	})
	if err != nil {
		return nil, err
	}
	var out []model.ArticleRef
	for _, x := range page(rel, limit, 5, 0) {
		r := model.ArticleRef{ID: x.ID, URL: x.URL, Title: x.Title, Source: x.DisplaySource(), Published: x.Published, Outlet: x.Outlet}
		r.Excerpt = plaintext.Excerpt(x.Text, 140)
		r.Later = !a.Published.IsZero() && x.Published.Sub(a.Published) > search.LaterAfter
		out = append(out, r)
	}
	return out, nil
}

// PruneArticles implements store.Pruner (no users here, so nothing is starred).
func (s *Store) PruneArticles(_ context.Context, before time.Time, limit int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var old []*model.Article
	for _, a := range s.articles {
		t := a.Published
		if t.IsZero() {
			t = a.Fetched
		}
		if t.Before(before) {
			old = append(old, a)
		}
	}
	slices.SortFunc(old, func(a, b *model.Article) int { return cmp.Compare(a.ID, b.ID) })
	if len(old) > limit {
		old = old[:max(limit, 0)]
	}
	for _, a := range old {
		delete(s.articles, a.ID)
		delete(s.related, a.ID)
		s.storyRev[a.StoryID]++
	}
	for _, a := range s.articles {
		if a.DuplicateOf != 0 && s.articles[a.DuplicateOf] == nil {
			a.DuplicateOf = 0
		}
	}
	return len(old), nil
}

// Reclaim implements store.Pruner.
func (s *Store) Reclaim(context.Context) error { return nil }
