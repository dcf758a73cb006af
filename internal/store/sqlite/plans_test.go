package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/web"
)

// The query plans of the portal's pages. The store never runs ANALYZE, so
// SQLite plans a statement from the schema and the SQL alone: a plan seen
// on a store of a hundred articles is the plan at two million. A page
// whose cost should follow its result or its window must not scan a table
// that grows with the store (TestPagePlans).

// recorder keeps the statements a wrapped connection runs that read, with
// the arguments of their first run.
type recorder struct {
	mu    sync.Mutex
	on    bool
	order []string
	args  map[string][]driver.NamedValue
}

func (r *recorder) record(query string, args []driver.NamedValue) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := strings.TrimSpace(query)
	head := strings.ToUpper(q[:min(len(q), 6)])
	if !r.on || !strings.HasPrefix(head, "SELECT") && !strings.HasPrefix(head, "WITH") {
		return
	}
	if _, ok := r.args[q]; !ok {
		r.order = append(r.order, q)
		r.args[q] = slices.Clone(args)
	}
}

// start forgets what was recorded and records from now on.
func (r *recorder) start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on, r.order, r.args = true, nil, map[string][]driver.NamedValue{}
}

// stop ends recording and returns the statements in the order first run.
func (r *recorder) stop() ([]string, map[string][]driver.NamedValue) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.order, r.args
}

// The wrapped driver: modernc.org/sqlite's, with each query and each
// prepared statement's runs passed to the recorder. The wrappers forward
// every optional interface the store relies on.
type recDriver struct {
	base driver.Driver
	rec  *recorder
}

type baseConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type recConn struct {
	baseConn
	rec *recorder
}

type baseStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type recStmt struct {
	baseStmt
	query string
	rec   *recorder
}

func (d recDriver) Open(name string) (driver.Conn, error) {
	c, err := d.base.Open(name)
	if err != nil {
		return nil, err
	}
	bc, ok := c.(baseConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("plans: the sqlite connection %T lacks an interface the wrapper forwards", c)
	}
	return recConn{bc, d.rec}, nil
}

func (c recConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.rec.record(query, args)
	return c.baseConn.QueryContext(ctx, query, args)
}

func (c recConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.baseConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	bs, ok := st.(baseStmt)
	if !ok {
		st.Close()
		return nil, fmt.Errorf("plans: the sqlite statement %T lacks an interface the wrapper forwards", st)
	}
	return recStmt{bs, query, c.rec}, nil
}

func (c recConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (s recStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.rec.record(s.query, args)
	return s.baseStmt.QueryContext(ctx, args)
}

var (
	planRecorder = &recorder{}
	planDriver   = sync.OnceValue(func() string {
		db, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			panic(err)
		}
		defer db.Close()
		sql.Register("sqlite-plans", recDriver{base: db.Driver(), rec: planRecorder})
		return "sqlite-plans"
	})
)

// openRecorded opens the store in dir through the recording driver.
func openRecorded(t *testing.T, dir string) *Store {
	t.Helper()
	driverName = planDriver()
	defer func() { driverName = "sqlite" }()
	s, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// growing are the tables whose rows grow with the articles stored.
var growing = map[string]bool{
	"articles": true, "article_keywords": true, "article_entities": true, "lsh_bands": true,
	"article_bands": true, "stories": true, "article_phrases": true, "phrase_df": true,
	"article_related": true, "user_articles": true, "alert_deliveries": true, "learned_names": true,
}

// scanStep matches a plan step that walks a table (by its name or alias)
// rather than searching it: with no index it reads every row; through an
// index ("SCAN t USING INDEX i") it reads them in the index's order, which
// a LIMIT stops early and nothing else does.
var scanStep = regexp.MustCompile(`^SCAN (\w+)( USING (?:COVERING )?INDEX \w+)?$`)

// tableRef finds the tables a statement reads and their aliases.
var tableRef = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?`)

// hasLimit finds a LIMIT clause in a statement.
var hasLimit = regexp.MustCompile(`(?i)\bLIMIT\b`)

// notAlias are the words that may follow a table's name in place of an alias.
var notAlias = map[string]bool{"WHERE": true, "JOIN": true, "LEFT": true, "INNER": true, "CROSS": true, "ON": true,
	"GROUP": true, "ORDER": true, "LIMIT": true, "INDEXED": true, "USING": true, "UNION": true, "WINDOW": true}

// growingScans returns the steps of a plan of query that walk a table
// growing with the store with nothing to bound them: with no index, or
// through one in a statement that has no LIMIT.
func growingScans(query string, steps []string) []string {
	tables := map[string]string{}
	for _, m := range tableRef.FindAllStringSubmatch(query, -1) {
		tables[m[1]] = m[1]
		if m[2] != "" && !notAlias[strings.ToUpper(m[2])] {
			tables[m[2]] = m[1]
		}
	}
	limited := hasLimit.MatchString(query)
	var out []string
	for _, st := range steps {
		m := scanStep.FindStringSubmatch(strings.TrimSpace(st))
		if m == nil || !growing[tables[m[1]]] {
			continue
		}
		if m[2] == "" || !limited {
			out = append(out, strings.TrimSpace(st))
		}
	}
	return out
}

// plan returns the steps of EXPLAIN QUERY PLAN for query with args, each
// indented by its depth.
func plan(ctx context.Context, db *sql.DB, query string, args []driver.NamedValue) ([]string, error) {
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a.Value
		if a.Name != "" {
			vals[i] = sql.Named(a.Name, a.Value)
		}
	}
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, vals...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	depth := map[int]int{}
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		depth[id] = depth[parent] + 1
		out = append(out, strings.Repeat("  ", depth[id]-1)+detail)
	}
	return out, rows.Err()
}

// seedPlans stores n articles over 30 days from three outlets, with
// keywords, entities and stories of three articles each.
func seedPlans(t *testing.T, s *Store, n int) (ids []int64) {
	ctx := t.Context()
	var srcs []int64
	for i, name := range []string{"الرياض", "عكاظ", "الوطن"} {
		src := model.Source{URL: "https://outlet" + strconv.Itoa(i) + ".example/feed", Title: name}
		if err := s.AddSource(ctx, &src); err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src.ID)
	}
	kws := []string{"النفط", "الاقتصاد", "التعليم", "الصحة", "كرة القدم", "الطقس"}
	ents := []model.Entity{
		{Name: "محمد بن سلمان", Type: model.EntityPerson}, {Name: "الرياض", Type: model.EntityPlace},
		{Name: "أرامكو", Type: model.EntityOrg}, {Name: "الأمم المتحدة", Type: model.EntityOrg},
	}
	start := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	var story int64
	for i := range n {
		kw := kws[i%len(kws)]
		e := ents[i%len(ents)]
		e.Mentions = []string{e.Name}
		title := fmt.Sprintf("خبر عن %s رقم %d", kw, i)
		text := fmt.Sprintf("قال مسؤول إن %s يشهد تطورا جديدا في %s اليوم، وأضاف أن الخطة رقم %d تبدأ قريبا.", kw, e.Name, i)
		a := &model.Article{URL: fmt.Sprintf("https://outlet%d.example/%d", i%3, i), SourceID: srcs[i%3],
			Title: title, Text: text, Published: start.Add(time.Duration(i) * 8 * time.Hour),
			Language: "ar", Keywords: []string{kw}, Entities: []model.Entity{e}}
		if i%3 != 0 {
			a.StoryID = story
		}
		ix := store.IndexData{TitleTerms: title, TitleStems: title, BodyTerms: text, BodyStems: text, Phrases: []string{kw}}
		if _, err := s.SaveArticle(ctx, a, ix); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			story = a.StoryID
		}
		ids = append(ids, a.ID)
	}
	return ids
}

// TestPagePlans requests the portal's pages over a store opened through
// the recording driver and reads the plan of every statement they run.
// It fails on a step that scans a growing table whole. With
// KHABAR_PLANS_OUT=FILE it writes each page's statements and plans there
// (docs/DESIGN.md quotes them); KHABAR_PLANS_DATA=DIR reads the pages of
// an existing store instead of a seeded one (a copy: pages may write).
func TestPagePlans(t *testing.T) {
	dir, seeded := os.Getenv("KHABAR_PLANS_DATA"), false
	if dir == "" {
		dir, seeded = t.TempDir(), true
	}
	s := openRecorded(t, dir)
	ctx := t.Context()
	if seeded {
		seedPlans(t, s, 90)
	}
	// What the pages will show: the newest article with a keyword, an
	// entity and a story, and those.
	arts, _, err := s.ListArticles(ctx, store.ArticleFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(arts, func(a model.Article) bool {
		return len(a.Keywords) > 0 && len(a.Entities) > 0 && a.StoryID != 0
	})
	if i < 0 {
		t.Fatalf("none of the %d newest articles has a keyword, an entity and a story", len(arts))
	}
	a := arts[i]
	srv, err := web.New(web.Config{Store: s, Search: search.New(s, analysis.New(analysis.Options{}))})
	if err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"home (latest, stories, trending lists)", "/"},
		{"tag", "/tags/" + url.PathEscape(a.Keywords[0])},
		{"entity", "/entities/" + url.PathEscape(a.Entities[0].Name)},
		{"article", "/articles/" + strconv.FormatInt(a.ID, 10)},
		{"story", "/stories/" + strconv.FormatInt(a.StoryID, 10)},
		{"search", "/search?q=" + url.QueryEscape(a.Keywords[0])},
	}
	if a.SourceID != 0 { // an imported article may have none
		pages = append(pages, struct{ name, path string }{"outlet", "/sources/" + strconv.FormatInt(a.SourceID, 10)})
	}
	var report strings.Builder
	for _, p := range pages {
		planRecorder.start()
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, p.path, nil))
		order, args := planRecorder.stop()
		if w.Code != http.StatusOK {
			t.Errorf("%s %s: status %d", p.name, p.path, w.Code)
			continue
		}
		if len(order) == 0 {
			t.Errorf("%s: no statement recorded: the recorder sees nothing", p.name)
		}
		fmt.Fprintf(&report, "## %s: GET %s, %d statements\n", p.name, p.path, len(order))
		for _, q := range order {
			steps, err := plan(ctx, s.r, q, args[q])
			if err != nil {
				t.Errorf("%s: explain %q: %v", p.name, q, err)
				continue
			}
			fmt.Fprintf(&report, "\n%s\n", strings.Join(strings.Fields(q), " "))
			for _, st := range steps {
				fmt.Fprintf(&report, "    %s\n", st)
			}
			if bad := growingScans(q, steps); len(bad) > 0 {
				t.Errorf("%s: a statement walks a table that grows with the store (%s):\n%s\n%s",
					p.name, strings.Join(bad, "; "), q, strings.Join(steps, "\n"))
			}
		}
		report.WriteString("\n")
	}
	if out := os.Getenv("KHABAR_PLANS_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(report.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}
