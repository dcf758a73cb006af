package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"khabar/internal/model"
)

// Users keeps accounts and each account's reading state: what it read and
// starred, the labels it put on articles, and what it follows. The
// admin token is not an account. Deleting a user deletes its state.
type Users interface {
	// AddUser stores u and sets u.ID. A name already taken is ErrConflict;
	// an empty name or password hash is ErrInvalid.
	AddUser(ctx context.Context, u *model.User) error
	GetUser(ctx context.Context, id int64) (model.User, error)
	GetUserByName(ctx context.Context, name string) (model.User, error)
	// GetUserByFeverKey finds the user whose FeverKey is key ("" finds none).
	GetUserByFeverKey(ctx context.Context, key string) (model.User, error)
	// ListUsers returns every user by name.
	ListUsers(ctx context.Context) ([]model.User, error)
	DeleteUser(ctx context.Context, id int64) error
	SetPasswordHash(ctx context.Context, id int64, hash string) error
	// SetFeverKey sets the user's Fever key ("" turns Fever off).
	SetFeverKey(ctx context.Context, id int64, key string) error

	// Follow adds f to what the user follows, or sets its label when it is
	// followed already. A source follow needs a stored source (ErrNotFound);
	// a saved search needs a stored alert (ErrNotFound); a tag or name
	// followed without a label is labelled by its term, a saved search by
	// its query (a source without one is in no folder). The table keeps a
	// saved search's alert id in user_follows.source_id.
	Follow(ctx context.Context, userID int64, f model.Follow) error
	// Unfollow removes the follow of that kind and source or term; one
	// that is not there is ErrNotFound.
	Unfollow(ctx context.Context, userID int64, f model.Follow) error
	// ListFollows returns the user's follows, sources first (by id, with
	// their titles), then tags and names by term. Follows of deleted
	// sources are left out.
	ListFollows(ctx context.Context, userID int64) ([]model.Follow, error)
	// RenameLabel gives every follow and article label of the user named
	// from the name to; ErrNotFound when nothing has that label.
	RenameLabel(ctx context.Context, userID int64, from, to string) error
	// DeleteLabel removes a label: sources in it stay followed outside any
	// folder, tags and names under it are no longer followed, and articles
	// lose it. ErrNotFound when nothing has that label.
	DeleteLabel(ctx context.Context, userID int64, label string) error

	// SetRead and SetStarred set the state of the articles ids (ids not
	// stored are skipped).
	SetRead(ctx context.Context, userID int64, ids []int64, read bool) error
	SetStarred(ctx context.Context, userID int64, ids []int64, starred bool) error
	// SetArticleLabel puts label on the articles ids, or takes it off.
	SetArticleLabel(ctx context.Context, userID int64, ids []int64, label string, on bool) error
	// MarkRead marks every article q matches as read (its Limit, Offset
	// and order are ignored) and returns how many it changed.
	MarkRead(ctx context.Context, q ItemQuery) (int, error)
	// ItemIDs returns the ids of the articles q matches, in q's order.
	ItemIDs(ctx context.Context, q ItemQuery) ([]int64, error)
	// CountItems counts the articles q matches (Limit and Offset
	// ignored) and returns the newest one's time (zero when none).
	CountItems(ctx context.Context, q ItemQuery) (int, time.Time, error)
	// ItemStates returns the user's state of each of ids that has one
	// (read, starred, labelled); the others are unread and unstarred.
	ItemStates(ctx context.Context, userID int64, ids []int64) (map[int64]ItemState, error)

	// StarredArticleIDs returns, by id, every article some user starred.
	// Pruning old news must keep them (table user_articles, starred = 1).
	StarredArticleIDs(ctx context.Context) ([]int64, error)
}

// ItemState is one user's state of one article.
type ItemState struct {
	Read    bool
	Starred bool
	Labels  []string // sorted
}

// StreamKind says which articles a stream holds.
type StreamKind int

const (
	// StreamReadingList: the articles of the sources, tags and names the
	// user follows, and those their saved searches delivered.
	StreamReadingList StreamKind = iota
	StreamStarred                // the articles the user starred
	StreamRead                   // the articles the user read
	StreamSource                 // one source's articles (Stream.SourceID)
	// StreamLabel: the articles of the sources, tags and names followed
	// under Stream.Label, and those the user labelled so.
	StreamLabel
	StreamAll // every article
)

// Stream is a set of articles, for one user.
type Stream struct {
	Kind     StreamKind
	SourceID int64
	Label    string
}

// ItemQuery selects articles of a user's stream. Zero fields do not filter.
type ItemQuery struct {
	UserID      int64
	Stream      Stream
	Unread      bool // only the articles the user has not read
	OnlyRead    bool
	OnlyStarred bool
	Since       time.Time // sort time (published, else fetched) at or after
	Until       time.Time // sort time before
	AfterID     int64     // id above
	BeforeID    int64     // id below
	IDs         []int64   // only these
	// Order: newest first by default (sort time, then id); Oldest reverses
	// it; ByID orders by id ascending (ByID with Oldest: descending).
	Oldest bool
	ByID   bool
	Limit  int // 0 means no limit
	Offset int
}

// ItemSQL is the one definition of what an ItemQuery matches, for both
// backends: a SELECT of cols over "articles a" joined to the user's
// "user_articles ua", with ? placeholders (a backend rewrites them to its
// own), the time arguments made by timeArg. order adds the ORDER BY, LIMIT
// and OFFSET of q.
func ItemSQL(q ItemQuery, cols string, order bool, timeArg func(time.Time) any) (string, []any) {
	var b strings.Builder
	args := []any{q.UserID}
	b.WriteString("SELECT " + cols + " FROM articles a LEFT JOIN user_articles ua ON ua.article_id = a.id AND ua.user_id = ? WHERE ")
	followed := func(label *string) {
		lab := ""
		if label != nil {
			lab = " AND f.label = ?"
		}
		b.WriteString("(a.source_id IN (SELECT f.source_id FROM user_follows f WHERE f.user_id = ? AND f.kind = 'source'" + lab + ")")
		b.WriteString(" OR a.id IN (SELECT k.article_id FROM user_follows f JOIN article_keywords k ON k.norm = f.term WHERE f.user_id = ? AND f.kind = 'tag'" + lab + ")")
		b.WriteString(" OR a.id IN (SELECT e.article_id FROM user_follows f JOIN article_entities e ON e.name = f.term WHERE f.user_id = ? AND f.kind = 'name'" + lab + ")")
		// A saved search holds what its alert delivered (source_id is the alert's id).
		b.WriteString(" OR a.id IN (SELECT d.article_id FROM user_follows f JOIN alert_deliveries d ON d.alert_id = f.source_id WHERE f.user_id = ? AND f.kind = 'search'" + lab + ")")
		for range 4 {
			args = append(args, q.UserID)
			if label != nil {
				args = append(args, *label)
			}
		}
		if label != nil {
			b.WriteString(" OR a.id IN (SELECT l.article_id FROM user_item_labels l WHERE l.user_id = ? AND l.label = ?)")
			args = append(args, q.UserID, *label)
		}
		b.WriteString(")")
	}
	switch q.Stream.Kind {
	case StreamReadingList:
		followed(nil)
	case StreamStarred:
		b.WriteString("ua.starred = 1")
	case StreamRead:
		b.WriteString("ua.read = 1")
	case StreamSource:
		b.WriteString("a.source_id = ?")
		args = append(args, q.Stream.SourceID)
	case StreamLabel:
		followed(&q.Stream.Label)
	default:
		b.WriteString("TRUE")
	}
	if q.Unread {
		b.WriteString(" AND COALESCE(ua.read, 0) = 0")
	}
	if q.OnlyRead {
		b.WriteString(" AND ua.read = 1")
	}
	if q.OnlyStarred {
		b.WriteString(" AND ua.starred = 1")
	}
	if !q.Since.IsZero() {
		b.WriteString(" AND a.sort_time >= ?")
		args = append(args, timeArg(q.Since))
	}
	if !q.Until.IsZero() {
		b.WriteString(" AND a.sort_time < ?")
		args = append(args, timeArg(q.Until))
	}
	if q.AfterID > 0 {
		b.WriteString(" AND a.id > ?")
		args = append(args, q.AfterID)
	}
	if q.BeforeID > 0 {
		b.WriteString(" AND a.id < ?")
		args = append(args, q.BeforeID)
	}
	if q.IDs != nil {
		if len(q.IDs) == 0 {
			b.WriteString(" AND FALSE")
		} else {
			b.WriteString(" AND a.id IN (")
			for i, id := range q.IDs {
				if i > 0 {
					b.WriteString(", ")
				}
				// Integers we hold, not text from a client: written out,
				// so a long list needs no placeholders.
				b.WriteString(strconv.FormatInt(id, 10))
			}
			b.WriteString(")")
		}
	}
	if order {
		switch {
		case q.ByID && q.Oldest:
			b.WriteString(" ORDER BY a.id DESC")
		case q.ByID:
			b.WriteString(" ORDER BY a.id")
		case q.Oldest:
			b.WriteString(" ORDER BY a.sort_time, a.id")
		default:
			b.WriteString(" ORDER BY a.sort_time DESC, a.id DESC")
		}
		if q.Limit > 0 || q.Offset > 0 {
			limit := int64(q.Limit)
			if limit <= 0 {
				limit = 1 << 62
			}
			b.WriteString(" LIMIT ?")
			args = append(args, limit)
		}
		if q.Offset > 0 {
			b.WriteString(" OFFSET ?")
			args = append(args, q.Offset)
		}
	}
	return b.String(), args
}
