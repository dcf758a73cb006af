package search

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"khabar/internal/store"
)

// CSVHeader is the first row of an export.
var CSVHeader = []string{"id", "url", "title", "source", "country", "published", "tags", "entities"}

// CSVWriter writes export rows as CSV (RFC 4180): tags and entities are
// each one field, joined with " | "; published is RFC 3339 in UTC, empty
// when unknown. A field that a spreadsheet would read as a formula (it
// starts with = + - @) is written after an apostrophe.
type CSVWriter struct {
	w   *csv.Writer
	rec []string
}

// NewCSVWriter writes the header to w and returns the writer of rows.
func NewCSVWriter(w io.Writer) (*CSVWriter, error) {
	c := &CSVWriter{w: csv.NewWriter(w), rec: make([]string, len(CSVHeader))}
	if err := c.w.Write(CSVHeader); err != nil {
		return nil, fmt.Errorf("search: csv: %w", err)
	}
	return c, nil
}

// Write writes one row.
func (c *CSVWriter) Write(r *store.MatchRow) error {
	c.rec[0] = strconv.FormatInt(r.ID, 10)
	c.rec[1] = safeCell(r.URL)
	c.rec[2] = safeCell(r.Title)
	c.rec[3] = safeCell(r.Source)
	c.rec[4] = safeCell(r.Country)
	c.rec[5] = ""
	if !r.Published.IsZero() {
		c.rec[5] = r.Published.UTC().Format(time.RFC3339)
	}
	c.rec[6] = safeCell(strings.Join(r.Tags, " | "))
	c.rec[7] = safeCell(strings.Join(r.Entities, " | "))
	if err := c.w.Write(c.rec); err != nil {
		return fmt.Errorf("search: csv: %w", err)
	}
	return nil
}

// Flush writes what is buffered.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("search: csv: %w", err)
	}
	return nil
}

// safeCell keeps a spreadsheet from running a cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
