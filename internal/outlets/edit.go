package outlets

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"khabar/internal/model"
	"khabar/internal/store"
)

// Edit is a change to an outlet's profile: the fields that are not nil
// are set.
type Edit struct {
	NameAR, NameEN, Country, Kind *string
}

// Empty reports whether the edit changes nothing.
func (e Edit) Empty() bool {
	return e.NameAR == nil && e.NameEN == nil && e.Country == nil && e.Kind == nil
}

// ErrInvalid marks an edit whose values are wrong (an unknown kind, a
// country that is not an ISO code); it wraps store.ErrInvalid.
var ErrInvalid = fmt.Errorf("outlets: invalid profile: %w", store.ErrInvalid)

// apply returns o with the edit's fields set, checked.
func (e Edit) apply(o model.Outlet) (model.Outlet, error) {
	if e.NameAR != nil {
		o.NameAR = strings.TrimSpace(*e.NameAR)
	}
	if e.NameEN != nil {
		o.NameEN = strings.TrimSpace(*e.NameEN)
	}
	if e.Country != nil {
		o.Country = strings.ToUpper(strings.TrimSpace(*e.Country))
	}
	if e.Kind != nil {
		o.Kind = strings.ToLower(strings.TrimSpace(*e.Kind))
	}
	for _, s := range []string{o.NameAR, o.NameEN} {
		if len(s) > 200 || strings.ContainsAny(s, "\x00\n\r") || !utf8Valid(s) {
			return o, fmt.Errorf("%w: a name must be one line of at most 200 bytes of UTF-8", ErrInvalid)
		}
	}
	if err := Check(o); err != nil {
		return o, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return o, nil
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// EditSource applies e to the profile of the outlet of the source named by
// ref: a source id, or else an outlet key (an imported outlet such as
// "was", which has no source). A source without an outlet key gets one
// (its feed's host, "example.com"), keeping its title as the Arabic name
// unless the edit sets one; its stored articles move to that key. A key
// without a profile gets one. It returns the profile stored and the
// source's id (0 for a key).
func EditSource(ctx context.Context, st store.Store, ref string, e Edit) (model.Outlet, int64, error) {
	ref = strings.TrimSpace(ref)
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || id <= 0 {
		return editKey(ctx, st, ref, e)
	}
	src, err := st.GetSource(ctx, id)
	if err != nil {
		return model.Outlet{}, 0, err
	}
	key := src.Outlet.Key
	if key == "" {
		if key = FromURL(src.URL); key == "" {
			key = "source-" + strconv.FormatInt(id, 10)
		}
	}
	o, err := st.GetOutlet(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		o = model.Outlet{Key: key, NameAR: src.Title}
	} else if err != nil {
		return model.Outlet{}, 0, err
	}
	if o, err = e.apply(o); err != nil {
		return model.Outlet{}, 0, err
	}
	if err := st.SaveOutlet(ctx, o); err != nil {
		return model.Outlet{}, 0, err
	}
	if src.Outlet.Key != key {
		if err := st.SetSourceOutlet(ctx, id, key); err != nil {
			return model.Outlet{}, 0, err
		}
	}
	return o, id, nil
}

func editKey(ctx context.Context, st store.Store, key string, e Edit) (model.Outlet, int64, error) {
	if err := CheckKey(key); err != nil {
		return model.Outlet{}, 0, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	key = Key(key)
	o, err := st.GetOutlet(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		o = model.Outlet{Key: key}
	} else if err != nil {
		return model.Outlet{}, 0, err
	}
	if o, err = e.apply(o); err != nil {
		return model.Outlet{}, 0, err
	}
	if err := st.SaveOutlet(ctx, o); err != nil {
		return model.Outlet{}, 0, err
	}
	return o, 0, nil
}
