package storyinfo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
	"khabar/internal/storyinfo"
	"khabar/internal/storyinfo/storyinfotest"
)

func TestRefresh(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	if err := st.AddOutlets(ctx, storyinfotest.Outlets); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2015, 8, 1, 9, 0, 0, 0, time.UTC)
	first := &model.Article{URL: "https://spa.example/1", Outlet: "was", SourceName: "was", Title: "خبر",
		Text: "وقال المتحدث باسم الوزارة: «سيبدأ العمل بالنظام الجديد مطلع الشهر المقبل».", Published: t0}
	if _, err := st.SaveArticle(ctx, first, store.IndexData{}); err != nil {
		t.Fatal(err)
	}
	for i, k := range []string{"okaz", "sabq"} {
		a := &model.Article{URL: "https://" + k + ".example/1", Outlet: k, SourceName: k, Title: "خبر", StoryID: first.StoryID,
			DuplicateOf: first.ID, Text: first.Text, Published: t0.Add(time.Duration(i+1) * time.Hour)}
		if _, err := st.SaveArticle(ctx, a, store.IndexData{}); err != nil {
			t.Fatal(err)
		}
	}
	// Another country's outlet active the same day, on another story.
	other := &model.Article{URL: "https://aawsat.example/x", Outlet: "aawsat", SourceName: "aawsat", Title: "آخر", Text: "نص.", Published: t0.Add(5 * time.Hour)}
	if _, err := st.SaveArticle(ctx, other, store.IndexData{}); err != nil {
		t.Fatal(err)
	}
	n, err := storyinfo.RefreshStale(ctx, st, 0)
	if err != nil || n != 2 {
		t.Fatalf("RefreshStale = %d, %v; want 2 stories", n, err)
	}
	if stale, _ := st.StaleStories(ctx, 10); len(stale) != 0 {
		t.Errorf("stale after refresh: %v", stale)
	}
	s, err := st.GetStory(ctx, first.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	d := s.Details
	if d == nil || s.DetailsRev != s.Rev {
		t.Fatalf("details %v at %d, rev %d", d, s.DetailsRev, s.Rev)
	}
	if len(d.Coverage.Outlets) != 3 || d.FirstReport == nil || d.FirstReport.ArticleID != first.ID ||
		len(d.Origin) != 1 || len(d.Origin[0].Copies) != 2 || len(d.Quotes) != 1 || d.Quotes[0].ArticleID != first.ID {
		t.Errorf("details %+v", d)
	}
	if !d.OneSided || d.Lean != "country:SA" {
		t.Errorf("three Saudi outlets while a British one is active: one sided %v, lean %q", d.OneSided, d.Lean)
	}
	if ls, _, _ := st.ListStories(ctx, store.StoryFilter{OneSided: true}); len(ls) != 1 || ls[0].ID != first.StoryID {
		t.Errorf("one-sided stories %+v", ls)
	}

	// A change: the story is stale until read, and Story computes it once.
	late := &model.Article{URL: "https://okaz.example/2", Outlet: "okaz", SourceName: "okaz", Title: "متابعة", StoryID: first.StoryID,
		Text: "نص المتابعة.", Published: t0.Add(4 * time.Hour)}
	if _, err := st.SaveArticle(ctx, late, store.IndexData{}); err != nil {
		t.Fatal(err)
	}
	got, err := storyinfo.Story(ctx, st, first.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DetailsRev != got.Rev || len(got.Details.Timeline) != 4 || got.Details.Coverage.Outlets[1].Articles != 2 {
		t.Errorf("story read after a change: %+v", got.Details)
	}
	if stale, _ := st.StaleStories(ctx, 10); len(stale) != 0 {
		t.Errorf("the read left the story stale: %v", stale)
	}
	if _, err := storyinfo.Story(ctx, st, 987654); err == nil {
		t.Error("a missing story gave no error")
	}
}

// TestRefreshBatches refreshes more stale stories than one batch holds,
// and checks that the outlets active on one day do not make a story of
// another day one-sided.
func TestRefreshBatches(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	if err := st.AddOutlets(ctx, []model.Outlet{
		{Key: "okaz", NameAR: "عكاظ", Country: "SA", Kind: model.OutletPrivate},
		{Key: "sabq", NameAR: "سبق", Country: "SA", Kind: model.OutletPrivate},
		{Key: "was", NameAR: "واس", Country: "SA", Kind: model.OutletWire},
		{Key: "aawsat", NameAR: "الشرق الأوسط", Country: "GB", Kind: model.OutletPrivate},
	}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2015, 8, 1, 9, 0, 0, 0, time.UTC)
	save := func(a *model.Article) {
		t.Helper()
		if _, err := st.SaveArticle(ctx, a, store.IndexData{}); err != nil {
			t.Fatal(err)
		}
	}
	// A Saudi-only story on day 0, while a British outlet publishes that
	// day; the same on day 10 with no other country publishing.
	var stories [2]int64
	for s, day := range []time.Duration{0, 10 * 24 * time.Hour} {
		for i, k := range []string{"was", "okaz", "sabq"} {
			a := &model.Article{URL: fmt.Sprintf("https://%s.example/%d", k, s), Outlet: k, SourceName: k, Title: "خبر",
				Text: "نص الخبر.", StoryID: stories[s], Published: t0.Add(day + time.Duration(i)*time.Hour)}
			save(a)
			stories[s] = a.StoryID
		}
	}
	save(&model.Article{URL: "https://aawsat.example/x", Outlet: "aawsat", SourceName: "aawsat", Title: "آخر",
		Text: "نص.", Published: t0.Add(3 * time.Hour)})
	for i := range storyinfo.StaleBatch + 50 {
		save(&model.Article{URL: fmt.Sprintf("https://okaz.example/more/%d", i), Outlet: "okaz", SourceName: "okaz",
			Title: fmt.Sprintf("خبر %d", i), Text: "نص.", Published: t0.Add(20*24*time.Hour + time.Duration(i)*time.Minute)})
	}
	want := 3 + storyinfo.StaleBatch + 50
	if n, err := storyinfo.RefreshStale(ctx, st, 0); err != nil || n != want {
		t.Fatalf("RefreshStale = %d, %v; want %d stories", n, err, want)
	}
	if stale, _ := st.StaleStories(ctx, 10); len(stale) != 0 {
		t.Errorf("stale after refresh: %v", stale)
	}
	for i, wantOneSided := range []bool{true, false} {
		s, err := st.GetStory(ctx, stories[i])
		if err != nil || s.Details == nil {
			t.Fatalf("story %d: %v, details %v", stories[i], err, s.Details)
		}
		if s.Details.OneSided != wantOneSided {
			t.Errorf("story of day %d: one-sided %v (lean %q), want %v", i*10, s.Details.OneSided, s.Details.Lean, wantOneSided)
		}
	}
}
