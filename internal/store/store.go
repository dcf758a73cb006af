// Package store declares what khabar keeps and how it asks for it: the
// interfaces every backend implements and the sentinel errors they return.
// store/sqlite (the default, embedded) and store/postgres implement them;
// store/storetest is the one contract suite both must pass.
//
// Backends store analysed forms that khabar computes itself (package
// analysis); they never rely on a database's own text analysis.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"khabar/internal/model"
)

// Sentinel errors. Backends wrap them with %w so callers test with errors.Is.
var (
	ErrNotFound = errors.New("store: not found")
	ErrConflict = errors.New("store: already exists")
	ErrInvalid  = errors.New("store: invalid value")
)

// Store is everything khabar keeps.
type Store interface {
	Sources
	Articles
	Stories
	Tags
	Searcher
	Alerts
	Settings
	Outlets
	StoryDetails
	Related
	Users
	Explorer
	Pruner

	// Backup writes a consistent snapshot of the whole store to path.
	Backup(ctx context.Context, path string) error
	Close() error
}

// Pruner removes old news (khabar prune, KHABAR_RETAIN).
type Pruner interface {
	// PruneArticles deletes up to limit articles whose time (published,
	// else fetched) is before before, oldest first, other than those a
	// user starred (StarredArticleIDs): with them go their search terms,
	// keywords, entities, band keys, phrase frequencies, related readings,
	// alert deliveries and reading state; copies of them stand alone; their
	// stories are recounted, and deleted when left empty; CountArticles
	// follows. It returns how many it deleted: call it again until 0.
	PruneArticles(ctx context.Context, before time.Time, limit int) (int, error)
	// Reclaim gives the space pruning freed back where the backend needs
	// it (SQLite: VACUUM when a tenth of the file is free; PostgreSQL:
	// VACUUM, which makes the space reusable).
	Reclaim(ctx context.Context) error
}

// IndexCompactor is a store whose full-text index a bulk load leaves in
// pieces that every search then visits (SQLite's FTS5 segments).
// CompactIndex merges them into one; it rewrites the whole index, so it is
// for after a load that added much of the store.
type IndexCompactor interface {
	CompactIndex(ctx context.Context) error
}

// Sources keeps the feeds khabar polls.
type Sources interface {
	// AddSource stores s and sets s.ID. A URL already stored gives ErrConflict.
	AddSource(ctx context.Context, s *model.Source) error
	GetSource(ctx context.Context, id int64) (model.Source, error)
	GetSourceByURL(ctx context.Context, url string) (model.Source, error)
	// ListSources returns every source by id, with Articles counted.
	ListSources(ctx context.Context) ([]model.Source, error)
	// DeleteSource removes the source; its articles stay (SourceID kept, SourceName kept).
	DeleteSource(ctx context.Context, id int64) error
	// ClaimDueSources returns up to limit sources whose NextFetch is at or
	// before now, and in the same transaction moves their NextFetch to
	// now+lease, so that another worker sharing the store does not take them
	// in the same round. The crawler later writes the real NextFetch with
	// SaveFetchState.
	ClaimDueSources(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Source, error)
	// ClaimSources is ClaimDueSources for a crawl asked for by hand
	// (khabar crawl): besides the due sources it claims those not due yet
	// whose last fetch succeeded (ErrorCount == 0), so that they are polled
	// now, conditionally — except those whose NextFetch is within now+lease,
	// which another worker may hold under its lease. Sources held back after
	// a failure — an error backoff, a server's Retry-After — still wait.
	ClaimSources(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Source, error)
	// SaveFetchState writes the polling state of s (ETag, LastModified,
	// LastFetched, LastError, NextFetch, ErrorCount, Interval) and, when not
	// empty, its Title, SiteURL and Language.
	SaveFetchState(ctx context.Context, s model.Source) error

	// ClaimHosts shares the crawl between workers (khabar processes) by
	// host: it leases to req.Owner up to req.MaxHosts hosts (SourceHost of
	// a source's URL) that have due sources and no live lease (the owner's
	// own included: a host is worked by one crawl at a time), and claims all their due sources, earliest first, moving each
	// one's NextFetch to the lease's end. A host stays with its owner until
	// the lease ends or the owner releases it, so two workers never fetch
	// from one host at once. With req.Manual (khabar crawl), a healthy
	// source (ErrorCount == 0) last fetched before req.Since is due too.
	ClaimHosts(ctx context.Context, req HostClaimRequest) ([]HostClaim, error)
	// RenewHosts moves the end of owner's leases on hosts to until; hosts
	// owner no longer holds are left alone.
	RenewHosts(ctx context.Context, owner string, hosts []string, until time.Time) error
	// ReleaseHost ends owner's lease on host at freeAt: no one may take the
	// host before then (the host's politeness pause after owner's last
	// request). A host owner does not hold is left alone.
	ReleaseHost(ctx context.Context, owner, host string, freeAt time.Time) error
	// JoinRound enters owner into the crawl round by hand under way, or
	// begins one at now, and returns when the round began: sources fetched
	// since then are not polled again by the round's workers. owner stays
	// in the round until LeaveRound or until the round's lease ends
	// (renewed by calling JoinRound again).
	JoinRound(ctx context.Context, owner string, now, until time.Time) (time.Time, error)
	LeaveRound(ctx context.Context, owner string) error
}

// HostClaimRequest asks ClaimHosts for hosts to crawl.
type HostClaimRequest struct {
	Owner    string        // the worker, unique per process
	Now      time.Time     // sources due at or before Now are claimed
	Lease    time.Duration // how long the hosts and sources are held
	MaxHosts int
	Manual   bool      // a crawl by hand: healthy sources fetched before Since are due
	Since    time.Time // the start of the round by hand (JoinRound)
}

// HostClaim is one leased host and its claimed sources.
type HostClaim struct {
	Host    string
	Sources []model.Source
}

// SourceHost is the host a feed URL is fetched from, as the fetcher paces
// it: the lower-cased host with its port, if any. A URL that does not
// parse is its own host.
func SourceHost(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" {
		return strings.ToLower(rawURL)
	}
	return strings.ToLower(u.Host)
}

// SourceIsDue reports whether src is due under req (the contract of
// ClaimHosts, for the backends that filter in Go).
func SourceIsDue(src model.Source, req HostClaimRequest) bool {
	if src.NextFetch.IsZero() || !src.NextFetch.After(req.Now) {
		return true
	}
	return req.Manual && src.ErrorCount == 0 && (src.LastFetched.IsZero() || src.LastFetched.Before(req.Since))
}

// IndexData is what analysis derived from an article for the store's
// indexes. Terms are khabar's own analysed forms, space separated; both
// stores index, and search for, the runs of IsWordRune runes in them,
// lowercased.
type IndexData struct {
	TitleTerms string // normalized, clitic-stripped, unstemmed forms of the title
	TitleStems string // light stems of the title (names kept whole)
	BodyTerms  string
	BodyStems  string
	// Phrases are the distinct normalized candidate keyphrases of the
	// article; the store keeps their document frequencies (see Tags.DocFreq).
	Phrases []string
	// PhraseHashes, when not nil, stand for Phrases: their PhraseHashes,
	// which is what the store keeps, in 8 bytes a phrase (an import holds
	// thousands of articles' index data at once).
	PhraseHashes []int64
	// Bands are the LSH band keys of the article (dedup and cluster decide
	// them); Candidates finds articles that share one.
	Bands []uint64
	// Tags are the article's keywords in the form tags are matched on
	// (NormalizeTag), one for each of Article.Keywords in order. The
	// pipeline computes them once for its own use; a backend stores them
	// beside the keywords (see TagForms).
	Tags []string
}

// TagForms returns the matching forms of keywords: idx.Tags when they
// are the forms of these keywords, else NormalizeTag of each (an article
// saved without the pipeline's index data, or with edited keywords).
func (idx IndexData) TagForms(keywords []string) []string {
	if len(idx.Tags) == len(keywords) {
		return idx.Tags
	}
	out := make([]string, len(keywords))
	for i, k := range keywords {
		out[i] = NormalizeTag(k)
	}
	return out
}

// IsWordRune reports whether r belongs to a word of the full-text index: a
// letter, a number or a private-use character. Every other character
// separates words.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// PhraseKeys returns the sorted distinct hashes of idx's phrases.
func (idx IndexData) PhraseKeys() []int64 {
	if idx.PhraseHashes != nil {
		return idx.PhraseHashes
	}
	return PhraseHashes(idx.Phrases)
}

// PhraseHash is the key of a phrase in the stores' document frequencies:
// the FNV-1a 64-bit hash of its bytes, as int64. An integer key keeps that
// hot, ever-growing index small; a collision between two of a few million
// phrases is vanishingly unlikely, and would only merge two counts.
func PhraseHash(p string) int64 {
	// hash/fnv's, written out: it costs a copy of the phrase and a hasher
	// on the heap, twice for every phrase of every article imported.
	const offset64, prime64 = 14695981039346656037, 1099511628211
	h := uint64(offset64)
	for i := 0; i < len(p); i++ {
		h ^= uint64(p[i])
		h *= prime64
	}
	return int64(h)
}

// PhraseHashes returns the sorted distinct hashes of phrases (empty ones
// left out).
func PhraseHashes(phrases []string) []int64 {
	hs := make([]int64, 0, len(phrases))
	for _, p := range phrases {
		if p != "" {
			hs = append(hs, PhraseHash(p))
		}
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// ArticleFilter selects articles for listings. Zero fields do not filter.
type ArticleFilter struct {
	SourceID int64
	Tag      string // a keyword, matched on its normalized form
	Entity   string // an entity's canonical name
	StoryID  int64
	Since    time.Time
	Until    time.Time
	Limit    int // 0 means 50
	Offset   int
}

// Articles keeps articles, keyed by canonical URL.
type Articles interface {
	// SaveArticle inserts a by URL or, when the URL is stored, updates it in
	// place (keeping its ID, and its story unless a.StoryID says otherwise).
	// It sets a.ID and, in the same transaction, replaces the article's
	// keywords, entities, search terms, LSH bands and phrase document
	// frequencies from idx, and maintains stories: a.StoryID == 0 starts a
	// new story whose first article is a (a.StoryID is set); otherwise a
	// joins that story. created is true when the URL was new.
	SaveArticle(ctx context.Context, a *model.Article, idx IndexData) (created bool, err error)
	// SaveArticles is SaveArticle for a batch, in one transaction: all are
	// saved or none (then the IDs and story IDs it set are void). The same
	// URL twice in a batch is saved, then updated. idx[i] belongs to as[i].
	// An article's DuplicateOf and StoryID may refer to an earlier article
	// of the same batch (BatchRef), whose ID is not known before it is
	// saved.
	SaveArticles(ctx context.Context, as []*model.Article, idx []IndexData) (created []bool, err error)
	GetArticle(ctx context.Context, id int64) (model.Article, error)
	GetArticleByURL(ctx context.Context, url string) (model.Article, error)
	// ArticleRefs returns the short form of the articles ids name, in that
	// order, leaving out those not stored: what a list of links (related
	// reading) shows, read in one query instead of an article each, with
	// the Excerpt of RefExcerpt.
	ArticleRefs(ctx context.Context, ids []int64) ([]model.ArticleRef, error)
	HasArticle(ctx context.Context, url string) (bool, error)
	// ListArticles returns matching articles newest first (by Published,
	// falling back to Fetched) and the total number matching.
	ListArticles(ctx context.Context, f ArticleFilter) ([]model.Article, int, error)
	// EachArticle calls fn for every article in ID order; an error from fn stops it.
	EachArticle(ctx context.Context, fn func(*model.Article) error) error
	CountArticles(ctx context.Context) (int, error)
}

// Checkpointer is a store that keeps a log of writes apart from its data
// (SQLite's write-ahead log). Checkpoint copies the log into the data and
// waits for it; a bulk writer calls it before each large write, so that
// the write starts the log over instead of growing it (an import of
// 31,030 articles grew SQLite's log to 1 GB).
type Checkpointer interface {
	Checkpoint(ctx context.Context) error
}

// Candidate is a stored article that may be a copy of, or on the same
// story as, a new one.
type Candidate struct {
	ID          int64
	SourceID    int64
	SourceName  string
	StoryID     int64
	DuplicateOf int64
	Published   time.Time
	ContentHash string
	Signature   []uint64
	Shared      int // how many of the asked bands it shares
}

// StoryFilter selects stories for listings.
type StoryFilter struct {
	Since time.Time
	// OneSided keeps the stories whose details say their coverage leans
	// one way (model.StoryDetails.OneSided).
	OneSided bool
	Limit    int // 0 means 20
	Offset   int
	// NoTotal spares the count of the stories selected, which reads
	// every one of them (without Since, the whole table): the total
	// returned is then 0.
	NoTotal bool
}

// Stories reads the story clusters SaveArticle maintains.
type Stories interface {
	// GetStory returns the story with its Members, earliest first, and its
	// stored Details.
	GetStory(ctx context.Context, id int64) (model.Story, error)
	// StoryPreview returns the story without its Details and with at most
	// members of its Members (at least one), earliest first: what an
	// article page shows of its story. GetStory reads every member and
	// decodes the details; for an article of a story with a hundred
	// versions that cost more than the rest of its page.
	StoryPreview(ctx context.Context, id int64, members int) (model.Story, error)
	// ListStories returns stories by latest report first, each with its
	// Members (earliest first, at most 10), and the total number.
	ListStories(ctx context.Context, f StoryFilter) ([]model.Story, int, error)
	// Candidates returns articles published (or fetched) since the given
	// time that share at least one of bands, most shared first, at most limit.
	Candidates(ctx context.Context, bands []uint64, since time.Time, limit int) ([]Candidate, error)
	// ByContentHash returns the earliest article with that content hash.
	ByContentHash(ctx context.Context, hash string) (model.Article, error)
	// WithBandLock runs fn holding, for every process sharing the store, a
	// lock on each of the LSH band keys, so that two workers placing copies
	// of one story at the same moment decide one after the other. Store
	// calls inside fn must use the ctx fn receives. fn may be run again
	// when the store lost the connection holding the locks.
	WithBandLock(ctx context.Context, bands []uint64, fn func(ctx context.Context) error) error
}

// Outlets keeps outlet profiles (model.Outlet), by key. Articles name their
// outlet by key (model.Article.Outlet); reads fill the display name from
// the profile.
type Outlets interface {
	// SaveOutlet stores o under o.Key, replacing the profile stored.
	SaveOutlet(ctx context.Context, o model.Outlet) error
	// AddOutlets stores the profiles whose key has none yet, leaving the
	// others (edited by a user, perhaps) as they are.
	AddOutlets(ctx context.Context, os []model.Outlet) error
	// GetOutlet returns ErrNotFound for a key without a profile.
	GetOutlet(ctx context.Context, key string) (model.Outlet, error)
	// ListOutlets returns every profile by key.
	ListOutlets(ctx context.Context) ([]model.Outlet, error)
	// SetSourceOutlet makes key the outlet of the source and of the
	// articles stored from it; their stories count outlets anew.
	SetSourceOutlet(ctx context.Context, sourceID int64, key string) error
}

// StoryDetails keeps what is computed for a story when it changes
// (model.StoryDetails). Every change of a story's members raises its Rev.
type StoryDetails interface {
	// StaleStories returns up to limit ids of stories whose details are
	// older than their members (or missing), by id.
	StaleStories(ctx context.Context, limit int) ([]int64, error)
	// SaveStoryDetails stores each update's details as those of its story
	// at the update's revision, all in one transaction (a refresh after a
	// bulk import saves hundreds at once). saved[i] is false when the
	// story of ups[i] has changed since (its Rev is not the update's) or is
	// gone: that one is not stored.
	SaveStoryDetails(ctx context.Context, ups []StoryDetailsUpdate) (saved []bool, err error)
	// ActiveOutlets returns the distinct outlet keys of the articles
	// published (or fetched) in [since, until).
	ActiveOutlets(ctx context.Context, since, until time.Time) ([]string, error)
}

// StoryDetailsUpdate is a story's details computed at its revision Rev.
type StoryDetailsUpdate struct {
	ID, Rev int64
	Details model.StoryDetails
}

// TermCount is a keyword or entity with a count, for tag clouds and trends.
type TermCount struct {
	Term  string
	Type  string // entity type, for entities
	Count int
}

// EntityInfo is what the store knows of one entity across articles.
type EntityInfo struct {
	Name     string
	Type     string
	Aliases  []string    // every surface form seen, most frequent first
	Articles int         // number of articles that mention it
	Related  []TermCount // entities appearing with it, most frequent first
}

// Tags keeps keyword and entity statistics.
type Tags interface {
	// DocFreq returns how many stored articles have each of the phrases
	// (as given in IndexData.Phrases) and the number of articles in all
	// (a backend may estimate it for a large store: it weighs keywords).
	DocFreq(ctx context.Context, phrases []string) (map[string]int, int, error)
	// GetEntity returns ErrNotFound when no article mentions name.
	GetEntity(ctx context.Context, name string) (EntityInfo, error)
	// TopTags and TopEntities count articles published in [since, until).
	TopTags(ctx context.Context, since, until time.Time, limit int) ([]TermCount, error)
	TopEntities(ctx context.Context, since, until time.Time, limit int) ([]TermCount, error)
	// CommonTerms returns the keywords (in every written form) and entity
	// names that appear in at least share of the articles published in
	// [since, until) by some outlet (its source name) that has at least
	// minArticles articles there: page furniture (share buttons, an
	// outlet's own name and sections), which is never news. Sorted.
	CommonTerms(ctx context.Context, since, until time.Time, share float64, minArticles int) (tags, entities []string, err error)
	// ObserveNames records names seen in naming contexts (after a title,
	// before an organisation word ...) so that recurring ones can be learnt.
	ObserveNames(ctx context.Context, names []model.Entity) error
	// LearnedNames returns names observed at least min times.
	LearnedNames(ctx context.Context, min int) ([]model.Entity, error)
}

// Clause is one part of a text query. A single word has one Exact form and
// may have a Stem; a quoted phrase has several Exact forms, matched in order.
type Clause struct {
	Exact []string // analysed unstemmed forms (IndexData.*Terms vocabulary)
	Stem  string   // analysed stem (IndexData.*Stems vocabulary); "" for none
	// Alt are other forms the one word of the clause may stand for (a word
	// typed without the hamza that tells إلغاء from ال + غاء): each matches
	// in the terms or in the stems, as an alternative to Exact and Stem.
	// Ignored for a phrase.
	Alt []string
}

// TextQuery is a backend-neutral full-text query.
type TextQuery struct {
	Clauses []Clause
	// Any matches articles with any clause instead of all (used for
	// related reading).
	Any          bool
	SourceIDs    []int64
	ExcludeIDs   []int64
	ExcludeStory int64
	Since        time.Time
	// Filter narrows the matches further (search filters: dates, sources
	// or outlets, country, kind, tag, entity).
	Filter Filter
	// Around, when set, measures the freshness of the ranking contract
	// from this time in both directions (|published - Around|) instead of
	// back from the newest article: related reading favours what was
	// published near its article, before or after.
	Around time.Time
	// AroundID, with Around, is the article searched for. A backend may
	// then score only the matches nearest to it in the order articles were
	// stored (SQLite: half of its window before it, half after), so that
	// the search's cost does not grow with the store.
	AroundID int64
	// NoTotal says the number of matches is not wanted: a backend may
	// then return 0 for it and spare a count of every match.
	NoTotal bool
	Limit   int // 0 means 20
	Offset  int
}

// Hit is one search result.
type Hit struct {
	ID    int64
	Score float64
}

// Searcher is full-text search over the analysed forms in IndexData.
//
// Ranking contract (both backends): relevance is BM25-like over the
// analysed forms (SQLite: bm25; PostgreSQL: ts_rank, as close as it
// allows); it counts a match of an exact form higher than a match of a
// stem only, and a title match higher than a body match. A query of two
// words or more earns PhraseTitleBonus when its words stand in the title in
// order and adjacent (exact forms or stems), and PhraseBodyBonus when they
// stand within a few words of each other in the body. Freshness is a gentle
// factor: the score is relevance × (1 + FreshBonus / (1 + age_in_days /
// FreshDays)), the age measured from the newest article in the store (or
// from TextQuery.Around, in either direction), so
// that among equally relevant articles the fresh come first, but an
// exact title match is never buried under fresher partial ones. Hits come
// best first.
type Searcher interface {
	SearchText(ctx context.Context, q TextQuery) ([]Hit, int, error)
}

// Ranking constants shared by the backends (see Searcher).
const (
	PhraseTitleBonus = 1.0  // relevance × 2 for the query's words in order in the title
	PhraseBodyBonus  = 0.25 // × 1.25 for them near one another in the body
	FreshBonus       = 0.2  // the newest article's score × 1.2
	FreshDays        = 7.0  // a week old: × 1.1
	// PhraseNear is how many words apart, at most, the words of a query
	// may stand in the body for PhraseBodyBonus.
	PhraseNear = 4
)

// PhraseWords returns the exact forms and the stems (a word's exact form
// when it has no stem) of a query's one-word clauses, when it has two or
// more and no quoted phrase; nil otherwise. Both backends give proximity
// credit for them.
func PhraseWords(clauses []Clause) (terms, stems []string) {
	if len(clauses) < 2 {
		return nil, nil
	}
	for _, c := range clauses {
		if len(c.Exact) != 1 {
			return nil, nil
		}
		terms = append(terms, c.Exact[0])
		if c.Stem != "" {
			stems = append(stems, c.Stem)
		} else {
			stems = append(stems, c.Exact[0])
		}
	}
	return terms, stems
}

// RelatedLink is one article of a stored related reading.
type RelatedLink struct {
	ID    int64   `json:"id"`
	Score float64 `json:"score"`           // what it shares with the article (search.Related's score)
	Later bool    `json:"later,omitempty"` // a later development (model.ArticleRef.Later)
}

// RelatedList is the related reading of one article (Related).
type RelatedList struct {
	ID    int64
	Links []RelatedLink
}

// Related keeps each article's related reading, computed when the article
// is saved (package search decides it), so that a page shows it without
// searching.
type Related interface {
	// SaveRelated replaces the related reading of article id with links,
	// best first (empty: computed, and nothing qualifies). Links to
	// articles not stored are left out. An unknown id is ErrNotFound.
	SaveRelated(ctx context.Context, id int64, links []RelatedLink) error
	// SaveRelatedLists saves many lists as SaveRelated does, in one
	// transaction (a bulk pass writes once for hundreds of articles, so
	// that the readers' page caches are not reset after each); a list of
	// an article not stored (deleted meanwhile) is left out.
	SaveRelatedLists(ctx context.Context, lists []RelatedList) error
	// GetRelated returns the stored related reading of article id, best
	// first, leaving out articles deleted since; ok is false when none was
	// ever computed.
	GetRelated(ctx context.Context, id int64) (links []RelatedLink, ok bool, err error)
}

// Alerts keeps saved searches and what was delivered for them.
type Alerts interface {
	AddAlert(ctx context.Context, a *model.Alert) error
	GetAlert(ctx context.Context, id int64) (model.Alert, error)
	ListAlerts(ctx context.Context) ([]model.Alert, error)
	DeleteAlert(ctx context.Context, id int64) error
	// RecordDelivery marks articleID as delivered for alertID; first is
	// false when it had been recorded before (so it is never sent twice).
	RecordDelivery(ctx context.Context, alertID, articleID int64) (first bool, err error)
	// Delivered lists the articles recorded for the alert, newest first.
	Delivered(ctx context.Context, alertID int64, limit int) ([]model.Article, error)
}

// Settings is a small key-value table for instance state (admin token ...).
// TextIndexer is a store whose full-text index can be rebuilt from the
// articles it keeps, for when the rules that make the analysed forms
// change (search.EnsureIndex). Both backends are.
type TextIndexer interface {
	// ReindexText replaces the title and body forms of every article with
	// forms(title, text) of its stored title and text (only the
	// TitleTerms, TitleStems, BodyTerms and BodyStems of the result are
	// used; the rest of the article's index data is kept). It works in
	// batches of articles in ID order, each in its own transaction, and
	// returns how many articles it reindexed. Articles saved meanwhile are
	// indexed by whoever saves them.
	ReindexText(ctx context.Context, forms func(title, text string) IndexData) (int, error)
}

type Settings interface {
	GetSetting(ctx context.Context, key string) (string, error) // ErrNotFound when absent
	SetSetting(ctx context.Context, key, value string) error
}

// BatchRef is how an article given to SaveArticles refers, in its
// DuplicateOf, JoinCopies or StoryID, to the article at index i of the same batch
// (i below its own index): a negative number, which no stored ID is.
// SaveArticles replaces it with that article's ID (DuplicateOf) or story
// ID (StoryID) once that article is saved. It lets a bulk import file a
// copy under, or add to the story of, an article saved in the same
// transaction.
func BatchRef(i int) int64 { return -int64(i) - 1 }

// ResolveBatchRefs replaces the batch references (BatchRef) in as[i] by the
// IDs of the articles they name, which must be saved already; the backends
// call it before saving as[i]. A reference to as[i] itself, a later or a
// missing article is ErrInvalid (CheckBatchRefs finds it beforehand).
func ResolveBatchRefs(as []*model.Article, i int) error {
	a := as[i]
	if err := checkBatchRefs(a, i); err != nil {
		return err
	}
	if a.DuplicateOf < 0 {
		a.DuplicateOf = as[-a.DuplicateOf-1].ID
	}
	if slices.ContainsFunc(a.JoinCopies, func(j int64) bool { return j < 0 }) {
		// A new slice: the caller's may be saved again (a retried
		// transaction starts from it).
		js := make([]int64, len(a.JoinCopies))
		for k, j := range a.JoinCopies {
			if js[k] = j; j < 0 {
				js[k] = as[-j-1].ID
			}
		}
		a.JoinCopies = js
	}
	if a.StoryID < 0 {
		a.StoryID = as[-a.StoryID-1].StoryID
	}
	return nil
}

// CheckBatchRefs reports, as ErrInvalid, the first batch reference in as
// that names no article saved before the one holding it, for a backend
// that checks a batch before saving any of it.
func CheckBatchRefs(as []*model.Article) error {
	for i, a := range as {
		if err := checkBatchRefs(a, i); err != nil {
			return err
		}
	}
	return nil
}

// checkBatchRefs checks the references of a, article i of its batch.
func checkBatchRefs(a *model.Article, i int) error {
	for _, f := range []struct {
		name string
		v    int64
	}{{"duplicate_of", a.DuplicateOf}, {"story", a.StoryID}} {
		if j := -f.v - 1; f.v < 0 && j >= int64(i) {
			return fmt.Errorf("article %d of the batch: %s refers to article %d of the batch, which is not saved before it: %w", i, f.name, j, ErrInvalid)
		}
	}
	for _, v := range a.JoinCopies {
		if j := -v - 1; v < 0 && j >= int64(i) {
			return fmt.Errorf("article %d of the batch: a joined copy root refers to article %d of the batch, which is not saved before it: %w", i, j, ErrInvalid)
		}
	}
	return nil
}
