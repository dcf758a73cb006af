package config

import (
	"os"
	"path/filepath"
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
		{"KHABAR_ALLOW_PRIVATE_NETWORKS=perhaps"},
		{"KHABAR_WROKERS=2"},
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
