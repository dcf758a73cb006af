package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"khabar/internal/alerts"
	"khabar/internal/model"
)

type alertsPage struct {
	Base
	Form    alerts.Input
	Created *model.Alert
	Removed *model.Alert
	Error   string
	// Saved lists the alerts, for a logged-in reader only: they hold
	// webhook URLs and addresses.
	Saved []model.Alert
}

// newAlertsPage starts the alerts page, with the saved alerts when the
// reader is logged in.
func (s *Server) newAlertsPage(r *http.Request) (*alertsPage, error) {
	p := &alertsPage{Base: s.newBase(r, "")}
	p.Title = p.T.Alerts
	p.Path = "/alerts"
	if p.Admin {
		var err error
		if p.Saved, err = s.cfg.Store.ListAlerts(r.Context()); err != nil {
			return nil, fmt.Errorf("web: list alerts: %w", err)
		}
	}
	return p, nil
}

// alerts shows the form that saves a search as an alert.
func (s *Server) alerts(w http.ResponseWriter, r *http.Request) {
	p, err := s.newAlertsPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Form.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	p.Path = r.URL.RequestURI()
	s.render(w, r, http.StatusOK, "alerts", p)
}

// addAlert saves an alert from the form (guard checked the session and
// the CSRF token and parsed the form).
func (s *Server) addAlert(w http.ResponseWriter, r *http.Request) {
	p, err := s.newAlertsPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Form = alerts.Input{Query: r.FormValue("query"), Webhook: strings.TrimSpace(r.FormValue("webhook")),
		Email: strings.TrimSpace(r.FormValue("email"))}
	a, err := alerts.NewAlert(r.Context(), s.cfg.Store, s.cfg.Search, p.Form)
	var fe *alerts.FieldError
	if errors.As(err, &fe) {
		p.Error = fe.Error()
		s.render(w, r, http.StatusBadRequest, "alerts", p)
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: check alert: %w", err))
		return
	}
	a.CreatedAt = s.now()
	if err := s.cfg.Store.AddAlert(r.Context(), &a); err != nil {
		s.fail(w, r, fmt.Errorf("web: add alert: %w", err))
		return
	}
	p.Created = &a
	p.Saved = append(p.Saved, a)
	s.render(w, r, http.StatusCreated, "alerts", p)
}

// deleteAlert handles an alert's remove button.
func (s *Server) deleteAlert(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.notFound(w, r)
		return
	}
	a, err := s.cfg.Store.GetAlert(r.Context(), id)
	if err == nil {
		err = s.cfg.Store.DeleteAlert(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: delete alert %d: %w", id, err))
		return
	}
	p, err := s.newAlertsPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Removed = &a
	s.render(w, r, http.StatusOK, "alerts", p)
}
