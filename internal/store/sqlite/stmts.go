package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// stmts are the statements of the write path, prepared once on the writer
// connection: parsing SQL costs about a third of a save otherwise.
// Transactions use them through tx.StmtContext, which reuses the prepared
// statement because the writer pool has its one connection.
type stmts struct {
	findArticle, storyExists, newStory, updateArticle, insertArticle *sql.Stmt
	storyCount, deleteStory, refreshStory                            *sql.Stmt
	deleteKeywords, deleteEntities, deleteBands                      *sql.Stmt
	deleteFTS                                                        *sql.Stmt
	getPhrases, putPhrases, cleanDF, countAdd                        *sql.Stmt
	copyRoot, joinCopies                                             *sql.Stmt
	all                                                              []*sql.Stmt
	// Rows of many articles at once (finish).
	insertKeywords, insertEntities, insertBands, insertArticleBands, insertFTS, upsertDF multiInsert
}

func (s *Store) prepare(ctx context.Context) error {
	q := &s.stmts
	var err error
	q.all, err = prepareAll(ctx, s.w, []stmtSpec{
		{&q.findArticle, `SELECT id, COALESCE(story_id, 0) FROM articles WHERE url = ?`},
		{&q.storyExists, `SELECT 1 FROM stories WHERE id = ?`},
		{&q.newStory, `INSERT INTO stories (title) VALUES (?) RETURNING id`},
		{&q.updateArticle, `UPDATE articles SET url = ?, guid = ?, source_id = ?, source_name = ?,
			title = ?, text = ?, html = ?, summary = ?, authors = ?, published = ?, modified = ?,
			fetched = ?, sort_time = ?, language = ?, image = ?, site_name = ?, agency = ?,
			content_hash = ?, duplicate_of = ?, story_id = ?, outlet = ?, signature = ?
			WHERE id = ?`},
		{&q.insertArticle, `INSERT INTO articles (url, guid, source_id, source_name, title,
			text, html, summary, authors, published, modified, fetched, sort_time, language, image,
			site_name, agency, content_hash, duplicate_of, story_id, outlet, signature)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`},
		{&q.storyCount, `SELECT COUNT(*) FROM articles WHERE story_id = ?`},
		{&q.deleteStory, `DELETE FROM stories WHERE id = ?`},
		{&q.refreshStory, `UPDATE stories SET
			(articles, outlets, first_seen, last_seen) =
				(SELECT COUNT(*), COUNT(DISTINCT outlet), MIN(sort_time), MAX(sort_time) FROM articles WHERE story_id = ?1),
			title = COALESCE((SELECT title FROM articles WHERE story_id = ?1 ORDER BY sort_time, id LIMIT 1), title),
			rev = rev + 1
			WHERE id = ?1`},
		{&q.deleteKeywords, `DELETE FROM article_keywords WHERE article_id = ?`},
		{&q.deleteEntities, `DELETE FROM article_entities WHERE article_id = ?`},
		{&q.deleteBands, `DELETE FROM article_bands WHERE article_id = ?`}, // and its lsh_bands rows (trigger)
		{&q.deleteFTS, `DELETE FROM articles_fts WHERE rowid = ?`},
		{&q.getPhrases, `SELECT hashes FROM article_phrases WHERE article_id = ?`},
		{&q.putPhrases, `INSERT OR REPLACE INTO article_phrases (article_id, hashes) VALUES (?, ?)`},
		{&q.cleanDF, `DELETE FROM phrase_df WHERE df <= 0 AND hash IN (SELECT value FROM json_each(?))`},
		{&q.countAdd, `UPDATE article_count SET n = n + ? WHERE id = 1`},
		{&q.copyRoot, `SELECT duplicate_of FROM articles WHERE id = ?`},
		// "duplicate_of != 0" lets the partial index articles_copies serve.
		{&q.joinCopies, `UPDATE articles SET duplicate_of = ?1
			WHERE id = ?2 OR (duplicate_of = ?2 AND duplicate_of != 0) RETURNING story_id`},
	})
	if err != nil {
		return err
	}
	// Up to ftsRows rows in one statement, made for the rows at hand: each
	// statement flushes FTS5's buffer of new rows (see finish).
	q.insertFTS = multiInsert{head: `INSERT INTO articles_fts (rowid, title_terms, title_stems, body_terms, body_stems) VALUES `, cols: 5, rows: ftsRows}
	for _, m := range []struct {
		ins        *multiInsert
		head, tail string
		cols, rows int
	}{
		{&q.insertKeywords, `INSERT OR IGNORE INTO article_keywords (article_id, position, keyword, norm) VALUES `, "", 4, insertChunk},
		{&q.insertEntities, `INSERT OR IGNORE INTO article_entities (article_id, position, name, type, mentions) VALUES `, "", 5, insertChunk},
		{&q.insertBands, `INSERT OR IGNORE INTO lsh_bands (band_key, sort_time, article_id) VALUES `, "", 3, insertChunk},
		{&q.insertArticleBands, `INSERT OR IGNORE INTO article_bands (article_id, sort_time, keys) VALUES `, "", 3, insertChunk},
		// The change of each phrase's frequency, in hash order: one pass
		// over the B-tree for the whole transaction.
		{&q.upsertDF, `INSERT INTO phrase_df (hash, df) VALUES `, ` ON CONFLICT (hash) DO UPDATE SET df = df + excluded.df`, 2, dfRows},
	} {
		*m.ins = multiInsert{head: m.head, tail: m.tail, cols: m.cols, rows: m.rows}
		st, err := s.w.PrepareContext(ctx, m.ins.sql(m.rows))
		if err != nil {
			return fmt.Errorf("sqlite: prepare %q: %w", m.head, err)
		}
		m.ins.full = st
		q.all = append(q.all, st)
	}
	return nil
}

// rstmts are the reads every imported article makes (duplicate check,
// keyword statistics, copy and story candidates), prepared once on the
// read pool, which keeps them prepared on each connection it uses.
type rstmts struct {
	hasArticle, countArticles, docFreq, candidates *sql.Stmt
	all                                            []*sql.Stmt
}

func (s *Store) prepareReads(ctx context.Context) error {
	q := &s.rstmts
	var err error
	q.all, err = prepareAll(ctx, s.r, []stmtSpec{
		{&q.hasArticle, `SELECT 1 FROM articles WHERE url = ?`},
		// Kept by every save (migration 0002): COUNT(*) walks an index.
		{&q.countArticles, `SELECT n FROM article_count WHERE id = 1`},
		{&q.docFreq, `SELECT hash, df FROM phrase_df WHERE hash IN (SELECT value FROM json_each(?))`},
		{&q.candidates, candidatesQuery},
	})
	return err
}

// stmtSpec is a statement to prepare and where to keep it.
type stmtSpec struct {
	st  **sql.Stmt
	sql string
}

// prepareAll prepares each statement on db and returns those prepared,
// for closing, with the first error.
func prepareAll(ctx context.Context, db *sql.DB, specs []stmtSpec) ([]*sql.Stmt, error) {
	all := make([]*sql.Stmt, 0, len(specs))
	for _, p := range specs {
		st, err := db.PrepareContext(ctx, p.sql)
		if err != nil {
			return all, fmt.Errorf("sqlite: prepare %q: %w", p.sql, err)
		}
		*p.st = st
		all = append(all, st)
	}
	return all, nil
}

func (s *Store) closeStmts() {
	for _, st := range s.stmts.all {
		st.Close()
	}
	s.stmts.all = nil
	for _, st := range s.rstmts.all {
		st.Close()
	}
	s.rstmts.all = nil
}

// insertChunk is how many rows the prepared multiInsert statements bind;
// ftsRows how many the full-text one binds at most (5 values a row, within
// SQLite's 32,766); dfRows how many phrase frequencies one statement
// changes.
const (
	insertChunk = 256
	ftsRows     = 6000
	dfRows      = 4096
)

// multiInsert inserts rows many at a time, their values bound to one
// statement: a statement of rows rows, prepared once (full) or made for
// each use, and one made for the rest. Bound values cost far less than
// SQLite's json_each taking apart an array of rows. The prepared ones are
// INSERT OR IGNORE into tables whose foreign key is deferred (migrations
// 0004 and 0006) or that have none, so that they cannot fail half-way and
// need no statement journal; the rows they would ignore (a NULL, a
// position twice for one article, an article's band keys twice) are never
// made. The phrase frequencies' upsert of bound rows needs none either,
// where the same upsert over json_each copied every page it changed to
// the statement journal.
type multiInsert struct {
	head string // the statement up to VALUES
	tail string // what follows the rows (ON CONFLICT ...)
	cols int
	rows int       // rows a statement at most
	full *sql.Stmt // for rows rows, or nil
}

// sql is the statement for n rows.
func (m *multiInsert) sql(n int) string {
	row := "(?" + strings.Repeat(", ?", m.cols-1) + ")"
	return m.head + row + strings.Repeat(", "+row, n-1) + m.tail
}

// writer returns a rowWriter of m's rows inside tx.
func (m *multiInsert) writer(ctx context.Context, tx *sql.Tx) *rowWriter {
	return &rowWriter{m: m, ctx: ctx, tx: tx}
}

// rowWriter inserts the rows added to it, a full statement at a time; the
// first error stops it, and flush reports it.
type rowWriter struct {
	m    *multiInsert
	ctx  context.Context
	tx   *sql.Tx
	args []any
	err  error
}

// add adds a row: one value per column.
func (w *rowWriter) add(vals ...any) {
	if w.err != nil {
		return
	}
	w.args = append(w.args, vals...)
	if len(w.args) == w.m.cols*w.m.rows {
		w.flush()
	}
}

// flush inserts the rows added since the last statement.
func (w *rowWriter) flush() error {
	if w.err != nil || len(w.args) == 0 {
		return w.err
	}
	n := len(w.args) / w.m.cols
	if n == w.m.rows && w.m.full != nil {
		_, w.err = exec(w.ctx, w.tx, w.m.full, w.args...)
	} else {
		_, w.err = w.tx.ExecContext(w.ctx, w.m.sql(n), w.args...)
	}
	w.args = w.args[:0]
	return w.err
}
