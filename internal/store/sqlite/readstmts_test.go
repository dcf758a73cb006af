package sqlite

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzJSONStrings: jsonStrings decodes whatever it is given exactly as
// json.Unmarshal into a []string does, errors included.
func FuzzJSONStrings(f *testing.F) {
	for _, s := range []string{`["ألن مكاري","مكاري"]`, `[]`, `[""]`, `null`, `["a", "b"]`, `["a\"b"]`, `["a","b",]`,
		`["a",,"b"]`, `["a"]["b"]`, `[1,2]`, `["\u003cb\u003e"]`, "[\"a\x01\"]", "[\"\xff\"]", `"a"`, `[`, `["]`, `["a","b"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := jsonStrings(s)
		var want []string
		werr := json.Unmarshal([]byte(s), &want)
		if (err != nil) != (werr != nil) {
			t.Fatalf("jsonStrings(%q): error %v, json.Unmarshal: %v", s, err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("jsonStrings(%q) = %#v, json.Unmarshal gives %#v", s, got, want)
		}
	})
}
