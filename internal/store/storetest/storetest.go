// Package storetest is the one contract suite every store backend passes:
// Run exercises each method of store.Store and its documented behaviour
// against a fresh store from open. Backends call it from their own tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { ... })
//	}
//
// Times in the suite are whole seconds in UTC, which every backend keeps
// exactly. The analysed forms are hand-written Arabic, as package analysis
// would give them.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/plaintext"
	"khabar/internal/store"
)

// Opener returns a new, empty store; the suite closes it.
type Opener func(t *testing.T) store.Store

// Option configures Run.
type Option func(*config)

type config struct{ openBackup BackupOpener }

// WithBackupOpener lets the Backup test open the file Backup wrote and check
// that it holds the data.
func WithBackupOpener(open BackupOpener) Option {
	return func(c *config) { c.openBackup = open }
}

// Run runs the contract suite, each subtest on a store of its own.
func Run(t *testing.T, open Opener, opts ...Option) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Sources", testSources},
		{"ClaimDueSources", testClaimDueSources},
		{"ClaimSources", testClaimSources},
		{"ConcurrentClaims", testConcurrentClaims},
		{"ClaimHosts", testClaimHosts},
		{"HostLeaseExpiry", testHostLeaseExpiry},
		{"CrawlRound", testCrawlRound},
		{"ConcurrentHostClaims", testConcurrentHostClaims},
		{"Prune", testPrune},
		{"ConcurrentSaves", testConcurrentSaves},
		{"SaveFetchState", testSaveFetchState},
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"ArticleUpsert", testArticleUpsert},
		{"ArticleNotFound", testArticleNotFound},
		{"ListArticles", testListArticles},
		{"EachArticle", testEachArticle},
		{"Stories", testStories},
		{"StoryMove", testStoryMove},
		{"BatchRefs", testBatchRefs},
		{"JoinCopies", testJoinCopies},
		{"ListStories", testListStories},
		{"Candidates", testCandidates},
		{"ByContentHash", testByContentHash},
		{"DocFreq", testDocFreq},
		{"Entities", testEntities},
		{"TopTagsAndEntities", testTop},
		{"CommonTerms", testCommonTerms},
		{"LearnedNames", testLearnedNames},
		{"SearchAndAny", testSearchAndAny},
		{"SearchExactAboveStem", testSearchExactAboveStem},
		{"SearchTitleAboveBody", testSearchTitleAboveBody},
		{"SearchPhrase", testSearchPhrase},
		{"SearchFilters", testSearchFilters},
		{"SearchFilterFields", testSearchFilterFields},
		{"Attention", testAttention},
		{"AttentionSample", testAttentionSample},
		{"EachMatch", testEachMatch},
		{"SearchPagination", testSearchPagination},
		{"SearchFreshness", testSearchFreshness},
		{"SearchAround", testSearchAround},
		{"Related", testRelated},
		{"ArticleRefs", testArticleRefs},
		{"SearchInjection", testSearchInjection},
		{"SearchInjectionQuoting", testSearchInjectionQuoting},
		{"SearchUpdate", testSearchUpdate},
		{"SearchAlt", testSearchAlt},
		{"SearchProximity", testSearchProximity},
		{"ReindexText", testReindexText},
		{"Alerts", testAlerts},
		{"Settings", testSettings},
		{"Outlets", testOutlets},
		{"StoryDetails", testStoryDetails},
		{"Users", testUsers},
		{"ReadingState", testReadingState},
		{"SavedSearch", testSavedSearch},
		{"Backup", func(t *testing.T, s store.Store) { testBackup(t, s, cfg.openBackup) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// base is the suite's reference time.
var base = time.Date(2024, 3, 2, 9, 30, 0, 0, time.UTC)

func day(n int) time.Time { return base.AddDate(0, 0, n) }

func ctx(t *testing.T) context.Context { return t.Context() }

// article is a minimal article for the suite.
func article(url, title string, published time.Time) *model.Article {
	return &model.Article{
		URL:        url,
		Title:      title,
		Text:       title + ".\n\nنص الخبر.",
		Published:  published,
		Fetched:    published.Add(time.Hour),
		SourceName: "المصدر",
		Language:   "ar",
	}
}

// idx is index data with the same forms for terms and stems unless given.
func idx(titleTerms, bodyTerms string) store.IndexData {
	return store.IndexData{TitleTerms: titleTerms, TitleStems: titleTerms, BodyTerms: bodyTerms, BodyStems: bodyTerms}
}

func save(t *testing.T, s store.Store, a *model.Article, ix store.IndexData) bool {
	t.Helper()
	created, err := s.SaveArticle(ctx(t), a, ix)
	if err != nil {
		t.Fatalf("SaveArticle(%q): %v", a.URL, err)
	}
	if a.ID == 0 {
		t.Fatalf("SaveArticle(%q) left ID 0", a.URL)
	}
	if a.StoryID == 0 {
		t.Fatalf("SaveArticle(%q) left StoryID 0", a.URL)
	}
	return created
}

func addSource(t *testing.T, s store.Store, url, title string) *model.Source {
	t.Helper()
	src := &model.Source{URL: url, Title: title}
	if err := s.AddSource(ctx(t), src); err != nil {
		t.Fatalf("AddSource(%q): %v", url, err)
	}
	return src
}

func ids(as []model.Article) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func hitIDs(hs []store.Hit) []int64 {
	out := make([]int64, len(hs))
	for i, h := range hs {
		out[i] = h.ID
	}
	return out
}

func search(t *testing.T, s store.Store, q store.TextQuery) ([]int64, int) {
	t.Helper()
	hits, total, err := s.SearchText(ctx(t), q)
	if err != nil {
		t.Fatalf("SearchText(%+v): %v", q, err)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("SearchText(%+v): hits not best first: %v", q, hits)
		}
	}
	return hitIDs(hits), total
}

func word(w, stem string) store.Clause { return store.Clause{Exact: []string{w}, Stem: stem} }

// sameStrings compares string lists, nil and empty alike.
func sameStrings(a, b []string) bool { return len(a) == 0 && len(b) == 0 || reflect.DeepEqual(a, b) }

func sameEntities(a, b []model.Entity) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Type != b[i].Type || !sameStrings(a[i].Mentions, b[i].Mentions) {
			return false
		}
	}
	return true
}

func testSources(t *testing.T, s store.Store) {
	c := ctx(t)
	a := addSource(t, s, "https://example.com/feed", "الأول")
	b := addSource(t, s, "https://example.org/rss", "الثاني")
	if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
		t.Fatalf("source ids %d, %d", a.ID, b.ID)
	}
	dup := &model.Source{URL: "https://example.com/feed"}
	if err := s.AddSource(c, dup); !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddSource of a stored URL: got %v, want ErrConflict", err)
	}
	got, err := s.GetSource(c, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != a.URL || got.Title != "الأول" || got.ID != a.ID {
		t.Errorf("GetSource = %+v", got)
	}
	if got.CreatedAt.IsZero() {
		t.Errorf("GetSource: CreatedAt not set")
	}
	got, err = s.GetSourceByURL(c, b.URL)
	if err != nil || got.ID != b.ID {
		t.Errorf("GetSourceByURL = %+v, %v", got, err)
	}
	if _, err := s.GetSource(c, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSource(missing): %v, want ErrNotFound", err)
	}
	if _, err := s.GetSourceByURL(c, "https://nowhere/"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSourceByURL(missing): %v, want ErrNotFound", err)
	}

	for i := range 3 {
		art := article(fmt.Sprintf("https://example.com/a%d", i), "خبر", day(i))
		art.SourceID = a.ID
		save(t, s, art, idx("خبر", "نص"))
	}
	other := article("https://example.org/x", "خبر", day(0))
	other.SourceID = b.ID
	save(t, s, other, idx("خبر", "نص"))

	list, err := s.ListSources(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Fatalf("ListSources = %+v", list)
	}
	if list[0].Articles != 3 || list[1].Articles != 1 {
		t.Errorf("ListSources counts = %d, %d; want 3, 1", list[0].Articles, list[1].Articles)
	}
	// An article saved again under the other source moves its count.
	moved := article("https://example.com/a2", "خبر", day(2))
	moved.SourceID = b.ID
	save(t, s, moved, idx("خبر", "نص"))
	if list, err = s.ListSources(c); err != nil || len(list) != 2 || list[0].Articles != 2 || list[1].Articles != 2 {
		t.Errorf("ListSources after a move = %+v, %v; want 2 articles each", list, err)
	}
	if got, err := s.GetSource(c, b.ID); err != nil || got.Articles != 2 {
		t.Errorf("GetSource after a move: %d articles, %v; want 2", got.Articles, err)
	}
	if _, total, err := s.ListArticles(c, store.ArticleFilter{SourceID: b.ID, Limit: 1}); err != nil || total != 2 {
		t.Errorf("ListArticles(source) total after a move = %d, %v; want 2", total, err)
	}
	moved.SourceID = a.ID
	save(t, s, moved, idx("خبر", "نص"))

	if err := s.DeleteSource(c, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSource(c, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteSource twice: %v, want ErrNotFound", err)
	}
	if _, err := s.GetSource(c, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSource after delete: %v", err)
	}
	arts, total, err := s.ListArticles(c, store.ArticleFilter{SourceID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(arts) != 3 || arts[0].SourceName != "المصدر" {
		t.Errorf("articles of a deleted source: total %d, %+v", total, arts)
	}
	// The URL is free again.
	if err := s.AddSource(c, &model.Source{URL: a.URL}); err != nil {
		t.Errorf("AddSource after delete: %v", err)
	}
}

func testClaimDueSources(t *testing.T, s store.Store) {
	c := ctx(t)
	now := base
	due1 := &model.Source{URL: "https://a/feed", NextFetch: now.Add(-2 * time.Hour)}
	due2 := &model.Source{URL: "https://b/feed", NextFetch: now}
	later := &model.Source{URL: "https://c/feed", NextFetch: now.Add(time.Hour)}
	fresh := &model.Source{URL: "https://d/feed"} // never fetched: due
	for _, src := range []*model.Source{due1, due2, later, fresh} {
		if err := s.AddSource(c, src); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ClaimDueSources(c, now, 10*time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []int64
	for _, src := range got {
		gotIDs = append(gotIDs, src.ID)
	}
	slices.Sort(gotIDs)
	want := []int64{due1.ID, due2.ID, fresh.ID}
	slices.Sort(want)
	if !slices.Equal(gotIDs, want) {
		t.Fatalf("ClaimDueSources = %v, want %v", gotIDs, want)
	}
	// The lease: a second worker at the same moment gets nothing.
	again, err := s.ClaimDueSources(c, now, 10*time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Errorf("second claim within the lease got %d sources", len(again))
	}
	stored, err := s.GetSource(c, due1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.NextFetch.Equal(now.Add(10 * time.Minute)) {
		t.Errorf("NextFetch after claim = %v, want %v", stored.NextFetch, now.Add(10*time.Minute))
	}
	// After the lease, they are due again, with the limit applied.
	after, err := s.ClaimDueSources(c, now.Add(11*time.Minute), time.Minute, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != 2 {
		t.Errorf("claim after the lease with limit 2 got %d", len(after))
	}
	none, err := s.ClaimDueSources(c, now, time.Minute, 0)
	if err != nil || len(none) != 0 {
		t.Errorf("claim with limit 0 = %v, %v", none, err)
	}
}

func testSaveFetchState(t *testing.T, s store.Store) {
	c := ctx(t)
	src := addSource(t, s, "https://example.com/feed", "قديم")
	st := model.Source{
		ID: src.ID, ETag: `"abc"`, LastModified: "Sat, 02 Mar 2024 09:30:00 GMT",
		LastFetched: base, LastError: "fetch: 500", NextFetch: base.Add(30 * time.Minute),
		ErrorCount: 2, Interval: 45 * time.Minute, SiteURL: "https://example.com/", Language: "ar",
	}
	if err := s.SaveFetchState(c, st); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetSource(c, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ETag != st.ETag || got.LastModified != st.LastModified || !got.LastFetched.Equal(base) ||
		got.LastError != st.LastError || !got.NextFetch.Equal(st.NextFetch) || got.ErrorCount != 2 ||
		got.Interval != st.Interval || got.SiteURL != st.SiteURL || got.Language != "ar" {
		t.Errorf("after SaveFetchState: %+v", got)
	}
	if got.Title != "قديم" {
		t.Errorf("empty Title overwrote the stored one: %q", got.Title)
	}
	st.Title, st.LastError, st.ErrorCount = "جديد", "", 0
	if err := s.SaveFetchState(c, st); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetSource(c, src.ID)
	if got.Title != "جديد" || got.LastError != "" || got.ErrorCount != 0 {
		t.Errorf("second SaveFetchState: %+v", got)
	}
	if err := s.SaveFetchState(c, model.Source{ID: 9999}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveFetchState of a missing source: %v", err)
	}
}

func fullArticle() *model.Article {
	return &model.Article{
		URL:         "https://example.com/news/1",
		GUID:        "tag:example.com,2024:1",
		SourceID:    7,
		SourceName:  "الوكالة",
		Title:       "تحالف دولي لدعم لبنان",
		Text:        "أعلن تحالف دولي، اليوم، دعم لبنان.\n\nوقال المتحدث: «سنواصل».",
		HTML:        "<p>أعلن تحالف دولي</p>",
		Summary:     "ملخص الخبر",
		Authors:     []string{"سارة أحمد", "Ali Hassan"},
		Published:   base,
		Modified:    base.Add(90 * time.Minute),
		Fetched:     base.Add(2 * time.Hour),
		Language:    "ar",
		Image:       "https://example.com/i.jpg",
		SiteName:    "مثال",
		Agency:      "واس",
		Keywords:    []string{"تحالف دولي", "لبنان", "البحرين"},
		Entities:    []model.Entity{{Name: "لبنان", Type: model.EntityPlace, Mentions: []string{"لبنان", "للبنان"}}, {Name: "الأمم المتحدة", Type: model.EntityOrg, Mentions: []string{"الأمم المتحدة"}}},
		ContentHash: "h1",
		DuplicateOf: 0,
		Signature:   []uint64{0, 1, 1 << 63, ^uint64(0), 12345678901234567890},
	}
}

func testArticleRoundTrip(t *testing.T, s store.Store) {
	c := ctx(t)
	a := fullArticle()
	want := *a
	created := save(t, s, a, idx("تحالف دولي دعم لبنان", "اعلن تحالف دولي"))
	if !created {
		t.Errorf("created = false for a new URL")
	}
	got, err := s.GetArticle(c, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want.ID, want.StoryID = a.ID, a.StoryID
	checkArticle(t, got, want)
	byURL, err := s.GetArticleByURL(c, a.URL)
	if err != nil {
		t.Fatal(err)
	}
	checkArticle(t, byURL, want)
	has, err := s.HasArticle(c, a.URL)
	if err != nil || !has {
		t.Errorf("HasArticle = %v, %v", has, err)
	}
	has, err = s.HasArticle(c, a.URL+"/other")
	if err != nil || has {
		t.Errorf("HasArticle(other) = %v, %v", has, err)
	}
	n, err := s.CountArticles(c)
	if err != nil || n != 1 {
		t.Errorf("CountArticles = %d, %v", n, err)
	}
	// Zero times stay zero.
	b := &model.Article{URL: "https://example.com/news/2", Title: "بلا تاريخ", Fetched: base}
	save(t, s, b, idx("بلا تاريخ", ""))
	gb, err := s.GetArticle(c, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !gb.Published.IsZero() || !gb.Modified.IsZero() || gb.Authors != nil && len(gb.Authors) != 0 || len(gb.Signature) != 0 {
		t.Errorf("article without dates: %+v", gb)
	}
	if !gb.Fetched.Equal(base) {
		t.Errorf("Fetched = %v, want %v", gb.Fetched, base)
	}
}

func checkArticle(t *testing.T, got model.Article, want model.Article) {
	t.Helper()
	if got.ID != want.ID || got.URL != want.URL || got.GUID != want.GUID || got.SourceID != want.SourceID ||
		got.SourceName != want.SourceName || got.Title != want.Title || got.Text != want.Text ||
		got.HTML != want.HTML || got.Summary != want.Summary || got.Language != want.Language ||
		got.Image != want.Image || got.SiteName != want.SiteName || got.Agency != want.Agency ||
		got.ContentHash != want.ContentHash || got.DuplicateOf != want.DuplicateOf || got.StoryID != want.StoryID {
		t.Errorf("article fields:\n got %+v\nwant %+v", got, want)
	}
	for _, tt := range []struct {
		name      string
		got, want time.Time
	}{{"Published", got.Published, want.Published}, {"Modified", got.Modified, want.Modified}, {"Fetched", got.Fetched, want.Fetched}} {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if !sameStrings(got.Authors, want.Authors) {
		t.Errorf("Authors = %q, want %q", got.Authors, want.Authors)
	}
	if !sameStrings(got.Keywords, want.Keywords) {
		t.Errorf("Keywords = %q, want %q", got.Keywords, want.Keywords)
	}
	if !sameEntities(got.Entities, want.Entities) {
		t.Errorf("Entities = %+v, want %+v", got.Entities, want.Entities)
	}
	if !(len(got.Signature) == 0 && len(want.Signature) == 0) && !slices.Equal(got.Signature, want.Signature) {
		t.Errorf("Signature = %v, want %v", got.Signature, want.Signature)
	}
}

func testArticleUpsert(t *testing.T, s store.Store) {
	c := ctx(t)
	a := fullArticle()
	if !save(t, s, a, idx("تحالف", "لبنان")) {
		t.Fatal("first save: created = false")
	}
	id, story := a.ID, a.StoryID
	b := fullArticle()
	b.Title = "تحالف دولي جديد"
	b.Text = "نص محدث"
	b.Keywords = []string{"تحالف"}
	b.Entities = nil
	b.Authors = []string{"كاتب آخر"}
	b.Modified = base.Add(5 * time.Hour)
	if save(t, s, b, idx("تحالف جديد", "نص محدث")) {
		t.Error("second save of the same URL: created = true")
	}
	if b.ID != id {
		t.Errorf("upsert changed the ID: %d, want %d", b.ID, id)
	}
	if b.StoryID != story {
		t.Errorf("upsert with StoryID 0 moved the article from story %d to %d", story, b.StoryID)
	}
	got, err := s.GetArticle(c, id)
	if err != nil {
		t.Fatal(err)
	}
	want := *b
	checkArticle(t, got, want)
	n, _ := s.CountArticles(c)
	if n != 1 {
		t.Errorf("CountArticles after upsert = %d", n)
	}
	// The old search terms are gone and the new ones found.
	if ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("لبنان", "")}}); len(ids) != 0 {
		t.Errorf("old body term still found: %v", ids)
	}
	if ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("محدث", "")}}); !slices.Equal(ids, []int64{id}) {
		t.Errorf("new body term: %v", ids)
	}
	st, err := s.GetStory(c, story)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 1 || st.Title != "تحالف دولي جديد" {
		t.Errorf("story after upsert: %+v", st)
	}
	// Bad input.
	if _, err := s.SaveArticle(c, &model.Article{Title: "بلا رابط"}, store.IndexData{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SaveArticle without URL: %v, want ErrInvalid", err)
	}
	bad := article("https://example.com/bad", "قصة مفقودة", base)
	bad.StoryID = 98765
	if _, err := s.SaveArticle(c, bad, store.IndexData{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SaveArticle into a missing story: %v, want ErrInvalid", err)
	}
	if has, _ := s.HasArticle(c, bad.URL); has {
		t.Errorf("failed save left the article stored")
	}
}

func testArticleNotFound(t *testing.T, s store.Store) {
	c := ctx(t)
	if _, err := s.GetArticle(c, 42); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetArticle(missing) = %v", err)
	}
	if _, err := s.GetArticleByURL(c, "https://x/"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetArticleByURL(missing) = %v", err)
	}
	if _, err := s.GetStory(c, 42); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetStory(missing) = %v", err)
	}
	if _, err := s.ByContentHash(c, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ByContentHash(missing) = %v", err)
	}
	if _, err := s.GetEntity(c, "لبنان"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetEntity(missing) = %v", err)
	}
	if _, err := s.GetAlert(c, 42); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetAlert(missing) = %v", err)
	}
	if err := s.DeleteAlert(c, 42); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteAlert(missing) = %v", err)
	}
	if _, err := s.GetSetting(c, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSetting(missing) = %v", err)
	}
	n, err := s.CountArticles(c)
	if err != nil || n != 0 {
		t.Errorf("CountArticles on an empty store = %d, %v", n, err)
	}
	list, total, err := s.ListArticles(c, store.ArticleFilter{})
	if err != nil || total != 0 || len(list) != 0 {
		t.Errorf("ListArticles on an empty store = %v, %d, %v", list, total, err)
	}
}

func testListArticles(t *testing.T, s store.Store) {
	c := ctx(t)
	src := addSource(t, s, "https://example.com/feed", "مثال")
	var all []*model.Article
	for i := range 6 {
		a := article(fmt.Sprintf("https://example.com/%d", i), fmt.Sprintf("خبر %d", i), day(i))
		if i%2 == 0 {
			a.SourceID = src.ID
		}
		if i < 3 {
			a.Keywords = []string{"الانتخابات", "البحرين"}
			a.Entities = []model.Entity{{Name: "البحرين", Type: model.EntityPlace}}
		}
		save(t, s, a, idx("خبر", "نص"))
		all = append(all, a)
	}
	// Published unknown: ordered by Fetched, between day 3 and day 4.
	nodate := &model.Article{URL: "https://example.com/nodate", Title: "بلا تاريخ", Fetched: day(3).Add(12 * time.Hour)}
	save(t, s, nodate, idx("بلا", ""))
	// A later-published article saved into the first one's story.
	member := article("https://example.com/member", "عضو", day(1).Add(time.Hour))
	member.StoryID = all[0].StoryID
	save(t, s, member, idx("عضو", ""))

	want := func(as ...*model.Article) []int64 {
		out := make([]int64, len(as))
		for i, a := range as {
			out[i] = a.ID
		}
		return out
	}
	cases := []struct {
		name  string
		f     store.ArticleFilter
		ids   []int64
		total int
	}{
		{"all", store.ArticleFilter{}, want(all[5], all[4], nodate, all[3], all[2], member, all[1], all[0]), 8},
		{"limit", store.ArticleFilter{Limit: 2}, want(all[5], all[4]), 8},
		{"offset", store.ArticleFilter{Limit: 2, Offset: 2}, want(nodate, all[3]), 8},
		{"past end", store.ArticleFilter{Offset: 20}, nil, 8},
		{"source", store.ArticleFilter{SourceID: src.ID}, want(all[4], all[2], all[0]), 3},
		{"tag", store.ArticleFilter{Tag: "الانتخابات"}, want(all[2], all[1], all[0]), 3},
		{"tag normalized", store.ArticleFilter{Tag: "الإنتخابات"}, want(all[2], all[1], all[0]), 3},
		{"entity", store.ArticleFilter{Entity: "البحرين"}, want(all[2], all[1], all[0]), 3},
		{"story", store.ArticleFilter{StoryID: all[0].StoryID}, want(member, all[0]), 2},
		{"since", store.ArticleFilter{Since: day(4)}, want(all[5], all[4]), 2},
		{"until", store.ArticleFilter{Until: day(1)}, want(all[0]), 1},
		{"window", store.ArticleFilter{Since: day(3), Until: day(4)}, want(nodate, all[3]), 2},
		{"combined", store.ArticleFilter{SourceID: src.ID, Tag: "البحرين", Since: day(1)}, want(all[2]), 1},
		{"no match", store.ArticleFilter{Tag: "لا يوجد"}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.ListArticles(c, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.ids) || total != tc.total {
				t.Errorf("ListArticles(%+v) = %v (total %d), want %v (total %d)", tc.f, ids(got), total, tc.ids, tc.total)
			}
		})
	}
	got, _, err := s.ListArticles(c, store.ArticleFilter{Tag: "البحرين", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !sameStrings(got[0].Keywords, []string{"الانتخابات", "البحرين"}) || len(got[0].Entities) != 1 {
		t.Errorf("listed article lacks keywords or entities: %+v", got)
	}
	// The default limit is 50.
	for i := range 50 {
		save(t, s, article(fmt.Sprintf("https://example.com/more/%d", i), "مزيد", day(-10)), idx("مزيد", ""))
	}
	got, total, err := s.ListArticles(c, store.ArticleFilter{})
	if err != nil || len(got) != 50 || total != 58 {
		t.Errorf("default limit: %d articles, total %d, %v", len(got), total, err)
	}
	// The tag forms the pipeline computed arrive in the index data, and
	// are the ones stored: keywords match on them, not on a form the
	// backend makes again.
	tagged := article("https://example.com/tagged", "موسوم", day(2))
	tagged.Keywords = []string{"الكلمة الأولى", "الثانية"}
	ix := idx("موسوم", "")
	ix.Tags = []string{"form-one", "form-two"}
	save(t, s, tagged, ix)
	for tag, want := range map[string]int{"form-two": 1, "الثانية": 0} {
		got, total, err = s.ListArticles(c, store.ArticleFilter{Tag: tag})
		if err != nil {
			t.Fatal(err)
		}
		if total != want || want == 1 && (len(got) != 1 || got[0].ID != tagged.ID) {
			t.Errorf("ListArticles(Tag %q) = %v (total %d), want the tagged article %d times", tag, ids(got), total, want)
		}
	}
}

func testEachArticle(t *testing.T, s store.Store) {
	c := ctx(t)
	var want []int64
	for i := range 300 {
		a := article(fmt.Sprintf("https://example.com/%d", i), "خبر", day(-i))
		a.Keywords = []string{"كلمة"}
		save(t, s, a, idx("خبر", ""))
		want = append(want, a.ID)
	}
	var got []int64
	err := s.EachArticle(c, func(a *model.Article) error {
		if len(a.Keywords) != 1 {
			return fmt.Errorf("article %d without its keywords", a.ID)
		}
		got = append(got, a.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("EachArticle visited %d articles (want %d), in order: %v", len(got), len(want), slices.IsSorted(got))
	}
	stop := errors.New("stop")
	n := 0
	err = s.EachArticle(c, func(*model.Article) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Errorf("EachArticle with a failing fn: %v after %d calls", err, n)
	}
}

func testStories(t *testing.T, s store.Store) {
	c := ctx(t)
	first := article("https://a.com/1", "انفجار في بيروت", day(0))
	first.SourceName = "أ"
	save(t, s, first, idx("انفجار بيروت", ""))
	st, err := s.GetStory(c, first.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 1 || st.Outlets != 1 || st.Title != first.Title || !st.FirstSeen.Equal(day(0)) || !st.LastSeen.Equal(day(0)) {
		t.Errorf("new story: %+v", st)
	}
	second := article("https://b.com/1", "بيروت: انفجار ضخم", day(0).Add(3*time.Hour))
	second.SourceName = "ب"
	second.StoryID = first.StoryID
	save(t, s, second, idx("بيروت انفجار ضخم", ""))
	third := article("https://a.com/2", "حصيلة انفجار بيروت", day(1))
	third.SourceName = "أ"
	third.StoryID = first.StoryID
	save(t, s, third, idx("حصيلة انفجار بيروت", ""))
	// Reported earlier than the first one: it becomes the story's first.
	early := article("https://c.com/1", "عاجل: انفجار", day(0).Add(-time.Hour))
	early.SourceName = "ج"
	early.StoryID = first.StoryID
	save(t, s, early, idx("عاجل انفجار", ""))

	st, err = s.GetStory(c, first.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 4 || st.Outlets != 3 {
		t.Errorf("story counts: %d articles, %d outlets; want 4, 3", st.Articles, st.Outlets)
	}
	if !st.FirstSeen.Equal(early.Published) || !st.LastSeen.Equal(third.Published) {
		t.Errorf("story span %v – %v", st.FirstSeen, st.LastSeen)
	}
	if st.Title != early.Title {
		t.Errorf("story title %q, want the first article's %q", st.Title, early.Title)
	}
	var got []int64
	for _, m := range st.Members {
		got = append(got, m.ID)
	}
	if want := []int64{early.ID, first.ID, second.ID, third.ID}; !slices.Equal(got, want) {
		t.Errorf("members %v, want earliest first %v", got, want)
	}
	if m := st.Members[1]; m.URL != first.URL || m.Title != first.Title || m.Source != "أ" || !m.Published.Equal(day(0)) {
		t.Errorf("member ref %+v", m)
	}
	// The preview an article page shows: the same story, its first members.
	for _, n := range []int{2, 10, 0} {
		pv, err := s.StoryPreview(c, first.StoryID, n)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, m := range pv.Members {
			got = append(got, m.ID)
		}
		want := []int64{early.ID, first.ID, second.ID, third.ID}[:min(max(n, 1), 4)]
		if !slices.Equal(got, want) || pv.Articles != 4 || pv.Outlets != 3 || pv.Title != st.Title ||
			!pv.FirstSeen.Equal(st.FirstSeen) || !pv.LastSeen.Equal(st.LastSeen) || pv.Details != nil {
			t.Errorf("StoryPreview(%d) = %+v with members %v, want the story's head and members %v", n, pv, got, want)
		}
		if len(pv.Members) > 1 && pv.Members[1] != st.Members[1] {
			t.Errorf("StoryPreview(%d) member %+v, GetStory's %+v", n, pv.Members[1], st.Members[1])
		}
	}
	if _, err := s.StoryPreview(c, 987654, 5); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("StoryPreview(missing) = %v, want ErrNotFound", err)
	}
	// Another story stays apart.
	other := article("https://a.com/3", "مباراة", day(1))
	save(t, s, other, idx("مباراة", ""))
	if other.StoryID == first.StoryID {
		t.Errorf("StoryID 0 joined an existing story")
	}
}

// testBatchRefs saves a copy and a story member in the same batch as the
// article they refer to (store.BatchRef), and checks that a reference to
// an article not saved before is refused with nothing saved.
func testBatchRefs(t *testing.T, s store.Store) {
	c := ctx(t)
	stored := article("https://a.com/stored", "قمة الرياض", day(0))
	save(t, s, stored, idx("قمة الرياض", ""))
	first := article("https://a.com/1", "انفجار في بيروت", day(1))
	cp := article("https://b.com/1", "بيروت: انفجار", day(1).Add(time.Hour))
	cp.DuplicateOf, cp.StoryID = store.BatchRef(0), store.BatchRef(0)
	member := article("https://c.com/1", "حصيلة الانفجار", day(1).Add(2*time.Hour))
	member.StoryID = store.BatchRef(1) // the story cp joined: first's
	joins := article("https://d.com/1", "قمة الرياض تختتم", day(1))
	joins.StoryID = stored.StoryID // a stored story, as before
	as := []*model.Article{first, cp, member, joins}
	ixs := []store.IndexData{idx("انفجار بيروت", ""), idx("بيروت انفجار", ""), idx("حصيلة", ""), idx("قمة", "")}
	if _, err := s.SaveArticles(c, as, ixs); err != nil {
		t.Fatal(err)
	}
	if cp.DuplicateOf != first.ID || cp.StoryID != first.StoryID || member.StoryID != first.StoryID || member.DuplicateOf != 0 {
		t.Errorf("references: copy dup %d story %d, member story %d; want %d, %d, %d", cp.DuplicateOf, cp.StoryID, member.StoryID, first.ID, first.StoryID, first.StoryID)
	}
	if joins.StoryID != stored.StoryID {
		t.Errorf("stored story %d became %d", stored.StoryID, joins.StoryID)
	}
	got, err := s.GetArticle(c, cp.ID)
	if err != nil || got.DuplicateOf != first.ID || got.StoryID != first.StoryID {
		t.Errorf("stored copy: dup %d story %d (%v); want %d, %d", got.DuplicateOf, got.StoryID, err, first.ID, first.StoryID)
	}
	st, err := s.GetStory(c, first.StoryID)
	if err != nil || st.Articles != 3 {
		t.Errorf("story of the batch: %d articles (%v), want 3", st.Articles, err)
	}
	// A reference forward, or to itself, names nothing saved: refused.
	for _, ref := range []int64{store.BatchRef(0), store.BatchRef(1), store.BatchRef(5)} {
		a := article("https://e.com/1", "خبر", day(2))
		b := article("https://e.com/2", "خبر آخر", day(2))
		b.DuplicateOf = ref
		if ref == store.BatchRef(1) {
			b.DuplicateOf, b.StoryID = 0, ref
		}
		if ref == store.BatchRef(0) {
			a.StoryID, b.DuplicateOf = ref, 0
		}
		_, err := s.SaveArticles(c, []*model.Article{a, b}, []store.IndexData{idx("خبر", ""), idx("خبر", "")})
		if !errors.Is(err, store.ErrInvalid) {
			t.Errorf("reference %d not saved before: err %v, want ErrInvalid", ref, err)
		}
		if ok, _ := s.HasArticle(c, a.URL); ok {
			t.Errorf("reference %d: the batch was refused but its first article was saved", ref)
		}
	}
}

// testJoinCopies saves an article that joins a second group of copies to
// its root (model.Article.JoinCopies): the second root and its copies are
// filed under the first, and a copy that still names the second root
// afterwards is filed under the first too.
func testJoinCopies(t *testing.T, s store.Store) {
	c := ctx(t)
	rootA := article("https://a.com/1", "حريق في مستودع", day(0))
	save(t, s, rootA, idx("حريق", ""))
	copyA := article("https://b.com/1", "حريق في مستودع بمكة", day(0).Add(time.Hour))
	copyA.DuplicateOf, copyA.StoryID = rootA.ID, rootA.StoryID
	save(t, s, copyA, idx("حريق", ""))
	rootB := article("https://c.com/1", "فرق الإطفاء تخمد حريقا", day(0).Add(2*time.Hour))
	save(t, s, rootB, idx("حريق", ""))
	copyB := article("https://d.com/1", "إخماد حريق", day(0).Add(3*time.Hour))
	copyB.DuplicateOf, copyB.StoryID = rootB.ID, rootB.StoryID
	save(t, s, copyB, idx("حريق", ""))

	bridge := article("https://e.com/1", "الدفاع المدني يسيطر على حريق", day(0).Add(4*time.Hour))
	bridge.DuplicateOf, bridge.StoryID = rootA.ID, rootA.StoryID
	// The root itself and a copy of the joined root join nothing more.
	bridge.JoinCopies = []int64{rootB.ID, rootA.ID, copyB.ID}
	save(t, s, bridge, idx("حريق", ""))
	late := article("https://f.com/1", "حريق المستودع", day(0).Add(5*time.Hour))
	late.DuplicateOf, late.StoryID = rootB.ID, rootB.StoryID // placed against what it knew
	save(t, s, late, idx("حريق", ""))
	if late.DuplicateOf != rootA.ID {
		t.Errorf("a copy naming the joined root: DuplicateOf %d, want the root %d", late.DuplicateOf, rootA.ID)
	}
	for _, a := range []*model.Article{rootA, copyA, rootB, copyB, bridge, late} {
		want := rootA.ID
		if a == rootA {
			want = 0
		}
		got, err := s.GetArticle(c, a.ID)
		if err != nil || got.DuplicateOf != want {
			t.Errorf("%s: stored DuplicateOf %d (%v), want %d", a.URL, got.DuplicateOf, err, want)
		}
		if a != bridge && a != late && got.StoryID != a.StoryID {
			t.Errorf("%s: story %d became %d: joining copies moves no story", a.URL, a.StoryID, got.StoryID)
		}
	}

	// In one batch, by batch reference.
	first := article("https://g.com/1", "زلزال", day(1))
	second := article("https://h.com/1", "زلزال قوي", day(1).Add(time.Hour))
	third := article("https://i.com/1", "زلزال قوي يضرب", day(1).Add(2*time.Hour))
	third.DuplicateOf, third.JoinCopies = store.BatchRef(0), []int64{store.BatchRef(1)}
	as := []*model.Article{first, second, third}
	ixs := []store.IndexData{idx("زلزال", ""), idx("زلزال", ""), idx("زلزال", "")}
	if _, err := s.SaveArticles(c, as, ixs); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetArticle(c, second.ID); err != nil || got.DuplicateOf != first.ID {
		t.Errorf("joined in the batch: DuplicateOf %d (%v), want %d", got.DuplicateOf, err, first.ID)
	}
	// A forward reference is refused, as for DuplicateOf.
	a, b := article("https://j.com/1", "خبر", day(2)), article("https://j.com/2", "خبر آخر", day(2))
	a.DuplicateOf, a.JoinCopies = first.ID, []int64{store.BatchRef(1)}
	if _, err := s.SaveArticles(c, []*model.Article{a, b}, []store.IndexData{idx("خبر", ""), idx("خبر", "")}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a joined root not saved before: err %v, want ErrInvalid", err)
	}
}

func testStoryMove(t *testing.T, s store.Store) {
	c := ctx(t)
	a := article("https://a.com/1", "أ", day(0))
	save(t, s, a, idx("أ", ""))
	b := article("https://b.com/1", "ب", day(0).Add(time.Hour))
	b.SourceName = "ب"
	b.StoryID = a.StoryID
	save(t, s, b, idx("ب", ""))
	x := article("https://x.com/1", "س", day(1))
	x.SourceName = "س"
	save(t, s, x, idx("س", ""))
	storyA, storyX := a.StoryID, x.StoryID

	// b moves to x's story: both stories' counts follow.
	b.StoryID = storyX
	save(t, s, b, idx("ب", ""))
	sa, err := s.GetStory(c, storyA)
	if err != nil {
		t.Fatal(err)
	}
	sx, err := s.GetStory(c, storyX)
	if err != nil {
		t.Fatal(err)
	}
	if sa.Articles != 1 || sa.Outlets != 1 || len(sa.Members) != 1 || !sa.LastSeen.Equal(day(0)) {
		t.Errorf("story left behind: %+v", sa)
	}
	if sx.Articles != 2 || sx.Outlets != 2 || len(sx.Members) != 2 || sx.Members[0].ID != b.ID || !sx.FirstSeen.Equal(b.Published) {
		t.Errorf("story moved to: %+v", sx)
	}
	// a moves too: its old story has no member left and is gone.
	a.StoryID = storyX
	save(t, s, a, idx("أ", ""))
	if st, err := s.GetStory(c, storyA); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("empty story still there: %+v, %v", st, err)
	}
	sx, _ = s.GetStory(c, storyX)
	if sx.Articles != 3 || sx.Title != "أ" {
		t.Errorf("story after two moves: %+v", sx)
	}
	list, total, err := s.ListArticles(c, store.ArticleFilter{StoryID: storyX})
	if err != nil || total != 3 || len(list) != 3 {
		t.Errorf("ListArticles by story: %v, %d, %v", ids(list), total, err)
	}
}

func testListStories(t *testing.T, s store.Store) {
	c := ctx(t)
	var stories []int64
	for i := range 3 {
		a := article(fmt.Sprintf("https://a.com/%d", i), fmt.Sprintf("قصة %d", i), day(i))
		save(t, s, a, idx("قصة", ""))
		stories = append(stories, a.StoryID)
	}
	// Story 0 gets 12 members, the latest on day 5: it is reported last.
	for i := range 11 {
		m := article(fmt.Sprintf("https://b.com/%d", i), "متابعة", day(0).Add(time.Duration(i+1)*time.Hour))
		if i == 10 {
			m.Published = day(5)
		}
		m.StoryID = stories[0]
		save(t, s, m, idx("متابعة", ""))
	}
	list, total, err := s.ListStories(c, store.StoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, st := range list {
		got = append(got, st.ID)
	}
	if want := []int64{stories[0], stories[2], stories[1]}; !slices.Equal(got, want) || total != 3 {
		t.Fatalf("ListStories = %v (total %d), want %v", got, total, want)
	}
	if len(list[0].Members) != 10 || list[0].Articles != 12 || list[0].Members[0].Title != "قصة 0" {
		t.Errorf("first story: %d members (want at most 10), %d articles", len(list[0].Members), list[0].Articles)
	}
	page, total, err := s.ListStories(c, store.StoryFilter{Limit: 1, Offset: 1})
	if err != nil || total != 3 || len(page) != 1 || page[0].ID != stories[2] {
		t.Errorf("ListStories page 2: %+v, %d, %v", page, total, err)
	}
	page, total, err = s.ListStories(c, store.StoryFilter{Limit: 1, Offset: 1, NoTotal: true})
	if err != nil || total != 0 || len(page) != 1 || page[0].ID != stories[2] {
		t.Errorf("ListStories page 2 with no total: %+v, %d, %v; want the same page, total 0", page, total, err)
	}
	recent, total, err := s.ListStories(c, store.StoryFilter{Since: day(2)})
	if err != nil || total != 2 || len(recent) != 2 {
		t.Errorf("ListStories since day 2: %d stories, total %d, %v", len(recent), total, err)
	}
}

func testCandidates(t *testing.T, s store.Store) {
	c := ctx(t)
	mk := func(url string, published time.Time, bands ...uint64) *model.Article {
		a := article(url, "خبر", published)
		a.ContentHash = "hash-" + url
		a.Signature = []uint64{bands[0], 99}
		ix := idx("خبر", "")
		ix.Bands = bands
		save(t, s, a, ix)
		return a
	}
	big := uint64(1) << 63 // band keys use the full uint64 range
	three := mk("https://a/3", day(0), 1, 2, 3, big)
	one := mk("https://a/1", day(0), 1, 50, 60, 70)
	two := mk("https://a/2", day(1), 2, big, 80, 90)
	old := mk("https://a/old", day(-30), 1, 2, 3, big)
	mk("https://a/none", day(1), 100, 200, 300, 400)

	got, err := s.Candidates(c, []uint64{1, 2, 3, big, 1000}, day(-7), 10)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []int64
	for _, cd := range got {
		gotIDs = append(gotIDs, cd.ID)
	}
	if want := []int64{three.ID, two.ID, one.ID}; !slices.Equal(gotIDs, want) {
		t.Fatalf("Candidates = %v, want %v (old one %d out of the window)", gotIDs, want, old.ID)
	}
	if got[0].Shared != 4 || got[1].Shared != 2 || got[2].Shared != 1 {
		t.Errorf("Shared = %d, %d, %d; want 4, 2, 1", got[0].Shared, got[1].Shared, got[2].Shared)
	}
	cd := got[0]
	if cd.StoryID != three.StoryID || cd.SourceName != "المصدر" || !cd.Published.Equal(day(0)) ||
		cd.ContentHash != three.ContentHash || !slices.Equal(cd.Signature, three.Signature) {
		t.Errorf("candidate fields: %+v", cd)
	}
	limited, err := s.Candidates(c, []uint64{1, 2, 3, big}, day(-7), 1)
	if err != nil || len(limited) != 1 || limited[0].ID != three.ID {
		t.Errorf("Candidates limit 1 = %+v, %v", limited, err)
	}
	withOld, err := s.Candidates(c, []uint64{3}, time.Time{}, 10)
	if err != nil || len(withOld) != 2 {
		t.Errorf("Candidates with no window = %+v, %v", withOld, err)
	}
	// Updated bands replace the old ones.
	three.StoryID = 0
	ix := idx("خبر", "")
	ix.Bands = []uint64{5000}
	save(t, s, three, ix)
	again, err := s.Candidates(c, []uint64{3}, day(-7), 10)
	if err != nil || len(again) != 0 {
		t.Errorf("Candidates after the bands changed = %+v, %v", again, err)
	}
	empty, err := s.Candidates(c, nil, day(-7), 10)
	if err != nil || len(empty) != 0 {
		t.Errorf("Candidates(nil) = %+v, %v", empty, err)
	}
}

func testByContentHash(t *testing.T, s store.Store) {
	c := ctx(t)
	later := article("https://b/1", "نسخة", day(2))
	later.ContentHash = "same"
	save(t, s, later, idx("نسخة", ""))
	earliest := article("https://a/1", "أصل", day(0))
	earliest.ContentHash = "same"
	save(t, s, earliest, idx("اصل", ""))
	other := article("https://c/1", "آخر", day(-1))
	other.ContentHash = "different"
	save(t, s, other, idx("اخر", ""))
	got, err := s.ByContentHash(c, "same")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != earliest.ID {
		t.Errorf("ByContentHash = %d, want the earliest %d", got.ID, earliest.ID)
	}
}

func testDocFreq(t *testing.T, s store.Store) {
	c := ctx(t)
	a := article("https://a/1", "أ", day(0))
	ixa := idx("أ", "")
	ixa.Phrases = []string{"تحالف دولي", "لبنان", "لبنان"} // a repeat counts once
	save(t, s, a, ixa)
	b := article("https://b/1", "ب", day(0))
	ixb := idx("ب", "")
	// Given as hashes (an import's way): the same as the phrases.
	ixb.PhraseHashes = store.PhraseHashes([]string{"لبنان", "بحرين"})
	save(t, s, b, ixb)

	df, docs, err := s.DocFreq(c, []string{"لبنان", "تحالف دولي", "بحرين", "مجهول"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"لبنان": 2, "تحالف دولي": 1, "بحرين": 1, "مجهول": 0}
	if docs != 2 || !mapsEqual(df, want) {
		t.Errorf("DocFreq = %v, %d; want %v, 2", df, docs, want)
	}
	// Saving a again with the same phrases changes nothing; with other
	// phrases, the counts move by the difference.
	save(t, s, a, ixa)
	df, _, _ = s.DocFreq(c, []string{"لبنان", "تحالف دولي"})
	if df["لبنان"] != 2 || df["تحالف دولي"] != 1 {
		t.Errorf("DocFreq after a repeated save = %v", df)
	}
	ixa.Phrases, ixa.PhraseHashes = nil, store.PhraseHashes([]string{"بحرين", "لبنان"})
	save(t, s, a, ixa)
	df, docs, _ = s.DocFreq(c, []string{"لبنان", "تحالف دولي", "بحرين"})
	want = map[string]int{"لبنان": 2, "تحالف دولي": 0, "بحرين": 2}
	if docs != 2 || !mapsEqual(df, want) {
		t.Errorf("DocFreq after an update = %v, %d; want %v", df, docs, want)
	}
	df, docs, err = s.DocFreq(c, nil)
	if err != nil || len(df) != 0 || docs != 2 {
		t.Errorf("DocFreq(nil) = %v, %d, %v", df, docs, err)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func testEntities(t *testing.T, s store.Store) {
	c := ctx(t)
	ents := [][]model.Entity{
		{{Name: "لبنان", Type: model.EntityPlace, Mentions: []string{"لبنان", "للبنان"}}, {Name: "ميشال عون", Type: model.EntityPerson, Mentions: []string{"عون"}}},
		{{Name: "لبنان", Type: model.EntityPlace, Mentions: []string{"للبنان"}}, {Name: "ميشال عون", Type: model.EntityPerson, Mentions: []string{"الرئيس عون"}}},
		{{Name: "لبنان", Type: model.EntityPlace, Mentions: []string{"وللبنان"}}, {Name: "سوريا", Type: model.EntityPlace, Mentions: []string{"سوريا"}}},
		{{Name: "سوريا", Type: model.EntityPlace, Mentions: []string{"سوريا"}}},
	}
	for i, e := range ents {
		a := article(fmt.Sprintf("https://a/%d", i), "خبر", day(i))
		a.Entities = e
		save(t, s, a, idx("خبر", ""))
	}
	info, err := s.GetEntity(c, "لبنان")
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "لبنان" || info.Type != model.EntityPlace || info.Articles != 3 {
		t.Errorf("GetEntity = %+v", info)
	}
	if len(info.Aliases) != 3 || info.Aliases[0] != "للبنان" || !slices.Contains(info.Aliases, "لبنان") || !slices.Contains(info.Aliases, "وللبنان") {
		t.Errorf("Aliases = %q, want للبنان first, then لبنان and وللبنان", info.Aliases)
	}
	if len(info.Related) != 2 || info.Related[0].Term != "ميشال عون" || info.Related[0].Count != 2 ||
		info.Related[0].Type != model.EntityPerson || info.Related[1].Term != "سوريا" || info.Related[1].Count != 1 {
		t.Errorf("Related = %+v", info.Related)
	}
}

func testTop(t *testing.T, s store.Store) {
	c := ctx(t)
	data := []struct {
		day  int
		kws  []string
		ents []model.Entity
	}{
		{0, []string{"الانتخابات", "البرلمان"}, []model.Entity{{Name: "تونس", Type: model.EntityPlace}}},
		{0, []string{"الإنتخابات"}, []model.Entity{{Name: "تونس", Type: model.EntityPlace}, {Name: "قيس سعيد", Type: model.EntityPerson}}},
		{1, []string{"الانتخابات", "الاقتصاد"}, []model.Entity{{Name: "قيس سعيد", Type: model.EntityPerson}}},
		{1, []string{"البرلمان"}, []model.Entity{{Name: "تونس", Type: model.EntityPlace}}},
		{5, []string{"الاقتصاد", "الاقتصاد"}, []model.Entity{{Name: "مصر", Type: model.EntityPlace}}},
	}
	for i, d := range data {
		a := article(fmt.Sprintf("https://a/%d", i), "خبر", day(d.day))
		a.Keywords, a.Entities = d.kws, d.ents
		save(t, s, a, idx("خبر", ""))
	}
	tags, err := s.TopTags(c, day(0), day(2), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.TermCount{{Term: "الانتخابات", Count: 3}, {Term: "البرلمان", Count: 2}, {Term: "الاقتصاد", Count: 1}}
	if !reflect.DeepEqual(tags, want) {
		t.Errorf("TopTags = %+v, want %+v", tags, want)
	}
	tags, err = s.TopTags(c, day(0), day(2), 1)
	if err != nil || len(tags) != 1 || tags[0].Term != "الانتخابات" {
		t.Errorf("TopTags limit 1 = %+v, %v", tags, err)
	}
	tags, err = s.TopTags(c, day(2), day(6), 10)
	if err != nil || !reflect.DeepEqual(tags, []store.TermCount{{Term: "الاقتصاد", Count: 1}}) {
		t.Errorf("TopTags later window = %+v, %v", tags, err)
	}
	ents, err := s.TopEntities(c, day(0), day(2), 10)
	if err != nil {
		t.Fatal(err)
	}
	wantE := []store.TermCount{{Term: "تونس", Type: model.EntityPlace, Count: 3}, {Term: "قيس سعيد", Type: model.EntityPerson, Count: 2}}
	if !reflect.DeepEqual(ents, wantE) {
		t.Errorf("TopEntities = %+v, want %+v", ents, wantE)
	}
	// until is exclusive.
	ents, err = s.TopEntities(c, day(1), day(5), 10)
	if err != nil || len(ents) != 2 || slices.ContainsFunc(ents, func(tc store.TermCount) bool { return tc.Term == "مصر" }) {
		t.Errorf("TopEntities [day1, day5) = %+v, %v", ents, err)
	}
}

// testCommonTerms: a keyword or name in at least the given share of one
// outlet's articles of the window is page furniture, in every written form
// of the keyword; an outlet with too few articles there, and articles
// outside the window, count for nothing.
func testCommonTerms(t *testing.T, s store.Store) {
	fb := model.Entity{Name: "فيسبوك", Type: model.EntityOrg}
	data := []struct {
		outlet string
		day    int
		kws    []string
		ents   []model.Entity
	}{
		{"عكاظ", 0, []string{"الانتخابات", "شارك"}, []model.Entity{fb}},
		{"عكاظ", 0, []string{"الإنتخابات", "شارك"}, []model.Entity{fb}},
		{"عكاظ", 1, []string{"الاقتصاد", "شارك"}, []model.Entity{fb, {Name: "تونس", Type: model.EntityPlace}}},
		{"عكاظ", 1, []string{"الانتخابات"}, nil},
		{"الرياض", 0, []string{"الطقس"}, []model.Entity{{Name: "جدة", Type: model.EntityPlace}}},
		{"الرياض", 1, []string{"الطقس"}, []model.Entity{{Name: "جدة", Type: model.EntityPlace}}},
		{"عكاظ", 9, []string{"قديم"}, []model.Entity{{Name: "مصر", Type: model.EntityPlace}}},
		{"عكاظ", 9, []string{"قديم"}, []model.Entity{{Name: "مصر", Type: model.EntityPlace}}},
		{"عكاظ", 9, []string{"قديم"}, []model.Entity{{Name: "مصر", Type: model.EntityPlace}}},
	}
	for i, d := range data {
		a := article(fmt.Sprintf("https://a/%d", i), "خبر", day(d.day))
		a.SourceName, a.Keywords, a.Entities = d.outlet, d.kws, d.ents
		save(t, s, a, idx("خبر", ""))
	}
	tags, ents, err := s.CommonTerms(ctx(t), day(0), day(2), 0.5, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"الإنتخابات", "الانتخابات", "شارك"}; !reflect.DeepEqual(tags, want) {
		t.Errorf("CommonTerms tags = %q, want %q", tags, want)
	}
	if want := []string{"فيسبوك"}; !reflect.DeepEqual(ents, want) {
		t.Errorf("CommonTerms entities = %q, want %q", ents, want)
	}
	// A higher share leaves out what three of four articles carry.
	tags, ents, err = s.CommonTerms(ctx(t), day(0), day(2), 0.9, 3)
	if err != nil || len(tags) != 0 || len(ents) != 0 {
		t.Errorf("CommonTerms share 0.9 = %q %q %v, want none", tags, ents, err)
	}
}

func testLearnedNames(t *testing.T, s store.Store) {
	c := ctx(t)
	obs := []model.Entity{
		{Name: "نجيب ميقاتي", Type: model.EntityPerson, Mentions: []string{"نجيب ميقاتي"}},
		{Name: "شركة أرامكو", Type: model.EntityOrg, Mentions: []string{"أرامكو"}},
	}
	if err := s.ObserveNames(c, obs); err != nil {
		t.Fatal(err)
	}
	if err := s.ObserveNames(c, obs[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s.ObserveNames(c, []model.Entity{{Name: "نجيب ميقاتي", Type: model.EntityPerson, Mentions: []string{"ميقاتي"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.LearnedNames(c, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "نجيب ميقاتي" || got[0].Type != model.EntityPerson {
		t.Fatalf("LearnedNames(3) = %+v", got)
	}
	if !slices.Contains(got[0].Mentions, "نجيب ميقاتي") || !slices.Contains(got[0].Mentions, "ميقاتي") {
		t.Errorf("learned name forms = %q", got[0].Mentions)
	}
	got, err = s.LearnedNames(c, 1)
	if err != nil || len(got) != 2 {
		t.Errorf("LearnedNames(1) = %+v, %v", got, err)
	}
	got, err = s.LearnedNames(c, 4)
	if err != nil || len(got) != 0 {
		t.Errorf("LearnedNames(4) = %+v, %v", got, err)
	}
}

func testSearchAndAny(t *testing.T, s store.Store) {
	both := article("https://a/both", "لبنان والبحرين", day(0))
	save(t, s, both, idx("لبنان بحرين", "لبنان بحرين"))
	leb := article("https://a/leb", "لبنان", day(0))
	save(t, s, leb, idx("لبنان", "لبنان"))
	bah := article("https://a/bah", "بحرين", day(0))
	save(t, s, bah, idx("بحرين", "بحرين"))
	save(t, s, article("https://a/none", "مصر", day(0)), idx("مصر", "مصر"))

	clauses := []store.Clause{word("لبنان", "لبنان"), word("بحرين", "بحرين")}
	ids, total := search(t, s, store.TextQuery{Clauses: clauses})
	if !slices.Equal(ids, []int64{both.ID}) || total != 1 {
		t.Errorf("AND search = %v (total %d), want only %d", ids, total, both.ID)
	}
	ids, total = search(t, s, store.TextQuery{Clauses: clauses, Any: true})
	if total != 3 || len(ids) != 3 || ids[0] != both.ID {
		t.Errorf("Any search = %v (total %d), want 3 with %d first", ids, total, both.ID)
	}
	ids, total = search(t, s, store.TextQuery{})
	if len(ids) != 0 || total != 0 {
		t.Errorf("empty query = %v, %d", ids, total)
	}
	ids, _ = search(t, s, store.TextQuery{Clauses: []store.Clause{word("سوريا", "سوري")}})
	if len(ids) != 0 {
		t.Errorf("absent word found %v", ids)
	}
}

func testSearchExactAboveStem(t *testing.T, s store.Store) {
	// "المدارس" analysed: exact مدارس, stem مدرس. One article has the
	// exact word, the other only a word with the same stem (مدرسة → مدرس).
	stemOnly := article("https://a/stem", "مدرسة", day(0))
	save(t, s, stemOnly, store.IndexData{TitleTerms: "مدرسه جديده", TitleStems: "مدرس جديد", BodyTerms: "افتتاح مدرسه", BodyStems: "افتتاح مدرس"})
	exact := article("https://a/exact", "مدارس", day(0))
	save(t, s, exact, store.IndexData{TitleTerms: "مدارس جديده", TitleStems: "مدرس جديد", BodyTerms: "افتتاح مدارس", BodyStems: "افتتاح مدرس"})
	ids, total := search(t, s, store.TextQuery{Clauses: []store.Clause{word("مدارس", "مدرس")}})
	if total != 2 || !slices.Equal(ids, []int64{exact.ID, stemOnly.ID}) {
		t.Errorf("exact vs stem = %v (total %d), want %v", ids, total, []int64{exact.ID, stemOnly.ID})
	}
}

func testSearchTitleAboveBody(t *testing.T, s store.Store) {
	body := article("https://a/body", "خبر", day(0))
	save(t, s, body, idx("اخبار عاجله اليوم", "زلزال قوي ضرب المنطقه"))
	title := article("https://a/title", "زلزال", day(0))
	save(t, s, title, idx("زلزال قوي اليوم", "اخبار عاجله ضرب المنطقه"))
	ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("زلزال", "زلزال")}})
	if !slices.Equal(ids, []int64{title.ID, body.ID}) {
		t.Errorf("title vs body = %v, want %v", ids, []int64{title.ID, body.ID})
	}
}

func testSearchPhrase(t *testing.T, s store.Store) {
	inOrder := article("https://a/1", "تحالف دولي", day(0))
	save(t, s, inOrder, idx("تحالف دولي جديد", ""))
	reversed := article("https://a/2", "دولي تحالف", day(0))
	save(t, s, reversed, idx("دولي تحالف", ""))
	apart := article("https://a/3", "تحالف", day(0))
	save(t, s, apart, idx("تحالف عربي دولي", ""))
	phrase := store.Clause{Exact: []string{"تحالف", "دولي"}}
	ids, total := search(t, s, store.TextQuery{Clauses: []store.Clause{phrase}})
	if !slices.Equal(ids, []int64{inOrder.ID}) || total != 1 {
		t.Errorf("phrase = %v (total %d), want only %d", ids, total, inOrder.ID)
	}
	ids, _ = search(t, s, store.TextQuery{Clauses: []store.Clause{phrase, word("جديد", "")}})
	if !slices.Equal(ids, []int64{inOrder.ID}) {
		t.Errorf("phrase AND word = %v", ids)
	}
}

func testSearchFilters(t *testing.T, s store.Store) {
	s1 := addSource(t, s, "https://one/feed", "واحد")
	s2 := addSource(t, s, "https://two/feed", "اثنان")
	var arts []*model.Article
	for i := range 4 {
		a := article(fmt.Sprintf("https://a/%d", i), "بحرين", day(i))
		a.SourceID = s1.ID
		if i%2 == 1 {
			a.SourceID = s2.ID
		}
		if i == 3 {
			a.StoryID = arts[2].StoryID
		}
		save(t, s, a, idx("بحرين", ""))
		arts = append(arts, a)
	}
	q := func(mod func(*store.TextQuery)) []int64 {
		tq := store.TextQuery{Clauses: []store.Clause{word("بحرين", "بحرين")}}
		mod(&tq)
		ids, total := search(t, s, tq)
		if total != len(ids) {
			t.Errorf("total %d for %d hits", total, len(ids))
		}
		slices.Sort(ids)
		return ids
	}
	if got := q(func(tq *store.TextQuery) { tq.SourceIDs = []int64{s2.ID} }); !slices.Equal(got, []int64{arts[1].ID, arts[3].ID}) {
		t.Errorf("SourceIDs filter = %v", got)
	}
	if got := q(func(tq *store.TextQuery) { tq.ExcludeIDs = []int64{arts[0].ID, arts[1].ID} }); !slices.Equal(got, []int64{arts[2].ID, arts[3].ID}) {
		t.Errorf("ExcludeIDs = %v", got)
	}
	if got := q(func(tq *store.TextQuery) { tq.ExcludeStory = arts[2].StoryID }); !slices.Equal(got, []int64{arts[0].ID, arts[1].ID}) {
		t.Errorf("ExcludeStory = %v", got)
	}
	if got := q(func(tq *store.TextQuery) { tq.Since = day(2) }); !slices.Equal(got, []int64{arts[2].ID, arts[3].ID}) {
		t.Errorf("Since = %v", got)
	}
	if got := q(func(tq *store.TextQuery) { tq.SourceIDs = []int64{s1.ID}; tq.Since = day(1) }); !slices.Equal(got, []int64{arts[2].ID}) {
		t.Errorf("SourceIDs and Since = %v", got)
	}
}

func testSearchPagination(t *testing.T, s store.Store) {
	for i := range 25 {
		save(t, s, article(fmt.Sprintf("https://a/%d", i), "لبنان", day(i)), idx("لبنان", "لبنان"))
	}
	q := store.TextQuery{Clauses: []store.Clause{word("لبنان", "")}}
	first, total := search(t, s, q)
	if len(first) != 20 || total != 25 {
		t.Fatalf("default limit: %d hits, total %d; want 20, 25", len(first), total)
	}
	q.Limit, q.Offset = 10, 20
	rest, total := search(t, s, q)
	if len(rest) != 5 || total != 25 {
		t.Errorf("last page: %d hits, total %d", len(rest), total)
	}
	seen := map[int64]bool{}
	for _, id := range append(first, rest...) {
		if seen[id] {
			t.Errorf("id %d on two pages", id)
		}
		seen[id] = true
	}
	q.Offset = 40
	none, total := search(t, s, q)
	if len(none) != 0 || total != 25 {
		t.Errorf("past the end: %d hits, total %d", len(none), total)
	}
}

func testSearchFreshness(t *testing.T, s store.Store) {
	old := article("https://a/old", "بحرين", day(0))
	save(t, s, old, idx("بحرين", "بحرين"))
	fresh := article("https://a/new", "بحرين", day(14))
	save(t, s, fresh, idx("بحرين", "بحرين"))
	hits, _, err := s.SearchText(ctx(t), store.TextQuery{Clauses: []store.Clause{word("بحرين", "بحرين")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].ID != fresh.ID {
		t.Fatalf("equal relevance: %v, want the fresh %d first", hits, fresh.ID)
	}
	// Two weeks older: (1 + 0.2/(1 + 14/7)) / (1 + 0.2) of the fresh score.
	want := (1 + store.FreshBonus/(1+14/store.FreshDays)) / (1 + store.FreshBonus)
	if r := hits[1].Score / hits[0].Score; r < want-0.01 || r > want+0.01 {
		t.Errorf("old/new score ratio %.3f, want %.3f", r, want)
	}
	// Freshness is gentle: a title match two months old stays above a
	// fresh body match.
	titleOld := article("https://a/title-old", "زلزال", day(-60))
	save(t, s, titleOld, idx("زلزال قوي اليوم", "اخبار عاجله ضرب المنطقه"))
	bodyNew := article("https://a/body-new", "خبر", day(14))
	save(t, s, bodyNew, idx("اخبار عاجله اليوم", "زلزال قوي ضرب المنطقه"))
	ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("زلزال", "زلزال")}})
	if len(ids) != 2 || ids[0] != titleOld.ID {
		t.Errorf("old title match vs fresh body match = %v, want %d first", ids, titleOld.ID)
	}
	// A fresh title match beats an older body match by far; a very relevant
	// old article still beats a barely relevant fresh one of the same age.
	if hits[0].Score <= 0 {
		t.Errorf("score %v not positive", hits[0].Score)
	}
}

// testSearchAround: with Around set, freshness counts the distance from
// that time in either direction: an article two weeks after it ranks as
// one two weeks before, and both below one of the same day (whereas from
// the newest article, the latest would come first).
func testSearchAround(t *testing.T, s store.Store) {
	before := article("https://a/before", "بحرين", day(0))
	near := article("https://a/near", "بحرين", day(14))
	after := article("https://a/after", "بحرين", day(28))
	newest := article("https://a/newest", "لبنان", day(200))
	for _, a := range []*model.Article{before, near, after} {
		save(t, s, a, idx("بحرين", "بحرين"))
	}
	save(t, s, newest, idx("لبنان", "لبنان"))
	for _, filtered := range []bool{false, true} {
		q := store.TextQuery{Clauses: []store.Clause{word("بحرين", "بحرين")}, Around: day(14)}
		if filtered {
			q.ExcludeStory = newest.StoryID
		}
		hits, _, err := s.SearchText(ctx(t), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 3 || hits[0].ID != near.ID {
			t.Fatalf("filtered %v: %v, want %d (the day of Around) first", filtered, hits, near.ID)
		}
		// Two weeks away either side, the same factor of the contract:
		// (1 + FreshBonus / (1 + 14 / FreshDays)) / (1 + FreshBonus).
		want := (1 + store.FreshBonus/(1+14/store.FreshDays)) / (1 + store.FreshBonus)
		for _, h := range hits[1:] {
			if r := h.Score / hits[0].Score; r < want-0.02 || r > want+0.02 {
				t.Errorf("filtered %v: article %d two weeks from Around: score ratio %.3f, want %.3f", filtered, h.ID, r, want)
			}
		}
	}
}

// testRelated: stored related reading round-trips in order, an empty one
// is known to be computed, links to unknown articles are left out, and an
// unknown article is ErrNotFound.
// testArticleRefs checks the short form of articles that lists of links
// show: in the order asked, without the ones not stored, the outlet's name
// as the source, and the excerpt the whole text would give.
func testArticleRefs(t *testing.T, s store.Store) {
	c := ctx(t)
	if refs, err := s.ArticleRefs(c, nil); err != nil || len(refs) != 0 {
		t.Fatalf("ArticleRefs(none) = %+v, %v; want none", refs, err)
	}
	short := article("https://a/short", "خبر قصير", day(0))
	long := article("https://a/long", "خبر طويل", day(1))
	long.Text = strings.Repeat("أعلنت الوزارة اليوم عن خطة جديدة للنقل العام في المدن الكبرى. ", 60)
	long.Outlet = "wire"
	if err := s.SaveOutlet(c, model.Outlet{Key: "wire", NameAR: "وكالة الأنباء"}); err != nil {
		t.Fatal(err)
	}
	// White space filling the part of the text a store reads for the
	// excerpt: the excerpt is shorter, but still says the text goes on.
	spaced := article("https://a/spaced", "خبر متباعد", day(2))
	spaced.Text = "البداية" + strings.Repeat(" ", 4*store.RefExcerptRunes) + "ثم بقية الخبر"
	for _, a := range []*model.Article{short, long, spaced} {
		save(t, s, a, idx("خبر", "نص"))
	}
	refs, err := s.ArticleRefs(c, []int64{long.ID, long.ID + spaced.ID + 1000, short.ID, spaced.ID, long.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []*model.Article{long, short, spaced, long}
	if len(refs) != len(want) {
		t.Fatalf("ArticleRefs = %+v, want %d refs (the unknown id left out)", refs, len(want))
	}
	for i, a := range want {
		r := refs[i]
		source := a.SourceName
		if a == long {
			source = "وكالة الأنباء"
		}
		stored, err := s.GetArticle(c, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		excerpt := plaintext.Excerpt(a.Text, store.RefExcerptRunes)
		if a == spaced {
			excerpt = "البداية…"
		}
		if r.ID != a.ID || r.URL != a.URL || r.Title != a.Title || r.Source != source || r.Outlet != stored.Outlet ||
			!r.Published.Equal(a.Published) || r.Excerpt != excerpt || r.Later {
			t.Errorf("ref %d = %+v\nwant id %d %q %q source %q outlet %q published %v excerpt %q", i, r,
				a.ID, a.URL, a.Title, source, stored.Outlet, a.Published, excerpt)
		}
	}
	if !strings.HasSuffix(refs[0].Excerpt, "…") || len([]rune(refs[0].Excerpt)) > store.RefExcerptRunes+1 {
		t.Errorf("long excerpt = %q, want at most %d runes and cut", refs[0].Excerpt, store.RefExcerptRunes)
	}
}

func testRelated(t *testing.T, s store.Store) {
	a := article("https://a/1", "التحالف الدولي", day(0))
	b := article("https://a/2", "داعش", day(1))
	c := article("https://a/3", "سوريا", day(400))
	for _, x := range []*model.Article{a, b, c} {
		save(t, s, x, idx(x.Title, ""))
	}
	if links, ok, err := s.GetRelated(ctx(t), a.ID); err != nil || ok || len(links) != 0 {
		t.Fatalf("GetRelated before any: %v %v %v, want not known", links, ok, err)
	}
	want := []store.RelatedLink{{ID: c.ID, Score: 4.5, Later: true}, {ID: b.ID, Score: 3}}
	in := append(slices.Clone(want), store.RelatedLink{ID: c.ID + 1000, Score: 9}, store.RelatedLink{ID: a.ID, Score: 9})
	if err := s.SaveRelated(ctx(t), a.ID, in); err != nil {
		t.Fatalf("SaveRelated: %v", err)
	}
	links, ok, err := s.GetRelated(ctx(t), a.ID)
	if err != nil || !ok || !reflect.DeepEqual(links, want) {
		t.Fatalf("GetRelated = %+v %v %v, want %+v (unknown and self links left out)", links, ok, err, want)
	}
	// Replaced, not added to.
	if err := s.SaveRelated(ctx(t), a.ID, nil); err != nil {
		t.Fatal(err)
	}
	if links, ok, err := s.GetRelated(ctx(t), a.ID); err != nil || !ok || len(links) != 0 {
		t.Fatalf("GetRelated after an empty save = %+v %v %v, want known and empty", links, ok, err)
	}
	// Saving the article again keeps it until it is recomputed.
	if err := s.SaveRelated(ctx(t), b.ID, want[:1]); err != nil {
		t.Fatal(err)
	}
	save(t, s, b, idx(b.Title, "نص"))
	if links, ok, err := s.GetRelated(ctx(t), b.ID); err != nil || !ok || !reflect.DeepEqual(links, want[:1]) {
		t.Fatalf("GetRelated after the article's update = %+v %v %v, want %+v", links, ok, err, want[:1])
	}
	if err := s.SaveRelated(ctx(t), c.ID+1000, want); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveRelated of an unknown article: %v, want ErrNotFound", err)
	}
	// Many lists at once: each replaced as by SaveRelated, the list of an
	// unknown article left out without failing the others.
	lists := []store.RelatedList{
		{ID: a.ID, Links: in},
		{ID: c.ID + 1000, Links: want},
		{ID: b.ID, Links: nil},
		{ID: c.ID, Links: []store.RelatedLink{{ID: a.ID, Score: 5}}},
	}
	if err := s.SaveRelatedLists(ctx(t), lists); err != nil {
		t.Fatalf("SaveRelatedLists: %v", err)
	}
	for _, w := range []struct {
		id   int64
		want []store.RelatedLink
	}{{a.ID, want}, {b.ID, []store.RelatedLink{}}, {c.ID, []store.RelatedLink{{ID: a.ID, Score: 5}}}} {
		if links, ok, err := s.GetRelated(ctx(t), w.id); err != nil || !ok || !reflect.DeepEqual(links, w.want) {
			t.Errorf("GetRelated(%d) after SaveRelatedLists = %+v %v %v, want %+v", w.id, links, ok, err, w.want)
		}
	}
	if links, ok, err := s.GetRelated(ctx(t), c.ID+1000); err != nil || ok {
		t.Errorf("GetRelated of the unknown article = %+v %v %v, want not known", links, ok, err)
	}
}

func testSearchInjection(t *testing.T, s store.Store) {
	a := article("https://a/1", "foo bar", day(0))
	save(t, s, a, idx("foo bar", "لبنان near"))
	for _, w := range []string{`foo" OR "bar`, `NEAR(`, `*`, `-`, `"`, `foo*`, `title_terms:foo`, `{body_terms}:`, `^foo`, `AND`, `)`, `لبنان"`} {
		_, _, err := s.SearchText(ctx(t), store.TextQuery{Clauses: []store.Clause{{Exact: []string{w}, Stem: w}}})
		if err != nil {
			t.Errorf("term %q: %v", w, err)
		}
		_, _, err = s.SearchText(ctx(t), store.TextQuery{Clauses: []store.Clause{{Exact: []string{"foo", w}}, word(w, "")}, Any: true})
		if err != nil {
			t.Errorf("phrase with %q: %v", w, err)
		}
	}
	// `foo" OR "bar` is one odd term, not an OR: it must not match an
	// article having only "bar"-less text... nor widen an AND.
	b := article("https://a/2", "bar", day(0))
	save(t, s, b, idx("bar", ""))
	ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word(`zzz" OR "bar`, "")}})
	if slices.Contains(ids, b.ID) && !slices.Contains(ids, a.ID) {
		t.Errorf("injected OR matched %v", ids)
	}
	if len(ids) != 0 {
		t.Errorf("quoted term with an embedded OR matched %v", ids)
	}
	// A word with no letters matches nothing rather than everything.
	ids, total := search(t, s, store.TextQuery{Clauses: []store.Clause{word("*", "*")}})
	if len(ids) != 0 || total != 0 {
		t.Errorf("term * matched %v", ids)
	}
}

func testSearchUpdate(t *testing.T, s store.Store) {
	a := article("https://a/1", "بحرين", day(0))
	save(t, s, a, idx("بحرين", ""))
	a.Title = "قطر"
	save(t, s, a, idx("قطر", ""))
	ids, total := search(t, s, store.TextQuery{Clauses: []store.Clause{word("بحرين", "")}})
	if len(ids) != 0 || total != 0 {
		t.Errorf("stale term found after update: %v", ids)
	}
	ids, _ = search(t, s, store.TextQuery{Clauses: []store.Clause{word("قطر", "")}})
	if !slices.Equal(ids, []int64{a.ID}) {
		t.Errorf("new term after update: %v", ids)
	}
}

func testAlerts(t *testing.T, s store.Store) {
	c := ctx(t)
	al := &model.Alert{Query: "لبنان", SourceIDs: []int64{1, 2}, Entities: []string{"ميشال عون"}, Webhook: "https://hook/", Email: "a@example.com"}
	if err := s.AddAlert(c, al); err != nil {
		t.Fatal(err)
	}
	second := &model.Alert{Query: "بحرين"}
	if err := s.AddAlert(c, second); err != nil {
		t.Fatal(err)
	}
	if al.ID == 0 || second.ID == 0 || al.ID == second.ID {
		t.Fatalf("alert ids %d, %d", al.ID, second.ID)
	}
	got, err := s.GetAlert(c, al.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Query != al.Query || !slices.Equal(got.SourceIDs, al.SourceIDs) || !sameStrings(got.Entities, al.Entities) ||
		got.Webhook != al.Webhook || got.Email != al.Email || got.CreatedAt.IsZero() {
		t.Errorf("GetAlert = %+v, want %+v", got, al)
	}
	list, err := s.ListAlerts(c)
	if err != nil || len(list) != 2 || list[0].ID != al.ID {
		t.Errorf("ListAlerts = %+v, %v", list, err)
	}
	older := article("https://a/1", "قديم", day(0))
	save(t, s, older, idx("قديم", ""))
	newer := article("https://a/2", "جديد", day(1))
	save(t, s, newer, idx("جديد", ""))
	for _, id := range []int64{older.ID, newer.ID} {
		first, err := s.RecordDelivery(c, al.ID, id)
		if err != nil || !first {
			t.Errorf("RecordDelivery(%d) = %v, %v; want first", id, first, err)
		}
	}
	first, err := s.RecordDelivery(c, al.ID, older.ID)
	if err != nil || first {
		t.Errorf("RecordDelivery again = %v, %v; want not first", first, err)
	}
	first, err = s.RecordDelivery(c, second.ID, older.ID)
	if err != nil || !first {
		t.Errorf("RecordDelivery for another alert = %v, %v", first, err)
	}
	if _, err := s.RecordDelivery(c, 9999, older.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RecordDelivery for a missing alert: %v", err)
	}
	got2, err := s.Delivered(c, al.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(got2), []int64{newer.ID, older.ID}) {
		t.Errorf("Delivered = %v, want newest first", ids(got2))
	}
	got2, err = s.Delivered(c, al.ID, 1)
	if err != nil || len(got2) != 1 {
		t.Errorf("Delivered limit 1 = %v, %v", ids(got2), err)
	}
	if err := s.DeleteAlert(c, al.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetAlert(c, al.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetAlert after delete: %v", err)
	}
	list, _ = s.ListAlerts(c)
	if len(list) != 1 {
		t.Errorf("ListAlerts after delete: %+v", list)
	}
}

func testSettings(t *testing.T, s store.Store) {
	c := ctx(t)
	if err := s.SetSetting(c, "admin_token", "abc"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(c, "admin_token", "xyz"); err != nil {
		t.Fatal(err)
	}
	v, err := s.GetSetting(c, "admin_token")
	if err != nil || v != "xyz" {
		t.Errorf("GetSetting = %q, %v", v, err)
	}
	if err := s.SetSetting(c, "empty", ""); err != nil {
		t.Fatal(err)
	}
	if v, err := s.GetSetting(c, "empty"); err != nil || v != "" {
		t.Errorf("empty setting = %q, %v", v, err)
	}
}

// BackupOpener opens a backup file written by Backup, for testBackup; a
// backend whose backups are not files it can open leaves it nil.
type BackupOpener func(t *testing.T, path string) store.Store

func testBackup(t *testing.T, s store.Store, open BackupOpener) {
	c := ctx(t)
	a := fullArticle()
	save(t, s, a, idx("تحالف دولي", "لبنان"))
	u := &model.User{Name: "reader", PasswordHash: "h"}
	if err := s.AddUser(c, u); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(c, u.ID, []int64{a.ID}, true); err != nil {
		t.Fatal(err)
	}
	b2 := article("https://a/backup-2", "داعش", day(1))
	save(t, s, b2, idx(b2.Title, ""))
	related := []store.RelatedLink{{ID: b2.ID, Score: 2.5}}
	if err := s.SaveRelated(c, a.ID, related); err != nil {
		t.Fatal(err)
	}
	outlet := model.Outlet{Key: "backup-outlet", NameAR: "منفذ", NameEN: "Outlet", Country: "SA", Kind: "private"}
	if err := s.SaveOutlet(c, outlet); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(c, path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		t.Fatalf("backup file: %v, %v", fi, err)
	}
	if err := s.Backup(c, path); err == nil {
		t.Errorf("Backup over an existing file succeeded")
	}
	if open == nil {
		t.Log("no BackupOpener: the backup's content is not checked")
	} else {
		b := open(t, path)
		defer b.Close()
		got, err := b.GetArticleByURL(c, a.URL)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != a.Title || !sameStrings(got.Keywords, a.Keywords) {
			t.Errorf("article in the backup: %+v", got)
		}
		ids, _ := search(t, b, store.TextQuery{Clauses: []store.Clause{word("لبنان", "")}})
		if !slices.Equal(ids, []int64{a.ID}) {
			t.Errorf("search in the backup: %v", ids)
		}
		if starred, err := b.StarredArticleIDs(c); err != nil || !slices.Equal(starred, []int64{a.ID}) {
			t.Errorf("a reader's starred article in the backup: %v, %v", starred, err)
		}
		if links, ok, err := b.GetRelated(c, a.ID); err != nil || !ok || !reflect.DeepEqual(links, related) {
			t.Errorf("related reading in the backup: %+v %v %v, want %+v", links, ok, err, related)
		}
		if o, err := b.GetOutlet(c, outlet.Key); err != nil || o != outlet {
			t.Errorf("outlet profile in the backup: %+v %v, want %+v", o, err, outlet)
		}
	}
}

func testClaimSources(t *testing.T, s store.Store) {
	c := ctx(t)
	now := base
	due := &model.Source{URL: "https://a/feed", NextFetch: now.Add(-time.Hour), ErrorCount: 1}
	healthy := &model.Source{URL: "https://b/feed", NextFetch: now.Add(time.Hour)}
	backoff := &model.Source{URL: "https://c/feed", NextFetch: now.Add(time.Hour), ErrorCount: 2, LastError: "fetch: 503"}
	fresh := &model.Source{URL: "https://d/feed"}
	for _, src := range []*model.Source{due, healthy, backoff, fresh} {
		if err := s.AddSource(c, src); err != nil {
			t.Fatal(err)
		}
	}
	// AddSource may not keep ErrorCount: SaveFetchState writes it.
	for _, src := range []*model.Source{due, backoff} {
		if err := s.SaveFetchState(c, *src); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ClaimSources(c, now, 10*time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []int64
	for _, src := range got {
		gotIDs = append(gotIDs, src.ID)
		if !src.NextFetch.Equal(now.Add(10 * time.Minute)) {
			t.Errorf("claimed source %d: NextFetch %v, want the lease's end", src.ID, src.NextFetch)
		}
	}
	slices.Sort(gotIDs)
	want := []int64{due.ID, healthy.ID, fresh.ID}
	slices.Sort(want)
	if !slices.Equal(gotIDs, want) {
		t.Fatalf("ClaimSources = %v, want %v (not the one backing off, %d)", gotIDs, want, backoff.ID)
	}
	// Within the lease a due-only claim gets nothing, nor does a crawl by
	// hand with the same lease: another worker holds those sources.
	if held, err := s.ClaimSources(c, now, 10*time.Minute, 10); err != nil || len(held) != 0 {
		t.Errorf("ClaimSources within another's lease = %d sources, %v", len(held), err)
	}
	// A shorter lease ends before theirs does: a healthy source may be taken.
	again, err := s.ClaimDueSources(c, now, 10*time.Minute, 10)
	if err != nil || len(again) != 0 {
		t.Errorf("ClaimDueSources within the lease = %d sources, %v", len(again), err)
	}
	limited, err := s.ClaimSources(c, now, time.Minute, 1)
	if err != nil || len(limited) != 1 {
		t.Errorf("ClaimSources limit 1 = %d sources, %v", len(limited), err)
	}
	if _, err := s.ClaimSources(c, now, -time.Minute, 1); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("ClaimSources with a negative lease: %v, want ErrInvalid", err)
	}
}

// testConcurrentClaims: workers claiming from one store at the same moment
// never get the same source in a round, and together get every due one.
func testConcurrentClaims(t *testing.T, s store.Store) {
	c := ctx(t)
	const sources, workers = 40, 4
	for i := range sources {
		if err := s.AddSource(c, &model.Source{URL: fmt.Sprintf("https://s%d/feed", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for round := range 2 {
		now := base.Add(time.Duration(round) * time.Hour)
		var (
			mu     sync.Mutex
			counts = map[int64]int{}
			wg     sync.WaitGroup
		)
		for range workers {
			wg.Go(func() {
				for {
					got, err := s.ClaimDueSources(c, now, 30*time.Minute, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, src := range got {
						counts[src.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(counts) != sources {
			t.Errorf("round %d: %d sources claimed, want %d", round, len(counts), sources)
		}
		for id, n := range counts {
			if n != 1 {
				t.Errorf("round %d: source %d claimed %d times", round, id, n)
			}
		}
	}
}

// testConcurrentSaves: saves of one URL at the same moment store it once;
// saves into one story at the same moment all count.
func testConcurrentSaves(t *testing.T, s store.Store) {
	c := ctx(t)
	const n = 8
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		created int
		ids     = map[int64]bool{}
	)
	for i := range n {
		wg.Go(func() {
			a := article("https://a/same", "خبر واحد", day(0))
			a.Text = fmt.Sprintf("نسخة %d", i)
			ix := idx("خبر واحد", "نسخه")
			ix.Phrases = []string{"خبر واحد"}
			ok, err := s.SaveArticle(c, a, ix)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				created++
			}
			ids[a.ID] = true
		})
	}
	wg.Wait()
	if created != 1 || len(ids) != 1 {
		t.Errorf("%d concurrent saves of one URL: created %d times, %d ids; want 1, 1", n, created, len(ids))
	}
	if got, err := s.CountArticles(c); err != nil || got != 1 {
		t.Errorf("CountArticles = %d, %v; want 1", got, err)
	}
	if df, docs, err := s.DocFreq(c, []string{"خبر واحد"}); err != nil || df["خبر واحد"] != 1 || docs != 1 {
		t.Errorf("DocFreq after concurrent saves = %v, %d, %v; want 1 of 1", df, docs, err)
	}
	stories, total, err := s.ListStories(c, store.StoryFilter{})
	if err != nil || total != 1 || stories[0].Articles != 1 {
		t.Errorf("stories after concurrent saves of one URL: %d, %+v, %v", total, stories, err)
	}

	first := article("https://b/0", "قصة", day(0))
	save(t, s, first, idx("قصة", ""))
	for i := range n {
		wg.Go(func() {
			a := article(fmt.Sprintf("https://b/%d", i+1), "قصة", day(0).Add(time.Duration(i+1)*time.Minute))
			a.SourceName = fmt.Sprintf("منفذ %d", i)
			a.StoryID = first.StoryID
			if _, err := s.SaveArticle(c, a, idx("قصة", "")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	st, err := s.GetStory(c, first.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != n+1 || len(st.Members) != n+1 || st.Outlets != n+1 {
		t.Errorf("story after %d concurrent joins: %d articles, %d members, %d outlets; want %d each",
			n, st.Articles, len(st.Members), st.Outlets, n+1)
	}
}

// testSearchInjectionQuoting: the syntax of other query languages
// (PostgreSQL tsquery, SQL quoting) in a word is text, never an operator.
func testSearchInjectionQuoting(t *testing.T, s store.Store) {
	a := article("https://a/1", "foo bar", day(0))
	save(t, s, a, idx("foo bar", "baz"))
	b := article("https://a/2", "qux", day(0))
	save(t, s, b, idx("qux", ""))
	for _, w := range []string{`'`, `''`, `\`, `foo'`, `foo:*`, `f:*`, `foo & qux`, `!foo`, `foo | qux`, `foo <-> bar`,
		`foo:A`, `(foo`, `'; DROP TABLE articles; --`, "foo\x00", `$1`, `%`} {
		for _, q := range []store.TextQuery{
			{Clauses: []store.Clause{{Exact: []string{w}, Stem: w}}},
			{Clauses: []store.Clause{{Exact: []string{"foo", w}}}},
			{Clauses: []store.Clause{word("foo", ""), word(w, "")}, Any: true},
		} {
			if _, _, err := s.SearchText(ctx(t), q); err != nil {
				t.Errorf("query %+v: %v", q, err)
			}
		}
	}
	// An OR inside one word does not widen the query to qux.
	ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("zzz | qux", "")}})
	if len(ids) != 0 {
		t.Errorf("word with an embedded | matched %v", ids)
	}
	// A prefix marker is not a prefix search: "fo:*" does not find foo.
	ids, _ = search(t, s, store.TextQuery{Clauses: []store.Clause{word("fo:*", "")}})
	if len(ids) != 0 {
		t.Errorf("word with :* matched %v", ids)
	}
	// The store still answers plain queries afterwards.
	ids, _ = search(t, s, store.TextQuery{Clauses: []store.Clause{word("qux", "")}})
	if !slices.Equal(ids, []int64{b.ID}) {
		t.Errorf("plain search after the odd ones = %v, want %v", ids, []int64{b.ID})
	}
}

// testOutlets checks outlet profiles: stored and listed by key, never
// overwritten by AddOutlets, shown as the name of the articles and story
// members that carry the key, and the key (not the name) counted as a
// story's outlet; SetSourceOutlet moves a source's articles to a key.
func testOutlets(t *testing.T, s store.Store) {
	c := ctx(t)
	if _, err := s.GetOutlet(c, "was"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetOutlet of a key without a profile: %v, want ErrNotFound", err)
	}
	was := model.Outlet{Key: "was", NameAR: "وكالة الأنباء السعودية", NameEN: "Saudi Press Agency", Country: "SA", Kind: model.OutletWire}
	riyadh := model.Outlet{Key: "alriyadh", NameAR: "الرياض", NameEN: "Al Riyadh", Country: "SA", Kind: model.OutletPrivate}
	if err := s.AddOutlets(c, []model.Outlet{was, riyadh}); err != nil {
		t.Fatal(err)
	}
	// An edit, then the built-in profiles again: the edit stays.
	edited := riyadh
	edited.NameAR = "جريدة الرياض"
	if err := s.SaveOutlet(c, edited); err != nil {
		t.Fatal(err)
	}
	if err := s.AddOutlets(c, []model.Outlet{was, riyadh}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetOutlet(c, "alriyadh"); err != nil || got != edited {
		t.Errorf("GetOutlet(alriyadh) = %+v, %v; want the edit %+v", got, err, edited)
	}
	all, err := s.ListOutlets(c)
	if err != nil || len(all) != 2 || all[0].Key != "alriyadh" || all[1] != was {
		t.Errorf("ListOutlets = %+v, %v", all, err)
	}
	if err := s.SaveOutlet(c, model.Outlet{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SaveOutlet without a key: %v, want ErrInvalid", err)
	}

	// Imported articles carry the bare key as their source name.
	a := article("https://spa.gov.sa/1", "خبر", day(0))
	a.SourceName, a.Outlet = "was", "was"
	save(t, s, a, idx("خبر", ""))
	b := article("https://alriyadh.com/1", "خبر", day(0).Add(time.Hour))
	b.SourceName, b.Outlet, b.StoryID = "alriyadh", "alriyadh", a.StoryID
	save(t, s, b, idx("خبر", ""))
	// No Outlet: the source name is the key.
	d := article("https://other.com/1", "خبر", day(0).Add(2*time.Hour))
	d.SourceName, d.StoryID = "صحيفة أخرى", a.StoryID
	save(t, s, d, idx("خبر", ""))
	got, err := s.GetArticle(c, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Outlet != "was" || got.OutletName != was.NameAR || got.SourceName != "was" || got.DisplaySource() != was.NameAR {
		t.Errorf("article of was: outlet %q, name %q, source name %q", got.Outlet, got.OutletName, got.SourceName)
	}
	if got, _ := s.GetArticle(c, d.ID); got.Outlet != "صحيفة أخرى" || got.OutletName != "" || got.DisplaySource() != "صحيفة أخرى" {
		t.Errorf("article without a profile: outlet %q, name %q", got.Outlet, got.OutletName)
	}
	list, _, err := s.ListArticles(c, store.ArticleFilter{StoryID: a.StoryID})
	if err != nil || len(list) != 3 {
		t.Fatalf("ListArticles: %d, %v", len(list), err)
	}
	for _, x := range list {
		if x.ID == b.ID && x.OutletName != "جريدة الرياض" {
			t.Errorf("listed article of alriyadh shows %q", x.OutletName)
		}
	}
	st, err := s.GetStory(c, a.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Outlets != 3 {
		t.Errorf("story outlets %d, want 3", st.Outlets)
	}
	names := map[string]string{}
	for _, m := range st.Members {
		names[m.Outlet] = m.Source
	}
	if names["was"] != was.NameAR || names["alriyadh"] != "جريدة الرياض" || names["صحيفة أخرى"] != "صحيفة أخرى" {
		t.Errorf("member names %v", names)
	}

	// A source's outlet, its profile read with it, and a move of its
	// articles to a key: the story then counts the key once.
	src := &model.Source{URL: "https://www.alriyadh.com/rss", Title: "جريدة الرياض - الرئيسية", Outlet: model.Outlet{Key: "alriyadh"}}
	if err := s.AddSource(c, src); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetSource(c, src.ID); err != nil || got.Outlet != edited {
		t.Errorf("GetSource outlet %+v, %v; want %+v", got.Outlet, err, edited)
	}
	plain := addSource(t, s, "https://riyadh.example/feed", "الرياض (موجز)")
	e := article("https://riyadh.example/1", "خبر", day(0).Add(3*time.Hour))
	e.SourceID, e.SourceName, e.StoryID = plain.ID, plain.Title, a.StoryID
	save(t, s, e, idx("خبر", ""))
	if st, _ := s.GetStory(c, a.StoryID); st.Outlets != 4 {
		t.Errorf("story outlets %d before the move, want 4", st.Outlets)
	}
	if err := s.SetSourceOutlet(c, plain.ID, "alriyadh"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.GetStory(c, a.StoryID); st.Outlets != 3 {
		t.Errorf("story outlets %d after the move, want 3", st.Outlets)
	}
	if got, _ := s.GetArticle(c, e.ID); got.Outlet != "alriyadh" || got.DisplaySource() != "جريدة الرياض" {
		t.Errorf("moved article: outlet %q shown as %q", got.Outlet, got.DisplaySource())
	}
	srcs, err := s.ListSources(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range srcs {
		if x.Outlet.Key != "alriyadh" || x.DisplayName() != "جريدة الرياض" {
			t.Errorf("listed source %d: outlet %+v", x.ID, x.Outlet)
		}
	}
	if err := s.SetSourceOutlet(c, 999999, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetSourceOutlet of a missing source: %v, want ErrNotFound", err)
	}
}

// testStoryDetails checks that a story's details are stored at the
// revision they were computed for, that a change of its members makes
// them stale, and that details computed before a change are refused.
func testStoryDetails(t *testing.T, s store.Store) {
	c := ctx(t)
	a := article("https://a.com/1", "خبر", day(0))
	save(t, s, a, idx("خبر", ""))
	st, err := s.GetStory(c, a.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Details != nil || st.DetailsRev >= st.Rev {
		t.Fatalf("new story: details %v at %d, rev %d", st.Details, st.DetailsRev, st.Rev)
	}
	stale, err := s.StaleStories(c, 10)
	if err != nil || !slices.Equal(stale, []int64{a.StoryID}) {
		t.Fatalf("StaleStories = %v, %v", stale, err)
	}
	d := model.StoryDetails{
		Coverage:    model.Coverage{Outlets: []model.OutletCoverage{{Outlet: "x", Source: "س", Articles: 1, FirstPublished: day(0)}}, Countries: []model.CountryCount{{Country: "SA", Outlets: 1}}},
		FirstReport: &model.FirstReport{ArticleID: a.ID, Source: "س", Published: day(0)},
		Quotes:      []model.Quote{{Speaker: "الوزير", Text: "نص", ArticleID: a.ID}},
		OneSided:    true, Lean: "country:SA",
	}
	if ok, err := s.SaveStoryDetails(c, []store.StoryDetailsUpdate{{ID: a.StoryID, Rev: st.Rev, Details: d}}); err != nil || !slices.Equal(ok, []bool{true}) {
		t.Fatalf("SaveStoryDetails = %v, %v", ok, err)
	}
	st, err = s.GetStory(c, a.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	if st.DetailsRev != st.Rev || st.Details == nil || !reflect.DeepEqual(*st.Details, d) {
		t.Errorf("stored details %+v at %d (rev %d), want %+v", st.Details, st.DetailsRev, st.Rev, d)
	}
	if pv, err := s.StoryPreview(c, a.StoryID, 5); err != nil || pv.Details != nil || pv.DetailsRev != st.DetailsRev {
		t.Errorf("StoryPreview of a story with details = %+v, %v; want no details, rev %d", pv, err, st.DetailsRev)
	}
	if stale, _ := s.StaleStories(c, 10); len(stale) != 0 {
		t.Errorf("StaleStories after the save = %v", stale)
	}
	one, _, err := s.ListStories(c, store.StoryFilter{OneSided: true})
	if err != nil || len(one) != 1 || one[0].ID != a.StoryID {
		t.Errorf("ListStories(one sided) = %v, %v", one, err)
	}
	// A new member: stale again, and details of the old revision refused.
	old := st.Rev
	b := article("https://b.com/1", "خبر", day(0).Add(time.Hour))
	b.StoryID = a.StoryID
	save(t, s, b, idx("خبر", ""))
	if stale, _ := s.StaleStories(c, 10); !slices.Equal(stale, []int64{a.StoryID}) {
		t.Errorf("StaleStories after a new member = %v", stale)
	}
	ok, err := s.SaveStoryDetails(c, []store.StoryDetailsUpdate{{ID: a.StoryID, Rev: old}, {ID: 999999, Rev: 1}})
	if err != nil || !slices.Equal(ok, []bool{false, false}) {
		t.Errorf("SaveStoryDetails(an old revision, a missing story) = %v, %v; want [false false]", ok, err)
	}
	if ok, err := s.SaveStoryDetails(c, nil); err != nil || len(ok) != 0 {
		t.Errorf("SaveStoryDetails(nil) = %v, %v", ok, err)
	}
	// An outlet's profile changes the names its stories' details show.
	st, _ = s.GetStory(c, a.StoryID)
	if ok, _ := s.SaveStoryDetails(c, []store.StoryDetailsUpdate{{ID: a.StoryID, Rev: st.Rev, Details: d}}); !slices.Equal(ok, []bool{true}) {
		t.Fatal("SaveStoryDetails refused the current revision")
	}
	if err := s.SaveOutlet(c, model.Outlet{Key: "المصدر", NameAR: "المصدر الجديد"}); err != nil {
		t.Fatal(err)
	}
	if stale, _ := s.StaleStories(c, 10); !slices.Equal(stale, []int64{a.StoryID}) {
		t.Errorf("StaleStories after a profile edit = %v", stale)
	}
	if ls, _, _ := s.ListStories(c, store.StoryFilter{}); len(ls) != 1 {
		t.Errorf("ListStories = %d stories", len(ls))
	}
	act, err := s.ActiveOutlets(c, day(0), day(0).Add(30*time.Minute))
	if err != nil || !slices.Equal(act, []string{"المصدر"}) {
		t.Errorf("ActiveOutlets = %v, %v", act, err)
	}
	// In one batch, a refused update keeps none of the others from being
	// stored.
	other := article("https://c.com/1", "نبأ", day(3))
	save(t, s, other, idx("نبأ", ""))
	ost, err := s.GetStory(c, other.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	ok, err = s.SaveStoryDetails(c, []store.StoryDetailsUpdate{{ID: a.StoryID, Rev: old}, {ID: other.StoryID, Rev: ost.Rev, Details: d}})
	if err != nil || !slices.Equal(ok, []bool{false, true}) {
		t.Errorf("SaveStoryDetails(an old revision, a current one) = %v, %v; want [false true]", ok, err)
	}
	if ost, _ = s.GetStory(c, other.StoryID); ost.DetailsRev != ost.Rev || ost.Details == nil {
		t.Errorf("the current update of the batch was not stored: details at %d, rev %d", ost.DetailsRev, ost.Rev)
	}
}

func testSearchAlt(t *testing.T, s store.Store) {
	cancel := article("https://a/cancel", "الغاء", day(0))
	save(t, s, cancel, idx("الغاء رسوم", ""))
	other := article("https://a/other", "غاء", day(0))
	save(t, s, other, idx("غاء", ""))
	save(t, s, article("https://a/none", "رسوم", day(0)), idx("رسوم", ""))
	c := store.Clause{Exact: []string{"غاء"}, Alt: []string{"الغاء"}}
	ids, total := search(t, s, store.TextQuery{Clauses: []store.Clause{c}})
	if total != 2 || len(ids) != 2 {
		t.Errorf("word or its Alt = %v (total %d), want %d and %d", ids, total, cancel.ID, other.ID)
	}
	ids, _ = search(t, s, store.TextQuery{Clauses: []store.Clause{c, word("رسوم", "")}})
	if !slices.Equal(ids, []int64{cancel.ID}) {
		t.Errorf("Alt AND word = %v, want %d", ids, cancel.ID)
	}
}

func testReindexText(t *testing.T, s store.Store) {
	ix, ok := s.(store.TextIndexer)
	if !ok {
		t.Fatalf("%T is not a store.TextIndexer", s)
	}
	a := article("https://a/re", "زلزال قوي", day(0))
	a.Text = "ضرب المنطقه"
	save(t, s, a, idx("قديم", "قديم"))
	b := article("https://a/re2", "امطار", day(1))
	b.Text = "سيول"
	save(t, s, b, idx("قديم", "قديم"))
	n, err := ix.ReindexText(ctx(t), func(title, text string) store.IndexData {
		return store.IndexData{TitleTerms: title, TitleStems: title, BodyTerms: text, BodyStems: text}
	})
	if err != nil || n != 2 {
		t.Fatalf("ReindexText = %d, %v; want 2 articles", n, err)
	}
	if ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("قديم", "")}}); len(ids) != 0 {
		t.Errorf("old forms still found: %v", ids)
	}
	if ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("زلزال", ""), word("المنطقه", "")}}); !slices.Equal(ids, []int64{a.ID}) {
		t.Errorf("new forms = %v, want %d", ids, a.ID)
	}
	if ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("سيول", "")}}); !slices.Equal(ids, []int64{b.ID}) {
		t.Errorf("new body forms = %v, want %d", ids, b.ID)
	}
	got, err := s.GetArticle(ctx(t), a.ID)
	if err != nil || got.Title != a.Title || got.Text != a.Text {
		t.Errorf("article after reindex = %+v, %v", got, err)
	}
}

func testSearchProximity(t *testing.T, s store.Store) {
	// The same words in each title; only one holds them in the query's
	// order, next to one another.
	// Saved first, so that the later id does not break a tie in its favour.
	inOrder := article("https://a/in-order", "in order", day(0))
	save(t, s, inOrder, idx("وزير خارجيه يستقبل اليوم ملك", "لقاء"))
	apart := article("https://a/apart", "apart", day(0))
	save(t, s, apart, idx("خارجيه ملك يستقبل اليوم وزير", "لقاء"))
	q := []store.Clause{word("وزير", ""), word("خارجيه", "خارج"), word("ملك", "")}
	ids, _ := search(t, s, store.TextQuery{Clauses: q[:2]})
	if len(ids) != 2 || ids[0] != inOrder.ID {
		t.Errorf("title phrase = %v, want %d first", ids, inOrder.ID)
	}
	// In the body: near one another beats far apart.
	near := article("https://a/near", "near", day(0))
	save(t, s, near, idx("خبر", "قال ان "+strings.Repeat("كلام ", 20)+"سفير سيزور عاصمه"))
	far := article("https://a/far", "far", day(0))
	save(t, s, far, idx("خبر", "سفير قال ان "+strings.Repeat("كلام ", 20)+"سيزور عاصمه"))
	ids, _ = search(t, s, store.TextQuery{Clauses: []store.Clause{word("سفير", ""), word("عاصمه", "عاصم")}})
	if len(ids) != 2 || ids[0] != near.ID {
		t.Errorf("body proximity = %v, want %d first", ids, near.ID)
	}
}
