// Package model holds khabar's domain values: sources, articles, entities,
// stories and alerts. It imports the standard library only, so that every
// other package can depend on it without pulling in I/O.
package model

import "time"

// Source is one feed khabar polls.
type Source struct {
	ID       int64
	URL      string // the feed URL
	Title    string
	SiteURL  string // the outlet's home page, from the feed
	Language string

	// Polling state, kept by the crawler.
	ETag         string
	LastModified string
	LastFetched  time.Time // zero until the first fetch
	LastError    string    // empty when the last fetch succeeded
	NextFetch    time.Time // when the source is due again
	ErrorCount   int       // consecutive failures, for backoff
	Interval     time.Duration

	CreatedAt time.Time
	Articles  int // number of stored articles; filled by listings

	// Outlet is the profile of the outlet the feed belongs to; only
	// Outlet.Key is stored with the source, the rest is read from the
	// outlet's profile (empty when it has none).
	Outlet Outlet
}

// DisplayName is the name readers see for the source: its outlet's name
// when the outlet has a profile, else its title, else its URL.
func (s Source) DisplayName() string {
	switch {
	case s.Outlet.NameAR != "" || s.Outlet.NameEN != "":
		return s.Outlet.Name()
	case s.Title != "":
		return s.Title
	}
	return s.URL
}

// Outlet is the profile of a news outlet: a stable key that articles and
// stories count it by, however it is renamed, and what readers see.
type Outlet struct {
	Key     string `json:"key"`     // stable: "aljazeera", "was", "alriyadh" …
	NameAR  string `json:"name_ar"` // Arabic display name
	NameEN  string `json:"name_en"` // English display name
	Country string `json:"country"` // ISO 3166-1 alpha-2, "" when none (an international body)
	Kind    string `json:"kind"`    // OutletWire, OutletState, OutletPublic or OutletPrivate; "" unknown
}

// Outlet kinds. A state news agency (واس) is a wire.
const (
	OutletWire    = "wire"
	OutletState   = "state"
	OutletPublic  = "public"
	OutletPrivate = "private"
)

// OutletKinds lists the valid kinds.
var OutletKinds = []string{OutletWire, OutletState, OutletPublic, OutletPrivate}

// Name returns the outlet's Arabic name, else its English one, else its key.
func (o Outlet) Name() string {
	switch {
	case o.NameAR != "":
		return o.NameAR
	case o.NameEN != "":
		return o.NameEN
	}
	return o.Key
}

// Entity is a named thing an article mentions.
type Entity struct {
	Name     string   `json:"name"`     // canonical name
	Type     string   `json:"type"`     // PERS, LOC, ORG or MISC
	Mentions []string `json:"mentions"` // surface forms seen in the article
}

// Entity types.
const (
	EntityPerson = "PERS"
	EntityPlace  = "LOC"
	EntityOrg    = "ORG"
	EntityMisc   = "MISC"
)

// Article is one news item, keyed by its canonical URL.
type Article struct {
	ID         int64
	URL        string // canonical URL; unique
	GUID       string // the feed's GUID, when it had one
	SourceID   int64  // 0 for imported articles without a feed
	SourceName string // the source's name as saved (source title, or the import's "source")
	// Outlet is the key of the article's outlet: its source's outlet key,
	// or SourceName when that is empty (an import's bare key such as
	// "was"). Stories count outlets by it. OutletName is the outlet's
	// display name from its profile, filled by reads ("" without one).
	Outlet      string
	OutletName  string
	Title       string
	Text        string // plain text; paragraphs separated by "\n\n"
	HTML        string // sanitized article HTML, optional
	Summary     string // feed summary, sanitized, optional
	Authors     []string
	Published   time.Time // zero when unknown
	Modified    time.Time // zero when unknown
	Fetched     time.Time // when khabar stored it
	Language    string    // ISO 639-1, e.g. "ar"
	Image       string
	SiteName    string
	Agency      string // the agency the text credits, e.g. "واس"
	Keywords    []string
	Entities    []Entity
	ContentHash string // hash of the normalized text, for exact duplicates

	// Story assignment: DuplicateOf is the earliest copy of this text (0 when
	// this is the original); StoryID is the story the article belongs to.
	DuplicateOf int64
	StoryID     int64
	Signature   []uint64 // packed copy and story features (cluster.Pack): text MinHash, topic and number hashes, story start
	// JoinCopies, when saving, are other copy roots that placing the
	// article found to be copies of DuplicateOf (cluster.Decision.Joins):
	// the store files them and their copies under DuplicateOf. Not stored.
	JoinCopies []int64 `json:"-"`
}

// DisplaySource is the name readers see for the article's outlet: its
// profile's name when the outlet has one, else the name it was saved with.
func (a Article) DisplaySource() string {
	if a.OutletName != "" {
		return a.OutletName
	}
	return a.SourceName
}

// ArticleRef is the short form of an article used in listings and relations.
type ArticleRef struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	Published time.Time `json:"published"`
	Excerpt   string    `json:"excerpt,omitempty"`
	Outlet    string    `json:"-"` // the outlet's key
	// Later marks, in related reading, an article published well after
	// the one it is related to (beyond a story's span): a later
	// development rather than background.
	Later bool `json:"later,omitempty"`
}

// Story is a group of articles about one event, across outlets.
type Story struct {
	ID        int64
	Title     string // title of its first article
	FirstSeen time.Time
	LastSeen  time.Time
	Articles  int // number of member articles
	Outlets   int // number of distinct outlets
	Members   []ArticleRef

	// Rev grows with every change of the story's members; Details were
	// computed at DetailsRev (nil when never), so they are current when
	// DetailsRev == Rev. Filled by GetStory.
	Rev, DetailsRev int64
	Details         *StoryDetails
}

// StoryDetails is what a story page tells beyond its members: who covers
// it, who broke it, who copied whom, a summary, what each outlet adds and
// who said what. It is computed when the story changes and stored.
type StoryDetails struct {
	Coverage    Coverage          `json:"coverage"`
	FirstReport *FirstReport      `json:"first_report"`
	Origin      []OriginGroup     `json:"origin"`
	Summary     []SummarySentence `json:"summary,omitempty"`
	Adds        []OutletAdds      `json:"adds"`
	Quotes      []Quote           `json:"quotes"`
	Timeline    []TimelineEvent   `json:"timeline"`
	// OneSided is set when at least 3 outlets cover the story, all of one
	// country or all of one kind, while outlets of other countries were
	// active in the same days; Lean says which ("country:SA", "kind:wire").
	OneSided bool   `json:"one_sided"`
	Lean     string `json:"lean,omitempty"`
}

// Coverage says which outlets cover a story and from which countries.
type Coverage struct {
	Outlets   []OutletCoverage `json:"outlets"`
	Countries []CountryCount   `json:"countries"` // most outlets first
}

// CountryCount is how many of a story's outlets are from one country.
type CountryCount struct {
	Country string `json:"country"` // ISO 3166-1 alpha-2
	Outlets int    `json:"outlets"`
}

// OutletCoverage is one outlet's part in a story.
type OutletCoverage struct {
	Outlet         string    `json:"outlet"` // the outlet's key
	Source         string    `json:"source"` // its display name
	SourceID       int64     `json:"source_id"`
	Country        string    `json:"country"`
	Kind           string    `json:"kind"`
	Articles       int       `json:"articles"`
	FirstPublished time.Time `json:"first_published"`
}

// FirstReport is a story's earliest article.
type FirstReport struct {
	ArticleID int64     `json:"article_id"`
	Source    string    `json:"source"`
	Published time.Time `json:"published"`
}

// OriginGroup is a group of copies: the article they copy, the agency it
// credits, and the copies.
type OriginGroup struct {
	ArticleID int64       `json:"article_id"`
	Source    string      `json:"source"`
	Agency    string      `json:"agency"`
	Copies    []CopyOfRef `json:"copies"`
}

// CopyOfRef is one copy in an OriginGroup.
type CopyOfRef struct {
	ArticleID int64  `json:"article_id"`
	Source    string `json:"source"`
}

// SummarySentence is a verbatim sentence of a cited article.
type SummarySentence struct {
	Text      string `json:"text"`
	ArticleID int64  `json:"article_id"`
	Source    string `json:"source"`
}

// OutletAdds is what one outlet's coverage has that the others' lacks.
type OutletAdds struct {
	Source    string   `json:"source"`
	ArticleID int64    `json:"article_id"`
	Sentences []string `json:"sentences"`
	Numbers   []string `json:"numbers"`
	Names     []string `json:"names"`
}

// Quote is a direct quotation, verbatim without its marks, and who said it.
type Quote struct {
	Speaker   string `json:"speaker"`
	Text      string `json:"text"`
	ArticleID int64  `json:"article_id,omitempty"`
}

// TimelineEvent is an article's publication, or its update, in a story.
type TimelineEvent struct {
	ArticleID int64     `json:"article_id"`
	Source    string    `json:"source"`
	Time      time.Time `json:"time"`
	Update    bool      `json:"update,omitempty"` // a later modification of the article
}

// Alert is a saved search delivered by webhook, feed or email.
type Alert struct {
	ID        int64
	Query     string
	SourceIDs []int64
	Entities  []string
	Webhook   string
	Email     string
	CreatedAt time.Time
}

// User is an account: a reader with their own reading state and follows.
// The admin token is not a user; it administers.
type User struct {
	ID           int64
	Name         string
	PasswordHash string // an encoded argon2id hash (package users); never the password
	// FeverKey is the hex MD5 of "name:fever password", the Fever API's
	// api_key, or "" when the user has not turned Fever on.
	FeverKey  string
	CreatedAt time.Time
}

// Follow kinds: what a user may follow.
const (
	FollowSource = "source" // a source (feed) khabar polls
	FollowTag    = "tag"    // a keyword, by its normalized form
	FollowName   = "name"   // an entity, by its canonical name
	FollowSearch = "search" // a saved search: an alert the user keeps as theirs
)

// Follow is something a user follows: a source, a tag or a name. Label
// groups follows (a folder of sources; the label a tag or name shows as).
type Follow struct {
	Kind     string
	SourceID int64  // FollowSource
	AlertID  int64  // FollowSearch
	Term     string // FollowTag (normalized) and FollowName
	Label    string // "" for a source outside any folder
	// Title is the source's title or the saved search's query (filled by
	// listings), or the term.
	Title     string
	CreatedAt time.Time
}
