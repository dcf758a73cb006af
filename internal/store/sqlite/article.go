package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

const articleColumns = `a.id, a.url, a.guid, a.source_id, a.source_name, a.title, a.text, a.html,
	a.summary, a.authors, a.published, a.modified, a.fetched, a.language, a.image, a.site_name,
	a.agency, a.content_hash, a.duplicate_of, COALESCE(a.story_id, 0), a.signature,
	a.outlet, ` + outletNameSQL

// outletNameSQL is the display name of a.outlet's profile, ” without one.
const outletNameSQL = `COALESCE((SELECT COALESCE(NULLIF(o.name_ar, ''), o.name_en) FROM outlets o WHERE o.key = a.outlet), '')`

func scanArticle(r rowScanner) (*model.Article, error) {
	var (
		a                            model.Article
		authors                      sql.NullString
		published, modified, fetched sql.NullInt64
		sig                          []byte
	)
	err := r.Scan(&a.ID, &a.URL, &a.GUID, &a.SourceID, &a.SourceName, &a.Title, &a.Text, &a.HTML,
		&a.Summary, &authors, &published, &modified, &fetched, &a.Language, &a.Image, &a.SiteName,
		&a.Agency, &a.ContentHash, &a.DuplicateOf, &a.StoryID, &sig, &a.Outlet, &a.OutletName)
	if err != nil {
		return nil, err
	}
	if authors.Valid && authors.String != "" {
		if a.Authors, err = jsonStrings(authors.String); err != nil {
			return nil, fmt.Errorf("article %d: authors: %w", a.ID, err)
		}
	}
	a.Published = timeVal(published)
	a.Modified = timeVal(modified)
	a.Fetched = timeVal(fetched)
	if a.Signature, err = store.DecodeSignature(sig); err != nil {
		return nil, fmt.Errorf("article %d: %w", a.ID, err)
	}
	return &a, nil
}

// Signatures are stored as little-endian uint64s, 8 bytes each.
func encodeSignature(sig []uint64) any {
	if len(sig) == 0 {
		return nil
	}
	b := make([]byte, 0, 8*len(sig))
	for _, v := range sig {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

func jsonArg(v any, empty bool) (any, error) {
	if empty {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// SaveArticle inserts a by URL or updates the stored article with that URL
// in place; see store.Articles. A zero a.Fetched is set to now.
func (s *Store) SaveArticle(ctx context.Context, a *model.Article, idx store.IndexData) (bool, error) {
	var created bool
	err := s.transact(ctx, func(tx *sql.Tx) error {
		buf := newSaveBuf(1)
		var err error
		if created, err = s.saveArticle(ctx, tx, a, idx, buf); err != nil {
			return err
		}
		return s.finish(ctx, tx, buf)
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: save article %q: %w", a.URL, err)
	}
	return created, nil
}

// SaveArticles saves a batch in one transaction, as SaveArticle does each
// one; created[i] tells whether as[i] was new. It is the fast path for bulk
// imports: one commit for the whole batch, one flush of the full-text index
// and one update of each phrase's document frequency. An error rolls the
// whole batch back; the IDs and story IDs it set on the articles before
// the error must then be ignored. The same URL twice in a batch is saved
// twice, the second updating the first.
func (s *Store) SaveArticles(ctx context.Context, as []*model.Article, idx []store.IndexData) ([]bool, error) {
	if len(as) != len(idx) {
		return nil, fmt.Errorf("sqlite: save articles: %d articles but %d index data: %w", len(as), len(idx), store.ErrInvalid)
	}
	created := make([]bool, len(as))
	// The transaction ends with ctx (a rollback), and the statements check
	// it between them; a statement itself, at most a few milliseconds, is
	// not interrupted: the driver would start a goroutine to watch ctx for
	// each of the batch's thousands of statements, which costs more than
	// the statements.
	sctx := context.WithoutCancel(ctx)
	err := s.transact(ctx, func(tx *sql.Tx) error {
		buf := newSaveBuf(len(as))
		n := 0
		for _, x := range idx {
			n += len(x.PhraseHashes)
		}
		buf.dfUp = make([]int64, 0, n) // for new articles, all of them
		for i, a := range as {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := store.ResolveBatchRefs(as, i); err != nil {
				return err
			}
			c, err := s.saveArticle(sctx, tx, a, idx[i], buf)
			if err != nil {
				return fmt.Errorf("article %q: %w", a.URL, err)
			}
			created[i] = c
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return s.finish(sctx, tx, buf)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: save articles: %w", err)
	}
	return created, nil
}

// exec runs a prepared statement inside tx.
func exec(ctx context.Context, tx *sql.Tx, st *sql.Stmt, args ...any) (sql.Result, error) {
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

func queryRow(ctx context.Context, tx *sql.Tx, st *sql.Stmt, args ...any) *sql.Row {
	return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}

// indexRows are one article's keyword, entity, band and full-text rows,
// written by finish.
type indexRows struct {
	id       int64
	sortTime int64 // Unix microseconds
	keywords []string
	entities []model.Entity
	idx      store.IndexData
}

// saveBuf is what saveArticle leaves for finish to write once for the
// whole transaction.
type saveBuf struct {
	// The phrase hashes whose document frequency goes up by one, once for
	// each article that has them now, and down by one, for each article
	// that had them before its update; counted at the end by sorting
	// (a map of a batch's few hundred thousand hashes cost more).
	dfUp, dfDown []int64
	rows         []indexRows
	rowsOf       map[int64]int // article id → its entry in rows
	created      int           // new articles
	// The stories whose articles changed, in the order first touched.
	stories   []int64
	storiesIn map[int64]bool
}

// touch notes that story id gained or lost an article.
func (b *saveBuf) touch(id int64) {
	if !b.storiesIn[id] {
		b.storiesIn[id] = true
		b.stories = append(b.stories, id)
	}
}

func newSaveBuf(n int) *saveBuf {
	return &saveBuf{rows: make([]indexRows, 0, n), rowsOf: make(map[int64]int, n), storiesIn: make(map[int64]bool, n)}
}

// addRows keeps r for finish, in place of the rows of an earlier save of
// the same article in this transaction.
func (b *saveBuf) addRows(r indexRows) {
	if i, ok := b.rowsOf[r.id]; ok {
		b.rows[i] = r
		return
	}
	b.rowsOf[r.id] = len(b.rows)
	b.rows = append(b.rows, r)
}

// finish applies what saveArticle left for the end of the transaction: the
// stories its articles joined or left (each once, however many of its
// articles the transaction saved), the article count, then the phrase
// frequency changes and the keyword, entity, band and full-text rows, many
// a statement (multiInsert).
//
// The full-text rows go last, in one statement, on purpose: FTS5 keeps the
// rows of a transaction in memory and writes them as one segment at
// commit, but it flushes that buffer whenever a statement opens a
// statement journal (its own inserts do), which would write many small
// segments and keep FTS5 busy merging them.
func (s *Store) finish(ctx context.Context, tx *sql.Tx, buf *saveBuf) error {
	for _, id := range buf.stories {
		if err := s.refreshStory(ctx, tx, id); err != nil {
			return err
		}
	}
	if buf.created > 0 {
		if _, err := exec(ctx, tx, s.stmts.countAdd, buf.created); err != nil {
			return fmt.Errorf("article count: %w", err)
		}
	}
	if err := s.applyDocFreq(ctx, tx, buf.dfUp, buf.dfDown); err != nil {
		return err
	}
	kws := s.stmts.insertKeywords.writer(ctx, tx)
	ents := s.stmts.insertEntities.writer(ctx, tx)
	bands := s.stmts.insertBands.writer(ctx, tx)
	articleBands := s.stmts.insertArticleBands.writer(ctx, tx)
	n := 0
	for _, r := range buf.rows {
		n += len(r.idx.Bands)
	}
	bandRows := make([]bandRow, 0, n)
	for _, r := range buf.rows {
		tags := r.idx.TagForms(r.keywords)
		for i, k := range r.keywords {
			kws.add(r.id, i, k, tags[i])
		}
		for i, e := range r.entities {
			mentions, err := json.Marshal(e.Mentions)
			if err != nil {
				return fmt.Errorf("entities: %w", err)
			}
			ents.add(r.id, i, e.Name, e.Type, string(mentions))
		}
		if len(r.idx.Bands) == 0 {
			continue
		}
		keys := make([]int64, len(r.idx.Bands))
		for i, b := range r.idx.Bands {
			keys[i] = int64(b)
			bandRows = append(bandRows, bandRow{keys[i], r.sortTime, r.id})
		}
		articleBands.add(r.id, r.sortTime, idsJSON(keys))
	}
	// In key order, each insert descends through the pages the one before
	// it touched, still in the CPU's caches: a batch's 150k band rows in
	// article order went to random leaves and cost three times as much.
	slices.SortFunc(bandRows, func(a, b bandRow) int {
		if a.key != b.key { // nearly always: compare the rest only on a tie
			return cmp.Compare(a.key, b.key)
		}
		return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.id, b.id))
	})
	for _, b := range bandRows {
		bands.add(b.key, b.t, b.id)
	}
	for _, w := range []struct {
		what string
		w    *rowWriter
	}{{"keywords", kws}, {"entities", ents}, {"bands", bands}, {"band keys", articleBands}} {
		if err := w.w.flush(); err != nil {
			return fmt.Errorf("%s: %w", w.what, err)
		}
	}
	fts := s.stmts.insertFTS.writer(ctx, tx)
	for _, r := range buf.rows {
		fts.add(r.id, ftsText(r.idx.TitleTerms), ftsText(r.idx.TitleStems), ftsText(r.idx.BodyTerms), ftsText(r.idx.BodyStems))
	}
	if err := fts.flush(); err != nil {
		return fmt.Errorf("search terms: %w", err)
	}
	return nil
}

// bandRow is a row of lsh_bands: its primary key.
type bandRow struct{ key, t, id int64 }

// saveArticle writes a and its index data inside tx, and leaves in buf the
// changes of phrase document frequencies and its full-text row, for finish
// to write once for the whole transaction.
func (s *Store) saveArticle(ctx context.Context, tx *sql.Tx, a *model.Article, idx store.IndexData, buf *saveBuf) (bool, error) {
	if strings.TrimSpace(a.URL) == "" {
		return false, fmt.Errorf("empty URL: %w", store.ErrInvalid)
	}
	if a.Fetched.IsZero() {
		a.Fetched = time.Now().UTC().Truncate(time.Microsecond)
	}
	q := &s.stmts
	var (
		id       int64
		oldStory int64
		exists   = true
	)
	err := queryRow(ctx, tx, q.findArticle, a.URL).Scan(&id, &oldStory)
	if err == sql.ErrNoRows {
		exists = false
	} else if err != nil {
		return false, err
	}

	// The story: the one asked for, else the stored one, else a new one.
	story := a.StoryID
	if story != 0 {
		var one int
		if err := queryRow(ctx, tx, q.storyExists, story).Scan(&one); err == sql.ErrNoRows {
			return false, fmt.Errorf("story %d does not exist: %w", story, store.ErrInvalid)
		} else if err != nil {
			return false, err
		}
	} else if oldStory != 0 {
		story = oldStory
	} else {
		if err := queryRow(ctx, tx, q.newStory, a.Title).Scan(&story); err != nil {
			return false, fmt.Errorf("new story: %w", err)
		}
	}

	authors, err := jsonArg(a.Authors, len(a.Authors) == 0)
	if err != nil {
		return false, err
	}
	// A copy is filed under its root: under the root of what it names,
	// should that have been joined to another since (JoinCopies).
	if a.DuplicateOf, err = s.copyRoot(ctx, tx, a.DuplicateOf); err != nil {
		return false, err
	}
	sortTime := a.Published
	if sortTime.IsZero() {
		sortTime = a.Fetched
	}
	args := []any{a.URL, a.GUID, a.SourceID, a.SourceName, a.Title, a.Text, a.HTML, a.Summary, authors,
		timeArg(a.Published), timeArg(a.Modified), timeArg(a.Fetched), timeArg(sortTime),
		a.Language, a.Image, a.SiteName, a.Agency, a.ContentHash, a.DuplicateOf, story, store.OutletKey(a),
		encodeSignature(a.Signature)}
	if exists {
		_, err = exec(ctx, tx, q.updateArticle, append(args, id)...)
	} else {
		err = queryRow(ctx, tx, q.insertArticle, args...).Scan(&id)
	}
	if err != nil {
		return false, err
	}

	// Its story (and the one it left) are recomputed by finish, once for
	// all the transaction's articles in them.
	buf.touch(story)
	if oldStory != 0 && oldStory != story {
		buf.touch(oldStory)
	}
	if err := s.joinCopies(ctx, tx, a, id, buf); err != nil {
		return false, err
	}

	// Keywords, entities and bands are replaced wholesale: the old rows go
	// now, the new ones with the rest of the transaction's (finish).
	if exists {
		for _, st := range []*sql.Stmt{q.deleteKeywords, q.deleteEntities, q.deleteBands, q.deleteFTS} {
			if _, err := exec(ctx, tx, st, id); err != nil {
				return false, err
			}
		}
	}
	// Written by finish; the full-text rowid is the article id.
	buf.addRows(indexRows{id: id, sortTime: sortTime.UnixMicro(), keywords: a.Keywords, entities: a.Entities, idx: idx})

	if err := s.savePhrases(ctx, tx, id, exists, idx.PhraseKeys(), buf); err != nil {
		return false, fmt.Errorf("phrases: %w", err)
	}

	a.ID = id
	a.StoryID = story
	if !exists {
		buf.created++
	}
	return !exists, nil
}

// copyRoot is the root of the copies that id (a copy root when saved, 0
// for none) belongs to now: the root id was joined to, else id itself.
func (s *Store) copyRoot(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	if id <= 0 {
		return id, nil
	}
	var root int64
	err := queryRow(ctx, tx, s.stmts.copyRoot, id).Scan(&root)
	switch {
	case err == sql.ErrNoRows || err == nil && root == 0:
		return id, nil
	case err != nil:
		return 0, fmt.Errorf("copy root of %d: %w", id, err)
	}
	return root, nil
}

// joinCopies files the copy roots a.JoinCopies (their roots now) and their
// copies under a.DuplicateOf, the root of article id, and notes their
// stories for finish (their details name the copies).
func (s *Store) joinCopies(ctx context.Context, tx *sql.Tx, a *model.Article, id int64, buf *saveBuf) error {
	if a.DuplicateOf <= 0 {
		return nil
	}
	for _, j := range a.JoinCopies {
		r, err := s.copyRoot(ctx, tx, j)
		if err != nil {
			return err
		}
		if r <= 0 || r == a.DuplicateOf || r == id {
			continue
		}
		rows, err := tx.StmtContext(ctx, s.stmts.joinCopies).QueryContext(ctx, a.DuplicateOf, r)
		if err != nil {
			return fmt.Errorf("join copies of %d: %w", r, err)
		}
		for rows.Next() {
			var story sql.NullInt64
			if err := rows.Scan(&story); err != nil {
				rows.Close()
				return fmt.Errorf("join copies of %d: %w", r, err)
			}
			if story.Valid && story.Int64 != 0 {
				buf.touch(story.Int64)
			}
		}
		err = rows.Err()
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("join copies of %d: %w", r, err)
		}
	}
	return nil
}

// savePhrases stores the article's phrase hashes (now: sorted, distinct)
// and adds to buf's frequency changes the difference from the ones stored
// before, so that an update never counts a phrase twice.
func (s *Store) savePhrases(ctx context.Context, tx *sql.Tx, id int64, exists bool, now []int64, buf *saveBuf) error {
	var old []int64
	if exists {
		var blob []byte
		err := queryRow(ctx, tx, s.stmts.getPhrases, id).Scan(&blob)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if len(blob)%8 != 0 {
			return fmt.Errorf("article %d: stored phrase hashes of %d bytes", id, len(blob))
		}
		old = make([]int64, len(blob)/8)
		for i := range old {
			old[i] = int64(binary.LittleEndian.Uint64(blob[8*i:]))
		}
	}
	// Both lists are sorted: walk them together.
	i, j := 0, 0
	for i < len(old) || j < len(now) {
		switch {
		case j == len(now) || i < len(old) && old[i] < now[j]:
			buf.dfDown = append(buf.dfDown, old[i])
			i++
		case i == len(old) || now[j] < old[i]:
			buf.dfUp = append(buf.dfUp, now[j])
			j++
		default:
			i++
			j++
		}
	}
	if exists && slices.Equal(old, now) {
		return nil
	}
	blob := make([]byte, 0, 8*len(now))
	for _, h := range now {
		blob = binary.LittleEndian.AppendUint64(blob, uint64(h))
	}
	_, err := exec(ctx, tx, s.stmts.putPhrases, id, blob)
	return err
}

// applyDocFreq moves the phrase document frequencies one up for each
// hash in up and one down for each in down (see saveBuf), with bound
// upserts (multiInsert), and deletes the frequencies that fell to zero.
func (s *Store) applyDocFreq(ctx context.Context, tx *sql.Tx, up, down []int64) error {
	slices.Sort(up)
	slices.Sort(down)
	// Walk both sorted lists: each hash's change is its count in up less
	// its count in down, in hash order, so that each upsert lands next to
	// the previous one in the B-tree, on pages already in the cache.
	w := s.stmts.upsertDF.writer(ctx, tx)
	var fallen []int64 // hashes whose frequency went down: perhaps to 0
	for i, j := 0, 0; i < len(up) || j < len(down); {
		var h int64
		switch {
		case j == len(down) || i < len(up) && up[i] <= down[j]:
			h = up[i]
		default:
			h = down[j]
		}
		d := 0
		for ; i < len(up) && up[i] == h; i++ {
			d++
		}
		for ; j < len(down) && down[j] == h; j++ {
			d--
		}
		if d != 0 {
			w.add(h, d)
		}
		if d < 0 {
			fallen = append(fallen, h)
		}
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("phrase frequencies: %w", err)
	}
	if len(fallen) > 0 {
		if _, err := exec(ctx, tx, s.stmts.cleanDF, idsJSON(fallen)); err != nil {
			return fmt.Errorf("phrase frequencies: %w", err)
		}
	}
	return nil
}

// refreshStory recomputes a story's counts, span and title from its
// members, and deletes it when it has none left.
func (s *Store) refreshStory(ctx context.Context, tx *sql.Tx, id int64) error {
	var n int
	if err := queryRow(ctx, tx, s.stmts.storyCount, id).Scan(&n); err != nil {
		return fmt.Errorf("story %d: %w", id, err)
	}
	if n == 0 {
		if _, err := exec(ctx, tx, s.stmts.deleteStory, id); err != nil {
			return fmt.Errorf("delete empty story %d: %w", id, err)
		}
		return nil
	}
	if _, err := exec(ctx, tx, s.stmts.refreshStory, id); err != nil {
		return fmt.Errorf("story %d: %w", id, err)
	}
	return nil
}

// GetArticle returns the article with its keywords and entities.
func (s *Store) GetArticle(ctx context.Context, id int64) (model.Article, error) {
	a, err := s.getArticle(ctx, s.pstmts.articleByID, id)
	if err != nil {
		return model.Article{}, fmt.Errorf("sqlite: get article %d: %w", id, err)
	}
	return a, nil
}

// GetArticleByURL returns the article stored under that canonical URL.
func (s *Store) GetArticleByURL(ctx context.Context, u string) (model.Article, error) {
	a, err := s.getArticle(ctx, s.pstmts.articleByURL, u)
	if err != nil {
		return model.Article{}, fmt.Errorf("sqlite: get article %q: %w", u, err)
	}
	return a, nil
}

// refsSQL reads the short form of the articles of a JSON array of ids, in
// its order: the text's first 4*RefExcerptRunes runes and one more, which
// tells whether it goes on.
const refsSQL = `SELECT ` + refColumns + `, a.published, substr(a.text, 1, ?1 + 1)
	FROM json_each(?2) j JOIN articles a ON a.id = j.value ORDER BY j.key`

// refColumns are the first columns of the short form of an article
// (refsSQL, membersSQL); a time and the start of the text follow.
const refColumns = `a.id, a.url, a.title, COALESCE(NULLIF(` + outletNameSQL + `, ''), a.source_name), a.outlet`

// scanRef reads a row of refColumns, a time and the start of the text,
// which excerpt cuts.
func scanRef(rows *sql.Rows, excerpt func(string) string) (model.ArticleRef, error) {
	var (
		r    model.ArticleRef
		t    sql.NullInt64
		text string
	)
	if err := rows.Scan(&r.ID, &r.URL, &r.Title, &r.Source, &r.Outlet, &t, &text); err != nil {
		return r, err
	}
	r.Published = timeVal(t)
	r.Excerpt = excerpt(text)
	return r, nil
}

// ArticleRefs returns the short form of the stored articles among ids, in
// their order.
func (s *Store) ArticleRefs(ctx context.Context, ids []int64) ([]model.ArticleRef, error) {
	refs := []model.ArticleRef{}
	if len(ids) == 0 {
		return refs, nil
	}
	n := 4 * store.RefExcerptRunes
	err := runQuery(ctx, s.pstmts.refs, "", func(rows *sql.Rows) error {
		r, err := scanRef(rows, store.RefExcerpt)
		refs = append(refs, r)
		return err
	}, n, idsJSON(ids))
	if err != nil {
		return nil, fmt.Errorf("sqlite: article refs: %w", err)
	}
	return refs, nil
}

// getArticle reads one article with the prepared statement by, whose one
// parameter is arg.
func (s *Store) getArticle(ctx context.Context, by *sql.Stmt, arg any) (model.Article, error) {
	a, err := scanArticle(by.QueryRowContext(ctx, arg))
	if err != nil {
		return model.Article{}, notFound(err)
	}
	if err := s.fillDetails(ctx, []*model.Article{a}); err != nil {
		return model.Article{}, err
	}
	return *a, nil
}

// HasArticle reports whether an article with that URL is stored.
func (s *Store) HasArticle(ctx context.Context, u string) (bool, error) {
	// A look-up of one key is over before a cancellation could interrupt
	// it; without one the driver starts no goroutine to watch ctx (an
	// import asks this of every record).
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("sqlite: has article %q: %w", u, err)
	}
	var one int
	err := s.rstmts.hasArticle.QueryRowContext(context.WithoutCancel(ctx), u).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: has article %q: %w", u, err)
	}
	return true, nil
}

// CountArticles returns the number of stored articles.
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	if err := s.rstmts.countArticles.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count articles: %w", err)
	}
	return n, nil
}

// idsJSON is a list of ids as a JSON array for json_each.
func idsJSON(ids []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return b.String()
}

// fillDetails loads the keywords and entities of the given articles, with
// the prepared statements: by id for one article (an article page, each
// hit of related reading), by a JSON array of ids for a listing.
func (s *Store) fillDetails(ctx context.Context, as []*model.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Article, len(as))
	ids := make([]int64, len(as))
	for i, a := range as {
		byID[a.ID] = a
		ids[i] = a.ID
	}
	kw, ent := s.pstmts.keywords, s.pstmts.entities
	var arg any = ids[0]
	if len(ids) > 1 {
		kw, ent, arg = s.pstmts.keywordsMany, s.pstmts.entitiesMany, idsJSON(ids)
	}
	err := runQuery(ctx, kw, "", func(rows *sql.Rows) error {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Keywords = append(a.Keywords, k)
		}
		return nil
	}, arg)
	if err != nil {
		return fmt.Errorf("keywords: %w", err)
	}
	err = runQuery(ctx, ent, "", func(rows *sql.Rows) error {
		var (
			id       int64
			e        model.Entity
			mentions sql.NullString
		)
		if err := rows.Scan(&id, &e.Name, &e.Type, &mentions); err != nil {
			return err
		}
		if mentions.Valid && mentions.String != "" {
			var err error
			if e.Mentions, err = jsonStrings(mentions.String); err != nil {
				return fmt.Errorf("article %d: entity %q mentions: %w", id, e.Name, err)
			}
		}
		if a := byID[id]; a != nil {
			a.Entities = append(a.Entities, e)
		}
		return nil
	}, arg)
	if err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	return nil
}

// ListArticles returns matching articles newest first (by Published,
// falling back to Fetched; ties by id, newest first) and the total number
// matching. Since is inclusive and Until exclusive.
func (s *Store) ListArticles(ctx context.Context, f store.ArticleFilter) ([]model.Article, int, error) {
	limit, err := store.PageLimit(f.Limit, f.Offset, 50)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: list articles: %w", err)
	}
	var (
		conds []string
		args  []any
	)
	if f.SourceID != 0 {
		conds = append(conds, `a.source_id = ?`)
		args = append(args, f.SourceID)
	}
	if f.Tag != "" {
		conds = append(conds, `a.id IN (SELECT article_id FROM article_keywords WHERE norm = ?)`)
		args = append(args, store.NormalizeTag(f.Tag))
	}
	if f.Entity != "" {
		conds = append(conds, `a.id IN (SELECT article_id FROM article_entities WHERE name = ?)`)
		args = append(args, f.Entity)
	}
	if f.StoryID != 0 {
		conds = append(conds, `a.story_id = ?`)
		args = append(args, f.StoryID)
	}
	if !f.Since.IsZero() {
		conds = append(conds, `a.sort_time >= ?`)
		args = append(args, f.Since.UnixMicro())
	}
	if !f.Until.IsZero() {
		conds = append(conds, `a.sort_time < ?`)
		args = append(args, f.Until.UnixMicro())
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	// The total of an unfiltered list, or of one source's, is a count the
	// store keeps, not a walk over every article.
	count := `SELECT COUNT(*) FROM articles a` + where
	switch {
	case len(conds) == 0:
		count = `SELECT n FROM article_count WHERE id = 1`
	case len(conds) == 1 && f.SourceID != 0:
		count = `SELECT COALESCE((SELECT n FROM source_counts WHERE source_id = ?), 0)`
	}
	var total int
	if err := s.r.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: list articles: count: %w", err)
	}
	var list []*model.Article
	err = runQuery(ctx, s.r, `SELECT `+articleColumns+` FROM articles a`+where+
		` ORDER BY a.sort_time DESC, a.id DESC LIMIT ? OFFSET ?`, func(rows *sql.Rows) error {
		a, err := scanArticle(rows)
		if err != nil {
			return err
		}
		list = append(list, a)
		return nil
	}, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: list articles: %w", err)
	}
	if err := s.fillDetails(ctx, list); err != nil {
		return nil, 0, fmt.Errorf("sqlite: list articles: %w", err)
	}
	out := make([]model.Article, len(list))
	for i, a := range list {
		out[i] = *a
	}
	return out, total, nil
}

// EachArticle calls fn for every article in ID order. It reads in pages and
// holds no read transaction while fn runs, so fn may write to the store.
func (s *Store) EachArticle(ctx context.Context, fn func(*model.Article) error) error {
	const page = 256
	var last int64
	for {
		var list []*model.Article
		err := runQuery(ctx, s.r, `SELECT `+articleColumns+` FROM articles a WHERE a.id > ? ORDER BY a.id LIMIT ?`,
			func(rows *sql.Rows) error {
				a, err := scanArticle(rows)
				if err != nil {
					return err
				}
				list = append(list, a)
				return nil
			}, last, page)
		if err == nil {
			err = s.fillDetails(ctx, list)
		}
		if err != nil {
			return fmt.Errorf("sqlite: each article: %w", err)
		}
		for _, a := range list {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("sqlite: each article: %w", err)
			}
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(list) < page {
			return nil
		}
		last = list[len(list)-1].ID
	}
}
