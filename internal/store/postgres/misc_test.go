package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

func TestTSQuery(t *testing.T) {
	cases := []struct {
		clauses []store.Clause
		any     bool
		want    string
	}{
		{nil, false, ""},
		{[]store.Clause{{Exact: []string{"لبنان"}, Stem: "لبن"}}, false, `('لبنان':AC | 'لبن':BD)`},
		{[]store.Clause{{Exact: []string{"تحالف", "دولي"}, Stem: "x"}}, false, `('تحالف':AC <-> 'دولي':AC)`},
		{[]store.Clause{{Exact: []string{"a"}}, {Exact: []string{"B"}}}, true, `'a':AC | 'b':AC`},
		// Quotes, operators and backslashes stay inside quoted lexemes;
		// a word unicode61 would split is a phrase of its tokens.
		{[]store.Clause{{Exact: []string{`x' | 'y`}}}, false, `('x':AC <-> 'y':AC)`},
		{[]store.Clause{{Exact: []string{`it's`}}}, false, `('it':AC <-> 's':AC)`},
		{[]store.Clause{{Exact: []string{`a\b`}}}, false, `('a':AC <-> 'b':AC)`},
		{[]store.Clause{{Exact: []string{"*"}, Stem: "-"}}, false, ""},
		{[]store.Clause{{Exact: []string{"*", "لبنان"}, Stem: "لبن"}}, false, `('لبنان':AC | 'لبن':BD)`},
		{[]store.Clause{{Stem: "مدرس"}}, false, `'مدرس':BD`},
	}
	for _, tc := range cases {
		if got := TSQuery(tc.clauses, tc.any); got != tc.want {
			t.Errorf("TSQuery(%+v, %v) = %s, want %s", tc.clauses, tc.any, got, tc.want)
		}
	}
}

func TestTsvectorLiteral(t *testing.T) {
	got := tsvectorLiteral(store.IndexData{TitleTerms: "تحالف دولي", TitleStems: "حلف", BodyTerms: "it's", BodyStems: ""})
	want := `'تحالف':1A 'دولي':2A 'حلف':67B 'it':132C 's':133C`
	if got != want {
		t.Errorf("tsvectorLiteral = %s, want %s", got, want)
	}
	if got := tsvectorLiteral(store.IndexData{}); got != "" {
		t.Errorf("empty index data: %q", got)
	}
}

// The server reads our tsvector values as we mean them, whatever they
// hold: quotes, backslashes, long texts past the last position.
func TestTsvectorOnServer(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := t.Context()
	var body strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&body, "كلمة%d مكرر ", i%500)
	}
	odd := `o'brien back\slash`
	a := &model.Article{URL: "https://x.example/long", Title: "طويل", Published: base}
	if _, err := s.SaveArticle(ctx, a, store.IndexData{TitleTerms: "طويل " + odd, BodyTerms: body.String(), BodyStems: body.String()}); err != nil {
		t.Fatalf("save a long article: %v", err)
	}
	for _, c := range []store.Clause{
		{Exact: []string{"مكرر"}}, {Exact: []string{"o'brien"}}, {Exact: []string{`back\slash`}},
		{Exact: []string{"كلمة499"}}, {Exact: []string{"طويل", "o"}},
	} {
		hits, total, err := s.SearchText(ctx, store.TextQuery{Clauses: []store.Clause{c}})
		if err != nil || total != 1 || len(hits) != 1 || hits[0].ID != a.ID {
			t.Errorf("search %+v: %v, %d, %v", c, hits, total, err)
		}
	}
}

func TestMigrationsTwiceAndTogether(t *testing.T) {
	cfg := newSchema(t)
	// Several processes starting at once on an empty database.
	var wg sync.WaitGroup
	stores := make([]*Store, 4)
	errs := make([]error, 4)
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = OpenConfig(t.Context(), cfg.Copy()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent Open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	s := stores[0]
	ctx := t.Context()
	if _, err := s.SaveArticle(ctx, &model.Article{URL: "https://x.example/1", Title: "لبنان"}, store.IndexData{TitleTerms: "لبنان"}); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	var versions []int
	rows, _ := s.pool.Query(ctx, `SELECT version FROM khabar_schema ORDER BY version`)
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != SchemaVersion() || versions[len(versions)-1] != SchemaVersion() {
		t.Errorf("khabar_schema = %v, want 1..%d once each", versions, SchemaVersion())
	}
	if n, err := s.CountArticles(ctx); err != nil || n != 1 {
		t.Errorf("articles after a second migrate: %d, %v", n, err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	cfg := newSchema(t)
	s := openConfig(t, cfg)
	if _, err := s.pool.Exec(t.Context(), `INSERT INTO khabar_schema (version, name) VALUES (999, '0999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := OpenConfig(t.Context(), cfg.Copy())
	if err == nil || !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), "999") {
		t.Errorf("Open of a newer database: %v, want a clear refusal", err)
	}
}

func TestOpenBadInput(t *testing.T) {
	if _, err := Open(t.Context(), ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Open(\"\") = %v, want ErrInvalid", err)
	}
	if _, err := Open(t.Context(), "postgres://u:secret@[::1"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open(bad URL) = %v, want an error without the password", err)
	}
	// Nothing listens on port 1.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://khabar:secret@127.0.0.1:1/khabar?sslmode=disable&connect_timeout=2")
	if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("Open(no server) = %v, want an error naming the server, without the password", err)
	}
}

// The server drops the connections mid-work. A save (idempotent by URL) is
// retried on a new connection and lands once; a read in flight fails with
// a clear wrapped error; later calls reconnect.
func TestDatabaseGoesAway(t *testing.T) {
	cfg := newSchema(t)
	s := openConfig(t, cfg)
	defer s.Close()
	ctx := t.Context()
	a := &model.Article{URL: "https://x.example/1", Title: "خبر", Published: base}
	ix := store.IndexData{TitleTerms: "خبر", Phrases: []string{"خبر"}}
	if _, err := s.SaveArticle(ctx, a, ix); err != nil {
		t.Fatal(err)
	}
	schema := cfg.ConnConfig.RuntimeParams["search_path"]
	admin, err := pgx.Connect(ctx, testURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	kill := func(like string) int {
		t.Helper()
		var n int
		err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE $1`, like).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// A save waiting on a row lock when its connection is killed.
	tx, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM `+schema+`.articles WHERE url = $1 FOR UPDATE`, a.URL); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	b := *a
	b.Title = "خبر محدث"
	go func() {
		_, err := s.SaveArticle(ctx, &b, ix)
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	if n := kill("%FOR NO KEY UPDATE%"); n != 1 {
		t.Fatalf("killed %d connections, want the saving one", n)
	}
	tx.Rollback(ctx)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("save on a killed connection, retried: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("save on a killed connection hangs")
	}
	got, err := s.GetArticle(ctx, a.ID)
	if err != nil || got.Title != "خبر محدث" || b.ID != a.ID {
		t.Errorf("after the retried save: %q (id %d), %v", got.Title, b.ID, err)
	}
	if df, docs, err := s.DocFreq(ctx, []string{"خبر"}); err != nil || df["خبر"] != 1 || docs != 1 {
		t.Errorf("DocFreq after the retried save: %v, %d, %v", df, docs, err)
	}

	// A read in flight when its connection is killed is sent again on
	// another connection.
	read := make(chan error, 1)
	go func() {
		var one int
		q, done := s.db(ctx)
		defer done()
		err := q.QueryRow(ctx, `SELECT 1 FROM pg_sleep(2)`).Scan(&one)
		if err == nil && one != 1 {
			err = fmt.Errorf("read %d", one)
		}
		read <- err
	}()
	time.Sleep(200 * time.Millisecond)
	if n := kill("%pg_sleep%"); n != 1 {
		t.Fatalf("killed %d connections, want the reading one", n)
	}
	if err := <-read; err != nil {
		t.Errorf("read on a killed connection, sent again: %v", err)
	}
	// Inside a transaction the loss is the caller's to see.
	tx2, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		var one int
		read <- tx2.QueryRow(ctx, `SELECT 1 FROM pg_sleep(5)`).Scan(&one)
	}()
	time.Sleep(200 * time.Millisecond)
	if n := kill("%pg_sleep%"); n != 1 {
		t.Fatalf("killed %d connections, want the reading one", n)
	}
	if err := <-read; err == nil || !connectionLost(err) {
		t.Errorf("read in a transaction on a killed connection: %v, want a connection error", err)
	}
	tx2.Rollback(ctx)
	if _, err := s.CountArticles(ctx); err != nil {
		t.Errorf("the next call does not reconnect: %v", err)
	}
}

// With every connection in use, a call waits for one as long as its
// context allows, then fails naming the context's error.
func TestConnectionLimitWaitsForContext(t *testing.T) {
	cfg := newSchema(t)
	cfg.MaxConns = 1
	s := openConfig(t, cfg)
	defer s.Close()
	c, err := s.pool.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err = s.CountArticles(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "postgres: count articles") {
		t.Errorf("call with the pool exhausted: %v, want a wrapped deadline error", err)
	}
	c.Release()
	if _, err := s.CountArticles(t.Context()); err != nil {
		t.Errorf("after the connection came back: %v", err)
	}
}

func TestCopyFrom(t *testing.T) {
	src, dst := openTemp(t), openTemp(t)
	defer src.Close()
	defer dst.Close()
	ctx := t.Context()
	so := &model.Source{URL: "https://feed.example/rss", Title: "المصدر"}
	if err := src.AddSource(ctx, so); err != nil {
		t.Fatal(err)
	}
	so.ETag, so.ErrorCount, so.NextFetch, so.Interval = `"e1"`, 2, base.Add(time.Hour), 30*time.Minute
	if err := src.SaveFetchState(ctx, *so); err != nil {
		t.Fatal(err)
	}
	// Analysis stand-in: the same function builds the index data on both sides.
	index := func(a *model.Article) store.IndexData {
		return store.IndexData{TitleTerms: a.Title, TitleStems: a.Title, BodyTerms: a.Text, Phrases: a.Keywords,
			Bands: []uint64{uint64(len(a.Title)), 1 << 63}}
	}
	var arts []*model.Article
	for i := range 450 {
		a := &model.Article{URL: fmt.Sprintf("https://x.example/%d", i), Title: fmt.Sprintf("خبر %d", i%7),
			Text: "نص", SourceID: so.ID, SourceName: "المصدر", Published: base.Add(time.Duration(i) * time.Minute),
			Keywords: []string{"لبنان", fmt.Sprintf("كلمة %d", i%3)},
			Entities: []model.Entity{{Name: "لبنان", Type: model.EntityPlace, Mentions: []string{"لبنان"}}}}
		if i%10 != 0 {
			a.StoryID = arts[i-i%10].StoryID
			a.DuplicateOf = arts[i-i%10].ID
		}
		if _, err := src.SaveArticle(ctx, a, index(a)); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	al := &model.Alert{Query: "لبنان", SourceIDs: []int64{so.ID}}
	if err := src.AddAlert(ctx, al); err != nil {
		t.Fatal(err)
	}
	if _, err := src.RecordDelivery(ctx, al.ID, arts[3].ID); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := src.ObserveNames(ctx, []model.Entity{{Name: "نجيب ميقاتي", Type: model.EntityPerson, Mentions: []string{"ميقاتي"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.SetSetting(ctx, "outlets_seeded", "yes"); err != nil {
		t.Fatal(err)
	}
	// Related reading: a list with a later development, a list computed
	// empty, and (every other article) none computed.
	rel := []store.RelatedLink{{ID: arts[20].ID, Score: 6}, {ID: arts[440].ID, Score: 4, Later: true}}
	if err := src.SaveRelated(ctx, arts[0].ID, rel); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveRelated(ctx, arts[30].ID, nil); err != nil {
		t.Fatal(err)
	}

	// A reader with follows, read, starred and labelled articles.
	reader := &model.User{Name: "salma", PasswordHash: "$argon2id$h", FeverKey: "abc"}
	if err := src.AddUser(ctx, reader); err != nil {
		t.Fatal(err)
	}
	if err := src.Follow(ctx, reader.ID, model.Follow{Kind: model.FollowSource, SourceID: so.ID, Label: "أخبار"}); err != nil {
		t.Fatal(err)
	}
	if err := src.Follow(ctx, reader.ID, model.Follow{Kind: model.FollowName, Term: "لبنان"}); err != nil {
		t.Fatal(err)
	}
	if err := src.SetRead(ctx, reader.ID, []int64{arts[1].ID, arts[2].ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := src.SetStarred(ctx, reader.ID, []int64{arts[2].ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := src.SetArticleLabel(ctx, reader.ID, []int64{arts[449].ID}, "لاحقا", true); err != nil {
		t.Fatal(err)
	}

	for run := range 2 { // the second run is a no-op
		last := 0
		if err := CopyFrom(ctx, src, dst, index, func(n int) { last = n }); err != nil {
			t.Fatalf("CopyFrom run %d: %v", run, err)
		}
		if last != len(arts) {
			t.Errorf("run %d: progress ended at %d, want %d", run, last, len(arts))
		}
	}
	if n, _ := dst.CountArticles(ctx); n != len(arts) {
		t.Errorf("copied %d articles, want %d", n, len(arts))
	}
	for _, i := range []int{0, 13, 449} {
		want, _ := src.GetArticle(ctx, arts[i].ID)
		got, err := dst.GetArticle(ctx, arts[i].ID)
		if err != nil || got.URL != want.URL || got.StoryID != want.StoryID || got.DuplicateOf != want.DuplicateOf ||
			!slices.Equal(got.Keywords, want.Keywords) || len(got.Entities) != 1 || !got.Published.Equal(want.Published) {
			t.Errorf("article %d copied as %+v, %v; want %+v", i, got, err, want)
		}
	}
	ws, _ := src.GetStory(ctx, arts[10].StoryID)
	gs, err := dst.GetStory(ctx, arts[10].StoryID)
	if err != nil || gs.Articles != ws.Articles || gs.Title != ws.Title || len(gs.Members) != 10 {
		t.Errorf("story copied as %+v, %v; want %+v", gs, err, ws)
	}
	gsrc, err := dst.GetSource(ctx, so.ID)
	if err != nil || gsrc.ETag != so.ETag || gsrc.ErrorCount != 2 || !gsrc.NextFetch.Equal(so.NextFetch) || gsrc.Articles != len(arts) {
		t.Errorf("source copied as %+v, %v", gsrc, err)
	}
	wdf, wdocs, _ := src.DocFreq(ctx, []string{"لبنان", "كلمة 1"})
	gdf, gdocs, _ := dst.DocFreq(ctx, []string{"لبنان", "كلمة 1"})
	if wdocs != gdocs || wdf["لبنان"] != gdf["لبنان"] || wdf["كلمة 1"] != gdf["كلمة 1"] {
		t.Errorf("DocFreq copied as %v/%d, want %v/%d", gdf, gdocs, wdf, wdocs)
	}
	hits, total, err := dst.SearchText(ctx, store.TextQuery{Clauses: []store.Clause{{Exact: []string{"خبر", "3"}}}})
	if err != nil || total != 64 || len(hits) == 0 {
		t.Errorf("search in the copy: %d hits of %d, %v; want 64", len(hits), total, err)
	}
	cands, err := dst.Candidates(ctx, []uint64{1 << 63}, time.Time{}, 5)
	if err != nil || len(cands) != 5 {
		t.Errorf("candidates in the copy: %v, %v", cands, err)
	}
	if got, err := dst.Delivered(ctx, al.ID, 10); err != nil || len(got) != 1 || got[0].ID != arts[3].ID {
		t.Errorf("deliveries copied: %v, %v", got, err)
	}
	if names, err := dst.LearnedNames(ctx, 3); err != nil || len(names) != 1 || names[0].Name != "نجيب ميقاتي" {
		t.Errorf("learned names copied: %+v, %v", names, err)
	}
	if got, ok, err := dst.GetRelated(ctx, arts[0].ID); err != nil || !ok || !slices.Equal(got, rel) {
		t.Errorf("related reading copied as %+v, %v, %v; want %+v", got, ok, err, rel)
	}
	if got, ok, err := dst.GetRelated(ctx, arts[30].ID); err != nil || !ok || len(got) != 0 {
		t.Errorf("empty related reading copied as %+v, %v, %v", got, ok, err)
	}
	if got, ok, err := dst.GetRelated(ctx, arts[1].ID); err != nil || ok {
		t.Errorf("related reading never computed copied as %+v, %v, %v", got, ok, err)
	}
	if u, err := dst.GetUserByName(ctx, "salma"); err != nil || u.ID != reader.ID || u.PasswordHash != reader.PasswordHash || u.FeverKey != "abc" {
		t.Errorf("user copied as %+v, %v", u, err)
	}
	if fs, err := dst.ListFollows(ctx, reader.ID); err != nil || len(fs) != 2 || fs[0].Label != "أخبار" || fs[1].Term != "لبنان" {
		t.Errorf("follows copied as %+v, %v", fs, err)
	}
	if st, err := dst.ItemStates(ctx, reader.ID, []int64{arts[1].ID, arts[2].ID, arts[449].ID}); err != nil ||
		!st[arts[1].ID].Read || st[arts[1].ID].Starred || !st[arts[2].ID].Starred || !slices.Equal(st[arts[449].ID].Labels, []string{"لاحقا"}) {
		t.Errorf("reading state copied as %+v, %v", st, err)
	}
	if v, err := dst.GetSetting(ctx, "outlets_seeded"); err != nil || v != "yes" {
		t.Errorf("setting copied: %q, %v", v, err)
	}
	// New rows in the copy get ids past the copied ones.
	b := &model.Article{URL: "https://x.example/new", Title: "جديد"}
	if _, err := dst.SaveArticle(ctx, b, store.IndexData{}); err != nil || b.ID <= arts[len(arts)-1].ID {
		t.Errorf("new article in the copy: id %d, %v", b.ID, err)
	}
	if err := CopyFrom(ctx, src, dst, nil, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("CopyFrom without index: %v", err)
	}
}

// PostgreSQL text holds no NUL and no invalid UTF-8; a scraped page may.
func TestNULAndInvalidUTF8(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := t.Context()
	a := &model.Article{URL: "https://x.example/nul", Title: "خبر\x00 عاجل", Text: "نص \xff\xfe مكسور",
		Keywords: []string{"كلمة\x00"}, Entities: []model.Entity{{Name: "لبنان\x00", Mentions: []string{"\xffلبنان"}}}}
	if _, err := s.SaveArticle(ctx, a, store.IndexData{TitleTerms: "خبر\x00 عاجل", BodyTerms: "نص \xff مكسور"}); err != nil {
		t.Fatalf("save with NUL and invalid UTF-8: %v", err)
	}
	got, err := s.GetArticle(ctx, a.ID)
	if err != nil || got.Title != "خبر عاجل" || got.Text != "نص \uFFFD مكسور" || got.Keywords[0] != "كلمة" || got.Entities[0].Name != "لبنان" {
		t.Errorf("stored as %q / %q / %q / %+v, %v", got.Title, got.Text, got.Keywords, got.Entities, err)
	}
	if hits, _, err := s.SearchText(ctx, store.TextQuery{Clauses: []store.Clause{{Exact: []string{"مكسور"}}}}); err != nil || len(hits) != 1 {
		t.Errorf("search: %v, %v", hits, err)
	}
	if _, err := s.SaveArticle(ctx, &model.Article{URL: "https://x.example/\x00"}, store.IndexData{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("URL with a NUL: %v, want ErrInvalid", err)
	}
}

func TestRestoreBadInput(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := t.Context()
	dir := t.TempDir()
	junk := dir + "/junk"
	if err := os.WriteFile(junk, []byte("not a backup\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Restore(ctx, junk); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Restore(junk) = %v, want ErrInvalid", err)
	}
	if err := os.WriteFile(junk, []byte(backupMagic+"999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Restore(ctx, junk); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "999") {
		t.Errorf("Restore(newer) = %v, want ErrInvalid naming the version", err)
	}
	a := &model.Article{URL: "https://x.example/1", Title: "خبر"}
	if _, err := s.SaveArticle(ctx, a, store.IndexData{TitleTerms: "خبر"}); err != nil {
		t.Fatal(err)
	}
	path := dir + "/backup"
	if err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := s.Restore(ctx, path); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Restore into a store with data = %v, want ErrConflict", err)
	}
	// A truncated backup restores nothing.
	b, _ := os.ReadFile(path)
	cut := bytes.Index(b, []byte(backupMarker+"articles\n"))
	if err := os.WriteFile(junk, append(b[:cut+len(backupMarker)+9:cut+len(backupMarker)+9], "1\tbroken\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	other := openTemp(t)
	defer other.Close()
	if err := other.Restore(ctx, junk); err == nil {
		t.Error("Restore of a broken backup succeeded")
	}
	if n, err := other.CountArticles(ctx); err != nil || n != 0 {
		t.Errorf("after a failed restore: %d articles, %v", n, err)
	}
	// The stories section came before the broken one: rolled back too.
	if _, total, err := other.ListStories(ctx, store.StoryFilter{}); err != nil || total != 0 {
		t.Errorf("after a failed restore: %d stories, %v", total, err)
	}
}
