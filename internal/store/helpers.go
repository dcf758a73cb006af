package store

import (
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
