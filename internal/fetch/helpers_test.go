package fetch

import (
	"compress/flate"
	"compress/zlib"
	"io"
	"unicode/utf8"
)

func zlibNewWriter(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) }

func flateNewWriter(w io.Writer) io.WriteCloser {
	fw, _ := flate.NewWriter(w, flate.DefaultCompression)
	return fw
}

func utf8Valid(b []byte) bool { return utf8.Valid(b) }
