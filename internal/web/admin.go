package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"khabar/internal/feed"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/weburl"
)

// maxOPML bounds an uploaded OPML file.
const maxOPML = 2 << 20

// Notice is the outcome of a form, shown at the top of the sources page.
type Notice struct {
	OK      bool
	Message string
	Details []string // one line per refused outline
}

// sourcesOPML exports every source as OPML 2.0.
func (s *Server) sourcesOPML(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.cfg.Store.ListSources(r.Context())
	if err != nil {
		s.feedError(w, r, fmt.Errorf("web: opml sources: %w", err))
		return
	}
	outs := make([]feed.Outline, 0, len(srcs))
	for _, x := range srcs {
		outs = append(outs, feed.Outline{Title: x.Title, XMLURL: x.URL, HTMLURL: x.SiteURL})
	}
	var buf bytes.Buffer
	if err := feed.WriteOPML(&buf, stringsAR.SiteName+" - "+stringsAR.Sources, outs); err != nil {
		s.feedError(w, r, fmt.Errorf("web: write opml: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/x-opml; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="khabar-sources.opml"`)
	w.Write(buf.Bytes())
}

// addSource handles the "add a source" form.
// (guard checked the session and the CSRF token and parsed the form.)
func (s *Server) addSource(w http.ResponseWriter, r *http.Request) {
	t := s.stringsFor(r)
	u, err := weburl.Check(r.FormValue("url"))
	if err != nil {
		s.sourcesWith(w, r, http.StatusBadRequest, &Notice{Message: t.FeedURL + ": " + weburl.Reason(err)})
		return
	}
	src := model.Source{URL: u, Title: strings.TrimSpace(r.FormValue("title")), NextFetch: s.now(), CreatedAt: s.now()}
	switch err := s.cfg.Store.AddSource(r.Context(), &src); {
	case errors.Is(err, store.ErrConflict):
		s.sourcesWith(w, r, http.StatusConflict, &Notice{Message: t.SourceExists + ": " + u})
	case err != nil:
		s.fail(w, r, fmt.Errorf("web: add source: %w", err))
	default:
		s.sourcesWith(w, r, http.StatusCreated, &Notice{OK: true, Message: t.SourceAdded + ": " + u})
	}
}

// importOPML handles the OPML upload form: every feed of the list is
// added; feeds already present are counted, bad ones listed with the reason.
func (s *Server) importOPML(w http.ResponseWriter, r *http.Request) {
	file, _, err := r.FormFile("opml")
	if err != nil {
		s.sourcesWith(w, r, http.StatusBadRequest, &Notice{Message: "OPML: " + err.Error()})
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxOPML+1))
	if err != nil || len(data) > maxOPML {
		s.sourcesWith(w, r, http.StatusBadRequest, &Notice{Message: fmt.Sprintf("OPML: unreadable or larger than %d bytes", maxOPML)})
		return
	}
	outs, err := feed.ParseOPML(data)
	if err != nil {
		s.sourcesWith(w, r, http.StatusBadRequest, &Notice{Message: "OPML: " + err.Error()})
		return
	}
	t := s.stringsFor(r)
	var added, existing int
	n := &Notice{}
	for _, o := range outs {
		u, err := weburl.Check(o.XMLURL)
		if err != nil {
			n.Details = append(n.Details, o.XMLURL+": "+weburl.Reason(err))
			continue
		}
		src := model.Source{URL: u, Title: o.Title, SiteURL: o.HTMLURL, NextFetch: s.now(), CreatedAt: s.now()}
		switch err := s.cfg.Store.AddSource(r.Context(), &src); {
		case errors.Is(err, store.ErrConflict):
			existing++
		case err != nil:
			s.fail(w, r, fmt.Errorf("web: import source %s: %w", u, err))
			return
		default:
			added++
		}
	}
	n.OK = len(n.Details) == 0
	n.Message = fmt.Sprintf("%s: %d · %s: %d · %s: %d", t.Imported, added, t.AlreadyThere, existing, t.Refused, len(n.Details))
	if t.Lang == "ar" {
		n.Message = ToArabicDigits(n.Message)
	}
	s.sourcesWith(w, r, http.StatusOK, n)
}

// deleteSource handles a source's remove button. The source's articles
// stay readable: the store keeps their source name.
func (s *Server) deleteSource(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	t := s.stringsFor(r)
	src, err := s.cfg.Store.GetSource(r.Context(), id)
	if err == nil {
		err = s.cfg.Store.DeleteSource(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: delete source %d: %w", id, err))
		return
	}
	s.sourcesWith(w, r, http.StatusOK, &Notice{OK: true, Message: t.SourceRemoved + ": " + src.URL})
}

func (s *Server) stringsFor(r *http.Request) *Strings {
	b := s.newBase(r, "")
	return b.T
}
