package fetch

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps what a server may ask for: a Retry-After of years is
// hostile or a bug, and a source should come back within a month anyway.
const maxRetryAfter = 30 * 24 * time.Hour

// ParseRetryAfter reads a Retry-After value — delay seconds or an HTTP date
// — relative to now. Absent, malformed or past values give 0.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	if d <= 0 {
		return 0
	}
	return min(d, maxRetryAfter)
}

// Backoff returns how long to wait after errorCount consecutive errors:
// base doubled for each error after the first, capped at max; 0 for no
// errors. It is deterministic, so schedules are reproducible; add jitter at
// the caller if many sources fail at once.
func Backoff(errorCount int, base, max time.Duration) time.Duration {
	if errorCount <= 0 || base <= 0 {
		return 0
	}
	d := base
	for i := 1; i < errorCount; i++ {
		if d >= max/2 {
			return max
		}
		d *= 2
	}
	if max > 0 && d > max {
		return max
	}
	return d
}
