package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"khabar/internal/model"
	"khabar/internal/store"
)

func testUsers(t *testing.T, s store.Store) {
	c := ctx(t)
	u := &model.User{Name: "salma", PasswordHash: "$argon2id$x"}
	if err := s.AddUser(c, u); err != nil || u.ID == 0 {
		t.Fatalf("AddUser: %v (id %d)", err, u.ID)
	}
	if err := s.AddUser(c, &model.User{Name: "salma", PasswordHash: "h"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddUser of a taken name: %v, want ErrConflict", err)
	}
	if err := s.AddUser(c, &model.User{Name: " ", PasswordHash: "h"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddUser without a name: %v, want ErrInvalid", err)
	}
	other := &model.User{Name: "adam", PasswordHash: "h2"}
	if err := s.AddUser(c, other); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetUserByName(c, "salma")
	if err != nil || got.ID != u.ID || got.PasswordHash != "$argon2id$x" || got.CreatedAt.IsZero() {
		t.Errorf("GetUserByName = %+v, %v", got, err)
	}
	if _, err := s.GetUser(c, u.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetUser(unknown) = %v, want ErrNotFound", err)
	}
	list, err := s.ListUsers(c)
	if err != nil || len(list) != 2 || list[0].Name != "adam" || list[1].Name != "salma" {
		t.Errorf("ListUsers = %+v, %v", list, err)
	}
	if err := s.SetPasswordHash(c, u.ID, "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUserByFeverKey(c, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetUserByFeverKey(\"\") = %v, want ErrNotFound", err)
	}
	if err := s.SetFeverKey(c, u.ID, "abc"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetUserByFeverKey(c, "abc"); err != nil || got.ID != u.ID || got.PasswordHash != "new" {
		t.Errorf("GetUserByFeverKey = %+v, %v", got, err)
	}
	if err := s.SetPasswordHash(c, u.ID+100, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetPasswordHash(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.DeleteUser(c, other.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(c, other.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteUser twice = %v, want ErrNotFound", err)
	}
}

// testReadingState: streams, unread counts, read, starred and labels.
func testReadingState(t *testing.T, s store.Store) {
	c := ctx(t)
	u := &model.User{Name: "reader", PasswordHash: "h"}
	if err := s.AddUser(c, u); err != nil {
		t.Fatal(err)
	}
	src1 := addSource(t, s, "https://one.example/feed", "الأولى")
	src2 := addSource(t, s, "https://two.example/feed", "الثانية")
	var arts []*model.Article
	for i, sid := range []int64{src1.ID, src1.ID, src2.ID, src2.ID} {
		a := article("https://x.example/"+string(rune('a'+i)), "خبر", day(i))
		a.SourceID = sid
		if i == 2 {
			a.Keywords = []string{"الاقتصاد"}
		}
		if i == 3 {
			a.Entities = []model.Entity{{Name: "عمان", Type: model.EntityPlace}}
		}
		save(t, s, a, idx("خبر", "نص"))
		arts = append(arts, a)
	}
	q := store.ItemQuery{UserID: u.ID}
	list := func(q store.ItemQuery) []int64 {
		t.Helper()
		ids, err := s.ItemIDs(c, q)
		if err != nil {
			t.Fatalf("ItemIDs(%+v): %v", q, err)
		}
		return ids
	}
	count := func(q store.ItemQuery) int {
		t.Helper()
		n, _, err := s.CountItems(c, q)
		if err != nil {
			t.Fatalf("CountItems(%+v): %v", q, err)
		}
		return n
	}
	if got := list(q); len(got) != 0 {
		t.Errorf("a user who follows nothing has a reading list: %v", got)
	}
	if err := s.Follow(c, u.ID, model.Follow{Kind: model.FollowSource, SourceID: src1.ID, Label: "أخبار"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Follow(c, u.ID, model.Follow{Kind: model.FollowSource, SourceID: 9999}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Follow(unknown source) = %v, want ErrNotFound", err)
	}
	if err := s.Follow(c, u.ID, model.Follow{Kind: "planet"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Follow(unknown kind) = %v, want ErrInvalid", err)
	}
	if got, want := list(q), []int64{arts[1].ID, arts[0].ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("reading list after following a source = %v, want %v (newest first)", got, want)
	}
	if err := s.Follow(c, u.ID, model.Follow{Kind: model.FollowTag, Term: "الإقتصاد"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Follow(c, u.ID, model.Follow{Kind: model.FollowName, Term: "عمان", Label: "أخبار"}); err != nil {
		t.Fatal(err)
	}
	all := []int64{arts[3].ID, arts[2].ID, arts[1].ID, arts[0].ID}
	if got := list(q); !reflect.DeepEqual(got, all) {
		t.Errorf("reading list with a tag (typed with another hamza) and a name = %v, want %v", got, all)
	}
	if got := list(store.ItemQuery{UserID: u.ID, Oldest: true, Limit: 2, Offset: 1}); !reflect.DeepEqual(got, []int64{arts[1].ID, arts[2].ID}) {
		t.Errorf("oldest first, page 2 of 2 = %v", got)
	}
	if got := list(store.ItemQuery{UserID: u.ID, ByID: true, AfterID: arts[1].ID}); !reflect.DeepEqual(got, []int64{arts[2].ID, arts[3].ID}) {
		t.Errorf("by id after %d = %v", arts[1].ID, got)
	}
	if got := list(store.ItemQuery{UserID: u.ID, Since: day(1), Until: day(3)}); !reflect.DeepEqual(got, []int64{arts[2].ID, arts[1].ID}) {
		t.Errorf("since day 1 until day 3 = %v", got)
	}
	if got := list(store.ItemQuery{UserID: u.ID, IDs: []int64{arts[0].ID, 424242}}); !reflect.DeepEqual(got, []int64{arts[0].ID}) {
		t.Errorf("by ids = %v", got)
	}
	if got := list(store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamLabel, Label: "أخبار"}}); !reflect.DeepEqual(got, []int64{arts[3].ID, arts[1].ID, arts[0].ID}) {
		t.Errorf("label stream = %v", got)
	}
	if got := list(store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamSource, SourceID: src2.ID}}); !reflect.DeepEqual(got, []int64{arts[3].ID, arts[2].ID}) {
		t.Errorf("source stream = %v", got)
	}
	unread := store.ItemQuery{UserID: u.ID, Unread: true}
	if n, newest, err := s.CountItems(c, unread); err != nil || n != 4 || !newest.Equal(day(3)) {
		t.Errorf("CountItems(unread) = %d, %v, %v; want 4, %v", n, newest, err, day(3))
	}
	if err := s.SetRead(c, u.ID, []int64{arts[0].ID, 424242}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(c, u.ID, []int64{arts[1].ID}, true); err != nil {
		t.Fatal(err)
	}
	if n := count(unread); n != 3 {
		t.Errorf("unread after reading one = %d, want 3", n)
	}
	if got := list(store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamStarred}}); !reflect.DeepEqual(got, []int64{arts[1].ID}) {
		t.Errorf("starred stream = %v", got)
	}
	if got := list(store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamRead}}); !reflect.DeepEqual(got, []int64{arts[0].ID}) {
		t.Errorf("read stream = %v", got)
	}
	if n, err := s.MarkRead(c, store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamSource, SourceID: src2.ID}, Until: day(3)}); err != nil || n != 1 {
		t.Errorf("MarkRead(source 2 before day 3) = %d, %v; want 1", n, err)
	}
	if got := list(unread); !reflect.DeepEqual(got, []int64{arts[3].ID, arts[1].ID}) {
		t.Errorf("unread after marking = %v", got)
	}
	if err := s.SetRead(c, u.ID, []int64{arts[0].ID}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetArticleLabel(c, u.ID, []int64{arts[2].ID}, "لاحقا", true); err != nil {
		t.Fatal(err)
	}
	st, err := s.ItemStates(c, u.ID, []int64{arts[0].ID, arts[1].ID, arts[2].ID, arts[3].ID})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]store.ItemState{
		arts[0].ID: {},
		arts[1].ID: {Starred: true},
		arts[2].ID: {Read: true, Labels: []string{"لاحقا"}},
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("ItemStates = %+v, want %+v", st, want)
	}
	if got := list(store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamLabel, Label: "لاحقا"}}); !reflect.DeepEqual(got, []int64{arts[2].ID}) {
		t.Errorf("article label stream = %v", got)
	}
	if err := s.RenameLabel(c, u.ID, "أخبار", "عاجل"); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameLabel(c, u.ID, "لا شيء", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RenameLabel(unknown) = %v, want ErrNotFound", err)
	}
	fs, err := s.ListFollows(c, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Kind+":"+f.Title+":"+f.Label)
	}
	if want := []string{"source:الأولى:عاجل", "name:عمان:عاجل", "tag:الاقتصاد:الاقتصاد"}; !slices.Equal(got, want) {
		// The order of the tag and the name follows the terms' bytes.
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ListFollows = %v, want %v", got, want)
		}
	}
	if err := s.DeleteLabel(c, u.ID, "عاجل"); err != nil {
		t.Fatal(err)
	}
	fs, _ = s.ListFollows(c, u.ID)
	if len(fs) != 2 || fs[0].Kind != model.FollowSource || fs[0].Label != "" {
		t.Errorf("after DeleteLabel: %+v (the source stays, outside any folder; the name goes)", fs)
	}
	if err := s.Unfollow(c, u.ID, model.Follow{Kind: model.FollowTag, Term: "الاقتصاد"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Unfollow(c, u.ID, model.Follow{Kind: model.FollowTag, Term: "الاقتصاد"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Unfollow twice = %v, want ErrNotFound", err)
	}
	if ids, err := s.StarredArticleIDs(c); err != nil || !reflect.DeepEqual(ids, []int64{arts[1].ID}) {
		t.Errorf("StarredArticleIDs = %v, %v", ids, err)
	}
	if err := s.DeleteUser(c, u.ID); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.StarredArticleIDs(c); err != nil || len(ids) != 0 {
		t.Errorf("StarredArticleIDs after the user is deleted = %v, %v", ids, err)
	}
}

// testSavedSearch: a saved search (a followed alert) brings what the alert
// delivered into the reading list, under a label of its query.
func testSavedSearch(t *testing.T, s store.Store) {
	c := ctx(t)
	u := &model.User{Name: "reader", PasswordHash: "h"}
	if err := s.AddUser(c, u); err != nil {
		t.Fatal(err)
	}
	a := article("https://x.example/saved", "خبر", day(1))
	save(t, s, a, idx("خبر", "نص"))
	b := article("https://x.example/other", "خبر آخر", day(2))
	save(t, s, b, idx("خبر", "نص"))
	al := &model.Alert{Query: "تمور"}
	if err := s.AddAlert(c, al); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordDelivery(c, al.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Follow(c, u.ID, model.Follow{Kind: model.FollowSearch, AlertID: al.ID + 100}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Follow(unknown alert) = %v, want ErrNotFound", err)
	}
	if err := s.Follow(c, u.ID, model.Follow{Kind: model.FollowSearch, AlertID: al.ID}); err != nil {
		t.Fatal(err)
	}
	fs, err := s.ListFollows(c, u.ID)
	if err != nil || len(fs) != 1 || fs[0].Kind != model.FollowSearch || fs[0].AlertID != al.ID || fs[0].Label != "تمور" || fs[0].Title != "تمور" {
		t.Fatalf("ListFollows = %+v, %v", fs, err)
	}
	ids, err := s.ItemIDs(c, store.ItemQuery{UserID: u.ID})
	if err != nil || !reflect.DeepEqual(ids, []int64{a.ID}) {
		t.Errorf("reading list of a saved search = %v, %v; want [%d]", ids, err, a.ID)
	}
	ids, err = s.ItemIDs(c, store.ItemQuery{UserID: u.ID, Stream: store.Stream{Kind: store.StreamLabel, Label: "تمور"}})
	if err != nil || !reflect.DeepEqual(ids, []int64{a.ID}) {
		t.Errorf("the saved search's label = %v, %v", ids, err)
	}
	if err := s.DeleteAlert(c, al.ID); err != nil {
		t.Fatal(err)
	}
	if fs, err := s.ListFollows(c, u.ID); err != nil || len(fs) != 0 {
		t.Errorf("the follow of a deleted alert is still listed: %+v, %v", fs, err)
	}
}
