package analysis_test

import (
	"fmt"

	"khabar/internal/analysis"
)

func ExampleAnalyzer_Analyze() {
	a := analysis.New(analysis.Options{})
	text := "وزار الوزير لبنان والبحرين عام ٢٠٢٤."
	for _, t := range a.Analyze(text) {
		fmt.Printf("%s [%d:%d] norm=%s stem=%s stop=%v\n", t.Text, t.Start, t.End, t.Norm, t.Stem, t.Stop)
	}
	// Output:
	// وزار [0:8] norm=وزار stem=وزار stop=false
	// الوزير [9:21] norm=وزير stem=وزير stop=false
	// لبنان [22:32] norm=لبنان stem=لبنان stop=false
	// والبحرين [33:49] norm=بحرين stem=بحرين stop=false
	// عام [50:56] norm=عام stem=عام stop=false
	// ٢٠٢٤ [57:65] norm=2024 stem=2024 stop=false
}

func ExampleAnalyzer_IndexForms() {
	a := analysis.New(analysis.Options{})
	terms, stems := a.IndexForms("افتتحت المكتبات الجديدة في لبنان")
	fmt.Println(terms)
	fmt.Println(stems)
	// Output:
	// افتتحت مكتبات جديده لبنان
	// افتتحت مكتب جديد لبنان
}
