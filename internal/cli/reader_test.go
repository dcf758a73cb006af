package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The reader APIs against a crawled khabar: the conversation NetNewsWire
// and Read You have with a Google Reader server, and Debian's newsboat in
// its FeedHQ mode.

const readerPassword = "كلمة-سر-طويلة"

// readerServer crawls the newsroom into a store (SQLite when db is ""),
// adds the user salma, serves, and returns the base URL and the feed
// URLs.
func readerServer(t *testing.T, db string) (base string, feeds []string) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	room := newsroom(t)
	data := t.TempDir()
	for _, f := range newsroomFeeds {
		runDB(t, ctx, data, db, "", "sources", "add", room.URL+f)
		feeds = append(feeds, room.URL+f)
	}
	runDB(t, ctx, data, db, "", "crawl")
	runDB(t, ctx, data, db, readerPassword+"\n", "users", "add", "salma")
	runDB(t, ctx, data, db, "fever-password\n", "users", "fever", "salma")
	var serveOut lockedBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"--data", data, "serve", "--no-crawl", "--addr", "127.0.0.1:0"},
			append([]string{"KHABAR_LOG_LEVEL=warn", "KHABAR_ADMIN_TOKEN=secret"}, dbEnv(db)...), strings.NewReader(""), &serveOut, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	})
	addrRe := regexp.MustCompile(`serving on (http://\S+)`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(serveOut.String()); m != nil {
			return m[1], feeds
		}
	}
	t.Fatalf("serve did not start: %s", serveOut.String())
	return "", nil
}

// greader is a Google Reader client: its Auth and write token.
type greaderClient struct {
	t     *testing.T
	base  string
	auth  string
	token string
}

func (c *greaderClient) do(method, path string, form url.Values, auth bool) (int, string) {
	c.t.Helper()
	var body io.Reader
	if method == "POST" {
		body = strings.NewReader(form.Encode())
	} else if form != nil {
		path += "?" + form.Encode()
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if auth {
		req.Header.Set("Authorization", "GoogleLogin auth="+c.auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// getJSON GETs path and decodes the JSON answer into v.
func (c *greaderClient) getJSON(path string, q url.Values, v any) {
	c.t.Helper()
	code, body := c.do("GET", path, q, true)
	if code != 200 {
		c.t.Fatalf("GET %s?%s: %d %s", path, q.Encode(), code, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		c.t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// post sends a write with the T token and wants "OK".
func (c *greaderClient) post(path string, form url.Values) {
	c.t.Helper()
	form.Set("T", c.token)
	if code, body := c.do("POST", path, form, true); code != 200 || body != "OK" {
		c.t.Fatalf("POST %s %v: %d %q", path, form, code, body)
	}
}

func (c *greaderClient) unread() (total int, byID map[string]int) {
	c.t.Helper()
	var uc struct {
		Max    int `json:"max"`
		Counts []struct {
			ID     string `json:"id"`
			Count  int    `json:"count"`
			Newest string `json:"newestItemTimestampUsec"`
		} `json:"unreadcounts"`
	}
	c.getJSON("/reader/api/0/unread-count", url.Values{"output": {"json"}}, &uc)
	byID = map[string]int{}
	for _, x := range uc.Counts {
		if x.Newest == "" {
			c.t.Errorf("unread count of %s has no newest time", x.ID)
		}
		byID[x.ID] = x.Count
		if strings.HasSuffix(x.ID, "/state/com.google/reading-list") {
			total = x.Count
		}
	}
	if uc.Max != total {
		c.t.Errorf("unread-count max %d, reading list %d", uc.Max, total)
	}
	return total, byID
}

func (c *greaderClient) ids(q url.Values) []string {
	c.t.Helper()
	var out struct {
		Refs []struct {
			ID string `json:"id"`
		} `json:"itemRefs"`
		Continuation string `json:"continuation"`
	}
	var all []string
	for page := 0; page < 100; page++ {
		c.getJSON("/reader/api/0/stream/items/ids", q, &out)
		for _, r := range out.Refs {
			all = append(all, r.ID)
		}
		if out.Continuation == "" {
			return all
		}
		q = cloneQuery(q)
		q.Set("c", out.Continuation)
		out.Continuation, out.Refs = "", nil
	}
	c.t.Fatal("the continuation never ends")
	return nil
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

func TestGoogleReaderConversation(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testGoogleReaderConversation(t, "") })
	t.Run("postgres", func(t *testing.T) { testGoogleReaderConversation(t, postgresURL(t)) })
}

func testGoogleReaderConversation(t *testing.T, db string) {
	base, feeds := readerServer(t, db)
	c := &greaderClient{t: t, base: base}

	// Login: Email and Passwd give SID, LSID and Auth; a wrong password 401.
	if code, body := c.do("POST", "/accounts/ClientLogin", url.Values{"Email": {"salma"}, "Passwd": {"wrong-password"}}, false); code != 401 || !strings.Contains(body, "BadAuthentication") {
		t.Errorf("ClientLogin with a wrong password: %d %q", code, body)
	}
	code, body := c.do("POST", "/accounts/ClientLogin", url.Values{"Email": {"salma"}, "Passwd": {readerPassword}, "service": {"reader"}}, false)
	if code != 200 {
		t.Fatalf("ClientLogin: %d %s", code, body)
	}
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "Auth="); ok {
			c.auth = v
		}
	}
	if c.auth == "" || !strings.Contains(body, "SID=") || !strings.Contains(body, "LSID=") {
		t.Fatalf("ClientLogin answered %q", body)
	}
	if code, _ := c.do("GET", "/reader/api/0/subscription/list", nil, false); code != 401 {
		t.Errorf("a read without Authorization: %d, want 401", code)
	}
	if code, c.token = c.do("GET", "/reader/api/0/token", nil, true); code != 200 || c.token == "" {
		t.Fatalf("token: %d %q", code, c.token)
	}
	var ui struct {
		UserID   string `json:"userId"`
		UserName string `json:"userName"`
	}
	c.getJSON("/reader/api/0/user-info", url.Values{"output": {"json"}}, &ui)
	if ui.UserName != "salma" || ui.UserID == "" {
		t.Errorf("user-info = %+v", ui)
	}

	// Following: quickadd of every feed khabar has; one it has not.
	var qa struct {
		NumResults int    `json:"numResults"`
		StreamID   string `json:"streamId"`
	}
	var streams []string
	for _, f := range feeds {
		code, body := c.do("POST", "/reader/api/0/subscription/quickadd", url.Values{"quickadd": {f}, "T": {c.token}}, true)
		if code != 200 || json.Unmarshal([]byte(body), &qa) != nil || qa.NumResults != 1 || !strings.HasPrefix(qa.StreamID, "feed/") {
			t.Fatalf("quickadd %s: %d %s", f, code, body)
		}
		streams = append(streams, qa.StreamID)
	}
	code, body = c.do("POST", "/reader/api/0/subscription/quickadd", url.Values{"quickadd": {"https://unknown.example/feed"}, "T": {c.token}}, true)
	if code != 200 || !strings.Contains(body, `"numResults":0`) {
		t.Errorf("quickadd of a feed khabar lacks: %d %s", code, body)
	}
	if code, body := c.do("POST", "/reader/api/0/subscription/quickadd", url.Values{"quickadd": {feeds[0]}}, true); code != 401 {
		t.Errorf("a write without T: %d %q, want 401", code, body)
	}
	c.post("/reader/api/0/subscription/edit", url.Values{"ac": {"edit"}, "s": {streams[3]}, "a": {"user/-/label/اقتصاد"}})

	var subs struct {
		Subscriptions []struct {
			ID         string `json:"id"`
			Title      string `json:"title"`
			URL        string `json:"url"`
			Categories []struct {
				ID    string `json:"id"`
				Label string `json:"label"`
			} `json:"categories"`
		} `json:"subscriptions"`
	}
	c.getJSON("/reader/api/0/subscription/list", url.Values{"output": {"json"}}, &subs)
	if len(subs.Subscriptions) != len(feeds) {
		t.Fatalf("subscription/list has %d, want %d", len(subs.Subscriptions), len(feeds))
	}
	for _, s := range subs.Subscriptions {
		if s.ID == streams[3] && (len(s.Categories) != 1 || s.Categories[0].Label != "اقتصاد" || !strings.HasSuffix(s.Categories[0].ID, "/label/اقتصاد")) {
			t.Errorf("subscription %s categories %+v", s.ID, s.Categories)
		}
	}
	var tags struct {
		Tags []struct {
			ID string `json:"id"`
		} `json:"tags"`
	}
	c.getJSON("/reader/api/0/tag/list", url.Values{"output": {"json"}}, &tags)
	if len(tags.Tags) != 2 || !strings.HasSuffix(tags.Tags[0].ID, "/state/com.google/starred") || !strings.HasSuffix(tags.Tags[1].ID, "/label/اقتصاد") {
		t.Errorf("tag/list = %+v", tags.Tags)
	}

	// Unread ids, then contents in batches of 100, as NetNewsWire does.
	total, byID := c.unread()
	if total != wantArticles {
		t.Errorf("unread in the reading list = %d, want %d", total, wantArticles)
	}
	if byID[streams[3]] != len(genTopics) {
		t.Errorf("unread of %s = %d, want %d", streams[3], byID[streams[3]], len(genTopics))
	}
	reading := url.Values{"s": {"user/-/state/com.google/reading-list"}, "xt": {"user/-/state/com.google/read"}, "n": {"5"}, "output": {"json"}}
	unread := c.ids(reading)
	if len(unread) != wantArticles {
		t.Fatalf("stream/items/ids in pages of 5: %d ids, want %d", len(unread), wantArticles)
	}
	if starred := c.ids(url.Values{"s": {"user/-/state/com.google/starred"}, "n": {"1000"}}); len(starred) != 0 {
		t.Errorf("starred before any star: %v", starred)
	}
	type item struct {
		ID         string   `json:"id"`
		Title      string   `json:"title"`
		Categories []string `json:"categories"`
		Summary    struct {
			Direction string `json:"direction"`
			Content   string `json:"content"`
		} `json:"summary"`
		Alternate []struct {
			Href string `json:"href"`
		} `json:"alternate"`
		Origin struct {
			StreamID string `json:"streamId"`
		} `json:"origin"`
	}
	var items []item
	for start := 0; start < len(unread); start += 100 {
		form := url.Values{"i": unread[start:min(start+100, len(unread))]}
		code, body := c.do("POST", "/reader/api/0/stream/items/contents?output=json", form, true)
		var out struct {
			Items []item `json:"items"`
		}
		if code != 200 || json.Unmarshal([]byte(body), &out) != nil {
			t.Fatalf("stream/items/contents: %d %s", code, body)
		}
		items = append(items, out.Items...)
	}
	if len(items) != len(unread) {
		t.Fatalf("contents of %d ids gave %d items", len(unread), len(items))
	}
	longRe := regexp.MustCompile(`^tag:google\.com,2005:reader/item/[0-9a-f]{16}$`)
	for i, it := range items {
		dec, _ := strconv.ParseInt(unread[i], 10, 64)
		if !longRe.MatchString(it.ID) || it.ID != fmt.Sprintf("tag:google.com,2005:reader/item/%016x", dec) {
			t.Errorf("item %d id %q for ref %s", i, it.ID, unread[i])
		}
		if it.Title == "" || it.Summary.Content == "" || len(it.Alternate) != 1 || !slices.Contains(streams, it.Origin.StreamID) {
			t.Errorf("item %s: %+v", it.ID, it)
		}
		if !slices.ContainsFunc(it.Categories, func(c string) bool { return strings.HasSuffix(c, "/state/com.google/reading-list") }) ||
			slices.ContainsFunc(it.Categories, func(c string) bool { return strings.HasSuffix(c, "/state/com.google/read") }) {
			t.Errorf("item %s categories %v", it.ID, it.Categories)
		}
	}

	// Edit tags: three items read (long, short hex and decimal forms), one starred.
	d1, _ := strconv.ParseInt(unread[1], 10, 64)
	c.post("/reader/api/0/edit-tag", url.Values{"i": {items[0].ID, fmt.Sprintf("%016x", d1), unread[2]}, "a": {"user/-/state/com.google/read"}})
	c.post("/reader/api/0/edit-tag", url.Values{"i": {unread[3]}, "a": {"user/-/state/com.google/starred"}})
	if n, _ := c.unread(); n != wantArticles-3 {
		t.Errorf("unread after reading three = %d, want %d", n, wantArticles-3)
	}
	if got := c.ids(url.Values{"s": {"user/-/state/com.google/starred"}}); !slices.Equal(got, []string{unread[3]}) {
		t.Errorf("starred = %v, want [%s]", got, unread[3])
	}
	if got := c.ids(url.Values{"s": {"user/-/state/com.google/reading-list"}, "it": {"user/-/state/com.google/read"}}); len(got) != 3 {
		t.Errorf("read items = %v", got)
	}
	c.post("/reader/api/0/edit-tag", url.Values{"i": {unread[2]}, "r": {"user/-/state/com.google/read"}})
	if n, _ := c.unread(); n != wantArticles-2 {
		t.Errorf("unread after unreading one = %d, want %d", n, wantArticles-2)
	}
	code, body = c.do("POST", "/reader/api/0/edit-tag", url.Values{"i": {"tag:google.com,2005:reader/item/zz"}, "a": {"user/-/state/com.google/read"}, "T": {c.token}}, true)
	if code != 400 || !strings.Contains(body, "item id") {
		t.Errorf("edit-tag with a bad id: %d %q", code, body)
	}

	// A whole feed read; a label renamed and dropped.
	_, before := c.unread()
	c.post("/reader/api/0/mark-all-as-read", url.Values{"s": {streams[3]}, "ts": {strconv.FormatInt(time.Now().Add(time.Hour).UnixMicro(), 10)}})
	n, after := c.unread()
	if after[streams[3]] != 0 || n != wantArticles-2-before[streams[3]] {
		t.Errorf("after mark-all-as-read of %s: %d unread there, %d in all (before %d there)", streams[3], after[streams[3]], n, before[streams[3]])
	}
	c.post("/reader/api/0/rename-tag", url.Values{"s": {"user/-/label/اقتصاد"}, "dest": {"user/-/label/مال"}})
	c.getJSON("/reader/api/0/tag/list", nil, &tags)
	if len(tags.Tags) != 2 || !strings.HasSuffix(tags.Tags[1].ID, "/label/مال") {
		t.Errorf("tag/list after rename = %+v", tags.Tags)
	}
	c.post("/reader/api/0/disable-tag", url.Values{"s": {"user/-/label/مال"}})
	c.getJSON("/reader/api/0/tag/list", nil, &tags)
	if len(tags.Tags) != 1 {
		t.Errorf("tag/list after disable = %+v", tags.Tags)
	}
	// stream/contents of a feed, and what Miniflux answers for the rest.
	var sc struct {
		Items []item `json:"items"`
	}
	c.getJSON("/reader/api/0/stream/contents/"+url.PathEscape(streams[0]), url.Values{"n": {"50"}}, &sc)
	if len(sc.Items) == 0 {
		t.Error("stream/contents of a feed is empty")
	}
	if code, body := c.do("GET", "/reader/api/0/preference/list", nil, true); code != 200 || body != "[]" {
		t.Errorf("an endpoint khabar does not implement: %d %q, want 200 []", code, body)
	}
	c.post("/reader/api/0/subscription/edit", url.Values{"ac": {"unsubscribe"}, "s": {streams[0]}})
	c.getJSON("/reader/api/0/subscription/list", nil, &subs)
	if len(subs.Subscriptions) != len(feeds)-1 {
		t.Errorf("after unsubscribe: %d subscriptions", len(subs.Subscriptions))
	}
}

// TestNewsboatFeedHQ runs Debian's newsboat in its FeedHQ mode against a
// crawled khabar: its unread count is the API's, and marking an item read
// through the API lowers it.
func TestNewsboatFeedHQ(t *testing.T) {
	bin, err := exec.LookPath("newsboat")
	if err != nil && os.Getenv("CI") == "true" {
		t.Fatal("newsboat is not installed, and CI=true: .ci/run should have installed it")
	}
	if err != nil {
		t.Skip("newsboat is not installed (apt-get install newsboat; .ci/run installs it): skipping the newsboat test")
	}
	base, feeds := readerServer(t, "")
	c := &greaderClient{t: t, base: base}
	_, body := c.do("POST", "/accounts/ClientLogin", url.Values{"Email": {"salma"}, "Passwd": {readerPassword}}, false)
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "Auth="); ok {
			c.auth = v
		}
	}
	_, c.token = c.do("GET", "/reader/api/0/token", nil, true)
	for _, f := range feeds {
		if code, body := c.do("POST", "/reader/api/0/subscription/quickadd", url.Values{"quickadd": {f}, "T": {c.token}}, true); code != 200 {
			t.Fatalf("quickadd %s: %d %s", f, code, body)
		}
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "config")
	os.WriteFile(conf, []byte(fmt.Sprintf(`urls-source "feedhq"
feedhq-url "%s"
feedhq-login "salma"
feedhq-password "%s"
feedhq-min-items 1000
feedhq-show-special-feeds no
`, base, readerPassword)), 0o600)
	urls := filepath.Join(dir, "urls")
	os.WriteFile(urls, nil, 0o600)
	unreadRe := regexp.MustCompile(`(?m)^(\d+) unread articles?`)
	newsboat := func() int {
		t.Helper()
		cmd := exec.Command(bin, "-C", conf, "-u", urls, "-c", filepath.Join(dir, "cache.db"), "-x", "reload", "print-unread")
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("newsboat: %v\n%s", err, out)
		}
		m := unreadRe.FindSubmatch(out)
		if m == nil {
			t.Fatalf("newsboat printed no unread count:\n%s", out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	api, _ := c.unread()
	if api != wantArticles {
		t.Errorf("the API's unread count = %d, want %d", api, wantArticles)
	}
	if got := newsboat(); got != api {
		t.Errorf("newsboat counts %d unread, the API %d", got, api)
	}
	ids := c.ids(url.Values{"s": {"user/-/state/com.google/reading-list"}, "xt": {"user/-/state/com.google/read"}, "n": {"2"}})
	c.post("/reader/api/0/edit-tag", url.Values{"i": ids[:2], "a": {"user/-/state/com.google/read"}})
	if api, _ = c.unread(); api != wantArticles-2 {
		t.Errorf("the API's unread count after reading two = %d", api)
	}
	if got := newsboat(); got != api {
		t.Errorf("after two read through the API newsboat counts %d unread, the API %d", got, api)
	}
}

// TestFeverAPI plays a Fever client against a crawled khabar: the key is
// md5("name:fever password"), groups are the reader's folders, feeds the
// sources followed, items the reading list.
func TestFeverAPI(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testFeverAPI(t, "") })
	t.Run("postgres", func(t *testing.T) { testFeverAPI(t, postgresURL(t)) })
}

func testFeverAPI(t *testing.T, db string) {
	base, feeds := readerServer(t, db)
	c := &greaderClient{t: t, base: base}
	_, body := c.do("POST", "/accounts/ClientLogin", url.Values{"Email": {"salma"}, "Passwd": {readerPassword}}, false)
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "Auth="); ok {
			c.auth = v
		}
	}
	_, c.token = c.do("GET", "/reader/api/0/token", nil, true)
	var streams []string
	for _, f := range feeds {
		var qa struct {
			StreamID string `json:"streamId"`
		}
		_, body := c.do("POST", "/reader/api/0/subscription/quickadd", url.Values{"quickadd": {f}, "T": {c.token}}, true)
		json.Unmarshal([]byte(body), &qa)
		streams = append(streams, qa.StreamID)
	}
	c.post("/reader/api/0/subscription/edit", url.Values{"ac": {"edit"}, "s": {streams[3]}, "a": {"user/-/label/اقتصاد"}})
	econ, _ := strconv.ParseInt(strings.TrimPrefix(streams[3], "feed/"), 10, 64)

	// md5("salma:fever-password"), as a Fever client computes it (coreutils md5sum).
	const key = "da3e7400a674adb4a5b72d75eea58878"
	type answer struct {
		APIVersion   int    `json:"api_version"`
		Auth         int    `json:"auth"`
		Error        string `json:"error"`
		Unread       string `json:"unread_item_ids"`
		Saved        string `json:"saved_item_ids"`
		TotalItems   int    `json:"total_items"`
		LastRefresed int64  `json:"last_refreshed_on_time"`
		Groups       []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"groups"`
		FeedsGroups []struct {
			GroupID int64  `json:"group_id"`
			FeedIDs string `json:"feed_ids"`
		} `json:"feeds_groups"`
		Feeds []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
			URL   string `json:"url"`
		} `json:"feeds"`
		Items []struct {
			ID      int64  `json:"id"`
			FeedID  int64  `json:"feed_id"`
			Title   string `json:"title"`
			HTML    string `json:"html"`
			URL     string `json:"url"`
			IsRead  int    `json:"is_read"`
			IsSaved int    `json:"is_saved"`
			Created int64  `json:"created_on_time"`
		} `json:"items"`
	}
	fever := func(query string, form url.Values, wantStatus int) answer {
		t.Helper()
		resp, err := http.PostForm(base+"/fever/?api&"+query, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var a answer
		if err := json.Unmarshal(b, &a); err != nil || resp.StatusCode != wantStatus || a.APIVersion != 3 {
			t.Fatalf("fever ?api&%s %v: %d %s", query, form, resp.StatusCode, b)
		}
		return a
	}
	k := url.Values{"api_key": {key}}
	if a := fever("", url.Values{"api_key": {"00000000000000000000000000000000"}}, 200); a.Auth != 0 {
		t.Errorf("a wrong key authenticates: %+v", a)
	}
	if a := fever("", url.Values{"api_key": {strings.ToUpper(key[:31])}}, 200); a.Auth != 0 {
		t.Errorf("a short key authenticates")
	}
	if a := fever("", k, 200); a.Auth != 1 || a.LastRefresed == 0 {
		t.Fatalf("the key md5(salma:fever-password) does not authenticate: %+v", a)
	}
	a := fever("groups&feeds", k, 200)
	if len(a.Groups) != 1 || a.Groups[0].Title != "اقتصاد" || len(a.FeedsGroups) != 1 ||
		a.FeedsGroups[0].GroupID != a.Groups[0].ID || a.FeedsGroups[0].FeedIDs != strconv.FormatInt(econ, 10) {
		t.Errorf("groups = %+v, feeds_groups = %+v", a.Groups, a.FeedsGroups)
	}
	if len(a.Feeds) != len(feeds) {
		t.Errorf("feeds = %+v", a.Feeds)
	}
	group := a.Groups[0].ID
	unreadIDs := func() []string {
		t.Helper()
		a := fever("unread_item_ids", k, 200)
		if a.Unread == "" {
			return nil
		}
		return strings.Split(a.Unread, ",")
	}
	unread := unreadIDs()
	if len(unread) != wantArticles {
		t.Fatalf("unread_item_ids: %d ids, want %d", len(unread), wantArticles)
	}
	a = fever("items&since_id=0", k, 200)
	if len(a.Items) != wantArticles || a.TotalItems != wantArticles {
		t.Fatalf("items since 0: %d items, total %d", len(a.Items), a.TotalItems)
	}
	for i, it := range a.Items {
		if i > 0 && it.ID <= a.Items[i-1].ID {
			t.Errorf("items since_id are not in ascending id order: %d after %d", it.ID, a.Items[i-1].ID)
		}
		if it.Title == "" || it.HTML == "" || it.URL == "" || it.FeedID == 0 || it.IsRead != 0 || it.Created == 0 {
			t.Errorf("item %+v", it)
		}
	}
	first, last := a.Items[0].ID, a.Items[len(a.Items)-1].ID
	if a := fever("items&max_id="+strconv.FormatInt(last, 10), k, 200); len(a.Items) != wantArticles-1 || a.Items[0].ID >= last || a.Items[0].ID < a.Items[1].ID {
		t.Errorf("items below max_id %d: %d items, first %d", last, len(a.Items), a.Items[0].ID)
	}
	if a := fever("items&with_ids="+fmt.Sprintf("%d,%d", first, last), k, 200); len(a.Items) != 2 {
		t.Errorf("items with_ids: %d items", len(a.Items))
	}
	if a := fever("items&with_ids=1,x", k, 400); !strings.Contains(a.Error, "with_ids") {
		t.Errorf("a bad with_ids: %+v", a.Error)
	}

	id := strconv.FormatInt(first, 10)
	fever("", url.Values{"api_key": {key}, "mark": {"item"}, "as": {"read"}, "id": {id}}, 200)
	fever("", url.Values{"api_key": {key}, "mark": {"item"}, "as": {"saved"}, "id": {id}}, 200)
	if got := unreadIDs(); len(got) != wantArticles-1 || slices.Contains(got, id) {
		t.Errorf("unread after reading %s: %v", id, got)
	}
	if a := fever("saved_item_ids", k, 200); a.Saved != id {
		t.Errorf("saved_item_ids = %q, want %s", a.Saved, id)
	}
	if a := fever("items&with_ids="+id, k, 200); len(a.Items) != 1 || a.Items[0].IsRead != 1 || a.Items[0].IsSaved != 1 {
		t.Errorf("item %s after read and saved: %+v", id, a.Items)
	}
	fever("", url.Values{"api_key": {key}, "mark": {"item"}, "as": {"unsaved"}, "id": {id}}, 200)
	fever("", url.Values{"api_key": {key}, "mark": {"item"}, "as": {"unread"}, "id": {id}}, 200)
	if a := fever("saved_item_ids&unread_item_ids", k, 200); a.Saved != "" || len(strings.Split(a.Unread, ",")) != wantArticles {
		t.Errorf("after unsaved and unread: saved %q, unread %q", a.Saved, a.Unread)
	}
	if a := fever("", url.Values{"api_key": {key}, "mark": {"item"}, "as": {"sparkly"}, "id": {id}}, 400); a.Error == "" {
		t.Error("mark as sparkly was accepted")
	}
	before := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	fever("", url.Values{"api_key": {key}, "mark": {"group"}, "as": {"read"}, "id": {strconv.FormatInt(group, 10)}, "before": {before}}, 200)
	if got := unreadIDs(); len(got) != wantArticles-len(genTopics) {
		t.Errorf("after the economy group read: %d unread, want %d", len(got), wantArticles-len(genTopics))
	}
	src0 := strings.TrimPrefix(streams[0], "feed/")
	fever("", url.Values{"api_key": {key}, "mark": {"feed"}, "as": {"read"}, "id": {src0}, "before": {before}}, 200)
	n := len(unreadIDs())
	if n >= wantArticles-len(genTopics) {
		t.Errorf("marking feed %s read left %d unread", src0, n)
	}
	fever("", url.Values{"api_key": {key}, "mark": {"group"}, "as": {"read"}, "id": {"0"}, "before": {before}}, 200)
	if got := unreadIDs(); len(got) != 0 {
		t.Errorf("after group 0 (everything) read: %v", got)
	}
}
