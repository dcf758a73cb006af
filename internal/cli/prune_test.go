package cli

import (
	"context"
	"strings"
	"testing"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
)

// TestPrune imports a corpus of one day, stars one article, and prunes:
// a date before the corpus removes nothing, the day after removes all but
// the starred article, and bad dates are refused with what was wrong.
func TestPrune(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	corpus := syntheticCorpus(t, 60)
	if code, out, errOut := runCode(ctx, data, "", "import", corpus); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	for _, tc := range []struct{ arg, want string }{
		{"2015-13-01", "want a date"},
		{"2999-01-01", "in the future"},
	} {
		if code, _, errOut := runCode(ctx, data, "", "prune", "--before", tc.arg); code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("prune --before %s: exit %d, %q; want an error saying %q", tc.arg, code, errOut, tc.want)
		}
	}
	if code, _, errOut := runCode(ctx, data, "", "prune"); code == 0 || !strings.Contains(errOut, "KHABAR_RETAIN") {
		t.Errorf("prune with no date: exit %d, %q", code, errOut)
	}
	if code, out, errOut := runCode(ctx, data, "", "prune", "--before", "2015-07-01"); code != 0 || !strings.Contains(out, "pruned 0 articles") {
		t.Fatalf("prune before the corpus: %d %s %s", code, out, errOut)
	}
	st, err := sqlite.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := st.ListArticles(ctx, store.ArticleFilter{Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v, %v", list, err)
	}
	keep := list[0]
	u := &model.User{Name: "reader", PasswordHash: "h"}
	if err := st.AddUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStarred(ctx, u.ID, []int64{keep.ID}, true); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, out, errOut := runCode(ctx, data, "", "prune", "--before", "2015-07-02"); code != 0 || !strings.Contains(out, "pruned 59 articles") {
		t.Fatalf("prune after the corpus: %d %s %s", code, out, errOut)
	}
	code, out, _ := runCode(ctx, data, "", "export", "--format", "jsonl")
	if n := strings.Count(out, "\n"); code != 0 || n != 1 || !strings.Contains(out, keep.URL) {
		t.Errorf("export after prune: %d lines, want the starred article only:\n%.300s", n, out)
	}
}
