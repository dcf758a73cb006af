// Package cluster assigns a new article to a story, incrementally: it
// never compares the article with every stored one, only with the
// candidates the store finds by shared LSH band keys.
//
// An article has two features (Features):
//
//   - its text, as a dedup.Doc (MinHash over word shingles), which finds
//     copies: the same wire story republished with a new headline or a
//     few edits;
//   - its topic, the hashes of its salient terms (title words, keywords and
//     entity names, the body's most frequent words), which finds distinct
//     write-ups of the same event. The store keeps the exact term hashes
//     (at most MaxTopicTerms), so the comparison is exact; only the band
//     keys that find candidates come from a small MinHash over them.
//
// How the pieces fit, for the caller (ingest):
//
//	f := cluster.NewFeatures(arabic.Normalize(text), terms, sourceID, published)
//	cands := store.Candidates(f.Bands(), opts.Since(published), cluster.CandidateLimit) // converted to cluster.Candidate
//	d := cluster.Decide(f, cands, opts)
//	a.DuplicateOf, a.StoryID = d.DuplicateOf, d.StoryID
//	a.Signature = cluster.Pack(f, d.StoryStart)
//	idx.Bands = f.Bands()
//
// Decisions, and why:
//
//   - Copies first. A candidate with the same content hash, or a near copy
//     by dedup.NearScore (similar in both directions) whose title does not
//     name other countries than the article's (both titles name countries,
//     by name or adjective, and none in common: a template cable to
//     another country), makes the
//     article a duplicate; DuplicateOf is the root of that copy (the
//     candidate's own DuplicateOf when it is itself a copy), so every copy
//     points at the earliest text, and the article joins the root's story.
//     A candidate that is itself a copy counts only if the article is also
//     a copy of its root, or shares at least rootMinShare of the longer
//     text with it and its title names no other countries, when the root
//     is among the candidates, so that copies of copies do not drift away
//     from the text they are filed under. Equal texts under titles naming
//     different countries are not copies either.
//   - One text, one root. Two edits of a text can fall just under the copy
//     threshold of each other (MinHash estimates vary by a few hundredths)
//     and so become two roots; a later article that is a copy of both
//     shows them to be one text. When those roots are among its
//     candidates, close to each other (rootMinShare of the longer text)
//     and their titles name no different countries, the article files the
//     later root and its copies under the earliest (Decision.Joins, which
//     the store applies when it saves the article). On SaudiNewsNet this
//     and reading numbers as their digits (see Templates) raised the near
//     copies found under one root from 0.9883 to 0.9923 in July (what the
//     rules were developed on) and from 0.9841 to 0.9895 from August on
//     (never tuned on).
//   - Otherwise a story is joined on topic: the share of shared salient
//     terms (of the smaller set, at least MinSharedTerms of them), or a
//     similar text. One link is not enough when the story has several
//     members among the candidates: a second member must link too, unless
//     the one link is a close text (Options.CloseText), so that a story
//     does not grow by chaining (A like B, B like C, C nothing like A).
//   - Time bounds every story. Candidates (and so copies) come from
//     Options.Window before the article; links that are not copies need
//     the articles within Options.LinkWindow; a story accepts no article
//     published more than Options.MaxStorySpan after its first one (the
//     story start travels in each member's packed signature).
//   - Templates. dedup masks numbers, so one template filled with other
//     figures looks like a copy; two similar texts whose numbers mostly
//     differ are a template filled twice and are neither copies nor linked
//     at all, whatever terms their titles share. A number is its run of
//     digits: "2016م" in one copy and "2016" in another are one number. A
//     merely similar text (below CloseText) links only within
//     Options.TemplateGap, and an outlet's own article older than
//     TemplateGap never links (it can still be a copy). Together these stop an outlet's recurring
//     bulletins (weather, prayer times, market summaries) from
//     snowballing into one ever-growing story.
//   - Tiny texts (fewer than dedup.MinWords words) are copies only by exact
//     hash (and texts under dedup.MinExactWords not even so) and give no
//     text band keys, so an empty article never joins every story; with
//     fewer than MinTopicTerms salient terms an article gets no topic links
//     either and starts its own story.
//
// The evaluation on SaudiNewsNet (eval_test.go) explains the thresholds.
package cluster

import (
	"cmp"
	"slices"
	"time"

	"khabar/internal/dedup"
)

// CandidateLimit is how many candidates to ask the store for (most shared
// bands first): enough that true copies, which share many bands, are never
// crowded out by articles sharing only a common phrase.
const CandidateLimit = 200

// Options tune Decide. The zero value is not useful; start from
// DefaultOptions.
type Options struct {
	// Window is how far back candidates are looked for (see Since): the
	// oldest copy found.
	Window time.Duration
	// LinkWindow is the largest time between two articles linked as one
	// story without being copies.
	LinkWindow time.Duration
	// MaxStorySpan is the longest time from a story's first article to a
	// new member.
	MaxStorySpan time.Duration
	// TemplateGap is the largest time between two articles linked by a
	// similar but not copied text, and the age beyond which an outlet's own
	// earlier article no longer links.
	TemplateGap time.Duration
	// TopicLink is the share of shared salient terms (of the smaller set)
	// that makes a strong topic link.
	TopicLink float64
	// MinSharedTerms is the fewest shared salient terms of a topic link.
	MinSharedTerms int
	// TextLink is the estimated text Jaccard that makes a story link
	// without being a copy.
	TextLink float64
	// CloseText is the estimated text Jaccard at which one link to a story
	// is enough even when other members of the story among the candidates
	// do not link (a text half contained in the other is close too);
	// otherwise a second member must link as well. A close text links
	// anywhere in LinkWindow, a merely similar one (TextLink) only within
	// TemplateGap.
	CloseText float64
}

// DefaultOptions returns the tuned defaults (see the package doc and the
// evaluation in eval_test.go).
func DefaultOptions() Options {
	return Options{
		Window:         7 * 24 * time.Hour,
		LinkWindow:     3 * 24 * time.Hour,
		MaxStorySpan:   7 * 24 * time.Hour,
		TemplateGap:    20 * time.Hour,
		TopicLink:      0.5,
		MinSharedTerms: 4,
		TextLink:       0.2,
		CloseText:      0.25,
	}
}

// Since returns the earliest publication time of candidates for an article
// published at published (the store's Candidates since argument).
func (o Options) Since(published time.Time) time.Time {
	return published.Add(-o.Window)
}

// Candidate is a stored article sharing band keys with the new one; it
// mirrors store.Candidate.
type Candidate struct {
	ID          int64
	SourceID    int64
	StoryID     int64
	DuplicateOf int64
	Published   time.Time
	ContentHash string
	Signature   []uint64 // as written by Pack
	Shared      int      // band keys shared with the new article
}

// Decision is where a new article goes.
type Decision struct {
	// DuplicateOf is the root copy of the article's text, 0 when it is not
	// a copy.
	DuplicateOf int64
	// StoryID is the story to join, 0 to start a new one.
	StoryID int64
	// StoryStart is the publication time of the story's first article (the
	// article's own when it starts a story); Pack stores it.
	StoryStart time.Time
	// Score is the similarity that decided: the copy's estimated Jaccard
	// (1 for an exact copy) or the story's link score; 0 for a new story.
	Score float64
	// Joins are other copy roots that the article shows to be copies of
	// DuplicateOf: the article is a copy of both, and the roots are close
	// to each other; DuplicateOf is the earliest of them. They and their
	// copies belong under DuplicateOf (the store re-points them when it
	// saves the article: model.Article.JoinCopies), so that one text has
	// one root even when an edit in a chain of copies fell just under the
	// threshold.
	Joins []int64
}

// scored is a candidate as Decide sees it.
type scored struct {
	c     *Candidate
	p     Packed
	link  float64 // story link score, 0 when none
	textJ float64 // estimated text Jaccard
	close bool    // a close text: one link to its story is enough
	copyS float64 // copy score, 0 when not a copy
}

// Decide places the article with features f among the candidates.
// Candidates whose signature cannot be unpacked are ignored.
func Decide(f Features, cands []Candidate, opts Options) Decision {
	var list []scored
	for i := range cands {
		c := &cands[i]
		p, err := Unpack(c.Signature)
		if err != nil {
			continue
		}
		s := scored{c: c, p: p}
		gap := absDur(f.Published.Sub(c.Published))
		unknownTime := f.Published.IsZero() || c.Published.IsZero()
		sameSource := f.SourceID != 0 && c.SourceID == f.SourceID
		if f.Text.Hash != "" && c.ContentHash == f.Text.Hash && !disjoint(f.Countries, p.Countries) {
			s.copyS = 1
			list = append(list, s)
			continue
		}
		bothText := f.Text.Words >= dedup.MinWords && p.Words >= dedup.MinWords
		j := 0.0
		if bothText {
			j = dedup.Similarity(f.Text.Sig, p.Text)
		}
		// One template filled with other figures (a bulletin) is neither a
		// copy nor a link, whatever its terms share.
		if j >= opts.TextLink && templated(f.Numbers, p.Numbers) {
			list = append(list, s)
			continue
		}
		s.textJ = j
		cd := dedup.Doc{Sig: p.Text, Words: p.Words, Shingles: p.Shingles}
		if s.copyS = dedup.NearScore(f.Text, cd); s.copyS > 0 && disjoint(f.Countries, p.Countries) {
			// Two cables from one template to different countries are
			// not copies.
			s.copyS = 0
		}
		if s.copyS > 0 {
			list = append(list, s)
			continue
		}
		// Links that are not copies need the two articles close in time,
		// and an outlet's own older article is a recurring series rather
		// than news of the same event.
		if !unknownTime && (gap > opts.LinkWindow || sameSource && gap > opts.TemplateGap) {
			list = append(list, s)
			continue
		}
		s.link = topicLink(f.Topic, p.Topic, opts)
		// A close text: similar, or a good part of one inside the other
		// (a copy trimmed or extended beyond what dedup calls a copy).
		s.close = j >= opts.CloseText ||
			j >= opts.TextLink/2 && dedup.Containment(j, f.Text.Shingles, p.Shingles) >= partialCopy
		if s.close || j >= opts.TextLink && (unknownTime || gap <= opts.TemplateGap) {
			s.link = max(s.link, j)
		}
		list = append(list, s)
	}

	storyOpen := func(p Packed) bool {
		return p.StoryStart.IsZero() || f.Published.IsZero() ||
			f.Published.Sub(p.StoryStart) <= opts.MaxStorySpan
	}
	own := Decision{StoryStart: f.Published}

	// Copies: the closest copy, earliest first on ties. A candidate that is
	// itself a copy does not count when the article has next to nothing in
	// common with that copy's root (the root being among the candidates):
	// copies of copies must not drift, edit by edit, away from the text
	// they are filed under. A weaker tie to the root is accepted: the
	// article, its match and the root are then one chain of copies.
	byID := make(map[int64]*scored, len(list))
	for i := range list {
		byID[list[i].c.ID] = &list[i]
	}
	var best *scored
	for i := range list {
		s := &list[i]
		if s.copyS == 0 {
			continue
		}
		if r := s.c.DuplicateOf; r != 0 {
			if root, ok := byID[r]; ok && (disjoint(f.Countries, root.p.Countries) || root.copyS == 0 &&
				dedup.LongerShare(root.textJ, f.Text.Shingles, root.p.Shingles) < rootMinShare) {
				continue
			}
		}
		if best == nil || s.copyS > best.copyS ||
			s.copyS == best.copyS && earlier(s.c, best.c) {
			best = s
		}
	}
	if best != nil {
		d := Decision{DuplicateOf: best.c.ID, Score: best.copyS, StoryStart: f.Published}
		if best.c.DuplicateOf != 0 {
			d.DuplicateOf = best.c.DuplicateOf
		}
		if js := joins(list, byID, d.DuplicateOf, f); len(js) > 0 {
			// The earliest of the joined roots is the root of them all.
			all := append(js, d.DuplicateOf)
			first := all[0]
			for _, r := range all[1:] {
				if earlier(byID[r].c, byID[first].c) {
					first = r
				}
			}
			d.DuplicateOf = first
			for _, r := range all {
				if r != first {
					d.Joins = append(d.Joins, r)
				}
			}
			slices.Sort(d.Joins)
		}
		if best.c.StoryID != 0 && storyOpen(best.p) {
			d.StoryID = best.c.StoryID
			d.StoryStart = storyStartOf(best.p, best.c)
		}
		return d
	}

	// Stories: group the linked candidates by story.
	type story struct {
		id           int64
		start        time.Time
		members      int
		best, second float64 // the two best links
		close        bool    // one of the links is a close text
	}
	stories := map[int64]*story{}
	var ids []int64
	for i := range list {
		s := &list[i]
		if s.c.StoryID == 0 {
			continue
		}
		st := stories[s.c.StoryID]
		if st == nil {
			st = &story{id: s.c.StoryID, start: storyStartOf(s.p, s.c)}
			stories[s.c.StoryID] = st
			ids = append(ids, s.c.StoryID)
		}
		st.members++
		switch {
		case s.link > st.best:
			st.best, st.second = s.link, st.best
		case s.link > st.second:
			st.second = s.link
		}
		if s.link > 0 && s.close {
			st.close = true
		}
		if start := storyStartOf(s.p, s.c); !start.IsZero() && (st.start.IsZero() || start.Before(st.start)) {
			st.start = start
		}
	}
	slices.Sort(ids) // deterministic ties: the older story wins
	var chosen *story
	var chosenScore float64
	for _, id := range ids {
		st := stories[id]
		// Links are 0 unless strong of their kind (a topic link at
		// TopicLink, a text link at TextLink), so best > 0 is a strong link.
		if st.best == 0 {
			continue
		}
		// Against chaining: when several members of the story are among
		// the candidates, one link is enough only if it is a close text;
		// otherwise a second member must link too.
		if st.members > 1 && st.second == 0 && !st.close {
			continue
		}
		if !st.start.IsZero() && !f.Published.IsZero() && f.Published.Sub(st.start) > opts.MaxStorySpan {
			continue
		}
		score := st.best + st.second
		if chosen == nil || score > chosenScore {
			chosen, chosenScore = st, score
		}
	}
	if chosen == nil {
		return own
	}
	d := Decision{StoryID: chosen.id, StoryStart: chosen.start, Score: chosenScore}
	if d.StoryStart.IsZero() {
		d.StoryStart = f.Published
	}
	return d
}

// joins returns the copy roots of list other than root that the article
// (features f) joins to root: it is a copy of such a root or of one of its
// copies, and close to the root itself; the two roots, both among the
// candidates, are close texts of each other, and no two of the three
// titles name different countries.
func joins(list []scored, byID map[int64]*scored, root int64, f Features) []int64 {
	into, ok := byID[root]
	if !ok {
		return nil
	}
	var out []int64
	for i := range list {
		s := &list[i]
		if s.copyS == 0 {
			continue
		}
		r := s.c.ID
		if s.c.DuplicateOf != 0 {
			r = s.c.DuplicateOf
		}
		other, ok := byID[r]
		if r == root || !ok || slices.Contains(out, r) || disjoint(other.p.Countries, into.p.Countries) ||
			disjoint(f.Countries, other.p.Countries) {
			continue
		}
		// The article is close to that root too, as to a root it is filed
		// under (see Decide).
		if other.copyS == 0 && dedup.LongerShare(other.textJ, f.Text.Shingles, other.p.Shingles) < rootMinShare {
			continue
		}
		if other.p.Words < dedup.MinWords || into.p.Words < dedup.MinWords || templated(other.p.Numbers, into.p.Numbers) {
			continue
		}
		j := dedup.Similarity(other.p.Text, into.p.Text)
		if dedup.LongerShare(j, other.p.Shingles, into.p.Shingles) < rootMinShare {
			continue
		}
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// partialCopy is the estimated containment at which a text with some
// similarity (half of TextLink) is a close text for story links.
const partialCopy = 0.5

// topicLink is the share of shared terms of the smaller topic when at
// least MinSharedTerms are shared and it reaches TopicLink, else 0.
func topicLink(a, b []uint64, opts Options) float64 {
	if len(a) < MinTopicTerms || len(b) < MinTopicTerms {
		return 0
	}
	shared := sharedSorted(a, b)
	if shared < opts.MinSharedTerms {
		return 0
	}
	s := float64(shared) / float64(min(len(a), len(b)))
	if s < opts.TopicLink {
		return 0
	}
	return s
}

// rootMinShare is the estimated share of the longer text below which an
// article that is not a copy of a root (the root being among the
// candidates) is not filed under it through one of the root's copies:
// a copy of a copy must still be mostly the root's text.
const rootMinShare = 0.4

// disjoint reports whether two sorted distinct sets are both non-empty
// and share nothing: titles that name different countries.
func disjoint(a, b []uint64) bool {
	return len(a) > 0 && len(b) > 0 && sharedSorted(a, b) == 0
}

// templated reports whether two similar texts are one template filled with
// different numbers (bulletins, market summaries) rather than copies: both
// have at least MinTemplateNumbers numbers and share less than half of
// the smaller set. Copies of a wire story keep its figures.
func templated(a, b []uint64) bool {
	if len(a) < MinTemplateNumbers || len(b) < MinTemplateNumbers {
		return false
	}
	return 2*sharedSorted(a, b) < min(len(a), len(b))
}

// MinTemplateNumbers is the fewest numbers a text needs before differing
// figures make it a template rather than a copy.
const MinTemplateNumbers = 3

// sharedSorted counts the values two sorted distinct slices share.
func sharedSorted(a, b []uint64) int {
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			shared++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return shared
}

// storyStartOf is the story start a candidate carries, or its own
// publication time when it has none (a signature from before stories).
func storyStartOf(p Packed, c *Candidate) time.Time {
	if !p.StoryStart.IsZero() {
		return p.StoryStart
	}
	return c.Published
}

func earlier(a, b *Candidate) bool {
	if !a.Published.Equal(b.Published) {
		return a.Published.Before(b.Published)
	}
	return cmp.Less(a.ID, b.ID)
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
