package postgres

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

const articleColumns = `a.id, a.url, a.guid, a.source_id, a.source_name, a.title, a.text, a.html,
	a.summary, a.authors, a.published, a.modified, a.fetched, a.language, a.image, a.site_name,
	a.agency, a.content_hash, a.duplicate_of, COALESCE(a.story_id, 0), a.signature,
	a.outlet, ` + outletNameSQL

// outletNameSQL is the display name of a.outlet's profile, ” without one.
const outletNameSQL = `COALESCE((SELECT COALESCE(NULLIF(o.name_ar, ''), o.name_en) FROM outlets o WHERE o.key = a.outlet), '')`

func scanArticle(r pgx.Row) (*model.Article, error) {
	var (
		a                            model.Article
		published, modified, fetched *time.Time
		sig                          []byte
	)
	err := r.Scan(&a.ID, &a.URL, &a.GUID, &a.SourceID, &a.SourceName, &a.Title, &a.Text, &a.HTML,
		&a.Summary, &a.Authors, &published, &modified, &fetched, &a.Language, &a.Image, &a.SiteName,
		&a.Agency, &a.ContentHash, &a.DuplicateOf, &a.StoryID, &sig, &a.Outlet, &a.OutletName)
	if err != nil {
		return nil, err
	}
	if len(a.Authors) == 0 {
		a.Authors = nil
	}
	a.Published = timeVal(published)
	a.Modified = timeVal(modified)
	a.Fetched = timeVal(fetched)
	if a.Signature, err = store.DecodeSignature(sig); err != nil {
		return nil, fmt.Errorf("article %d: %w", a.ID, err)
	}
	return &a, nil
}

// Signatures are stored as little-endian uint64s, 8 bytes each, as in SQLite.
func encodeSignature(sig []uint64) []byte {
	if len(sig) == 0 {
		return nil
	}
	b := make([]byte, 0, 8*len(sig))
	for _, v := range sig {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

// errRaced is returned inside a save transaction that tried to insert a URL
// another transaction inserted and committed meanwhile; transact reruns
// the transaction, which then finds the row and updates it.
var errRaced = errors.New("postgres: article inserted concurrently")

// SaveArticle inserts a by URL or updates the stored article with that URL
// in place; see store.Articles. A zero a.Fetched is set to now. Workers may
// save the same URL at once: one inserts it, the others update it.
func (s *Store) SaveArticle(ctx context.Context, a *model.Article, idx store.IndexData) (bool, error) {
	created, err := s.saveBatch(ctx, []*model.Article{a}, []store.IndexData{idx}, false)
	if err != nil {
		return false, fmt.Errorf("postgres: save article %q: %w", a.URL, unwrapBatch(err))
	}
	return created[0], nil
}

// SaveArticles saves a batch in one transaction, as SaveArticle does each
// one; created[i] tells whether as[i] was new. An error rolls the whole
// batch back; the IDs and story IDs it set on the articles before the
// error must then be ignored. The same URL twice in a batch is saved
// twice, the second updating the first.
func (s *Store) SaveArticles(ctx context.Context, as []*model.Article, idx []store.IndexData) ([]bool, error) {
	if len(as) != len(idx) {
		return nil, fmt.Errorf("postgres: save articles: %d articles but %d index data: %w", len(as), len(idx), store.ErrInvalid)
	}
	created, err := s.saveBatch(ctx, as, idx, false)
	if err != nil {
		return nil, fmt.Errorf("postgres: save articles: %w", err)
	}
	return created, nil
}

// batchError names the article of a batch that failed.
type batchError struct {
	url string
	err error
}

func (e *batchError) Error() string { return fmt.Sprintf("article %q: %v", e.url, e.err) }
func (e *batchError) Unwrap() error { return e.err }

func unwrapBatch(err error) error {
	var be *batchError
	if errors.As(err, &be) {
		return be.err
	}
	return err
}

// saveBatch saves the articles in one transaction. With keepID (CopyFrom)
// each article keeps its a.ID and joins story a.StoryID, created with that
// id when missing.
func (s *Store) saveBatch(ctx context.Context, as []*model.Article, idx []store.IndexData, keepID bool) ([]bool, error) {
	// A retried transaction starts again from the caller's values: the
	// failed attempt may have set IDs and new story IDs that were rolled back.
	// Batch references (store.BatchRef) are resolved anew each time too.
	type orig struct {
		id, story, dup int64
		joins          []int64
	}
	origs := make([]orig, len(as))
	for i, a := range as {
		origs[i] = orig{a.ID, a.StoryID, a.DuplicateOf, a.JoinCopies}
	}
	created := make([]bool, len(as))
	err := s.transactIdempotent(ctx, func(tx pgx.Tx) error {
		for i, a := range as {
			a.ID, a.StoryID, a.DuplicateOf, a.JoinCopies = origs[i].id, origs[i].story, origs[i].dup, origs[i].joins
		}
		df := map[int64]int{}
		for i, a := range as {
			if keepID && a.StoryID != 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO stories (id, title) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`,
					a.StoryID, a.Title); err != nil {
					return &batchError{a.URL, fmt.Errorf("story %d: %w", a.StoryID, err)}
				}
			}
			if err := store.ResolveBatchRefs(as, i); err != nil {
				return &batchError{a.URL, err}
			}
			c, err := s.saveArticle(ctx, tx, a, idx[i], df, keepID)
			if err != nil {
				if errors.Is(err, errRaced) {
					return err
				}
				return &batchError{a.URL, err}
			}
			created[i] = c
		}
		return applyDocFreq(ctx, tx, df)
	})
	if err != nil {
		for i, a := range as {
			a.ID, a.StoryID, a.DuplicateOf, a.JoinCopies = origs[i].id, origs[i].story, origs[i].dup, origs[i].joins
		}
		return nil, err
	}
	return created, nil
}

// saveArticle writes a and its index data inside tx and adds the changes of
// phrase document frequencies to df, for the caller to apply once at the
// end of the transaction.
//
// Locks, always in this order so that concurrent saves do not deadlock
// (and when a batch does, transact retries it): the article's row (FOR NO
// KEY UPDATE), then the stories it leaves and joins in id order, then, at
// the end of the transaction, phrase frequencies in hash order. Locking a
// story before counting its members makes the count see every member
// committed by a transaction that held the lock before.
func (s *Store) saveArticle(ctx context.Context, tx pgx.Tx, a *model.Article, idx store.IndexData, df map[int64]int, keepID bool) (bool, error) {
	if strings.TrimSpace(a.URL) == "" {
		return false, fmt.Errorf("empty URL: %w", store.ErrInvalid)
	}
	if clean(a.URL) != a.URL {
		return false, fmt.Errorf("URL with a NUL or invalid UTF-8: %w", store.ErrInvalid)
	}
	if a.Fetched.IsZero() {
		a.Fetched = time.Now().UTC().Truncate(time.Microsecond)
	}
	var (
		id         int64
		oldStory   int64
		oldPhrases []int64
		exists     = true
	)
	err := tx.QueryRow(ctx, `SELECT id, COALESCE(story_id, 0), phrases FROM articles WHERE url = $1 FOR NO KEY UPDATE`,
		a.URL).Scan(&id, &oldStory, &oldPhrases)
	if errors.Is(err, pgx.ErrNoRows) {
		exists = false
	} else if err != nil {
		return false, err
	}

	// Lock the stories involved, in id order.
	lock := []int64{}
	for _, st := range []int64{a.StoryID, oldStory} {
		if st != 0 && !slices.Contains(lock, st) {
			lock = append(lock, st)
		}
	}
	slices.Sort(lock)
	for _, st := range lock {
		var got int64
		err := tx.QueryRow(ctx, `SELECT id FROM stories WHERE id = $1 FOR NO KEY UPDATE`, st).Scan(&got)
		if errors.Is(err, pgx.ErrNoRows) {
			return false, fmt.Errorf("story %d does not exist: %w", st, store.ErrInvalid)
		} else if err != nil {
			return false, fmt.Errorf("story %d: %w", st, err)
		}
	}

	// The story: the one asked for, else the stored one, else a new one.
	story := a.StoryID
	if story == 0 {
		story = oldStory
	}
	if story == 0 {
		if err := tx.QueryRow(ctx, `INSERT INTO stories (title) VALUES ($1) RETURNING id`, clean(a.Title)).Scan(&story); err != nil {
			return false, fmt.Errorf("new story: %w", err)
		}
	}

	// A copy is filed under its root: under the root of what it names,
	// should that have been joined to another since (JoinCopies).
	if a.DuplicateOf, err = copyRoot(ctx, tx, a.DuplicateOf); err != nil {
		return false, err
	}
	sortTime := a.Published
	if sortTime.IsZero() {
		sortTime = a.Fetched
	}
	phrases := idx.PhraseKeys()
	// Text fields go through clean: PostgreSQL refuses NUL and invalid
	// UTF-8, which a scraped page may hold.
	args := []any{a.URL, clean(a.GUID), a.SourceID, clean(a.SourceName), clean(a.Title), clean(a.Text),
		clean(a.HTML), clean(a.Summary), strs(cleanAll(a.Authors)),
		timeArg(a.Published), timeArg(a.Modified), timeArg(a.Fetched), timeArg(sortTime),
		clean(a.Language), clean(a.Image), clean(a.SiteName), clean(a.Agency), clean(a.ContentHash),
		a.DuplicateOf, story, clean(store.OutletKey(a)), encodeSignature(a.Signature), tsvectorLiteral(idx), phrases}
	if exists && keepID && id != a.ID {
		return false, fmt.Errorf("stored with id %d here but %d in the store copied: %w", id, a.ID, store.ErrConflict)
	}
	if exists {
		_, err = tx.Exec(ctx, `UPDATE articles SET guid = $2, source_id = $3, source_name = $4,
			title = $5, text = $6, html = $7, summary = $8, authors = $9, published = $10, modified = $11,
			fetched = $12, sort_time = $13, language = $14, image = $15, site_name = $16, agency = $17,
			content_hash = $18, duplicate_of = $19, story_id = $20, outlet = $21, signature = $22,
			search = $23::tsvector, phrases = $24
			WHERE url = $1`, args...)
		if err != nil {
			return false, err
		}
	} else {
		// ON CONFLICT DO NOTHING: when another transaction inserted the URL
		// after our look-up, this waits for it and returns no row; the
		// whole transaction is then rerun, and finds the row to update.
		idCol, idVal := "", ""
		if keepID {
			idCol, idVal = ", id", ", $25"
			args = append(args, a.ID)
		}
		err = tx.QueryRow(ctx, `INSERT INTO articles (url, guid, source_id, source_name, title,
			text, html, summary, authors, published, modified, fetched, sort_time, language, image,
			site_name, agency, content_hash, duplicate_of, story_id, outlet, signature, search, phrases`+idCol+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
				$19, $20, $21, $22, $23::tsvector, $24`+idVal+`)
			ON CONFLICT (url) DO NOTHING RETURNING id`, args...).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return false, errRaced
		}
		if err != nil {
			return false, err
		}
	}

	// The rest depends only on id and story: one pipelined batch, one
	// round trip. Stories are recomputed from their members; keywords,
	// entities and bands are replaced wholesale, each list in one statement.
	var (
		batch pgx.Batch
		what  []string // what each queued statement does, for errors
	)
	queue := func(name, sql string, args ...any) {
		batch.Queue(sql, args...)
		what = append(what, name)
	}
	queue(fmt.Sprintf("story %d", story), refreshStorySQL, story)
	if oldStory != 0 && oldStory != story {
		queue(fmt.Sprintf("story %d", oldStory), refreshStorySQL, oldStory)
	}
	joined, err := joinCopies(ctx, tx, a, id)
	if err != nil {
		return false, err
	}
	for _, st := range joined {
		if st != story && st != oldStory {
			// Their details name the copies.
			queue(fmt.Sprintf("story %d", st), refreshStorySQL, st)
		}
	}
	if exists {
		for _, table := range []string{"article_keywords", "article_entities", "lsh_bands"} {
			queue(table, `DELETE FROM `+table+` WHERE article_id = $1`, id)
		}
	}
	if len(a.Keywords) > 0 {
		norms := idx.TagForms(a.Keywords)
		queue("keywords", `INSERT INTO article_keywords (article_id, position, keyword, norm)
			SELECT $1, t.o - 1, t.k, t.n FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(k, n, o)`,
			id, cleanAll(a.Keywords), cleanAll(norms))
	}
	if len(a.Entities) > 0 {
		ents := make([]model.Entity, len(a.Entities))
		for i, e := range a.Entities {
			e.Name, e.Type, e.Mentions = clean(e.Name), clean(e.Type), strs(cleanAll(e.Mentions))
			ents[i] = e
		}
		ej, err := json.Marshal(ents)
		if err != nil {
			return false, err
		}
		queue("entities", `INSERT INTO article_entities (article_id, position, name, type, mentions)
			SELECT $1, t.o - 1, t.e ->> 'name', COALESCE(t.e ->> 'type', ''),
				ARRAY(SELECT jsonb_array_elements_text(t.e -> 'mentions'))
			FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, o)`, id, string(ej))
	}
	if len(idx.Bands) > 0 {
		bands := make([]int64, len(idx.Bands))
		for i, b := range idx.Bands {
			bands[i] = int64(b)
		}
		queue("bands", `INSERT INTO lsh_bands (band_key, article_id, sort_time)
			SELECT DISTINCT k, $2::bigint, $3::timestamptz FROM unnest($1::bigint[]) AS k
			ON CONFLICT DO NOTHING`, bands, id, timeArg(sortTime))
	}
	br := tx.SendBatch(ctx, &batch)
	for _, name := range what {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return false, fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := br.Close(); err != nil {
		return false, err
	}

	diffPhrases(oldPhrases, phrases, df)
	a.ID = id
	a.StoryID = story
	return !exists, nil
}

// diffPhrases adds to df the change from the sorted hashes old to now.
func diffPhrases(old, now []int64, df map[int64]int) {
	i, j := 0, 0
	for i < len(old) || j < len(now) {
		switch {
		case j == len(now) || i < len(old) && old[i] < now[j]:
			df[old[i]]--
			i++
		case i == len(old) || now[j] < old[i]:
			df[now[j]]++
			j++
		default:
			i++
			j++
		}
	}
}

// applyDocFreq moves the phrase document frequencies by df in one
// statement whose rows come in hash order, so that two transactions
// updating common phrases lock them in the same order and never deadlock;
// counts that fall to zero are deleted.
func applyDocFreq(ctx context.Context, tx pgx.Tx, df map[int64]int) error {
	hs := make([]int64, 0, len(df))
	for h, d := range df {
		if d != 0 {
			hs = append(hs, h)
		}
	}
	if len(hs) == 0 {
		return nil
	}
	slices.Sort(hs)
	ds := make([]int32, len(hs))
	var gone []int64
	for i, h := range hs {
		ds[i] = int32(df[h])
		if ds[i] < 0 {
			gone = append(gone, h)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO phrase_df (hash, df)
		SELECT h, d FROM unnest($1::bigint[], $2::integer[]) AS t(h, d) ORDER BY h
		ON CONFLICT (hash) DO UPDATE SET df = phrase_df.df + excluded.df`, hs, ds); err != nil {
		return fmt.Errorf("phrase frequencies: %w", err)
	}
	if len(gone) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM phrase_df WHERE hash = ANY($1::bigint[]) AND df <= 0`, gone); err != nil {
			return fmt.Errorf("phrase frequencies: %w", err)
		}
	}
	return nil
}

// copyRoot is the root of the copies that id (a copy root when saved, 0
// for none) belongs to now: the root id was joined to, else id itself.
func copyRoot(ctx context.Context, tx pgx.Tx, id int64) (int64, error) {
	if id <= 0 {
		return id, nil
	}
	var root int64
	err := tx.QueryRow(ctx, `SELECT duplicate_of FROM articles WHERE id = $1`, id).Scan(&root)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || err == nil && root == 0:
		return id, nil
	case err != nil:
		return 0, fmt.Errorf("copy root of %d: %w", id, err)
	}
	return root, nil
}

// joinCopies files the copy roots a.JoinCopies (their roots now) and their
// copies under a.DuplicateOf, the root of article id, and returns the
// stories they are in, sorted and distinct.
func joinCopies(ctx context.Context, tx pgx.Tx, a *model.Article, id int64) ([]int64, error) {
	if a.DuplicateOf <= 0 {
		return nil, nil
	}
	var stories []int64
	for _, j := range a.JoinCopies {
		r, err := copyRoot(ctx, tx, j)
		if err != nil {
			return nil, err
		}
		if r <= 0 || r == a.DuplicateOf || r == id {
			continue
		}
		rows, err := tx.Query(ctx, `UPDATE articles SET duplicate_of = $1
			WHERE id = $2 OR (duplicate_of = $2 AND duplicate_of <> 0) RETURNING COALESCE(story_id, 0)`, a.DuplicateOf, r)
		if err != nil {
			return nil, fmt.Errorf("join copies of %d: %w", r, err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return nil, fmt.Errorf("join copies of %d: %w", r, err)
		}
		stories = append(stories, got...)
	}
	slices.Sort(stories)
	stories = slices.Compact(stories)
	if len(stories) > 0 && stories[0] == 0 {
		stories = stories[1:]
	}
	return stories, nil
}

// refreshStorySQL recomputes a story's counts, span and title from its
// members, or deletes it when it has none left. The caller holds the
// story's row lock, taken before this statement's snapshot, so the count
// sees every member committed by transactions that held the lock before.
const refreshStorySQL = `WITH c AS (
		SELECT COUNT(*) AS n, COUNT(DISTINCT outlet) AS o, MIN(sort_time) AS f, MAX(sort_time) AS l
		FROM articles WHERE story_id = $1),
	gone AS (DELETE FROM stories WHERE id = $1 AND (SELECT n FROM c) = 0)
	UPDATE stories SET articles = c.n, outlets = c.o, first_seen = c.f, last_seen = c.l,
		title = COALESCE((SELECT title FROM articles WHERE story_id = $1 ORDER BY sort_time, id LIMIT 1), title),
		rev = stories.rev + 1
	FROM c WHERE stories.id = $1 AND c.n > 0`

// GetArticle returns the article with its keywords and entities.
func (s *Store) GetArticle(ctx context.Context, id int64) (model.Article, error) {
	a, err := s.getArticle(ctx, `a.id = $1`, id)
	if err != nil {
		return model.Article{}, fmt.Errorf("postgres: get article %d: %w", id, err)
	}
	return a, nil
}

// GetArticleByURL returns the article stored under that canonical URL.
func (s *Store) GetArticleByURL(ctx context.Context, u string) (model.Article, error) {
	a, err := s.getArticle(ctx, `a.url = $1`, u)
	if err != nil {
		return model.Article{}, fmt.Errorf("postgres: get article %q: %w", u, err)
	}
	return a, nil
}

// refColumns are the first columns of the short form of an article
// (ArticleRefs, story members); a time and the start of the text follow.
const refColumns = `a.id, a.url, a.title, COALESCE(NULLIF(` + outletNameSQL + `, ''), a.source_name), a.outlet`

// scanRef reads a row of refColumns, a time and the start of the text,
// which excerpt cuts.
func scanRef(rows pgx.Rows, excerpt func(string) string) (model.ArticleRef, error) {
	var (
		r    model.ArticleRef
		t    *time.Time
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
// their order: the text's first 4*RefExcerptRunes runes and one more tell
// the excerpt and whether the text goes on.
func (s *Store) ArticleRefs(ctx context.Context, ids []int64) ([]model.ArticleRef, error) {
	refs := []model.ArticleRef{}
	if len(ids) == 0 {
		return refs, nil
	}
	q, done := s.db(ctx)
	defer done()
	err := runQuery(ctx, q, `SELECT `+refColumns+`, a.published, substr(a.text, 1, $1)
		FROM unnest($2::bigint[]) WITH ORDINALITY AS j(id, n) JOIN articles a ON a.id = j.id ORDER BY j.n`,
		func(rows pgx.Rows) error {
			r, err := scanRef(rows, store.RefExcerpt)
			refs = append(refs, r)
			return err
		}, 4*store.RefExcerptRunes+1, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: article refs: %w", err)
	}
	return refs, nil
}

func (s *Store) getArticle(ctx context.Context, where string, arg any) (model.Article, error) {
	q, done := s.db(ctx)
	defer done()
	a, err := scanArticle(q.QueryRow(ctx, `SELECT `+articleColumns+` FROM articles a WHERE `+where, arg))
	if err != nil {
		return model.Article{}, notFound(err)
	}
	if err := fillDetails(ctx, q, []*model.Article{a}); err != nil {
		return model.Article{}, err
	}
	return *a, nil
}

// HasArticle reports whether an article with that URL is stored.
func (s *Store) HasArticle(ctx context.Context, u string) (bool, error) {
	q, done := s.db(ctx)
	defer done()
	var has bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE url = $1)`, u).Scan(&has); err != nil {
		return false, fmt.Errorf("postgres: has article %q: %w", u, err)
	}
	return has, nil
}

// CountArticles returns the number of stored articles.
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	q, done := s.db(ctx)
	defer done()
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count articles: %w", err)
	}
	return n, nil
}

// fillDetails loads the keywords and entities of the given articles.
func fillDetails(ctx context.Context, q dbtx, as []*model.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Article, len(as))
	ids := make([]int64, len(as))
	for i, a := range as {
		byID[a.ID] = a
		ids[i] = a.ID
	}
	err := runQuery(ctx, q, `SELECT article_id, keyword FROM article_keywords
		WHERE article_id = ANY($1::bigint[]) ORDER BY article_id, position`,
		func(rows pgx.Rows) error {
			var id int64
			var k string
			if err := rows.Scan(&id, &k); err != nil {
				return err
			}
			if a := byID[id]; a != nil {
				a.Keywords = append(a.Keywords, k)
			}
			return nil
		}, ids)
	if err != nil {
		return fmt.Errorf("keywords: %w", err)
	}
	err = runQuery(ctx, q, `SELECT article_id, name, type, mentions FROM article_entities
		WHERE article_id = ANY($1::bigint[]) ORDER BY article_id, position`,
		func(rows pgx.Rows) error {
			var (
				id int64
				e  model.Entity
			)
			if err := rows.Scan(&id, &e.Name, &e.Type, &e.Mentions); err != nil {
				return err
			}
			if len(e.Mentions) == 0 {
				e.Mentions = nil
			}
			if a := byID[id]; a != nil {
				a.Entities = append(a.Entities, e)
			}
			return nil
		}, ids)
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
		return nil, 0, fmt.Errorf("postgres: list articles: %w", err)
	}
	var (
		conds []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.SourceID != 0 {
		conds = append(conds, `a.source_id = `+arg(f.SourceID))
	}
	if f.Tag != "" {
		conds = append(conds, `a.id IN (SELECT article_id FROM article_keywords WHERE norm = `+arg(store.NormalizeTag(f.Tag))+`)`)
	}
	if f.Entity != "" {
		conds = append(conds, `a.id IN (SELECT article_id FROM article_entities WHERE name = `+arg(f.Entity)+`)`)
	}
	if f.StoryID != 0 {
		conds = append(conds, `a.story_id = `+arg(f.StoryID))
	}
	if !f.Since.IsZero() {
		conds = append(conds, `a.sort_time >= `+arg(f.Since.UTC()))
	}
	if !f.Until.IsZero() {
		conds = append(conds, `a.sort_time < `+arg(f.Until.UTC()))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	q, done := s.db(ctx)
	defer done()
	// The total of an unfiltered list, or of one source's, comes from the
	// counts the store keeps per source, not a walk over every article.
	count := `SELECT COUNT(*) FROM articles a` + where
	switch {
	case len(conds) == 0:
		count = `SELECT COALESCE(SUM(n), 0)::bigint FROM source_counts`
	case len(conds) == 1 && f.SourceID != 0:
		count = `SELECT COALESCE((SELECT n FROM source_counts WHERE source_id = $1), 0)`
	}
	var total int
	if err := q.QueryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: list articles: count: %w", err)
	}
	var list []*model.Article
	query := `SELECT ` + articleColumns + ` FROM articles a` + where +
		` ORDER BY a.sort_time DESC, a.id DESC LIMIT ` + arg(limit) + ` OFFSET ` + arg(f.Offset)
	err = runQuery(ctx, q, query, func(rows pgx.Rows) error {
		a, err := scanArticle(rows)
		if err != nil {
			return err
		}
		list = append(list, a)
		return nil
	}, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list articles: %w", err)
	}
	if err := fillDetails(ctx, q, list); err != nil {
		return nil, 0, fmt.Errorf("postgres: list articles: %w", err)
	}
	out := make([]model.Article, len(list))
	for i, a := range list {
		out[i] = *a
	}
	return out, total, nil
}

// EachArticle calls fn for every article in ID order. It reads in pages and
// holds no transaction or connection while fn runs, so fn may write to the
// store.
func (s *Store) EachArticle(ctx context.Context, fn func(*model.Article) error) error {
	const page = 256
	var last int64
	for {
		list, err := s.articlePage(ctx, last, page)
		if err != nil {
			return fmt.Errorf("postgres: each article: %w", err)
		}
		for _, a := range list {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("postgres: each article: %w", err)
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

func (s *Store) articlePage(ctx context.Context, after int64, n int) ([]*model.Article, error) {
	q, done := s.db(ctx)
	defer done()
	var list []*model.Article
	err := runQuery(ctx, q, `SELECT `+articleColumns+` FROM articles a WHERE a.id > $1 ORDER BY a.id LIMIT $2`,
		func(rows pgx.Rows) error {
			a, err := scanArticle(rows)
			if err != nil {
				return err
			}
			list = append(list, a)
			return nil
		}, after, n)
	if err == nil {
		err = fillDetails(ctx, q, list)
	}
	return list, err
}
