package sqlite_test

import (
	"context"
	"errors"
	"testing"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
	"khabar/internal/store/storetest"
)

func openTemp(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) },
		storetest.WithBackupOpener(func(t *testing.T, path string) store.Store {
			s, err := sqlite.OpenFile(t.Context(), path)
			if err != nil {
				t.Fatalf("OpenFile(backup): %v", err)
			}
			return s
		}))
}

// TestSaveArticlesCanceled: a save whose context has ended stores nothing
// and says why.
func TestSaveArticlesCanceled(t *testing.T) {
	s, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	a := &model.Article{URL: "https://example.com/canceled", Title: "خبر"}
	if _, err := s.SaveArticles(ctx, []*model.Article{a}, []store.IndexData{{TitleTerms: "خبر"}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("SaveArticles with a canceled context: %v", err)
	}
	if ok, err := s.HasArticle(t.Context(), a.URL); err != nil || ok {
		t.Errorf("the article was stored (%v, %v)", ok, err)
	}
}
