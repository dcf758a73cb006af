package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"khabar/internal/model"
	"khabar/internal/outlets"
	"khabar/internal/store"
)

// OutletJSON is an outlet's profile.
type OutletJSON struct {
	Key     string `json:"key"`
	NameAR  string `json:"name_ar"`
	NameEN  string `json:"name_en"`
	Country string `json:"country"`
	Kind    string `json:"kind"`
}

func outletJSON(o model.Outlet) *OutletJSON {
	if o.Key == "" {
		return nil
	}
	return &OutletJSON{Key: o.Key, NameAR: o.NameAR, NameEN: o.NameEN, Country: o.Country, Kind: o.Kind}
}

// outletEditJSON is the body of PATCH /api/v1/sources/{id} and
// /api/v1/outlets/{key}: the fields given are set.
type outletEditJSON struct {
	NameAR  *string `json:"name_ar"`
	NameEN  *string `json:"name_en"`
	Country *string `json:"country"`
	Kind    *string `json:"kind"`
}

const outletEditShape = `{"name_ar": ..., "name_en": ..., "country": "SA", "kind": "wire|state|public|private"}`

// editOutlet applies the request's edit to the outlet of ref (a source id
// or an outlet key).
func (s *server) editOutlet(r *http.Request, ref string) (model.Outlet, int64, error) {
	var in outletEditJSON
	if err := decodeBody(r, &in, outletEditShape); err != nil {
		return model.Outlet{}, 0, err
	}
	e := outlets.Edit{NameAR: in.NameAR, NameEN: in.NameEN, Country: in.Country, Kind: in.Kind}
	if e.Empty() {
		return model.Outlet{}, 0, &Error{Status: http.StatusBadRequest, Code: "bad_request",
			Message: "body: nothing to change; want " + outletEditShape}
	}
	o, id, err := outlets.EditSource(r.Context(), s.cfg.Store, ref, e)
	switch {
	case errors.Is(err, outlets.ErrInvalid):
		return model.Outlet{}, 0, &Error{Status: http.StatusBadRequest, Code: "bad_request",
			Message: strings.TrimPrefix(err.Error(), outlets.ErrInvalid.Error()+": ")}
	case errors.Is(err, store.ErrNotFound):
		return model.Outlet{}, 0, notFound("source " + ref)
	case err != nil:
		return model.Outlet{}, 0, fmt.Errorf("api: edit outlet of %s: %w", ref, err)
	}
	return o, id, nil
}

// patchSource edits the profile of the source's outlet.
func (s *server) patchSource(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	if _, _, err := s.editOutlet(r, fmt.Sprint(id)); err != nil {
		return err
	}
	src, err := s.cfg.Store.GetSource(r.Context(), id)
	if err != nil {
		return fmt.Errorf("api: patch source %d: %w", id, err)
	}
	writeJSON(w, r, http.StatusOK, sourceJSON(src), false)
	return nil
}

// listOutlets lists every outlet profile.
func (s *server) listOutlets(w http.ResponseWriter, r *http.Request) error {
	os, err := s.cfg.Store.ListOutlets(r.Context())
	if err != nil {
		return fmt.Errorf("api: list outlets: %w", err)
	}
	out := make([]*OutletJSON, 0, len(os))
	for _, o := range os {
		out = append(out, outletJSON(o))
	}
	return ok(w, r, struct {
		Outlets []*OutletJSON `json:"outlets"`
	}{out})
}

// getOutlet returns one outlet profile.
func (s *server) getOutlet(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	o, err := s.cfg.Store.GetOutlet(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("outlet " + key)
	}
	if err != nil {
		return fmt.Errorf("api: get outlet %q: %w", key, err)
	}
	return ok(w, r, outletJSON(o))
}

// patchOutlet edits (or creates) the profile of an outlet known by key,
// such as an imported one ("was") that has no source.
func (s *server) patchOutlet(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(w, r); err != nil {
		return err
	}
	key := r.PathValue("key")
	if err := outlets.CheckKey(key); err != nil {
		return badParam("key", err.Error())
	}
	if strings.Trim(key, "0123456789") == "" {
		return badParam("key", "a number names a source: use PATCH /api/v1/sources/"+key)
	}
	o, _, err := s.editOutlet(r, key)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, outletJSON(o), false)
	return nil
}
