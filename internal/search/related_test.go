package search

import (
	"context"
	"slices"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
)

// TestRelatedIsADecayNotAWall: an article of another story sharing two
// organisations is related reading however far apart in time; of two
// equally related articles the nearer comes first; one published more
// than LaterAfter later is a later development. Refresh stores it, and
// offers a newcomer to the stored reading of the articles it found.
func TestRelatedIsADecayNotAWall(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	an := analysis.New(analysis.Options{})
	orgs := []model.Entity{{Name: "التحالف الدولي", Type: model.EntityOrg}, {Name: "داعش", Type: model.EntityOrg}}
	base := time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC)
	save := func(url, title, text string, at time.Time, ents []model.Entity) *model.Article {
		t.Helper()
		a := &model.Article{URL: url, Title: title, Text: text, Published: at, SourceName: "مثال", Entities: ents}
		idx := store.IndexData{}
		idx.TitleTerms, idx.TitleStems = an.IndexForms(title)
		idx.BodyTerms, idx.BodyStems = an.IndexForms(text)
		if _, err := st.SaveArticle(ctx, a, idx); err != nil {
			t.Fatal(err)
		}
		return a
	}
	ref := save("https://e/ref", "المبعوث: مهمة التحالف الدولي لم تنته", "قال المبعوث إن مهمة التحالف الدولي ضد داعش لم تنته.", base, orgs)
	save("https://e/other", "افتتاح معرض الكتاب", "افتتح معرض الكتاب أبوابه للزوار.", base.AddDate(0, 0, 1), nil)
	far := save("https://e/far", "غارة في البادية", "أعلن التحالف الدولي مقتل قيادي في داعش بغارة.", base.AddDate(3, 0, 0), orgs)
	svc := New(st, an)
	links, err := svc.Compute(ctx, *ref, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 1 || links[0].ID != far.ID || !links[0].Later {
		t.Fatalf("related reading of the reference = %+v, want the article three years later (%d), marked later", links, far.ID)
	}
	if err := svc.Refresh(ctx, *ref); err != nil {
		t.Fatal(err)
	}
	// A nearer article, as related, comes first; the stored reading of
	// the far one is offered it when it arrives.
	if err := svc.Refresh(ctx, *far); err != nil {
		t.Fatal(err)
	}
	near := save("https://e/near", "المبعوث يزور بغداد", "بحث المبعوث مع بغداد دور التحالف الدولي في مواجهة داعش.", base.AddDate(0, 0, 2), orgs)
	if err := svc.Refresh(ctx, *near); err != nil {
		t.Fatal(err)
	}
	got, ok, err := st.GetRelated(ctx, ref.ID)
	if err != nil || !ok {
		t.Fatalf("stored related reading of the reference: %v %v", ok, err)
	}
	if len(got) != 2 || got[0].ID != near.ID || got[0].Later || got[1].ID != far.ID || !got[1].Later {
		t.Errorf("stored related reading of the reference = %+v, want %d (near, not later) then %d (later)", got, near.ID, far.ID)
	}
	refs, err := svc.Related(ctx, *ref, 5)
	if err != nil || len(refs) != 2 || refs[0].ID != near.ID || !refs[1].Later {
		t.Errorf("Related from the stored reading = %+v, %v", refs, err)
	}
}

// TestOfferAllAsOffer: offers made in one write (the bulk pass) leave the
// stored reading as one Offer after another does, never touch an article
// whose reading was never computed, and a pass's Service computes what a
// plain one does.
func TestOfferAllAsOffer(t *testing.T) {
	ctx := context.Background()
	an := analysis.New(analysis.Options{})
	orgs := []model.Entity{{Name: "التحالف الدولي", Type: model.EntityOrg}, {Name: "داعش", Type: model.EntityOrg}}
	base := time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC)
	type fixture struct {
		st                    store.Store
		ref, far, near, never *model.Article
	}
	build := func() fixture {
		st := sqlitetest.Open(t)
		save := func(url, title, text string, at time.Time) *model.Article {
			a := &model.Article{URL: url, Title: title, Text: text, Published: at, SourceName: "مثال", Entities: orgs}
			idx := store.IndexData{}
			idx.TitleTerms, idx.TitleStems = an.IndexForms(title)
			idx.BodyTerms, idx.BodyStems = an.IndexForms(text)
			if _, err := st.SaveArticle(ctx, a, idx); err != nil {
				t.Fatal(err)
			}
			return a
		}
		f := fixture{st: st}
		f.ref = save("https://e/ref", "المبعوث: مهمة التحالف الدولي لم تنته", "قال المبعوث إن مهمة التحالف الدولي ضد داعش لم تنته.", base)
		f.far = save("https://e/far", "غارة في البادية", "أعلن التحالف الدولي مقتل قيادي في داعش بغارة.", base.AddDate(3, 0, 0))
		f.never = save("https://e/never", "التحالف الدولي يقصف داعش", "قصف التحالف الدولي مواقع داعش.", base.AddDate(0, 0, 5))
		svc := New(st, an)
		for _, a := range []*model.Article{f.ref, f.far} {
			if _, err := svc.Keep(ctx, *a); err != nil {
				t.Fatal(err)
			}
		}
		f.near = save("https://e/near", "المبعوث يزور بغداد", "بحث المبعوث مع بغداد دور التحالف الدولي في مواجهة داعش.", base.AddDate(0, 0, 2))
		return f
	}
	one, all := build(), build()
	offers := []Offering{{To: one.ref.ID, Article: *one.near}, {To: one.far.ID, Article: *one.near}, {To: one.never.ID, Article: *one.near}}
	svc := New(one.st, an)
	for _, o := range offers {
		if err := svc.Offer(ctx, o.To, o.Article); err != nil {
			t.Fatal(err)
		}
	}
	psvc := New(all.st, an).ForPass()
	if err := psvc.OfferAll(ctx, offers); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{one.ref.ID, one.far.ID, one.never.ID} {
		want, wok, werr := one.st.GetRelated(ctx, id)
		got, gok, gerr := all.st.GetRelated(ctx, id)
		if werr != nil || gerr != nil || wok != gok || !slices.Equal(got, want) {
			t.Errorf("related of %d after OfferAll = %+v %v %v, after Offer %+v %v %v", id, got, gok, gerr, want, wok, werr)
		}
	}
	if got, ok, _ := all.st.GetRelated(ctx, one.ref.ID); !ok || len(got) == 0 || got[0].ID != one.near.ID {
		t.Errorf("the offered article is not first in the reference's reading: %+v", got)
	}
	if _, ok, _ := all.st.GetRelated(ctx, one.never.ID); ok {
		t.Errorf("an article whose reading was never computed was given one")
	}
	for _, a := range []*model.Article{all.ref, all.near, all.never} {
		want, err := New(all.st, an).Compute(ctx, *a, 5)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second time from the pass's cache
			got, err := psvc.Compute(ctx, *a, 5)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("pass Compute of %d = %+v %v, want %+v", a.ID, got, err, want)
			}
		}
	}
}
