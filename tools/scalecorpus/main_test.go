package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRunCopiesMovedAndRenamed(t *testing.T) {
	in := `{"source":"was","url":"https://www.spa.gov.sa/1","date_extracted":"2015-07-21 02:51:32","title":"خبر","content":"نص"}
{"source":"okaz","url":"https://www.okaz.com.sa/x?id=2","date_extracted":"2015-08-31 23:00:00","title":"آخر","content":"نص آخر"}
`
	var out bytes.Buffer
	if err := run(strings.NewReader(in), &out, 3); err != nil {
		t.Fatal(err)
	}
	var recs []map[string]string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r map[string]string
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 6 {
		t.Fatalf("%d records, want 6", len(recs))
	}
	urls := map[string]bool{}
	for _, r := range recs {
		if urls[r["url"]] {
			t.Errorf("URL %s twice", r["url"])
		}
		urls[r["url"]] = true
	}
	for i, want := range []string{"2015-07-21 02:51:32", "2015-08-31 23:00:00", "2015-08-21 02:51:32",
		"2015-10-01 23:00:00", "2015-09-21 02:51:32", "2015-10-31 23:00:00"} {
		if recs[i]["date_extracted"] != want {
			t.Errorf("record %d: date %s, want %s", i, recs[i]["date_extracted"], want)
		}
	}
	if recs[3]["url"] != "https://www.okaz.com.sa/x?copy=1&id=2" || recs[3]["content"] != "نص آخر" {
		t.Errorf("copy 1 of the second record: %v", recs[3])
	}
	if err := run(strings.NewReader("{"), &out, 2); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad JSON: err %v, want one naming line 1", err)
	}
	if err := run(strings.NewReader(in), &out, 0); err == nil {
		t.Error("-times 0 accepted")
	}
}
