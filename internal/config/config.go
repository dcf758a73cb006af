// Package config holds khabar's configuration: defaults, values from the
// environment and a config file, and validation. Flags are applied by the
// cli package on top. There is no package-level state: a Config is a value
// passed down explicitly.
package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is everything khabar can be told.
type Config struct {
	DataDir      string // KHABAR_DATA; holds khabar.db and local files
	DatabaseURL  string // KHABAR_DATABASE_URL; empty selects the embedded SQLite store
	AllowPrivate bool   // KHABAR_ALLOW_PRIVATE_NETWORKS: fetch loopback and private addresses
	AdminToken   string // KHABAR_ADMIN_TOKEN; generated at first start when empty
	Contact      string // KHABAR_CONTACT: URL or e-mail named in the User-Agent
	LogFormat    string // KHABAR_LOG_FORMAT: "text" or "json"
	LogLevel     string // KHABAR_LOG_LEVEL: debug, info, warn, error

	Addr          string        // KHABAR_ADDR, serve's listen address
	CrawlEvery    time.Duration // KHABAR_CRAWL_EVERY: how often serve looks for due sources
	FetchTimeout  time.Duration // KHABAR_FETCH_TIMEOUT: total time for one request
	PerHostDelay  time.Duration // KHABAR_PER_HOST_DELAY: pause between requests to one host
	Workers       int           // KHABAR_WORKERS: sources crawled at once
	Lease         time.Duration // KHABAR_LEASE: how long a crawling worker holds a host from other workers
	MaxBodyBytes  int64         // KHABAR_MAX_BODY_BYTES: largest response body read
	MaxItems      int           // KHABAR_MAX_ITEMS: items taken from one feed per fetch
	SMTPAddr      string        // KHABAR_SMTP_ADDR host:port, for e-mail alerts
	SMTPFrom      string        // KHABAR_SMTP_FROM
	SMTPUser      string        // KHABAR_SMTP_USER
	SMTPPassword  string        // KHABAR_SMTP_PASSWORD
	RespectRobots bool          // KHABAR_RESPECT_ROBOTS (default true)
	RateLimit     float64       // KHABAR_RATE_LIMIT: search and API requests per second per client; 0 disables
	RateBurst     int           // KHABAR_RATE_BURST: requests a client may send at once
	Retain        time.Duration // KHABAR_RETAIN: serve prunes articles older than this ("365d"); 0 keeps all

	// IgnoredEnv lists the KHABAR_* variables of the environment that name
	// no setting, sorted. Containers and wrappers set variables of their
	// own; they are ignored with a warning rather than stopping khabar. An
	// unknown key in a config file is still an error.
	IgnoredEnv []string
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		DataDir:       "./khabar-data",
		LogFormat:     "text",
		LogLevel:      "info",
		Addr:          "127.0.0.1:8080",
		CrawlEvery:    time.Minute,
		FetchTimeout:  30 * time.Second,
		PerHostDelay:  time.Second,
		Workers:       8,
		Lease:         5 * time.Minute,
		MaxBodyBytes:  16 << 20,
		MaxItems:      200,
		RespectRobots: true,
		RateLimit:     10,
		RateBurst:     40,
	}
}

// FromEnv returns Default with the KHABAR_* variables of env applied, and
// then the file named by KHABAR_CONFIG (or <data>/khabar.conf when it
// exists) under them: the environment wins over the file.
func FromEnv(env []string) (Config, error) {
	c := Default()
	vars := map[string]string{}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		// KHABAR_TEST_* belong to the test suites, not to khabar.
		if ok && strings.HasPrefix(k, "KHABAR_") && !strings.HasPrefix(k, "KHABAR_TEST_") {
			vars[k] = v
		}
	}
	for k, v := range vars {
		var unknown *UnknownSettingError
		if err := new(Config).Apply(map[string]string{k: v}); errors.As(err, &unknown) {
			c.IgnoredEnv = append(c.IgnoredEnv, k)
			delete(vars, k)
		}
	}
	slices.Sort(c.IgnoredEnv)
	if d := vars["KHABAR_DATA"]; d != "" {
		c.DataDir = d
	}
	file := vars["KHABAR_CONFIG"]
	if file == "" {
		if p := filepath.Join(c.DataDir, "khabar.conf"); fileExists(p) {
			file = p
		}
	}
	if file != "" {
		fileVars, err := readFile(file)
		if err != nil {
			return c, err
		}
		for k, v := range fileVars {
			if _, set := vars[k]; !set {
				vars[k] = v
			}
		}
	}
	if err := c.Apply(vars); err != nil {
		return c, err
	}
	return c, nil
}

// UnknownSettingError is Apply's error for a key that names no setting.
type UnknownSettingError struct{ Key string }

func (e *UnknownSettingError) Error() string { return "config: unknown setting " + e.Key }

// Apply sets the fields named by KHABAR_* keys. Unknown keys are an error
// (*UnknownSettingError) so that a typo in a config file does not pass
// silently.
func (c *Config) Apply(vars map[string]string) error {
	for k, v := range vars {
		var err error
		switch k {
		case "KHABAR_DATA":
			c.DataDir = v
		case "KHABAR_CONFIG":
		case "KHABAR_DATABASE_URL":
			c.DatabaseURL = v
		case "KHABAR_ALLOW_PRIVATE_NETWORKS":
			c.AllowPrivate, err = parseBool(v)
		case "KHABAR_ADMIN_TOKEN":
			c.AdminToken = v
		case "KHABAR_CONTACT":
			c.Contact = v
		case "KHABAR_LOG_FORMAT":
			c.LogFormat = v
		case "KHABAR_LOG_LEVEL":
			c.LogLevel = v
		case "KHABAR_ADDR":
			c.Addr = v
		case "KHABAR_CRAWL_EVERY":
			c.CrawlEvery, err = time.ParseDuration(v)
		case "KHABAR_FETCH_TIMEOUT":
			c.FetchTimeout, err = time.ParseDuration(v)
		case "KHABAR_PER_HOST_DELAY":
			c.PerHostDelay, err = time.ParseDuration(v)
		case "KHABAR_WORKERS":
			c.Workers, err = strconv.Atoi(v)
		case "KHABAR_LEASE":
			c.Lease, err = time.ParseDuration(v)
		case "KHABAR_MAX_BODY_BYTES":
			c.MaxBodyBytes, err = strconv.ParseInt(v, 10, 64)
		case "KHABAR_MAX_ITEMS":
			c.MaxItems, err = strconv.Atoi(v)
		case "KHABAR_SMTP_ADDR":
			c.SMTPAddr = v
		case "KHABAR_SMTP_FROM":
			c.SMTPFrom = v
		case "KHABAR_SMTP_USER":
			c.SMTPUser = v
		case "KHABAR_SMTP_PASSWORD":
			c.SMTPPassword = v
		case "KHABAR_RESPECT_ROBOTS":
			c.RespectRobots, err = parseBool(v)
		case "KHABAR_RATE_LIMIT":
			c.RateLimit, err = strconv.ParseFloat(v, 64)
		case "KHABAR_RATE_BURST":
			c.RateBurst, err = strconv.Atoi(v)
		case "KHABAR_RETAIN":
			c.Retain, err = ParseRetain(v)
		default:
			return &UnknownSettingError{Key: k}
		}
		if err != nil {
			return fmt.Errorf("config: %s=%q: %w", k, v, err)
		}
	}
	return nil
}

// ParseRetain reads a retention period: a number of days ("365d"), or a
// Go duration ("8760h"); "0" or "" keeps everything.
func ParseRetain(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "0" {
		return 0, nil
	}
	var d time.Duration
	if n, ok := strings.CutSuffix(v, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("retention %q: want a number of days such as 365d, or a duration such as 8760h", v)
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			return 0, fmt.Errorf("retention %q: want a number of days such as 365d, or a duration such as 8760h", v)
		}
	}
	if d < 24*time.Hour {
		return 0, fmt.Errorf("retention %q: keep at least one day", v)
	}
	return d, nil
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.DataDir == "":
		return fmt.Errorf("config: the data folder is empty (set --data or KHABAR_DATA)")
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("config: log format %q: want text or json", c.LogFormat)
	case c.CrawlEvery <= 0:
		return fmt.Errorf("config: crawl interval must be positive, got %s", c.CrawlEvery)
	case c.FetchTimeout <= 0:
		return fmt.Errorf("config: fetch timeout must be positive, got %s", c.FetchTimeout)
	case c.PerHostDelay < 0:
		return fmt.Errorf("config: per-host delay must not be negative, got %s", c.PerHostDelay)
	case c.Workers < 1:
		return fmt.Errorf("config: workers must be at least 1, got %d", c.Workers)
	case c.Lease < time.Second || c.Lease > 24*time.Hour:
		// Renewed every third of itself, a lease under a second would
		// have a worker writing to the store all the time; one over a day
		// would keep a dead worker's hosts from the others longer than a day.
		return fmt.Errorf("config: lease (KHABAR_LEASE) must be between 1s and 24h, got %s", c.Lease)
	case c.MaxBodyBytes < 1024:
		return fmt.Errorf("config: max body bytes must be at least 1024, got %d", c.MaxBodyBytes)
	case c.MaxItems < 1:
		return fmt.Errorf("config: max items must be at least 1, got %d", c.MaxItems)
	case c.RateLimit < 0:
		return fmt.Errorf("config: rate limit must not be negative, got %g", c.RateLimit)
	case c.RateLimit > 0 && c.RateBurst < 1:
		return fmt.Errorf("config: rate burst must be at least 1, got %d", c.RateBurst)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log level %q: want debug, info, warn or error", c.LogLevel)
	}
	return nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true, nil
	case "", "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean")
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// readFile reads KEY=value lines; # starts a comment.
func readFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	vars := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("config: %s:%d: want KEY=value, got %q", path, n, line)
		}
		k = strings.TrimSpace(k)
		if !strings.HasPrefix(k, "KHABAR_") {
			k = "KHABAR_" + strings.ToUpper(k)
		}
		vars[k] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return vars, sc.Err()
}
