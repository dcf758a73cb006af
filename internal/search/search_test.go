package search

import (
	"strings"
	"testing"

	"khabar/internal/analysis"
)

func TestParse(t *testing.T) {
	an := analysis.New(analysis.Options{})
	tests := []struct {
		q       string
		clauses int
		phrase  int // index of a phrase clause, -1 for none
	}{
		{"التحالف الدولي", 2, -1},
		{`"قوات التحالف" العراق`, 2, 0},
		{`«قوات التحالف»`, 1, 0},
		{"في من على", 3, -1}, // only stop words: they are kept
		{"", 0, -1},
		{`"`, 0, -1},
		{"التحالف والتحالف للتحالف", 1, -1}, // one form after clitics
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			q := Parse(an, tt.q)
			if len(q.Clauses) != tt.clauses {
				t.Fatalf("Parse(%q) = %d clauses %+v, want %d", tt.q, len(q.Clauses), q.Clauses, tt.clauses)
			}
			if tt.phrase >= 0 && len(q.Clauses[tt.phrase].Exact) < 2 {
				t.Errorf("clause %d is not a phrase: %+v", tt.phrase, q.Clauses[tt.phrase])
			}
		})
	}
}

func TestParseVariantsMeet(t *testing.T) {
	an := analysis.New(analysis.Options{})
	pairs := [][2]string{
		{"ايران", "إيران"}, {"ایران", "ايران"}, {"الدولی", "الدولي"}, {"٢٠٢٤", "2024"},
		{"مستشفى", "مستشفي"}, {"ٱلقدس", "القدس"}, {"الیمن", "اليمن"}, {"التحالف", "للتحالف"},
	}
	for _, p := range pairs {
		a, b := Parse(an, p[0]), Parse(an, p[1])
		if len(a.Clauses) != 1 || len(b.Clauses) != 1 || a.Clauses[0].Exact[0] != b.Clauses[0].Exact[0] {
			t.Errorf("%s and %s do not meet: %+v %+v", p[0], p[1], a.Clauses, b.Clauses)
		}
	}
	// a name never meets a stem it looks like
	for _, p := range [][2]string{{"لبنان", "لبن"}, {"البحرين", "البحر"}} {
		a, b := Parse(an, p[0]), Parse(an, p[1])
		ca, cb := a.Clauses[0], b.Clauses[0]
		if ca.Exact[0] == cb.Exact[0] || (ca.Stem != "" && (ca.Stem == cb.Stem || ca.Stem == cb.Exact[0])) {
			t.Errorf("%s meets %s: %+v %+v", p[0], p[1], ca, cb)
		}
	}
}

func TestSnippet(t *testing.T) {
	an := analysis.New(analysis.Options{})
	text := strings.Repeat("كلام عام لا علاقة له بالموضوع. ", 20) +
		"وقال المبعوث إن مهمة للتحالف الدولی لم تنته بعد في <العراق>. " +
		strings.Repeat("نص آخر يملأ المقال. ", 20)
	q := Parse(an, "التحالف الدولي")
	s := Snippet(an, text, q, 120)
	if !strings.Contains(s, "<mark>للتحالف</mark>") || !strings.Contains(s, "<mark>الدولی</mark>") {
		t.Errorf("snippet does not highlight the original spellings: %s", s)
	}
	if strings.Contains(s, "<العراق>") || !strings.Contains(s, "&lt;العراق&gt;") {
		t.Errorf("snippet is not escaped: %s", s)
	}
	if n := len([]rune(s)); n > 120+60 {
		t.Errorf("snippet has %d runes", n)
	}
	// no match: the opening of the text
	s = Snippet(an, "نص قصير <b>", Parse(an, "غير موجود"), 100)
	if s != "نص قصير &lt;b&gt;" {
		t.Errorf("snippet without match = %q", s)
	}
	if s := Snippet(an, "", q, 100); s != "" {
		t.Errorf("empty text gave %q", s)
	}
}
