package fetch

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// readBody reads resp's body, undoing a gzip or deflate Content-Encoding,
// and fails with ErrTooLarge as soon as either the wire bytes or the
// decoded bytes pass limit — never buffering more than limit+1 bytes of
// either, so a multi-GiB body or a gzip bomb costs at most limit of memory.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d is over the limit of %d bytes", ErrTooLarge, resp.ContentLength, limit)
	}
	wire := &limitReader{r: resp.Body, n: limit, what: "body"}
	var r io.Reader = wire
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(wire)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		// "deflate" is meant to be zlib-wrapped, but servers send raw
		// DEFLATE as often; peek at the zlib header to tell.
		br := &peekReader{r: wire}
		hdr, err := br.peek(2)
		if err != nil {
			return nil, fmt.Errorf("deflate: %w", err)
		}
		if len(hdr) == 2 && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("deflate: %w", err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			r = fr
		}
	default:
		return nil, fmt.Errorf("fetch: unsupported Content-Encoding %q", enc)
	}
	if r != io.Reader(wire) {
		r = &limitReader{r: r, n: limit, what: "decompressed body"}
	}
	size := int64(32 << 10)
	if resp.ContentLength > 0 {
		size = resp.ContentLength + 1 // room to read the EOF without growing
	}
	return readCapped(r, min(size, limit+1), limit+1)
}

// readCapped reads r to EOF into a buffer that starts at size and doubles,
// but never past capacity: bytes.Buffer would double to twice the limit, and
// a crawl reads many bodies at once. r must fail by itself (a limitReader)
// before capacity bytes are exceeded.
func readCapped(r io.Reader, size, capacity int64) ([]byte, error) {
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			if int64(cap(buf)) >= capacity {
				return nil, fmt.Errorf("%w: body is over the limit of %d bytes", ErrTooLarge, capacity-1)
			}
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), capacity))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			if errors.Is(err, io.EOF) {
				return buf, nil
			}
			return nil, err
		}
	}
}

// limitReader fails with ErrTooLarge once more than n bytes were read.
type limitReader struct {
	r    io.Reader
	n    int64
	read int64
	what string
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.read > l.n {
		return 0, fmt.Errorf("%w: %s is over the limit of %d bytes", ErrTooLarge, l.what, l.n)
	}
	// Read at most one byte past the limit: enough to know it was passed.
	if rem := l.n + 1 - l.read; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	if l.read > l.n {
		return n, fmt.Errorf("%w: %s is over the limit of %d bytes", ErrTooLarge, l.what, l.n)
	}
	return n, err
}

// peekReader lets readBody look at the first bytes without losing them.
type peekReader struct {
	r   io.Reader
	buf []byte
}

func (p *peekReader) peek(n int) ([]byte, error) {
	for len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		m, err := p.r.Read(b)
		p.buf = append(p.buf, b[:m]...)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return p.buf, nil
			}
			return p.buf, err
		}
	}
	return p.buf, nil
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}
