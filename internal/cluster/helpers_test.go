package cluster

import (
	"strings"
	"time"
	"unicode"

	"khabar/internal/dedup"
)

// The tests need normalized text and light term forms. They use this small
// stand-in for arabic.Normalize and analysis (which other packages provide)
// so that this package's tests do not depend on their state; it folds the
// same letters the real normalizer folds for these texts.

var letterFold = strings.NewReplacer(
	"أ", "ا", "إ", "ا", "آ", "ا", "ٱ", "ا",
	"ى", "ي", "ی", "ي", "ک", "ك", "ة", "ه", "ؤ", "و", "ئ", "ي",
	"\u0640", "", // tatweel
	"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4",
	"٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
)

func testNormalize(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) || r == '\u200e' || r == '\u200f' || r == '\u061c' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return letterFold.Replace(s)
}

var testStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`في من على الي عن مع ان او ما لا لم لن قد هذا هذه ذلك التي الذي الذين
		كان كانت بين بعد قبل عند كل اي هو هي هم انه انها ايضا حتي الا ثم وقد فيه فيها به بها له لها منذ
		خلال حيث اكثر اما اذا غير يكون تكون ليس وهو وهي عليه اليوم امس يوم عام العام الماضي الحالي قال
		واضاف واكد اضاف اكد وقال كما ولا كلا لدي عبر ضمن نحو اخري اخر لـ`) {
		m[w] = true
	}
	return m
}()

func isTestStop(w string) bool { return testStop[w] }

// testTerm strips the conjunction و and the article ال, a crude stand-in
// for analysis Token.Norm.
func testTerm(w string) string {
	r := []rune(w)
	if len(r) > 3 && r[0] == 'و' {
		r = r[1:]
	}
	if len(r) > 4 && r[0] == 'ا' && r[1] == 'ل' {
		r = r[2:]
	}
	return string(r)
}

func testTerms(normText string) []string {
	ws := dedup.Words(normText)
	for i, w := range ws {
		ws[i] = testTerm(w)
	}
	return ws
}

// testFeatures builds features the way ingest does, from a raw title and body.
func testFeatures(title, body string, source int64, pub time.Time) Features {
	nt, nb := testNormalize(title), testNormalize(body)
	terms := TopicTerms(testTerms(nt), testTerms(nb), nil, isTestStop)
	f := NewFeatures(nb, terms, source, pub)
	f.Countries = TitleCountries(title)
	return f
}
