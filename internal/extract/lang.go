package extract

import (
	"unicode/utf8"

	"github.com/RadhiFadlillah/whatlanggo"

	"khabar/internal/arabic"
)

// detectLanguage guesses the language of the body when the page declares
// none: khabar's own detector for Arabic-script languages, English and
// French (it tells Arabic from Persian, Urdu and Sorani, where whatlanggo
// errs), then whatlanggo for the rest.
func detectLanguage(text string) string {
	if text == "" {
		return ""
	}
	if l := arabic.DetectLanguage(text); l != "" {
		return l
	}
	// A few thousand bytes tell the language as well as the whole text.
	info := whatlanggo.Detect(headBytes(text, 4000))
	if !info.IsReliable() {
		return ""
	}
	return info.Lang.Iso6391()
}

// headBytes returns the longest start of text of at most n bytes that
// does not split a letter.
func headBytes(text string, n int) string {
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n]
}
