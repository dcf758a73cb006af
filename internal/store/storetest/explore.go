package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// exploreFixture stores eight articles over four days from two outlets
// with profiles (one crawled from a source, one imported without one) and
// one outlet without a profile; "نفط" is in six of them.
//
//	i  day outlet   src  words       tags           entities
//	0  0   okaz     s1   نفط          اقتصاد          أرامكو
//	1  0   okaz     s1   نفط سوق      اقتصاد، سوق     أرامكو، الرياض
//	2  1   alahram  -    نفط          -              أرامكو
//	3  1   alahram  -    سوق          سوق            -
//	4  2   -(name)  s2   نفط          اقتصاد          -
//	5  2   okaz     s1   نفط سوق      -              الرياض
//	6  3   alahram  -    نفط          اقتصاد          -
//	7  3   okaz     s1   قمح          -              -
type exploreFixture struct {
	s1, s2 *model.Source
	arts   []*model.Article
}

func newExploreFixture(t *testing.T, s store.Store) exploreFixture {
	t.Helper()
	c := ctx(t)
	for _, o := range []model.Outlet{
		{Key: "okaz", NameAR: "عكاظ", Country: "SA", Kind: model.OutletPrivate},
		{Key: "alahram", NameAR: "الأهرام", Country: "EG", Kind: model.OutletState},
	} {
		if err := s.SaveOutlet(c, o); err != nil {
			t.Fatal(err)
		}
	}
	f := exploreFixture{s1: addSource(t, s, "https://okaz/feed", "عكاظ"), s2: addSource(t, s, "https://other/feed", "أخرى")}
	aramco := model.Entity{Name: "أرامكو", Type: model.EntityOrg}
	riyadh := model.Entity{Name: "الرياض", Type: model.EntityPlace}
	data := []struct {
		day    int
		outlet string
		src    *model.Source
		words  string
		tags   []string
		ents   []model.Entity
	}{
		{0, "okaz", f.s1, "نفط", []string{"اقتصاد"}, []model.Entity{aramco}},
		{0, "okaz", f.s1, "نفط سوق", []string{"اقتصاد", "سوق"}, []model.Entity{aramco, riyadh}},
		{1, "alahram", nil, "نفط", nil, []model.Entity{aramco}},
		{1, "alahram", nil, "سوق", []string{"سوق"}, nil},
		{2, "", f.s2, "نفط", []string{"اقتصاد"}, nil},
		{2, "okaz", f.s1, "نفط سوق", nil, []model.Entity{riyadh}},
		{3, "alahram", nil, "نفط", []string{"اقتصاد"}, nil},
		{3, "okaz", f.s1, "قمح", nil, nil},
	}
	for i, d := range data {
		a := article(fmt.Sprintf("https://x/%d", i), d.words, day(d.day))
		a.Outlet = d.outlet
		a.SourceName = ""
		if d.src != nil {
			a.SourceID, a.SourceName = d.src.ID, d.src.Title
		}
		a.Keywords, a.Entities = d.tags, d.ents
		save(t, s, a, idx(d.words, ""))
		f.arts = append(f.arts, a)
	}
	return f
}

func (f exploreFixture) ids(is ...int) []int64 {
	out := make([]int64, len(is))
	for k, i := range is {
		out[k] = f.arts[i].ID
	}
	return out
}

// testSearchFilterFields: every field of store.Filter narrows SearchText,
// and the total counts what is left.
func testSearchFilterFields(t *testing.T, s store.Store) {
	f := newExploreFixture(t, s)
	oil := []store.Clause{word("نفط", "نفط")}
	for _, tc := range []struct {
		name string
		f    store.Filter
		want []int64
	}{
		{"none", store.Filter{}, f.ids(0, 1, 2, 4, 5, 6)},
		{"since", store.Filter{Since: day(1)}, f.ids(2, 4, 5, 6)},
		{"until", store.Filter{Until: day(1)}, f.ids(0, 1)},
		{"since and until", store.Filter{Since: day(1), Until: day(3)}, f.ids(2, 4, 5)},
		{"source id", store.Filter{SourceIDs: []int64{f.s2.ID}}, f.ids(4)},
		{"outlet key, imported", store.Filter{Outlets: []string{"alahram"}}, f.ids(2, 6)},
		{"source or outlet", store.Filter{SourceIDs: []int64{f.s2.ID}, Outlets: []string{"alahram"}}, f.ids(2, 4, 6)},
		{"country", store.Filter{Countries: []string{"SA"}}, f.ids(0, 1, 5)},
		{"countries", store.Filter{Countries: []string{"SA", "EG"}}, f.ids(0, 1, 2, 5, 6)},
		{"kind", store.Filter{Kinds: []string{model.OutletState}}, f.ids(2, 6)},
		{"tag", store.Filter{Tag: "اقتصاد"}, f.ids(0, 1, 4, 6)},
		{"entity", store.Filter{Entity: "أرامكو"}, f.ids(0, 1, 2)},
		{"all at once", store.Filter{Since: day(0), Until: day(2), Countries: []string{"SA"}, Tag: "اقتصاد", Entity: "الرياض"}, f.ids(1)},
		{"nothing", store.Filter{Countries: []string{"FR"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := search(t, s, store.TextQuery{Clauses: oil, Filter: tc.f, Limit: 100})
			slices.Sort(got)
			if !slices.Equal(got, tc.want) || total != len(tc.want) {
				t.Errorf("SearchText with %+v = %v (total %d), want %v", tc.f, got, total, tc.want)
			}
			var exported []int64
			if err := s.EachMatch(ctx(t), store.TextQuery{Clauses: oil, Filter: tc.f}, func(r *store.MatchRow) error {
				exported = append(exported, r.ID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(exported, tc.want) {
				t.Errorf("EachMatch with %+v = %v, want %v", tc.f, exported, tc.want)
			}
			att, err := s.Attention(ctx(t), store.TextQuery{Clauses: oil, Filter: tc.f}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if att.Total != len(tc.want) || len(att.Times) != att.Total {
				t.Errorf("Attention with %+v: total %d, %d times, want %d", tc.f, att.Total, len(att.Times), len(tc.want))
			}
		})
	}
}

// testAttention: the counts of store.Explorer agree with one another and
// with the fixture.
func testAttention(t *testing.T, s store.Store) {
	f := newExploreFixture(t, s)
	c := ctx(t)
	oil := store.TextQuery{Clauses: []store.Clause{word("نفط", "نفط")}}
	att, err := s.Attention(c, oil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if att.Total != 6 {
		t.Fatalf("Attention total = %d, want 6", att.Total)
	}
	wantTimes := []time.Time{day(0), day(0), day(1), day(2), day(2), day(3)}
	if len(att.Times) != len(wantTimes) {
		t.Fatalf("Attention times = %v, want %v", att.Times, wantTimes)
	}
	for i := range wantTimes {
		if !att.Times[i].Equal(wantTimes[i]) {
			t.Errorf("Attention times = %v, want %v", att.Times, wantTimes)
			break
		}
	}
	wantSources := []store.OutletCount{
		{Outlet: "okaz", Name: "عكاظ", SourceID: f.s1.ID, Country: "SA", Count: 3},
		{Outlet: "alahram", Name: "الأهرام", Country: "EG", Count: 2},
		{Outlet: "أخرى", Name: "أخرى", SourceID: f.s2.ID, Count: 1},
	}
	if !reflect.DeepEqual(att.BySource, wantSources) {
		t.Errorf("BySource = %+v, want %+v", att.BySource, wantSources)
	}
	wantCountries := []store.TermCount{{Term: "SA", Count: 3}, {Term: "EG", Count: 2}}
	if !reflect.DeepEqual(att.ByCountry, wantCountries) {
		t.Errorf("ByCountry = %+v, want %+v", att.ByCountry, wantCountries)
	}
	wantEnts := []store.TermCount{{Term: "أرامكو", Type: model.EntityOrg, Count: 3}, {Term: "الرياض", Type: model.EntityPlace, Count: 2}}
	if !reflect.DeepEqual(att.TopEntities, wantEnts) {
		t.Errorf("TopEntities = %+v, want %+v", att.TopEntities, wantEnts)
	}
	wantTags := []store.TermCount{{Term: "اقتصاد", Count: 4}, {Term: "سوق", Count: 1}}
	if !reflect.DeepEqual(att.TopTags, wantTags) {
		t.Errorf("TopTags = %+v, want %+v", att.TopTags, wantTags)
	}
	if att, err := s.Attention(c, oil, 1); err != nil || len(att.TopEntities) != 1 || len(att.TopTags) != 1 {
		t.Errorf("Attention top 1: %+v, %v", att, err)
	}
	// Two words: both must match (no partial matches).
	both := store.TextQuery{Clauses: []store.Clause{word("نفط", "نفط"), word("سوق", "سوق")}, Any: true}
	if att, err := s.Attention(c, both, 0); err != nil || att.Total != 2 {
		t.Errorf("Attention of two words (Any set) = %d, %v; want 2: every word must match", att.Total, err)
	}
	// No clauses: every article under the filter.
	if att, err := s.Attention(c, store.TextQuery{Filter: store.Filter{Outlets: []string{"okaz"}}}, 0); err != nil || att.Total != 4 {
		t.Errorf("Attention without words, outlet okaz = %d, %v; want 4", att.Total, err)
	}
	// A query with nothing to match matches nothing.
	if att, err := s.Attention(c, store.TextQuery{Clauses: []store.Clause{{Exact: []string{"!!"}}}}, 0); err != nil || att.Total != 0 {
		t.Errorf("Attention of punctuation = %d, %v", att.Total, err)
	}

	edges := []time.Time{day(0).Add(-time.Hour), day(1).Add(-time.Hour), day(2).Add(-time.Hour), day(3).Add(-time.Hour)}
	counts, err := s.CountByTime(c, store.Filter{}, edges)
	if err != nil || !slices.Equal(counts, []int{2, 2, 2}) {
		t.Errorf("CountByTime = %v, %v; want [2 2 2] (day 3 is past the last edge)", counts, err)
	}
	counts, err = s.CountByTime(c, store.Filter{Countries: []string{"EG"}}, edges)
	if err != nil || !slices.Equal(counts, []int{0, 2, 0}) {
		t.Errorf("CountByTime EG = %v, %v; want [0 2 0]", counts, err)
	}
	// An edge at an article's time puts it in the bucket that starts there.
	counts, err = s.CountByTime(c, store.Filter{}, []time.Time{day(1), day(2), day(3)})
	if err != nil || !slices.Equal(counts, []int{2, 2}) {
		t.Errorf("CountByTime on the edges = %v, %v; want [2 2]", counts, err)
	}
	counts, err = s.CountByTime(c, store.Filter{Since: day(2)}, []time.Time{day(1), day(2), day(3)})
	if err != nil || !slices.Equal(counts, []int{0, 2}) {
		t.Errorf("CountByTime since day 2 = %v, %v; want [0 2]", counts, err)
	}
	if _, err := s.CountByTime(c, store.Filter{}, []time.Time{day(2), day(1)}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("CountByTime with edges descending: %v, want ErrInvalid", err)
	}
}

// testAttentionSample: the top names and tags are counted among the
// store.TopSample newest matches, ties in time going to the newer id.
func testAttentionSample(t *testing.T, s store.Store) {
	c := ctx(t)
	const older = 40
	batch := make([]*model.Article, older+store.TopSample)
	ix := make([]store.IndexData, len(batch))
	for i := range batch {
		a := article(fmt.Sprintf("https://sample/%d", i), "قمح", day(1))
		name, tag := "الجديد", "جديد"
		if i < older {
			name, tag = "القديم", "قديم"
		}
		a.Entities = []model.Entity{{Name: name, Type: model.EntityOrg}}
		a.Keywords = []string{tag}
		batch[i], ix[i] = a, idx("قمح", "")
	}
	if _, err := s.SaveArticles(c, batch, ix); err != nil {
		t.Fatal(err)
	}
	att, err := s.Attention(c, store.TextQuery{Clauses: []store.Clause{word("قمح", "قمح")}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if att.Total != len(batch) {
		t.Errorf("Attention total = %d, want %d", att.Total, len(batch))
	}
	if want := []store.TermCount{{Term: "الجديد", Type: model.EntityOrg, Count: store.TopSample}}; !reflect.DeepEqual(att.TopEntities, want) {
		t.Errorf("TopEntities = %+v, want %+v: the newest %d matches only", att.TopEntities, want, store.TopSample)
	}
	if want := []store.TermCount{{Term: "جديد", Count: store.TopSample}}; !reflect.DeepEqual(att.TopTags, want) {
		t.Errorf("TopTags = %+v, want %+v", att.TopTags, want)
	}
}

// testEachMatch: an export gives every match once, in id order, with its
// fields, across pages, and stops at fn's error.
func testEachMatch(t *testing.T, s store.Store) {
	f := newExploreFixture(t, s)
	c := ctx(t)
	oil := store.TextQuery{Clauses: []store.Clause{word("نفط", "نفط")}}
	var rows []store.MatchRow
	err := s.EachMatch(c, oil, func(r *store.MatchRow) error {
		rows = append(rows, *r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("EachMatch gave %d rows, want 6", len(rows))
	}
	r1 := rows[1]
	want := store.MatchRow{ID: f.arts[1].ID, URL: "https://x/1", Title: "نفط سوق", Source: "عكاظ", Country: "SA",
		Published: day(0), Tags: []string{"اقتصاد", "سوق"}, Entities: []string{"أرامكو", "الرياض"}}
	if !reflect.DeepEqual(r1, want) {
		t.Errorf("EachMatch row 1 = %+v, want %+v", r1, want)
	}
	if r := rows[3]; r.Source != "أخرى" || r.Country != "" || len(r.Tags) != 1 || len(r.Entities) != 0 {
		t.Errorf("EachMatch row of an outlet without profile = %+v", r)
	}
	stop := errors.New("stop")
	n := 0
	err = s.EachMatch(c, oil, func(*store.MatchRow) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("EachMatch after fn's error: %v, %d calls", err, n)
	}
	// More matches than a page.
	const many = 1203
	batch := make([]*model.Article, many)
	ix := make([]store.IndexData, many)
	for i := range batch {
		batch[i] = article(fmt.Sprintf("https://many/%d", i), "زيت", day(5))
		ix[i] = idx("زيت", "")
	}
	if _, err := s.SaveArticles(c, batch, ix); err != nil {
		t.Fatal(err)
	}
	var got []int64
	if err := s.EachMatch(c, store.TextQuery{Clauses: []store.Clause{word("زيت", "زيت")}}, func(r *store.MatchRow) error {
		got = append(got, r.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != many || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != many {
		t.Errorf("EachMatch over %d matches gave %d ids (sorted %v)", many, len(got), slices.IsSorted(got))
	}
}
