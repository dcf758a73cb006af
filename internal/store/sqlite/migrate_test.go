package sqlite

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

func TestMigrationsTwiceAreNoOp(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	a := &model.Article{URL: "https://example.com/1", Title: "لبنان"}
	if _, err := s.SaveArticle(t.Context(), a, store.IndexData{TitleTerms: "لبنان"}); err != nil {
		t.Fatal(err)
	}
	// Running the migrations again on an open store changes nothing.
	if err := s.migrate(t.Context()); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(t.Context(), dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	var v int
	if err := s.r.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion() || v < 1 {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
	if n, err := s.CountArticles(t.Context()); err != nil || n != 1 {
		t.Errorf("articles after reopen: %d, %v", n, err)
	}
	var mode string
	if err := s.r.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if err := s.IntegrityCheck(t.Context()); err != nil {
		t.Error(err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(t.Context(), "PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(t.Context(), dir)
	if err == nil || !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), "999") {
		t.Errorf("Open of a newer database: %v, want a clear refusal", err)
	}
}

func TestOpenBadDirectory(t *testing.T) {
	if _, err := Open(t.Context(), ""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	// A file where the directory should be.
	file := filepath.Join(t.TempDir(), "f")
	if _, err := OpenFile(t.Context(), file); err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	if _, err := Open(t.Context(), file); err == nil {
		t.Error("Open over a file succeeded")
	}
}

func TestMatchExpression(t *testing.T) {
	cases := []struct {
		clauses []store.Clause
		any     bool
		want    string
	}{
		{nil, false, ""},
		{[]store.Clause{{Exact: []string{"لبنان"}, Stem: "لبن"}}, false,
			`({title_terms body_terms} : "لبنان" OR {title_stems body_stems} : "لبن")`},
		{[]store.Clause{{Exact: []string{"تحالف", "دولي"}}}, false, `{title_terms body_terms} : "تحالف دولي"`},
		{[]store.Clause{{Exact: []string{"a"}}, {Exact: []string{"b"}}}, true,
			`{title_terms body_terms} : "a" OR {title_terms body_terms} : "b"`},
		{[]store.Clause{{Exact: []string{`x" OR "y`}}}, false, `{title_terms body_terms} : "x"" OR ""y"`},
		{[]store.Clause{{Exact: []string{"*"}, Stem: "-"}}, false, ""},
		{[]store.Clause{{Stem: "مدرس"}}, false, `{title_stems body_stems} : "مدرس"`},
	}
	for _, tc := range cases {
		if got := MatchExpression(tc.clauses, tc.any); got != tc.want {
			t.Errorf("MatchExpression(%+v, %v) = %s, want %s", tc.clauses, tc.any, got, tc.want)
		}
	}
}

// TestUpgradeFromVersion1 upgrades a version 1 database: the article
// count of migration 0002 is set from its articles, then kept by every
// save (an update counts nothing) as COUNT(*) would give it, and its band
// rows move to the time-ordered table of migration 0003, and its
// keyword, entity and band rows to the tables of migration 0004.
func TestUpgradeFromVersion1(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, u := range []string{"https://example.com/1", "https://example.com/2"} {
		a := &model.Article{URL: u, Title: "خبر", Keywords: []string{"الرياض", "وزارة الصحة"},
			Entities: []model.Entity{{Name: "الرياض", Type: model.EntityPlace, Mentions: []string{"بالرياض"}}}}
		if _, err := s.SaveArticle(ctx, a, store.IndexData{}); err != nil {
			t.Fatal(err)
		}
	}
	// Back to version 1, as a database written before the count was kept
	// and with band rows keyed by (band_key, article_id).
	for _, q := range append(slices.Clip(undoVersion8),
		"DROP TABLE article_count",
		"DROP TABLE article_bands", // and its trigger
		"DROP TABLE lsh_bands",
		`CREATE TABLE lsh_bands (
			band_key   INTEGER NOT NULL,
			article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
			sort_time  INTEGER,
			PRIMARY KEY (band_key, article_id)
		) WITHOUT ROWID`,
		"CREATE INDEX lsh_bands_article ON lsh_bands (article_id)",
		"INSERT INTO lsh_bands (band_key, article_id, sort_time) SELECT 77, id, 1000 FROM articles WHERE url = 'https://example.com/1'",
		"PRAGMA user_version = 1",
	) {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = Open(ctx, dir); err != nil {
		t.Fatalf("upgrade from version 1: %v", err)
	}
	defer s.Close()
	kept, err := s.GetArticleByURL(ctx, "https://example.com/2")
	if err != nil || !slices.Equal(kept.Keywords, []string{"الرياض", "وزارة الصحة"}) || len(kept.Entities) != 1 ||
		kept.Entities[0].Name != "الرياض" || !slices.Equal(kept.Entities[0].Mentions, []string{"بالرياض"}) {
		t.Errorf("keywords and entities after the upgrade: %q, %+v, %v", kept.Keywords, kept.Entities, err)
	}
	// The band row written by version 1 is still found (migration 0003).
	cands, err := s.Candidates(ctx, []uint64{77}, time.Time{}, 10)
	if err != nil || len(cands) != 1 || cands[0].Shared != 1 {
		t.Errorf("candidates of a version 1 band row after the upgrade: %+v, %v", cands, err)
	}
	if cands, err := s.Candidates(ctx, []uint64{77}, time.UnixMicro(1001), 10); err != nil || len(cands) != 0 {
		t.Errorf("a version 1 band row older than the window is a candidate: %+v, %v", cands, err)
	}
	as := []*model.Article{
		{URL: "https://example.com/3", Title: "خبر"},
		{URL: "https://example.com/1", Title: "خبر معدل"}, // an update
		{URL: "https://example.com/4", Title: "خبر"},
	}
	if _, err := s.SaveArticles(ctx, as, make([]store.IndexData, len(as))); err != nil {
		t.Fatal(err)
	}
	// The update replaced the band rows of version 1 (migration 0006 keeps
	// them in article_bands, whose trigger deletes them).
	if cands, err := s.Candidates(ctx, []uint64{77}, time.Time{}, 10); err != nil || len(cands) != 0 {
		t.Errorf("a version 1 band row outlived the update of its article: %+v, %v", cands, err)
	}
	if _, err := s.SaveArticle(ctx, &model.Article{URL: "https://example.com/2", Title: "تحديث"}, store.IndexData{}); err != nil {
		t.Fatal(err)
	}
	var want int
	if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM articles").Scan(&want); err != nil {
		t.Fatal(err)
	}
	n, err := s.CountArticles(ctx)
	if err != nil || n != want || n != 4 {
		t.Errorf("CountArticles = %d, %v; COUNT(*) = %d, want 4", n, err, want)
	}
	if _, docs, err := s.DocFreq(ctx, []string{"خبر"}); err != nil || docs != 4 {
		t.Errorf("DocFreq articles = %d, %v; want 4", docs, err)
	}
}

// TestCandidatesReadOnlyTheWindow checks the plan of the candidates query:
// a range of (band_key, sort_time) per key (migration 0003), so that rows
// older than the window are never read and the cost does not grow with
// the store.
func TestCandidatesReadOnlyTheWindow(t *testing.T) {
	s, err := Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+candidatesQuery, "[1,2]", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	all := strings.Join(plan, "\n")
	if !strings.Contains(all, "band_key=? AND sort_time>?") {
		t.Errorf("the candidates query does not read a (band_key, sort_time) range:\n%s", all)
	}
}

// TestIndexRowsCheckArticleAtCommit checks the foreign keys of migrations
// 0004 and 0006: a keyword, entity or band keys row of a missing article is refused at
// commit (not row by row, so that the batch inserts need no statement
// journal), and rows of a stored article are accepted.
func TestIndexRowsCheckArticleAtCommit(t *testing.T) {
	s, err := Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	a := &model.Article{URL: "https://example.com/1", Title: "خبر"}
	if _, err := s.SaveArticle(ctx, a, store.IndexData{}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO article_keywords (article_id, position, keyword, norm) VALUES (?, 0, 'ك', 'ك')",
		"INSERT INTO article_entities (article_id, position, name) VALUES (?, 0, 'ك')",
		"INSERT INTO article_bands (article_id, sort_time, keys) VALUES (?, 0, '[5]')",
	} {
		for _, id := range []int64{a.ID, a.ID + 1000} {
			tx, err := s.w.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				tx.Rollback()
				t.Errorf("%s for article %d: refused at once: %v", q, id, err)
				continue
			}
			err = tx.Commit()
			if missing := id != a.ID; missing != (err != nil) {
				t.Errorf("%s for article %d (missing %v): commit gave %v", q, id, missing, err)
			}
		}
	}
}

// TestMigrationsAppliedMeanwhile applies migrations to a store that has
// them already, as when another process opening the same fresh store
// applied them after this one read its version: they are skipped.
func TestMigrationsAppliedMeanwhile(t *testing.T) {
	s, err := Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.applyMigrations(t.Context(), ms[1:]); err != nil {
		t.Errorf("migrations applied meanwhile: %v", err)
	}
	var v int
	if err := s.w.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != len(ms) {
		t.Errorf("user_version = %d, %v; want %d", v, err, len(ms))
	}
}

// TestUpgradeFTSToASCII: a fresh store's full-text index uses the ascii
// tokenizer (migration 0007), and a version 6 store that holds articles
// keeps its unicode61 index through the upgrade: search finds the same
// articles with the same scores as before, and articles saved after the
// upgrade (their words through ftsText) are found and replaced as before.
func TestUpgradeFTSToASCII(t *testing.T) {
	ctx := t.Context()
	tokenizer := func(s *Store) string {
		t.Helper()
		var q string
		if err := s.r.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").Scan(&q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	fresh, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if q := tokenizer(fresh); !strings.Contains(q, "tokenize = 'ascii'") || !strings.Contains(q, "contentless_delete = 1") {
		t.Errorf("a fresh store's full-text table: %s", q)
	}
	fresh.Close()

	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	// Back to version 6: the unicode61 index of migrations 0001 and 0005
	// (the tables of version 8 go after the articles are saved).
	for _, q := range []string{
		"DROP TABLE articles_fts",
		`CREATE VIRTUAL TABLE articles_fts USING fts5 (
			title_terms, title_stems, body_terms, body_stems,
			content = '', contentless_delete = 1,
			tokenize = 'unicode61 remove_diacritics 0')`,
		"INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 33554432)",
		"PRAGMA user_version = 6",
	} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	docs := []store.IndexData{
		{TitleTerms: "التحالف الدولي", TitleStems: "تحالف دولي", BodyTerms: "اعلن التحالف الدولي ضد داعش", BodyStems: "علن تحالف دولي ضد داعش"},
		{TitleTerms: "الرياض", BodyTerms: "وزاره الصحه في الرياض covid 19", BodyStems: "وزار صحه في رياض covid 19"},
		{},
		{TitleTerms: "Reuters café", BodyTerms: "الرياض الرياض التحالف"},
	}
	for i, d := range docs {
		a := &model.Article{URL: fmt.Sprintf("https://example.com/%d", i), Title: d.TitleTerms}
		if _, err := s.SaveArticle(ctx, a, d); err != nil {
			t.Fatal(err)
		}
	}
	search := func(s *Store, clauses ...store.Clause) []store.Hit {
		t.Helper()
		hits, _, err := s.SearchText(ctx, store.TextQuery{Clauses: clauses, Any: true})
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	queries := []store.Clause{{Exact: []string{"التحالف", "الدولي"}}, {Exact: []string{"الرياض"}, Stem: "رياض"}, {Exact: []string{"REUTERS"}}}
	hitsBefore := search(s, queries...)
	if len(hitsBefore) != 3 {
		t.Fatalf("version 6 index: hits %+v", hitsBefore)
	}
	for _, q := range undoVersion8 {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	if s, err = Open(ctx, dir); err != nil {
		t.Fatalf("upgrade from version 6: %v", err)
	}
	defer s.Close()
	var v int
	if err := s.r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil || v < 7 {
		t.Fatalf("schema version after the upgrade: %d, %v", v, err)
	}
	if q := tokenizer(s); !strings.Contains(q, "unicode61") {
		t.Errorf("the stored articles' full-text table was replaced: %s", q)
	}
	if hits := search(s, queries...); !slices.Equal(hits, hitsBefore) {
		t.Errorf("hits after the upgrade: %+v, before: %+v", hits, hitsBefore)
	}
	a := &model.Article{URL: "https://example.com/new", Title: "داعش"}
	if _, err := s.SaveArticle(ctx, a, store.IndexData{TitleTerms: "داعش «ÉCOLE»"}); err != nil {
		t.Fatal(err)
	}
	if hits := search(s, store.Clause{Exact: []string{"داعش"}}); len(hits) != 2 {
		t.Errorf("داعش after a new save: %+v, want 2 hits", hits)
	}
	if hits := search(s, store.Clause{Exact: []string{"école"}}); len(hits) != 1 {
		t.Errorf("école after a new save: %+v, want 1 hit", hits)
	}
	// An update replaces the article's row (contentless_delete).
	if _, err := s.SaveArticle(ctx, a, store.IndexData{TitleTerms: "بغداد"}); err != nil {
		t.Fatal(err)
	}
	if hits := search(s, store.Clause{Exact: []string{"داعش"}}); len(hits) != 1 {
		t.Errorf("داعش after the update: %+v, want 1 hit", hits)
	}
}

// undoVersion8 are the statements that take a store of version 8 or later
// back to before migration 0008, for tests that rewind the version.
var undoVersion8 = []string{
	"DROP TABLE host_leases", // migration 0011
	"DROP TABLE crawl_rounds",
	"DROP TABLE user_item_labels", // migration 0010
	"DROP TABLE user_follows",
	"DROP TABLE user_articles",
	"DROP TABLE users",
	"DROP TABLE article_related", // migration 0009
	"DROP TABLE outlets",
	"ALTER TABLE sources DROP COLUMN outlet",
	"DROP INDEX stories_stale",
	"DROP INDEX stories_one_sided",
	"ALTER TABLE stories DROP COLUMN rev",
	"ALTER TABLE stories DROP COLUMN details_rev",
	"ALTER TABLE stories DROP COLUMN details",
	"ALTER TABLE stories DROP COLUMN one_sided",
}
