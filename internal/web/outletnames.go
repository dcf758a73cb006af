package web

import (
	"context"
	"sync"
	"time"
)

// English pages show each outlet by its English name. The stored articles,
// story members and story details name an outlet by its profile's Arabic
// name (or, without a profile, by the key it was saved with), so an English
// page looks each name up in the outlets' profiles: by Arabic name and by
// key. The profiles are read again at most every outletNamesTTL, so an
// edited English name shows within that.
const outletNamesTTL = 30 * time.Second

// outletNames is one reading of the outlets' English names; it is never
// changed after it is made, and gen tells readings apart (the page cache
// hashes gen, not the map).
type outletNames struct {
	gen uint64
	en  map[string]string // Arabic name or key → English name
}

// english returns name's English name, or name when it has none.
func (n *outletNames) english(name string) string {
	if n != nil {
		if en := n.en[name]; en != "" {
			return en
		}
	}
	return name
}

type outletNamesCache struct {
	mu  sync.Mutex
	at  time.Time
	gen uint64
	cur *outletNames
}

// englishOutletNames returns the current reading of the outlets' English
// names, reading the profiles again when the last reading is older than
// outletNamesTTL. When the store cannot be read it keeps the last reading
// (nil before the first: names stay as stored).
func (s *Server) englishOutletNames(ctx context.Context) *outletNames {
	c := &s.outletEN
	c.mu.Lock()
	if c.cur != nil && s.now().Sub(c.at) < outletNamesTTL {
		cur := c.cur
		c.mu.Unlock()
		return cur
	}
	c.mu.Unlock()

	outs, err := s.cfg.Store.ListOutlets(ctx)

	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		s.log.Warn("web: outlets' English names", "err", err)
		return c.cur
	}
	en := make(map[string]string, 2*len(outs))
	for _, o := range outs {
		if o.NameEN == "" {
			continue
		}
		if o.NameAR != "" {
			if _, taken := en[o.NameAR]; !taken {
				en[o.NameAR] = o.NameEN
			}
		}
		en[o.Key] = o.NameEN
	}
	c.gen++
	c.cur, c.at = &outletNames{gen: c.gen, en: en}, s.now()
	return c.cur
}
