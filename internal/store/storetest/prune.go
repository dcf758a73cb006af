package storetest

import (
	"errors"
	"slices"
	"testing"

	"khabar/internal/model"
	"khabar/internal/store"
)

// testPrune: old articles go with everything derived from them, starred
// ones stay, stories and counts follow, and what is kept is untouched.
func testPrune(t *testing.T, s store.Store) {
	c := ctx(t)
	bands := []uint64{901, 902, 903}
	ix := func(title, body string, phrases ...string) store.IndexData {
		d := idx(title, body)
		d.Phrases = phrases
		d.Bands = bands
		return d
	}
	// Story 1: an old article and a newer copy of it. Story 2: old only.
	// An old article a reader starred. A new article alone.
	oldA := article("https://a/old", "خبر قديم", day(-400))
	oldA.Keywords = []string{"ميناء قديم"}
	oldA.Entities = []model.Entity{{Name: "ميناء الشرق", Type: model.EntityPlace}}
	save(t, s, oldA, ix("خبر قديم", "قديمجدا", "ميناء قديم", "عبارة مشتركة"))
	copyA := article("https://b/copy", "خبر قديم محدث", day(-1))
	copyA.StoryID, copyA.DuplicateOf = oldA.StoryID, oldA.ID
	save(t, s, copyA, ix("خبر محدث", "جديد", "عبارة مشتركة"))
	oldB := article("https://a/old2", "قصة منسية", day(-500))
	oldB.Published = oldB.Published.Add(-1) // before oldA: pruned first
	save(t, s, oldB, ix("قصة منسية", "منسيه", "قصة منسية"))
	starred := article("https://a/starred", "خبر محفوظ", day(-450))
	save(t, s, starred, ix("خبر محفوظ", "محفوظ", "خبر محفوظ"))
	fresh := article("https://a/fresh", "خبر اليوم", day(0))
	save(t, s, fresh, ix("خبر اليوم", "اليوم"))
	u := &model.User{Name: "reader", PasswordHash: "h"}
	if err := s.AddUser(c, u); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(c, u.ID, []int64{starred.ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRelated(c, fresh.ID, []store.RelatedLink{{ID: oldA.ID, Score: 2}, {ID: copyA.ID, Score: 1}}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.CountArticles(c)

	// One at a time, oldest first, then the rest; nothing left after.
	cut := day(-100)
	if n, err := s.PruneArticles(c, cut, 1); err != nil || n != 1 {
		t.Fatalf("PruneArticles limit 1 = %d, %v", n, err)
	}
	if _, err := s.GetArticle(c, oldB.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the oldest article after the first prune: %v, want ErrNotFound", err)
	}
	if n, err := s.PruneArticles(c, cut, 100); err != nil || n != 1 {
		t.Fatalf("PruneArticles of the rest = %d, %v; want 1 (the starred one kept)", n, err)
	}
	if n, err := s.PruneArticles(c, cut, 100); err != nil || n != 0 {
		t.Errorf("PruneArticles with nothing left = %d, %v", n, err)
	}
	if err := s.Reclaim(c); err != nil {
		t.Errorf("Reclaim: %v", err)
	}

	for _, a := range []*model.Article{oldA, oldB} {
		if _, err := s.GetArticle(c, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("pruned article %s: %v, want ErrNotFound", a.URL, err)
		}
		if ok, err := s.HasArticle(c, a.URL); err != nil || ok {
			t.Errorf("HasArticle(%s) after prune = %v, %v", a.URL, ok, err)
		}
	}
	for _, a := range []*model.Article{copyA, starred, fresh} {
		if _, err := s.GetArticle(c, a.ID); err != nil {
			t.Errorf("kept article %s: %v", a.URL, err)
		}
	}
	if n, err := s.CountArticles(c); err != nil || n != before-2 {
		t.Errorf("CountArticles after prune = %d, %v; want %d", n, err, before-2)
	}
	if _, total, err := s.ListArticles(c, store.ArticleFilter{Limit: 1}); err != nil || total != before-2 {
		t.Errorf("ListArticles total after prune = %d, %v; want %d", total, err, before-2)
	}
	// The copy stands alone in its story, now of one article.
	got, err := s.GetArticle(c, copyA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DuplicateOf != 0 {
		t.Errorf("copy of a pruned article: DuplicateOf %d, want 0", got.DuplicateOf)
	}
	if st, err := s.GetStory(c, copyA.StoryID); err != nil || st.Articles != 1 || !st.FirstSeen.Equal(copyA.Published) {
		t.Errorf("story of the copy after prune: %+v, %v; want 1 article first seen %v", st, err, copyA.Published)
	}
	if _, err := s.GetStory(c, oldB.StoryID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("story left empty: %v, want ErrNotFound", err)
	}
	// Search, tags, entities, bands and phrase counts forget them.
	if ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("قديمجدا", "")}}); len(ids) != 0 {
		t.Errorf("search for a pruned article's word = %v", ids)
	}
	if ids, _ := search(t, s, store.TextQuery{Clauses: []store.Clause{word("محفوظ", "")}}); !slices.Equal(ids, []int64{starred.ID}) {
		t.Errorf("search for the starred article = %v, want [%d]", ids, starred.ID)
	}
	if list, _, err := s.ListArticles(c, store.ArticleFilter{Tag: "ميناء قديم"}); err != nil || len(list) != 0 {
		t.Errorf("tag of a pruned article: %d articles, %v", len(list), err)
	}
	if list, _, err := s.ListArticles(c, store.ArticleFilter{Entity: "ميناء الشرق"}); err != nil || len(list) != 0 {
		t.Errorf("entity of a pruned article: %d articles, %v", len(list), err)
	}
	cands, err := s.Candidates(c, bands, day(-1000), 10)
	if err != nil {
		t.Fatal(err)
	}
	var candIDs []int64
	for _, cd := range cands {
		candIDs = append(candIDs, cd.ID)
	}
	slices.Sort(candIDs)
	want := []int64{copyA.ID, starred.ID, fresh.ID}
	slices.Sort(want)
	if !slices.Equal(candIDs, want) {
		t.Errorf("band candidates after prune = %v, want %v", candIDs, want)
	}
	df, _, err := s.DocFreq(c, []string{"ميناء قديم", "عبارة مشتركة", "قصة منسية", "خبر محفوظ"})
	if err != nil {
		t.Fatal(err)
	}
	if df["ميناء قديم"] != 0 || df["عبارة مشتركة"] != 1 || df["قصة منسية"] != 0 || df["خبر محفوظ"] != 1 {
		t.Errorf("phrase frequencies after prune = %v, want 0, 1, 0, 1", df)
	}
	links, _, err := s.GetRelated(c, fresh.ID)
	if err != nil || len(links) != 1 || links[0].ID != copyA.ID {
		t.Errorf("related reading after prune = %v, %v; want the copy only", links, err)
	}
	// The starred article is still the reader's.
	if ids, err := s.StarredArticleIDs(c); err != nil || !slices.Equal(ids, []int64{starred.ID}) {
		t.Errorf("StarredArticleIDs after prune = %v, %v", ids, err)
	}
	// Saving a pruned URL again makes a new article.
	again := article(oldB.URL, oldB.Title, day(-500))
	if created := save(t, s, again, ix("قصة منسية", "منسيه", "قصة منسية")); !created {
		t.Errorf("a pruned URL saved again: not created")
	}
}
