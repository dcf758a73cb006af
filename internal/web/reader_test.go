package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
	"khabar/internal/users"
)

// TestReaderAccount: a reader logs in with a name and password, follows a
// source and a tag, reads "my news" grouped by story, marks an article
// read and stars one; the admin's forms stay closed to them, and the
// public pages need no login.
func TestReaderAccount(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := &model.Source{URL: "https://one.example/feed", Title: "الأولى"}
	if err := st.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	sd := newSeeder(st)
	var arts []*model.Article
	for i, title := range []string{"افتتاح مهرجان التمور في بريدة", "مهرجان التمور يستقبل الزوار", "أمطار غزيرة على جدة"} {
		a := &model.Article{URL: "https://one.example/" + itoa(int64(i)), Title: title, Text: title + ". نص الخبر.",
			SourceID: src.ID, SourceName: "الأولى", Published: testNow.Add(time.Duration(i) * time.Hour)}
		if i == 1 {
			a.StoryID = arts[0].StoryID
		}
		if err := sd.save(ctx, a); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	hash, err := users.HashPassword("كلمة-سر-طويلة")
	if err != nil {
		t.Fatal(err)
	}
	u := &model.User{Name: "salma", PasswordHash: hash}
	if err := st.AddUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: st, Search: sd.search(), Now: func() time.Time { return testNow },
		CheckToken: func(tok string) bool { return tok == "secret" }})
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, get(t, s, "/articles/"+itoa(arts[0].ID)), 200) // public
	if w := get(t, s, "/my"); w.Code != http.StatusSeeOther {
		t.Errorf("/my without a login: %d, want a redirect to the login", w.Code)
	}
	body := checkPage(t, postForm(t, s, "/login", url.Values{"name": {"salma"}, "token": {"wrong-password"}}, nil), 403)
	mustContain(t, body, "الاسم أو كلمة المرور غير صحيحة")
	w := postForm(t, s, "/login", url.Values{"name": {"salma"}, "token": {"كلمة-سر-طويلة"}, "next": {"/sources/" + itoa(src.ID)}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("reader login: %d\n%s", w.Code, w.Body)
	}
	rd := &admin{}
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			rd.cookie = c
		}
	}
	body = checkPage(t, get(t, s, "/sources/"+itoa(src.ID), "Cookie", rd.cookie.String()), 200)
	rd.csrf = csrfRe.FindStringSubmatch(body)[1]
	mustHave(t, body, el("form", "", "method", "post", "action", "/follow"), el("a", "أخباري", "href", "/my"))
	// The admin's forms are not the reader's.
	body = checkPage(t, postForm(t, s, "/sources", url.Values{"url": {"https://two.example/feed"}}, rd), 403)
	mustContain(t, body, "للمشرف وحده")

	w = postForm(t, s, "/follow", url.Values{"kind": {"source"}, "source": {itoa(src.ID)}, "on": {"1"}, "next": {"/my"}}, rd)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("follow: %d\n%s", w.Code, w.Body)
	}
	body = checkPage(t, get(t, s, "/my", "Cookie", rd.cookie.String()), 200)
	mustContain(t, body, "٣ غير مقروء", arts[0].Title, arts[2].Title)
	mustHave(t, body, el("a", "الأولى", "href", "/sources/"+itoa(src.ID), "dir", "auto"))
	// Grouped by story: the two articles of one story stand in one section.
	sections := strings.Split(body, `<section class="story">`)
	if len(sections) != 3 || !strings.Contains(sections[2], arts[0].Title) || !strings.Contains(sections[2], arts[1].Title) {
		t.Errorf("my news is not grouped by story: %d sections", len(sections)-1)
	}
	if w := postForm(t, s, "/articles/"+itoa(arts[2].ID)+"/read", url.Values{"on": {"1"}, "next": {"/my"}}, rd); w.Code != http.StatusSeeOther {
		t.Fatalf("mark read: %d\n%s", w.Code, w.Body)
	}
	if w := postForm(t, s, "/articles/"+itoa(arts[0].ID)+"/star", url.Values{"on": {"1"}}, rd); w.Code != http.StatusSeeOther {
		t.Fatalf("star: %d\n%s", w.Code, w.Body)
	}
	body = checkPage(t, get(t, s, "/my", "Cookie", rd.cookie.String()), 200)
	mustContain(t, body, "٢ غير مقروء")
	if strings.Contains(body, arts[2].Title) {
		t.Error("an article marked read is still on my news")
	}
	body = checkPage(t, get(t, s, "/articles/"+itoa(arts[0].ID), "Cookie", rd.cookie.String()), 200)
	mustContain(t, body, "أزل النجمة")
	mustHave(t, body, el("form", "", "action", "/articles/"+itoa(arts[0].ID)+"/read"))
	if ids, _ := st.StarredArticleIDs(ctx); len(ids) != 1 || ids[0] != arts[0].ID {
		t.Errorf("starred = %v", ids)
	}
	if w := postForm(t, s, "/my/read", url.Values{}, rd); w.Code != http.StatusSeeOther {
		t.Fatalf("mark all read: %d", w.Code)
	}
	if n, _, _ := st.CountItems(ctx, store.ItemQuery{UserID: u.ID, Unread: true}); n != 0 {
		t.Errorf("unread after mark all read = %d", n)
	}
	// A saved search: an alert of the query alone, followed; its page offers the unfollow.
	q := "مهرجان التمور"
	body = checkPage(t, get(t, s, "/search?q="+url.QueryEscape(q), "Cookie", rd.cookie.String()), 200)
	mustHave(t, body, el("input", "", "type", "hidden", "name", "kind", "value", "search"))
	if w := postForm(t, s, "/follow", url.Values{"kind": {"search"}, "term": {q}, "on": {"1"}}, rd); w.Code != http.StatusSeeOther {
		t.Fatalf("save a search: %d\n%s", w.Code, w.Body)
	}
	fs, _ := st.ListFollows(ctx, u.ID)
	als, _ := st.ListAlerts(ctx)
	if len(fs) != 2 || fs[1].Kind != model.FollowSearch || fs[1].Title != q || len(als) != 1 || als[0].ID != fs[1].AlertID {
		t.Errorf("after saving a search: follows %+v, alerts %+v", fs, als)
	}
	body = checkPage(t, get(t, s, "/search?q="+url.QueryEscape(q), "Cookie", rd.cookie.String()), 200)
	mustContain(t, body, "ألغِ المتابعة")
	body = checkPage(t, get(t, s, "/my", "Cookie", rd.cookie.String()), 200)
	mustContain(t, body, `/feeds/alerts/`+itoa(als[0].ID)+`.xml`)
	if w := postForm(t, s, "/follow", url.Values{"kind": {"search"}, "term": {q}, "on": {"0"}}, rd); w.Code != http.StatusSeeOther {
		t.Fatalf("unsave a search: %d\n%s", w.Code, w.Body)
	}
	if fs, _ := st.ListFollows(ctx, u.ID); len(fs) != 1 {
		t.Errorf("after unsaving: %+v", fs)
	}
	// Without the CSRF token, nothing changes.
	checkPage(t, postForm(t, s, "/articles/"+itoa(arts[2].ID)+"/read", url.Values{"on": {"0"}, "csrf": {"forged"}}, rd), 403)
	// The admin logs in with the token, without a name, and has no reading state.
	adm := login(t, s)
	checkPage(t, postForm(t, s, "/articles/"+itoa(arts[2].ID)+"/read", url.Values{"on": {"0"}}, adm), 403)
}
