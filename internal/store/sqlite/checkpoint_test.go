package sqlite

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// TestCheckpointsInTheBackground saves articles and waits for their pages
// to reach the database file while the store stays open: the writer's own
// checkpoint would come only after 1 GiB of log, so only the background
// checkpointer copies them.
func TestCheckpointsInTheBackground(t *testing.T) {
	s, err := Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	before := st.Size()
	body := strings.Repeat("نص طويل عن أخبار الاقتصاد والسياسة في المنطقة. ", 200)
	arts := make([]*model.Article, 40)
	idx := make([]store.IndexData, len(arts))
	for i := range arts {
		arts[i] = &model.Article{URL: fmt.Sprintf("https://example.com/%d", i), Title: "خبر", Text: body}
		idx[i] = store.IndexData{BodyTerms: body, BodyStems: body}
	}
	if _, err := s.SaveArticles(t.Context(), arts, idx); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		st, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > before+int64(len(arts)*len(body)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (%d at open) 10 s after a save of %d KB: no checkpoint", st.Size(), before, len(arts)*len(body)>>10)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
