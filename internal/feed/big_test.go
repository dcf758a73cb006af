package feed

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// bigRSS returns an RSS 2.0 feed of n items, each with an Arabic title,
// a summary and a content:encoded body of bodyRepeat × 60 bytes.
func bigRSS(n, bodyRepeat int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>كبير</title><link>https://big.example/</link>`)
	body := strings.Repeat("نص الخبر الكامل مع تفاصيل إضافية. ", bodyRepeat)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>خبر رقم %d</title><link>https://big.example/news/%d</link><guid>big-%d</guid><dc:creator>مراسل</dc:creator><pubDate>Tue, 28 Jul 2026 09:39:20 +0300</pubDate><description>ملخص الخبر %d</description><content:encoded><![CDATA[<p>%d %s</p>]]></content:encoded></item>`, i, i, i, i, i, body)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func TestTenThousandItems(t *testing.T) {
	data := bigRSS(10000, 1)
	f, err := Parse(data, "https://big.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 10000 || f.Items[9999].GUID != "big-9999" || f.Items[9999].URL != "https://big.example/news/9999" {
		t.Fatalf("%d items, last %+v", len(f.Items), f.Items[len(f.Items)-1])
	}
}

// BenchmarkParse10000Items reports allocation per parse and the live heap
// the parsed Feed keeps (heap-after-bytes, against text-bytes of item text)
// for a 10,000-item feed of 15 MB.
func BenchmarkParse10000Items(b *testing.B) {
	data := bigRSS(10000, 20) // 15 MB
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var f *Feed
	for b.Loop() {
		var err error
		if f, err = Parse(data, "https://big.example/feed"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	f = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, _ = Parse(data, "https://big.example/feed")
	var kept int
	for _, it := range f.Items {
		kept += len(it.Content) + len(it.Summary) + len(it.Title)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc)-float64(before.HeapAlloc), "heap-after-bytes")
	b.ReportMetric(float64(len(data)), "input-bytes")
	b.ReportMetric(float64(kept), "text-bytes")
	runtime.KeepAlive(f)
	runtime.KeepAlive(data) // else its 15 MB, freed after Parse, hide the Feed's
}
