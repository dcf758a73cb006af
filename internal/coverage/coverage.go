// Package coverage works out what a story page tells beyond its list of
// articles: which outlets cover the story and from where, who reported it
// first, who copied whom (and the agency the copied article credits), a
// timeline, the direct quotations and who said them, a short cited summary
// and what each outlet adds. It is pure: the caller gives the story's
// articles and the outlet profiles, and stores the result
// (model.StoryDetails) when the story changes.
package coverage

import (
	"cmp"
	"slices"
	"time"

	"khabar/internal/arabic"
	"khabar/internal/model"
)

// Profiles gives an outlet's profile by key; ok is false for an outlet
// without one.
type Profiles func(key string) (model.Outlet, bool)

// Compute returns the details of a story from its articles (in any order;
// Text, Outlet, OutletName, SourceName, SourceID, Published, Fetched,
// Modified, DuplicateOf, Agency and Entities are read). OneSided is left
// for the caller, which knows which outlets were active meanwhile (see
// Lean).
func Compute(arts []model.Article, profiles Profiles) model.StoryDetails {
	arts = slices.Clone(arts)
	slices.SortFunc(arts, func(a, b model.Article) int {
		return cmp.Or(when(&a).Compare(when(&b)), cmp.Compare(a.ID, b.ID))
	})
	if profiles == nil {
		profiles = func(string) (model.Outlet, bool) { return model.Outlet{}, false }
	}
	d := model.StoryDetails{
		Coverage: coverageOf(arts, profiles),
		Origin:   originOf(arts),
		Timeline: timelineOf(arts),
		Quotes:   []model.Quote{},
		Adds:     []model.OutletAdds{},
	}
	if len(arts) > 0 {
		a := &arts[0]
		d.FirstReport = &model.FirstReport{ArticleID: a.ID, Source: a.DisplaySource(), Published: when(a)}
	}
	// Each quotation once, cited to the earliest article giving it (copies
	// repeat it).
	seen := map[string]bool{}
	for i := range arts {
		for _, q := range Quotes(arts[i].Text, arts[i].Entities) {
			k := arabic.Normalize(q.Text)
			if seen[k] {
				continue
			}
			seen[k] = true
			q.ArticleID = arts[i].ID
			d.Quotes = append(d.Quotes, q)
		}
	}
	d.Summary = Summary(arts)
	d.Adds = Adds(arts)
	return d
}

// when is an article's time on the story: published, else fetched.
func when(a *model.Article) time.Time {
	if a.Published.IsZero() {
		return a.Fetched
	}
	return a.Published
}

// outletKey is the key a story counts the article's outlet by (as the
// stores do).
func outletKey(a *model.Article) string {
	if a.Outlet != "" {
		return a.Outlet
	}
	return a.SourceName
}

func coverageOf(arts []model.Article, profiles Profiles) model.Coverage {
	c := model.Coverage{Outlets: []model.OutletCoverage{}, Countries: []model.CountryCount{}}
	at := map[string]int{}
	for i := range arts {
		a := &arts[i]
		k := outletKey(a)
		j, ok := at[k]
		if !ok {
			j = len(c.Outlets)
			at[k] = j
			o, _ := profiles(k)
			c.Outlets = append(c.Outlets, model.OutletCoverage{Outlet: k, Source: a.DisplaySource(),
				Country: o.Country, Kind: o.Kind, FirstPublished: when(a)})
		}
		oc := &c.Outlets[j]
		oc.Articles++
		if oc.SourceID == 0 {
			oc.SourceID = a.SourceID
		}
	}
	countries := map[string]int{}
	for _, o := range c.Outlets {
		if o.Country != "" {
			if countries[o.Country] == 0 {
				c.Countries = append(c.Countries, model.CountryCount{Country: o.Country})
			}
			countries[o.Country]++
		}
	}
	for i := range c.Countries {
		c.Countries[i].Outlets = countries[c.Countries[i].Country]
	}
	slices.SortStableFunc(c.Countries, func(a, b model.CountryCount) int { return b.Outlets - a.Outlets })
	return c
}

// originOf groups the copies (DuplicateOf) under the article they copy,
// biggest group first.
func originOf(arts []model.Article) []model.OriginGroup {
	byID := map[int64]*model.Article{}
	for i := range arts {
		byID[arts[i].ID] = &arts[i]
	}
	var groups []model.OriginGroup
	at := map[int64]int{}
	for i := range arts {
		a := &arts[i]
		if a.DuplicateOf == 0 || a.DuplicateOf == a.ID {
			continue
		}
		j, ok := at[a.DuplicateOf]
		if !ok {
			j = len(groups)
			at[a.DuplicateOf] = j
			g := model.OriginGroup{ArticleID: a.DuplicateOf, Copies: []model.CopyOfRef{}}
			if root, ok := byID[a.DuplicateOf]; ok {
				g.Source, g.Agency = root.DisplaySource(), root.Agency
			}
			groups = append(groups, g)
		}
		g := &groups[j]
		g.Copies = append(g.Copies, model.CopyOfRef{ArticleID: a.ID, Source: a.DisplaySource()})
		if g.Agency == "" {
			g.Agency = a.Agency // the copied article credits none: a copy may
		}
	}
	slices.SortStableFunc(groups, func(a, b model.OriginGroup) int { return len(b.Copies) - len(a.Copies) })
	if groups == nil {
		groups = []model.OriginGroup{}
	}
	return groups
}

// updateAfter is how much later than its publication an article's
// modification must be to count as an update.
const updateAfter = 5 * time.Minute

func timelineOf(arts []model.Article) []model.TimelineEvent {
	ev := []model.TimelineEvent{}
	for i := range arts {
		a := &arts[i]
		t := when(a)
		ev = append(ev, model.TimelineEvent{ArticleID: a.ID, Source: a.DisplaySource(), Time: t})
		if !a.Modified.IsZero() && !t.IsZero() && a.Modified.Sub(t) >= updateAfter {
			ev = append(ev, model.TimelineEvent{ArticleID: a.ID, Source: a.DisplaySource(), Time: a.Modified, Update: true})
		}
	}
	slices.SortStableFunc(ev, func(a, b model.TimelineEvent) int { return a.Time.Compare(b.Time) })
	return ev
}

// Lean tells whether a story's coverage leans one way: at least minOutlets
// outlets, all of one country ("country:SA") or all of one kind
// ("kind:wire"), while outlets of other countries (for a country lean) or
// of other kinds (for a kind lean) were active in the same days (active:
// the keys of the outlets that published then). It returns "" otherwise.
func Lean(c model.Coverage, active []string, profiles Profiles) string {
	const minOutlets = 3
	if len(c.Outlets) < minOutlets || profiles == nil {
		return ""
	}
	country, kind := c.Outlets[0].Country, c.Outlets[0].Kind
	in := map[string]bool{}
	for _, o := range c.Outlets {
		in[o.Outlet] = true
		if o.Country != country {
			country = ""
		}
		if o.Kind != kind {
			kind = ""
		}
	}
	otherCountry, otherKind := false, false
	for _, k := range active {
		if in[k] {
			continue
		}
		p, ok := profiles(k)
		if !ok {
			continue
		}
		if p.Country != "" && p.Country != country {
			otherCountry = true
		}
		if p.Kind != "" && p.Kind != kind {
			otherKind = true
		}
	}
	switch {
	case country != "" && otherCountry:
		return "country:" + country
	case kind != "" && otherKind:
		return "kind:" + kind
	}
	return ""
}

// LeanCandidate reports whether the coverage could lean one way (Lean):
// at least 3 outlets, all of one country or all of one kind.
func LeanCandidate(c model.Coverage) bool {
	if len(c.Outlets) < 3 {
		return false
	}
	sameCountry, sameKind := c.Outlets[0].Country != "", c.Outlets[0].Kind != ""
	for _, o := range c.Outlets[1:] {
		sameCountry = sameCountry && o.Country == c.Outlets[0].Country
		sameKind = sameKind && o.Kind == c.Outlets[0].Kind
	}
	return sameCountry || sameKind
}
