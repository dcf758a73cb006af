package web

import (
	"hash/maphash"
	"reflect"
	"sync"
	"time"
)

// The article page's rendering (html/template walks the layout and the
// page by reflection, escaping each value) cost more CPU than reading the
// article and its story from the store. Its output is a function of the
// page's data alone, so the rendered page is kept per article and
// interface language, with a fingerprint of everything the template was
// given: the store is still read for every view (the article, its story,
// its related reading), and a page is reused only when all of that, and
// the request's path and choices, hash the same. Nothing is ever served
// stale: a new version of the story, an edit of the article or new related
// reading changes the fingerprint, and the next view renders anew.
const (
	// pageCacheBytes bounds the memory the kept pages take (their
	// buffers' capacity).
	pageCacheBytes = 32 << 20
)

type pageKey struct {
	name   string // the template (renderCached sets it): an article and a story may share an id
	id     int64
	page   int // the page of a paged listing (1 for the first)
	lang   string
	digits string
}

type cachedPage struct {
	fp   uint64
	body []byte
	etag string
}

type pageCache struct {
	seed    maphash.Seed
	mu      sync.Mutex
	entries map[pageKey]*cachedPage
	order   []pageKey // insertion order, for eviction
	bytes   int
}

func newPageCache() *pageCache {
	return &pageCache{seed: maphash.MakeSeed(), entries: map[pageKey]*cachedPage{}}
}

func (c *pageCache) get(k pageKey, fp uint64) (*cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[k]
	if e == nil || e.fp != fp {
		return nil, false
	}
	return e, true
}

func (c *pageCache) put(k pageKey, e *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[k]; old != nil {
		c.bytes -= cap(old.body)
	} else {
		c.order = append(c.order, k)
	}
	c.entries[k] = e
	c.bytes += cap(e.body)
	for c.bytes > pageCacheBytes && len(c.order) > 0 {
		if old := c.entries[c.order[0]]; old != nil {
			c.bytes -= cap(old.body)
			delete(c.entries, c.order[0])
		}
		c.order = c.order[1:]
	}
}

// fingerprint hashes v, the whole of a page's data; ok is false when v
// holds a kind of value it does not know how to hash (the page is then
// rendered every time).
func (c *pageCache) fingerprint(v any) (fp uint64, ok bool) {
	var h maphash.Hash
	h.SetSeed(c.seed)
	if !hashValue(&h, reflect.ValueOf(v)) {
		return 0, false
	}
	return h.Sum64(), true
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	stringsType  = reflect.TypeFor[*Strings]()
	locationType = reflect.TypeFor[*time.Location]()
	outletsType  = reflect.TypeFor[*outletNames]()
)

// hashValue writes v into h so that values that differ in any field,
// exported or not, at any depth, write differently: strings and slices
// carry their length, pointers whether they are nil.
func hashValue(h *maphash.Hash, v reflect.Value) bool {
	switch v.Type() {
	case timeType:
		if !v.CanInterface() {
			break // an unexported time: hashed as the struct it is, below
		}
		// What a template can show of a time: its instant and its zone
		// (not its monotonic clock reading).
		t := v.Interface().(time.Time)
		name, off := t.Zone()
		maphash.WriteComparable(h, t.Unix())
		maphash.WriteComparable(h, t.Nanosecond())
		maphash.WriteComparable(h, off)
		maphash.WriteComparable(h, len(name))
		h.WriteString(name)
		return true
	case outletsType:
		// A reading of the outlets' names never changes: its
		// generation names it.
		var gen uint64
		if !v.IsNil() {
			gen = (*outletNames)(v.UnsafePointer()).gen
		}
		maphash.WriteComparable(h, gen)
		return true
	case stringsType, locationType:
		// The interface strings and the server's time zone are fixed
		// for the life of the process: the pointer names them.
		maphash.WriteComparable(h, v.Pointer())
		return true
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		maphash.WriteComparable(h, len(s))
		h.WriteString(s)
	case reflect.Bool:
		maphash.WriteComparable(h, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		maphash.WriteComparable(h, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		maphash.WriteComparable(h, v.Uint())
	case reflect.Float32, reflect.Float64:
		maphash.WriteComparable(h, v.Float())
	case reflect.Pointer:
		maphash.WriteComparable(h, v.IsNil())
		if !v.IsNil() {
			return hashValue(h, v.Elem())
		}
	case reflect.Slice, reflect.Array:
		maphash.WriteComparable(h, v.Len())
		for i := range v.Len() {
			if !hashValue(h, v.Index(i)) {
				return false
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if !hashValue(h, v.Field(i)) {
				return false
			}
		}
	default: // maps, interfaces, funcs, channels: not in page data
		return false
	}
	return true
}
