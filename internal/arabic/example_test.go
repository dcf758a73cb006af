package arabic_test

import (
	"fmt"

	"khabar/internal/arabic"
)

func ExampleNormalize() {
	fmt.Println(arabic.Normalize("إيران و\u200fالیمن ٢٠٢٤ مُسْتَشْفَى"))
	// Output: ايران واليمن 2024 مستشفي
}

func ExampleStripClitics() {
	for _, w := range []string{"والتحالف", "للتحالف", "البحرين", "البحر", "لبنان", "وزير"} {
		fmt.Print(arabic.StripClitics(arabic.Normalize(w), nil), " ")
	}
	fmt.Println()
	// Output: تحالف تحالف بحرين بحر لبنان وزير
}

func ExampleSplitSentences() {
	text := "قال د. محمد، في بيان: الوضع مستقر. هل يعود؟ نعم"
	for _, s := range arabic.SplitSentences(text) {
		fmt.Println(text[s.Start:s.End])
	}
	// Output:
	// قال د. محمد، في بيان: الوضع مستقر.
	// هل يعود؟
	// نعم
}
