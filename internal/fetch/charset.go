package fetch

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// sniffLen is how far into a document its encoding declaration is looked
// for, as the HTML standard's prescan does.
const sniffLen = 1024

// fallbackCharset is used for text that declares no encoding and is not
// valid UTF-8. khabar reads Arabic news first, and windows-1256 is what
// undeclared legacy Arabic pages are written in.
const fallbackCharset = "windows-1256"

var (
	xmlEncodingDecl = regexp.MustCompile(`^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
	metaCharset     = regexp.MustCompile(`(?i)<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)`)
)

// IsText reports whether a Content-Type names text that Get decodes to
// UTF-8: text/*, XML, JSON, and an absent type.
func IsText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	switch {
	case mt == "":
		return true
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "/xml"),
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "/json"),
		mt == "application/javascript":
		return true
	}
	return false
}

// DecodeToUTF8 converts a text body to UTF-8 and returns it with the name
// of the encoding it was read in. The encoding comes from, in order: a
// byte-order mark; the charset of contentType (unless it claims UTF-8 for a
// body that is not); the XML declaration's encoding; an HTML <meta charset>
// or http-equiv in the first 1024 bytes; UTF-8 if the body is valid UTF-8;
// else windows-1256. An encoding declaration inside the document is
// rewritten to UTF-8 so that parsers do not decode a second time. Invalid
// sequences become U+FFFD. A body that is not text (by contentType) is
// returned as it is, with an empty name.
func DecodeToUTF8(body []byte, contentType string) ([]byte, string, error) {
	if !IsText(contentType) {
		return body, "", nil
	}
	enc, name := detectEncoding(body, contentType)
	var out []byte
	if name == "utf-8" {
		out = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(out) {
			out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
		}
	} else {
		var err error
		out, err = enc.NewDecoder().Bytes(body)
		if err != nil {
			return nil, name, fmt.Errorf("fetch: decoding %s body: %w", name, err)
		}
		out = bytes.TrimPrefix(out, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(out) {
			out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
		}
	}
	return rewriteDeclarations(out), name, nil
}

// detectEncoding implements the order DecodeToUTF8 documents.
func detectEncoding(body []byte, contentType string) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return encoding.Nop, "utf-8"
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	// UTF-16 without a BOM, recognised by "<?" or "<" followed by a NUL.
	case bytes.HasPrefix(body, []byte("<\x00")):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"
	case bytes.HasPrefix(body, []byte("\x00<")):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be"
	}
	valid := utf8.Valid(body)
	declaredUTF8 := false
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		e, name := lookup(params["charset"])
		if e != nil && !(name == "utf-8" && !valid) {
			return e, name
		}
		declaredUTF8 = name == "utf-8"
	}
	head := body
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	if m := xmlEncodingDecl.FindSubmatch(bytes.TrimLeft(head, " \t\r\n")); m != nil {
		e, name := lookup(string(m[1]))
		if e != nil && !(name == "utf-8" && !valid) {
			return e, name
		}
		declaredUTF8 = declaredUTF8 || name == "utf-8"
	}
	if m := metaCharset.FindSubmatch(head); m != nil {
		e, name := lookup(string(m[1]))
		if e != nil && !(name == "utf-8" && !valid) {
			return e, name
		}
		declaredUTF8 = declaredUTF8 || name == "utf-8"
	}
	// A body declared UTF-8, or mostly UTF-8 with a few broken bytes, is
	// UTF-8 with damage, not a legacy encoding.
	if valid || declaredUTF8 || mostlyUTF8(body) {
		return encoding.Nop, "utf-8"
	}
	e, name := lookup(fallbackCharset)
	return e, name
}

// mostlyUTF8 reports whether body has at least ten valid multi-byte UTF-8
// sequences for each invalid byte: legacy single-byte text almost never
// forms valid multi-byte sequences by chance.
func mostlyUTF8(body []byte) bool {
	multi, bad := 0, 0
	for i := 0; i < len(body); {
		if body[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		} else {
			multi++
		}
		i += n
	}
	return multi >= 10*bad && multi > 0
}

// lookup resolves a charset label the WHATWG way, except that UTF-16
// labels keep their byte order and honour a BOM. Unknown labels give nil.
func lookup(label string) (encoding.Encoding, string) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch label {
	case "":
		return nil, ""
	case "utf-16", "utf16":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf-16le"
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "utf-16be"
	case "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf-16le"
	}
	e, name := charset.Lookup(label)
	if e == nil {
		return nil, ""
	}
	if name == "utf-8" {
		return encoding.Nop, "utf-8"
	}
	return e, name
}

var (
	xmlDeclEncodingValue = regexp.MustCompile(`^(\s*<\?xml[^>]*?\sencoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])`)
	metaCharsetValue     = regexp.MustCompile(`(?i)(<meta[^>]+?charset\s*=\s*["']?\s*)([A-Za-z0-9._:-]+)`)
)

// rewriteDeclarations sets the XML declaration's encoding and the first
// HTML meta charset, if any, to UTF-8: the body is UTF-8 now, and a parser
// that believed the old declaration would decode it again.
func rewriteDeclarations(b []byte) []byte {
	// Decoding can grow the head (one byte to two or three), so look a
	// little further than the sniffing did.
	n := min(len(b), 4*sniffLen)
	head := b[:n]
	var newHead []byte
	if loc := xmlDeclEncodingValue.FindSubmatchIndex(head); loc != nil {
		if !strings.EqualFold(string(head[loc[4]:loc[5]]), "utf-8") {
			newHead = append(append(append([]byte{}, head[:loc[4]]...), "UTF-8"...), head[loc[5]:]...)
		}
	} else if loc := metaCharsetValue.FindSubmatchIndex(head); loc != nil {
		if !strings.EqualFold(string(head[loc[4]:loc[5]]), "utf-8") {
			newHead = append(append(append([]byte{}, head[:loc[4]]...), "utf-8"...), head[loc[5]:]...)
		}
	}
	if newHead == nil {
		return b
	}
	return append(newHead, b[n:]...)
}
