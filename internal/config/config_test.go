package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFromEnv(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "khabar.conf")
	os.WriteFile(conf, []byte("# comment\nworkers = 3\nKHABAR_PER_HOST_DELAY=2s\nKHABAR_CONTACT=\"https://file.example\"\n"), 0o644)
	c, err := FromEnv([]string{"KHABAR_DATA=" + dir, "KHABAR_CONTACT=https://env.example", "KHABAR_ALLOW_PRIVATE_NETWORKS=true", "PATH=/bin"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != dir || c.Workers != 3 || c.PerHostDelay != 2*time.Second || !c.AllowPrivate {
		t.Errorf("config %+v", c)
	}
	if c.Contact != "https://env.example" {
		t.Errorf("the environment must win over the file: %q", c.Contact)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}

func TestErrorsNameTheSetting(t *testing.T) {
	for _, env := range [][]string{
		{"KHABAR_WORKERS=many"},
		{"KHABAR_LEASE=5"},
		{"KHABAR_ALLOW_PRIVATE_NETWORKS=perhaps"},
	} {
		_, err := FromEnv(env)
		key, _, _ := strings.Cut(env[0], "=")
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%v: error %v does not name %s", env, err, key)
		}
	}
	c := Default()
	c.Workers = 0
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "workers") {
		t.Errorf("Validate: %v", err)
	}
}

// A KHABAR_* variable of the environment that names no setting (a
// container's or a wrapper's own) is ignored and reported; the same key in
// a config file is a typo and stays an error that names it.
func TestUnknownEnvIgnored(t *testing.T) {
	dir := t.TempDir()
	c, err := FromEnv([]string{"KHABAR_DATA=" + dir, "KHABAR_WROKERS=2", "KHABAR_SOMETHING=1", "KHABAR_WORKERS=5"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"KHABAR_SOMETHING", "KHABAR_WROKERS"}; !slices.Equal(c.IgnoredEnv, want) {
		t.Errorf("IgnoredEnv = %q, want %q", c.IgnoredEnv, want)
	}
	if c.Workers != 5 {
		t.Errorf("the known settings beside them must apply: workers %d", c.Workers)
	}
	if c, err := FromEnv([]string{"KHABAR_DATA=" + dir}); err != nil || c.IgnoredEnv != nil {
		t.Errorf("nothing to ignore: %v %q", err, c.IgnoredEnv)
	}
	os.WriteFile(filepath.Join(dir, "khabar.conf"), []byte("wrokers = 2\n"), 0o644)
	_, err = FromEnv([]string{"KHABAR_DATA=" + dir})
	var unknown *UnknownSettingError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "KHABAR_WROKERS") {
		t.Errorf("unknown key in the config file: %v", err)
	}
}

func TestParseRetain(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"365d", 365 * 24 * time.Hour, ""},
		{"8760h", 8760 * time.Hour, ""},
		{"0", 0, ""},
		{"", 0, ""},
		{"12h", 0, "at least one day"},
		{"-5d", 0, "at least one day"},
		{"a year", 0, "number of days"},
		{"3x", 0, "number of days"},
	} {
		got, err := ParseRetain(tc.in)
		if tc.err == "" && (err != nil || got != tc.want) || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseRetain(%q) = %v, %v; want %v, error %q", tc.in, got, err, tc.want, tc.err)
		}
	}
	c, err := FromEnv([]string{"KHABAR_RETAIN=30d"})
	if err != nil || c.Retain != 30*24*time.Hour {
		t.Errorf("KHABAR_RETAIN=30d: %v, %v", c.Retain, err)
	}
	if _, err := FromEnv([]string{"KHABAR_RETAIN=soon"}); err == nil || !strings.Contains(err.Error(), "KHABAR_RETAIN") {
		t.Errorf("KHABAR_RETAIN=soon: %v", err)
	}
}

// KHABAR_LEASE is a Go duration between a second and a day; a value that
// does not parse, or falls outside, is an error that names the variable.
func TestLease(t *testing.T) {
	if c := Default(); c.Lease != 5*time.Minute {
		t.Errorf("default lease %v, want 5m", c.Lease)
	}
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"3s", 3 * time.Second},
		{"1s", time.Second},
		{"10m", 10 * time.Minute},
		{"24h", 24 * time.Hour},
		{"bad", 0},
		{"5", 0},
		{"", 0},
		{"0s", 0},
		{"-1m", 0},
		{"999ms", 0},
		{"24h1s", 0},
		{"9999999h", 0},
	} {
		c, err := FromEnv([]string{"KHABAR_LEASE=" + tc.in})
		if err == nil {
			err = c.Validate()
		}
		if tc.want == 0 {
			if err == nil || !strings.Contains(err.Error(), "KHABAR_LEASE") {
				t.Errorf("KHABAR_LEASE=%q: error %v, want one naming KHABAR_LEASE", tc.in, err)
			}
			continue
		}
		if err != nil || c.Lease != tc.want {
			t.Errorf("KHABAR_LEASE=%q: %v, %v; want %v", tc.in, c.Lease, err, tc.want)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "khabar.conf"), []byte("lease = 90s\n"), 0o644)
	if c, err := FromEnv([]string{"KHABAR_DATA=" + dir}); err != nil || c.Lease != 90*time.Second {
		t.Errorf("lease from the config file: %v, %v", c.Lease, err)
	}
}
