package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"khabar/internal/arabic"
	"khabar/internal/model"
	"khabar/internal/plaintext"
)

// The rules below are the backends' common ground: what each must do the
// same way for the contract suite to hold on both.

// MemberExcerptRunes bounds the excerpt of a story member; a backend reads
// at most four times as many runes of the text to make it.
const MemberExcerptRunes = 200

// MemberExcerpt is the excerpt of a story member: the first paragraph of
// its text, cut by plaintext.Excerpt.
func MemberExcerpt(text string) string {
	text = strings.TrimSpace(text)
	if first, _, ok := strings.Cut(text, "\n\n"); ok {
		text = first
	}
	return plaintext.Excerpt(text, MemberExcerptRunes)
}

// RefExcerptRunes bounds the excerpt of an article in a list of links
// (ArticleRefs); a backend reads at most four times as many runes of the
// text, and one more, to make it.
const RefExcerptRunes = 200

// RefExcerpt is the excerpt of an article in a list of links: the start of
// its text cut by plaintext.Excerpt. start is the text or its first
// 4*RefExcerptRunes+1 runes (or more). A start so full of white space that
// it holds too few words for the excerpt still ends in "…" when the text
// goes on.
func RefExcerpt(start string) string {
	n, more := 0, false
	for i := range start {
		if n == 4*RefExcerptRunes {
			start, more = start[:i], true
			break
		}
		n++
	}
	ex := plaintext.Excerpt(start, RefExcerptRunes)
	if more && ex != "" && !strings.HasSuffix(ex, "…") {
		ex += "…"
	}
	return ex
}

// LinkRefs returns the short form of the articles links point to (at most
// limit, in the links' order, with their Later marks), read with one
// ArticleRefs; an article deleted meanwhile is left out.
func LinkRefs(ctx context.Context, st interface {
	ArticleRefs(ctx context.Context, ids []int64) ([]model.ArticleRef, error)
}, links []RelatedLink, limit int) ([]model.ArticleRef, error) {
	ids := make([]int64, len(links))
	later := make(map[int64]bool, len(links))
	for i, l := range links {
		ids[i] = l.ID
		later[l.ID] = l.Later
	}
	refs, err := st.ArticleRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	refs = refs[:min(len(refs), max(limit, 0))]
	for i := range refs {
		refs[i].Later = later[refs[i].ID]
	}
	return refs, nil
}

// OutletKey is what a story counts as one outlet: the article's outlet
// key, else its source's name, else its source's id.
func OutletKey(a *model.Article) string {
	if a.Outlet != "" {
		return a.Outlet
	}
	if a.SourceName != "" {
		return a.SourceName
	}
	return "source:" + strconv.FormatInt(a.SourceID, 10)
}

// NormalizeTag is the form keywords are matched on (ArticleFilter.Tag,
// TopTags): arabic.Normalize.
func NormalizeTag(s string) string { return arabic.Normalize(s) }

// DecodeSignature reads a stored signature: little-endian uint64s, 8
// bytes each.
func DecodeSignature(b []byte) ([]uint64, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if len(b)%8 != 0 {
		return nil, fmt.Errorf("signature of %d bytes is not a whole number of uint64s", len(b))
	}
	sig := make([]uint64, len(b)/8)
	for i := range sig {
		sig[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return sig, nil
}

// ArticleText is an article's id with its stored title and text: what
// ReindexText makes the search forms from.
type ArticleText struct {
	ID          int64
	Title, Text string
}

// ReindexPage is how many articles ReindexText rewrites in one
// transaction.
const ReindexPage = 500

// Reindex is the walk both backends' ReindexText make: it reads the
// stored articles by id a page at a time (read returns those after an id,
// at most limit), makes each one's forms outside any transaction, and
// hands the page to write. It returns how many articles it rewrote.
func Reindex(ctx context.Context, read func(ctx context.Context, after int64, limit int) ([]ArticleText, error),
	forms func(title, text string) IndexData, write func(ctx context.Context, page []ArticleText, idx []IndexData) error) (int, error) {
	var last int64
	done := 0
	for {
		page, err := read(ctx, last, ReindexPage)
		if err != nil || len(page) == 0 {
			return done, err
		}
		idx := make([]IndexData, len(page))
		for i, a := range page {
			if err := ctx.Err(); err != nil {
				return done, err
			}
			idx[i] = forms(a.Title, a.Text)
		}
		if err := write(ctx, page, idx); err != nil {
			return done, err
		}
		done += len(page)
		last = page[len(page)-1].ID
	}
}

// PageLimit checks a listing's limit and offset and gives the limit to
// use: def when limit is 0. A negative limit or offset is ErrInvalid.
func PageLimit(limit, offset, def int) (int, error) {
	if limit < 0 || offset < 0 {
		return 0, fmt.Errorf("negative limit or offset: %w", ErrInvalid)
	}
	if limit == 0 {
		return def, nil
	}
	return limit, nil
}
