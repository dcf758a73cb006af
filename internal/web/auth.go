package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"khabar/internal/users"
)

// Web writes (adding and removing sources and alerts) need a login: the
// admin token is typed once on /login and exchanged for a session cookie.
//
// The session cookie is a signed, expiring token, not a key into a table:
//
//	base64url(expiry:8 bytes big-endian | user:8 bytes big-endian | nonce:16 bytes) "." base64url(HMAC-SHA256(key, "session\x00" | payload))
//
// where user is the reader's account id, or 0 for the admin (a login with
// the admin token). A reader's session marks articles read, stars them and
// follows; only the admin's adds and removes sources and alerts.
//
// so the server keeps no session table. The key is Config.SessionKey (the
// wiring derives it from the admin token, so changing the token ends every
// session) or, without one, random per process. Logging out forgets the
// cookie and remembers the nonce until its expiry, so a copied cookie
// stops working too (in this process).
//
// Every POST form carries a CSRF token, HMAC(key, "csrf\x00" | cookie):
// another site can make a browser send the cookie (were SameSite=Strict
// not enough) but cannot read a page to learn the token.

const (
	sessionCookie = "khabar_session"
	sessionTTL    = 12 * time.Hour
	csrfField     = "csrf"
	nonceLen      = 16
)

// sessions signs and checks session cookies and CSRF tokens.
type sessions struct {
	key []byte
	mu  sync.Mutex
	// revoked holds the nonces of sessions logged out before their expiry.
	revoked map[string]time.Time
}

func newSessions(key []byte) (*sessions, error) {
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("web: no randomness for the session key: %w", err)
		}
	} else if len(key) < 16 {
		return nil, errors.New("web: Config.SessionKey must be at least 16 bytes")
	}
	return &sessions{key: append([]byte(nil), key...), revoked: map[string]time.Time{}}, nil
}

func (ss *sessions) mac(label string, data []byte) []byte {
	m := hmac.New(sha256.New, ss.key)
	m.Write([]byte(label))
	m.Write([]byte{0})
	m.Write(data)
	return m.Sum(nil)
}

var b64 = base64.RawURLEncoding

// issue returns a new session cookie value valid until now+sessionTTL,
// for the user with that id (0: the admin).
func (ss *sessions) issue(now time.Time, user int64) (string, error) {
	payload := make([]byte, 16+nonceLen)
	binary.BigEndian.PutUint64(payload, uint64(now.Add(sessionTTL).Unix()))
	binary.BigEndian.PutUint64(payload[8:], uint64(user))
	if _, err := rand.Read(payload[16:]); err != nil {
		return "", fmt.Errorf("web: no randomness for a session: %w", err)
	}
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(ss.mac("session", payload)), nil
}

// check returns the nonce, expiry and user of a valid, unexpired, not
// revoked session value.
func (ss *sessions) check(v string, now time.Time) (nonce string, exp time.Time, user int64, ok bool) {
	p, sig, found := strings.Cut(v, ".")
	if !found || len(v) > 200 {
		return "", time.Time{}, 0, false
	}
	payload, err1 := b64.DecodeString(p)
	mac, err2 := b64.DecodeString(sig)
	if err1 != nil || err2 != nil || len(payload) != 16+nonceLen {
		return "", time.Time{}, 0, false
	}
	if !hmac.Equal(mac, ss.mac("session", payload)) {
		return "", time.Time{}, 0, false
	}
	exp = time.Unix(int64(binary.BigEndian.Uint64(payload)), 0)
	if !now.Before(exp) {
		return "", time.Time{}, 0, false
	}
	user = int64(binary.BigEndian.Uint64(payload[8:]))
	nonce = string(payload[16:])
	ss.mu.Lock()
	_, gone := ss.revoked[nonce]
	ss.mu.Unlock()
	if gone || user < 0 {
		return "", time.Time{}, 0, false
	}
	return nonce, exp, user, true
}

// revoke ends a session before its expiry and forgets sessions that have
// expired anyway, so the map stays as small as the number of logouts in
// the last sessionTTL.
func (ss *sessions) revoke(nonce string, exp, now time.Time) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for n, e := range ss.revoked {
		if !now.Before(e) {
			delete(ss.revoked, n)
		}
	}
	ss.revoked[nonce] = exp
}

// csrf is the CSRF token of a session value.
func (ss *sessions) csrf(session string) string {
	return b64.EncodeToString(ss.mac("csrf", []byte(session)))
}

func (ss *sessions) csrfOK(session, token string) bool {
	got, err := b64.DecodeString(token)
	return err == nil && hmac.Equal(got, ss.mac("csrf", []byte(session)))
}

// session is the reader's session, when they have a valid one: the
// admin's (user 0) or a reader account's.
type session struct {
	value string // the cookie value
	nonce string
	exp   time.Time
	user  int64
}

// admin reports whether the session is the admin's.
func (se session) admin() bool { return se.user == 0 }

func (s *Server) session(r *http.Request) (session, bool) {
	if s.cfg.CheckToken == nil {
		return session{}, false
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	nonce, exp, user, ok := s.sess.check(c.Value, s.now())
	if !ok {
		return session{}, false
	}
	return session{value: c.Value, nonce: nonce, exp: exp, user: user}, true
}

// crossSite reports whether the browser says the request came from
// another site: Fetch Metadata (Sec-Fetch-Site), or an Origin header
// naming a host that is neither this request's Host, nor the proxy's
// X-Forwarded-Host, nor Config.BaseURL's. It backs up SameSite and the
// CSRF token; browsers that send neither header are judged by the token.
func (s *Server) crossSite(r *http.Request) bool {
	if v := r.Header.Get("Sec-Fetch-Site"); v == "cross-site" || v == "same-site" {
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return true // "null" (a sandboxed or file: page) or garbage
	}
	for _, h := range []string{r.Host, r.Header.Get("X-Forwarded-Host")} {
		if h != "" && strings.EqualFold(u.Host, h) {
			return false
		}
	}
	return s.base == nil || !strings.EqualFold(u.Host, s.base.Host)
}

// safeNext returns p when it is a path on this site, else "/"; "//host"
// and "/\host" would leave the site.
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || len(p) > 2000 {
		return "/"
	}
	return p
}

type loginPage struct {
	Base
	Next  string
	Name  string
	Error string
}

// loginForm shows the login form (or, when logged in, the logout button).
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	p := &loginPage{Base: s.newBase(r, ""), Next: safeNext(r.URL.Query().Get("next"))}
	p.Title = p.T.Login
	status := http.StatusOK
	if !p.CanLogin {
		status = http.StatusForbidden
	}
	s.render(w, r, status, "login", p)
}

// login checks a reader's name and password, or (without a name) the
// admin token, and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	p := &loginPage{Base: s.newBase(r, "")}
	p.Title = p.T.Login
	if !p.CanLogin {
		p.Error = p.T.WritesDisabled
		s.render(w, r, http.StatusForbidden, "login", p)
		return
	}
	if s.crossSite(r) {
		p.Error = p.T.CSRFFailed
		s.render(w, r, http.StatusForbidden, "login", p)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.Error = "form: " + err.Error()
		s.render(w, r, http.StatusBadRequest, "login", p)
		return
	}
	p.Next = safeNext(r.PostFormValue("next"))
	p.Name = strings.TrimSpace(r.PostFormValue("name"))
	var uid int64
	if p.Name != "" {
		u, err := users.Login(r.Context(), s.cfg.Store, p.Name, r.PostFormValue("token"))
		if errors.Is(err, users.ErrBadLogin) {
			p.Error = p.T.BadLogin
			s.render(w, r, http.StatusForbidden, "login", p)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		uid = u.ID
	} else if tok := strings.TrimSpace(r.PostFormValue("token")); tok == "" || !s.cfg.CheckToken(tok) {
		p.Error = p.T.BadToken
		s.render(w, r, http.StatusForbidden, "login", p)
		return
	}
	v, err := s.sess.issue(s.now(), uid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: v, Path: "/", MaxAge: int(sessionTTL / time.Second),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
}

// logout ends the session (guarded: it is a POST like any other).
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if se, ok := s.session(r); ok {
		s.sess.revoke(se.nonce, se.exp, s.now())
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// guard wraps every state-changing form handler: writes must be enabled,
// the reader logged in (else they are sent to /login and back to the
// page the form was on), and the form must carry the session's CSRF
// token (else 403). It parses the form, with a size bound, so handlers
// find it parsed.
func (s *Server) guard(back string, maxBody int64, h http.HandlerFunc) http.HandlerFunc {
	return s.guardFor(true, back, maxBody, h)
}

// readerGuard is guard for a reader's own state (mark read, star,
// follow): any logged-in reader passes, not only the admin. The handler
// finds the reader's account id with readerOf.
func (s *Server) readerGuard(back string, h http.HandlerFunc) http.HandlerFunc {
	return s.guardFor(false, back, 16<<10, h)
}

type readerKey struct{}

// readerOf is the account id of the reader a readerGuard let through (0:
// the admin, who has no reading state).
func readerOf(r *http.Request) int64 {
	id, _ := r.Context().Value(readerKey{}).(int64)
	return id
}

func (s *Server) guardFor(adminOnly bool, back string, maxBody int64, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := s.stringsFor(r)
		if s.cfg.CheckToken == nil {
			s.denied(w, r, http.StatusForbidden, t.WritesDisabled)
			return
		}
		se, ok := s.session(r)
		if !ok {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(back), http.StatusSeeOther)
			return
		}
		if adminOnly && !se.admin() {
			s.denied(w, r, http.StatusForbidden, t.AdminOnly)
			return
		}
		if s.crossSite(r) {
			s.denied(w, r, http.StatusForbidden, t.CSRFFailed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		var err error
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			err = r.ParseMultipartForm(maxBody)
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
		} else {
			err = r.ParseForm()
		}
		if err != nil {
			s.denied(w, r, http.StatusBadRequest, "form: "+err.Error())
			return
		}
		if !s.sess.csrfOK(se.value, r.PostFormValue(csrfField)) {
			s.denied(w, r, http.StatusForbidden, t.CSRFFailed)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), readerKey{}, se.user)))
	}
}

type deniedPage struct {
	Base
	Message string
}

// denied answers a refused form with a page that says why.
func (s *Server) denied(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := &deniedPage{Base: s.newBase(r, ""), Message: msg}
	p.Title = p.T.Refused
	s.render(w, r, status, "denied", p)
}
