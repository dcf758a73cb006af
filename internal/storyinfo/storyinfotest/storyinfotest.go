// Package storyinfotest builds the stories that the tests of the packages
// showing story details (api, web, storyinfo itself) look at.
package storyinfotest

import (
	"context"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/storyinfo"
)

// Outlets are three Saudi outlets (a wire and two private papers) and a
// British one.
var Outlets = []model.Outlet{
	{Key: "was", NameAR: "وكالة الأنباء السعودية", Country: "SA", Kind: model.OutletWire},
	{Key: "okaz", NameAR: "عكاظ", Country: "SA", Kind: model.OutletPrivate},
	{Key: "sabq", NameAR: "سبق", Country: "SA", Kind: model.OutletPrivate},
	{Key: "aawsat", NameAR: "الشرق الأوسط", Country: "GB", Kind: model.OutletPrivate},
}

// OneSidedTitle and OtherTitle are the titles of OneSided's two stories.
const (
	OneSidedTitle = "افتتاح الطريق الدائري الجديد"
	OtherTitle    = "خبر آخر"
)

// OneSided stores Outlets and a story that the three Saudi outlets cover,
// an hour apart from at, while the British outlet publishes another story
// at at; it refreshes the stories' details and returns the one-sided
// story's id. save stores an article as the calling test stores them.
func OneSided(t testing.TB, st store.Store, at time.Time, save func(*model.Article)) int64 {
	t.Helper()
	ctx := context.Background()
	if err := st.AddOutlets(ctx, Outlets); err != nil {
		t.Fatal(err)
	}
	var story int64
	for i, k := range []string{"was", "okaz", "sabq"} {
		a := model.Article{URL: "https://" + k + ".example/1", SourceName: k, Outlet: k, Title: OneSidedTitle,
			Text: "افتتح الطريق.", Published: at.Add(time.Duration(i) * time.Hour), StoryID: story}
		save(&a)
		story = a.StoryID
	}
	other := model.Article{URL: "https://aawsat.example/1", SourceName: "aawsat", Outlet: "aawsat", Title: OtherTitle,
		Text: "نص.", Published: at}
	save(&other)
	if _, err := storyinfo.RefreshStale(ctx, st, 0); err != nil {
		t.Fatal(err)
	}
	return story
}
