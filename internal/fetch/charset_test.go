package fetch

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// encode returns s in the named encoding, made with x/text encoders.
func encode(t testing.TB, name, s string) []byte {
	t.Helper()
	var e encoding.Encoding
	switch name {
	case "windows-1256":
		e = charmap.Windows1256
	case "iso-8859-6":
		e = charmap.ISO8859_6
	case "utf-16le-bom":
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case "utf-16be-bom":
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case "utf-16le":
		e = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case "utf-8-bom":
		return append([]byte("\xef\xbb\xbf"), s...)
	case "utf-8":
		return []byte(s)
	default:
		t.Fatalf("unknown encoding %s", name)
	}
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeToUTF8(t *testing.T) {
	// ISO-8859-6 has no Arabic-Indic digits or ی; keep to what every
	// encoding here can carry.
	const text = "خبر عاجل، من القاهرة؟ نعم؛ الثلاثاء"
	tests := []struct {
		name, enc, contentType, doc, wantCharset string
	}{
		{"http charset windows-1256", "windows-1256", "text/html; charset=windows-1256", "<p>%s</p>", "windows-1256"},
		{"http charset iso-8859-6", "iso-8859-6", "text/plain; charset=ISO-8859-6", "%s", "iso-8859-6"},
		{"xml prolog windows-1256", "windows-1256", "application/rss+xml", `<?xml version="1.0" encoding="windows-1256"?><t>%s</t>`, "windows-1256"},
		{"xml prolog iso-8859-6, single quotes", "iso-8859-6", "text/xml", `<?xml version='1.0' encoding='ISO-8859-6'?><t>%s</t>`, "iso-8859-6"},
		{"meta charset", "windows-1256", "text/html", `<html><head><meta charset="windows-1256"><title>x</title></head><body>%s</body></html>`, "windows-1256"},
		{"meta http-equiv", "iso-8859-6", "", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6"></head><body>%s</body></html>`, "iso-8859-6"},
		{"utf-16le bom", "utf-16le-bom", "application/xml", `<?xml version="1.0" encoding="UTF-16"?><t>%s</t>`, "utf-16le"},
		{"utf-16be bom", "utf-16be-bom", "application/xml", `<?xml version="1.0" encoding="UTF-16"?><t>%s</t>`, "utf-16be"},
		{"utf-16le no bom", "utf-16le", "application/xml", `<?xml version="1.0" encoding="UTF-16"?><t>%s</t>`, "utf-16le"},
		{"utf-16 http charset", "utf-16le-bom", "text/plain; charset=utf-16", `%s`, "utf-16le"},
		{"utf-8 bom", "utf-8-bom", "text/html", `<p>%s</p>`, "utf-8"},
		{"utf-8 no declaration", "utf-8", "", `<p>%s</p>`, "utf-8"},
		{"http says utf-8, body is windows-1256 per prolog", "windows-1256", "application/xml; charset=utf-8", `<?xml version="1.0" encoding="windows-1256"?><t>%s</t>`, "windows-1256"},
		{"undeclared windows-1256", "windows-1256", "text/html", `<p>%s</p>`, "windows-1256"},
		{"bom beats wrong http charset", "utf-8-bom", "text/html; charset=windows-1256", `<p>%s</p>`, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(tt.doc, "%s", text, 1)
			out, cs, err := DecodeToUTF8(encode(t, tt.enc, doc), tt.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if cs != tt.wantCharset {
				t.Errorf("charset %q, want %q", cs, tt.wantCharset)
			}
			if !strings.Contains(string(out), text) {
				t.Errorf("text lost: %q", out)
			}
			if bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
				t.Error("BOM kept")
			}
			if strings.HasPrefix(string(out), "<?xml") && !strings.Contains(string(out), `encoding="UTF-8"`) && !strings.Contains(string(out), `encoding='UTF-8'`) {
				t.Errorf("prolog not rewritten: %q", out)
			}
			low := strings.ToLower(string(out))
			if strings.Contains(low, "windows-1256") || strings.Contains(low, "iso-8859-6") {
				t.Errorf("old declaration left: %q", out)
			}
		})
	}
}

func TestDecodeLeavesBinaryAlone(t *testing.T) {
	img := []byte{0x89, 'P', 'N', 'G', 0xff, 0x00}
	out, cs, err := DecodeToUTF8(img, "image/png")
	if err != nil || cs != "" || !bytes.Equal(out, img) {
		t.Errorf("got %q %q %v", out, cs, err)
	}
}

func TestDecodeRepairsBrokenUTF8(t *testing.T) {
	in := []byte("خبر \xff عاجل خبر عاجل خبر عاجل خبر عاجل")
	out, cs, err := DecodeToUTF8(in, "text/plain; charset=utf-8")
	if err != nil || cs != "utf-8" || !strings.Contains(string(out), "\uFFFD") || !strings.Contains(string(out), "عاجل") {
		t.Errorf("got %q %q %v", out, cs, err)
	}
}

func FuzzDecodeToUTF8(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1256"?><a>`+"\xc7\xe1\xde\xcf\xd3"+`</a>`), "application/xml")
	f.Add([]byte("\xff\xfe<\x00a\x00>\x00"), "")
	f.Add([]byte(`<meta charset="iso-8859-6">`+"\xc7"), "text/html")
	f.Add([]byte("plain"), "text/plain; charset=utf-16")
	f.Add([]byte("\xfe\xff\x00<"), "text/xml; charset=bogus")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		out, cs, err := DecodeToUTF8(body, ct)
		if err != nil {
			return
		}
		if !IsText(ct) {
			if !bytes.Equal(out, body) {
				t.Fatal("non-text body changed")
			}
			return
		}
		if cs == "" {
			t.Fatal("text decoded with no charset name")
		}
		if !utf8Valid(out) {
			t.Fatalf("output is not valid UTF-8: %q", out)
		}
	})
}
