package web

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
)

// TestArticlePageCacheFollowsTheStore: a kept article page is served again
// only while everything on it is unchanged; an edit of the article, a new
// version of its story, another language or other digits show at once.
func TestArticlePageCacheFollowsTheStore(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	path := "/articles/" + itoa(f.ref.ID)
	first := get(t, s, path)
	body := checkPage(t, first, 200)
	again := get(t, s, path)
	if again.Body.String() != body || again.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Errorf("the same article twice gave two pages")
	}
	if n := len(s.pcache.entries); n != 1 {
		t.Errorf("%d pages kept, want 1", n)
	}

	// The article is edited in place.
	edited := f.ref
	edited.Title = "عنوان معدّل بعد النشر"
	save(t, f.st, &edited)
	w := get(t, s, path)
	body = checkPage(t, w, 200)
	mustContain(t, body, "عنوان معدّل بعد النشر")
	if w.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Errorf("an edited article kept its ETag")
	}

	// Another outlet reports the story.
	v := model.Article{URL: "https://third.example/v", SourceName: "مصدر ثالث", Title: "رواية ثالثة للخبر نفسه",
		Text: "نص الرواية الثالثة.", Published: f.ref.Published.Add(2 * time.Hour), StoryID: f.ref.StoryID, Language: "ar"}
	save(t, f.st, &v)
	mustContain(t, checkPage(t, get(t, s, path), 200), "رواية ثالثة للخبر نفسه")

	// Other choices of the reader are other pages.
	en := get(t, s, path+"?lang=en").Body.String()
	mustHave(t, en, el("html", "", "lang", "en", "dir", "ltr"))
	mustContain(t, en, "Published")
	latn := get(t, s, path+"?digits=latn").Body.String()
	mustContain(t, latn, "2 مارس 2024")
	mustContain(t, checkPage(t, get(t, s, path), 200), "٢ مارس ٢٠٢٤", "رواية ثالثة للخبر نفسه")
}

// TestPageFingerprintCoversEveryField: changing any one value anywhere in
// a kept page's data (an article's, a story's), exported or not, changes
// its fingerprint, so a field added to the page or the model can never be
// served stale.
func TestPageFingerprintCoversEveryField(t *testing.T) {
	c := newPageCache()
	p := &articlePage{}
	base := checkFingerprint(t, c, p, "articlePage")
	// The reader's language, a nil pointer and an empty list count too.
	p.Base.T = stringsEN
	if fp, _ := c.fingerprint(p); fp == base {
		t.Errorf("the interface language leaves the fingerprint as it was")
	}
	p.Base.T = stringsAR
	p.Original, p.Related = nil, nil
	if fp, _ := c.fingerprint(p); fp == base {
		t.Errorf("removing the original and related reading leaves the fingerprint as it was")
	}
	checkFingerprint(t, c, &storyPage{}, "storyPage")
}

// checkFingerprint fills the page p points to, checks that changing any
// one of its values changes its fingerprint, and returns the fingerprint
// of the filled page.
func checkFingerprint(t *testing.T, c *pageCache, p any, name string) uint64 {
	t.Helper()
	n := 0
	fill(reflect.ValueOf(p).Elem(), &n)
	base, ok := c.fingerprint(p)
	if !ok {
		t.Fatalf("no fingerprint for a full %s", name)
	}
	if again, _ := c.fingerprint(p); again != base {
		t.Fatalf("%s: fingerprint is not stable", name)
	}
	leaves := 0
	eachLeaf(reflect.ValueOf(p).Elem(), name, func(path string, v reflect.Value) {
		leaves++
		v = settable(v)
		old := reflect.New(v.Type()).Elem()
		old.Set(v)
		change(v)
		if fp, ok := c.fingerprint(p); !ok || fp == base {
			t.Errorf("changing %s leaves the fingerprint as it was", path)
		}
		v.Set(old)
	})
	if got, _ := c.fingerprint(p); got != base {
		t.Fatalf("%s was not restored", name)
	}
	if leaves < 60 {
		t.Errorf("%s: only %d values checked", name, leaves)
	}
	return base
}

// TestStoryPageCacheFollowsTheStore: a story page is kept while its data
// stays the same, and a new version of the story shows at once.
func TestStoryPageCacheFollowsTheStore(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	path := "/stories/" + itoa(f.ref.StoryID)
	first := get(t, s, path)
	body := checkPage(t, first, 200)
	if again := get(t, s, path); again.Body.String() != body || again.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Errorf("the same story twice gave two pages")
	}
	if n := len(s.pcache.entries); n != 1 {
		t.Errorf("%d pages kept, want the story's", n)
	}
	v := model.Article{URL: "https://third.example/s", SourceName: "مصدر ثالث", Title: "رواية أخرى للقصة",
		Text: "نص الرواية الأخرى.", Published: f.ref.Published.Add(3 * time.Hour), StoryID: f.ref.StoryID, Language: "ar"}
	save(t, f.st, &v)
	w := get(t, s, path)
	mustContain(t, checkPage(t, w, 200), "رواية أخرى للقصة")
	if w.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Errorf("a story with a new version kept its ETag")
	}
}

// fill gives every value reachable from v a distinct non-zero value, and
// every list one element.
func fill(v reflect.Value, n *int) {
	*n++
	switch {
	case v.Type() == timeType:
		setAny(v, reflect.ValueOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(*n)*time.Hour)))
		return
	case v.Type() == stringsType:
		setAny(v, reflect.ValueOf(stringsAR))
		return
	case v.Type() == locationType:
		setAny(v, reflect.ValueOf(time.UTC))
		return
	case v.Type() == outletsType:
		setAny(v, reflect.ValueOf(&outletNames{gen: uint64(*n), en: map[string]string{"عكاظ": "Okaz"}}))
		return
	}
	switch v.Kind() {
	case reflect.String:
		setAny(v, reflect.ValueOf(fmt.Sprint("v", *n)).Convert(v.Type()))
	case reflect.Bool:
		setAny(v, reflect.ValueOf(true))
	case reflect.Int, reflect.Int64, reflect.Int32:
		setAny(v, reflect.ValueOf(int64(*n)).Convert(v.Type()))
	case reflect.Uint64, reflect.Uint32, reflect.Uint:
		setAny(v, reflect.ValueOf(uint64(*n)).Convert(v.Type()))
	case reflect.Pointer:
		e := reflect.New(v.Type().Elem())
		fill(e.Elem(), n)
		setAny(v, e)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), n)
		setAny(v, s)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	}
}

// eachLeaf calls fn with every settable scalar reachable from v.
func eachLeaf(v reflect.Value, path string, fn func(string, reflect.Value)) {
	switch {
	case v.Type() == timeType || v.Type() == stringsType || v.Type() == locationType || v.Type() == outletsType:
		fn(path, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			eachLeaf(v.Elem(), path, fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachLeaf(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			eachLeaf(v.Field(i), path+"."+v.Type().Field(i).Name, fn)
		}
	default:
		fn(path, v)
	}
}

// change sets a leaf to another value of its type.
func change(v reflect.Value) {
	switch {
	case v.Type() == timeType:
		setAny(v, reflect.ValueOf(time.Date(2030, 1, 1, 0, 0, 0, 0, time.FixedZone("+03", 3*3600))))
		return
	case v.Type() == stringsType:
		setAny(v, reflect.ValueOf(stringsEN))
		return
	case v.Type() == locationType:
		setAny(v, reflect.ValueOf(time.FixedZone("+03", 3*3600)))
		return
	case v.Type() == outletsType:
		// Another reading of the outlets' names.
		old := v.Interface().(*outletNames)
		setAny(v, reflect.ValueOf(&outletNames{gen: old.gen + 1000, en: old.en}))
		return
	}
	switch v.Kind() {
	case reflect.String:
		setAny(v, reflect.ValueOf(strings.Repeat("x", len(v.String())+1)).Convert(v.Type()))
	case reflect.Bool:
		setAny(v, reflect.ValueOf(!v.Bool()))
	case reflect.Int, reflect.Int64, reflect.Int32:
		setAny(v, reflect.ValueOf(v.Int()+1000).Convert(v.Type()))
	case reflect.Uint64, reflect.Uint32, reflect.Uint:
		setAny(v, reflect.ValueOf(v.Uint()+1000).Convert(v.Type()))
	default:
		panic("change: unexpected kind " + v.Kind().String())
	}
}

// setAny sets v, exported or not: the test reaches into unexported fields
// (Base.loc) because the page renders with them.
func setAny(v, x reflect.Value) { settable(v).Set(x) }

func settable(v reflect.Value) reflect.Value {
	if v.CanSet() {
		return v
	}
	return reflect.NewAt(v.Type(), v.Addr().UnsafePointer()).Elem()
}
