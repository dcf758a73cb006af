package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// pageStmts are the reads behind an article page, related reading and
// listings (an article by id or URL, keywords and entities, a story and
// its members), prepared once on the read pool, which keeps them prepared
// on each connection it uses. Parsing the SQL cost as much CPU as running
// it: about a third of an article page's.
type pageStmts struct {
	articleByID, articleByURL *sql.Stmt
	// keywords and entities of one article, and of a JSON array of ids
	keywords, entities         *sql.Stmt
	keywordsMany, entitiesMany *sql.Stmt
	story, storyHead, members  *sql.Stmt
	// the short form of articles (ArticleRefs), and related reading
	refs, related, stored *sql.Stmt
	all                   []*sql.Stmt
}

// Keywords and entities come in position order; fillDetails appends them
// to their article as they come.
const (
	keywordsSQL = `SELECT article_id, keyword FROM article_keywords WHERE article_id `
	entitiesSQL = `SELECT article_id, name, type, mentions FROM article_entities WHERE article_id `
	oneArticle  = `= ? ORDER BY position`
	manyArticle = `IN (SELECT value FROM json_each(?)) ORDER BY article_id, position`
)

func (s *Store) preparePages(ctx context.Context) error {
	q := &s.pstmts
	var err error
	q.all, err = prepareAll(ctx, s.r, []stmtSpec{
		{&q.articleByID, `SELECT ` + articleColumns + ` FROM articles a WHERE a.id = ?`},
		{&q.articleByURL, `SELECT ` + articleColumns + ` FROM articles a WHERE a.url = ?`},
		{&q.keywords, keywordsSQL + oneArticle},
		{&q.entities, entitiesSQL + oneArticle},
		{&q.keywordsMany, keywordsSQL + manyArticle},
		{&q.entitiesMany, entitiesSQL + manyArticle},
		{&q.story, `SELECT ` + storyColumns + ` FROM stories WHERE id = ?`},
		{&q.storyHead, `SELECT ` + storyHeadColumns + ` FROM stories WHERE id = ?`},
		{&q.members, membersSQL},
		{&q.refs, refsSQL},
		{&q.related, `SELECT links FROM article_related WHERE article_id = ?`},
		{&q.stored, `SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))`},
	})
	return err
}

func (s *Store) closePageStmts() error {
	var errs []error
	for _, st := range s.pstmts.all {
		errs = append(errs, st.Close())
	}
	s.pstmts.all = nil
	return errors.Join(errs...)
}

// jsonStrings decodes a JSON array of strings (an article's authors, an
// entity's mentions) as json.Unmarshal into a []string does. Those arrays
// are stored compact and almost never hold an escape, and such an array
// is split directly: json.Unmarshal's reflection cost more than the
// query that read the entities. Anything else goes to json.Unmarshal.
func jsonStrings(s string) ([]string, error) {
	if len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && simpleJSON(s) {
		body := s[1 : len(s)-1]
		if body == "" {
			return []string{}, nil
		}
		if len(body) >= 2 && body[0] == '"' && body[len(body)-1] == '"' {
			// With no escapes, every quote delimits a string: the array
			// is exactly its elements joined by ",".
			parts := strings.Split(body[1:len(body)-1], `","`)
			ok := true
			for _, p := range parts {
				if strings.IndexByte(p, '"') >= 0 {
					ok = false
					break
				}
			}
			if ok {
				return parts, nil
			}
		}
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// simpleJSON reports whether s is valid UTF-8 without escapes or control
// characters, the text jsonStrings splits itself.
func simpleJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c < 0x20 {
			return false
		}
	}
	return utf8.ValidString(s)
}
