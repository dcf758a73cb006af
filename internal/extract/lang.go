package extract

import (
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
	if len(text) > 4000 {
		text = text[:4000]
	}
	info := whatlanggo.Detect(text)
	if !info.IsReliable() {
		return ""
	}
	return info.Lang.Iso6391()
}
