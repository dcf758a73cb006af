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
	ID          int64
	URL         string // canonical URL; unique
	GUID        string // the feed's GUID, when it had one
	SourceID    int64  // 0 for imported articles without a feed
	SourceName  string // outlet name for display (source title, or the import's "source")
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
}

// ArticleRef is the short form of an article used in listings and relations.
type ArticleRef struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	Published time.Time `json:"published"`
	Excerpt   string    `json:"excerpt,omitempty"`
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
