// Package archtest keeps the package layout honest: it reads the imports of
// every khabar package with `go list` and checks the edges docs/DESIGN.md
// promises (pure packages do no I/O, model and arabic need only the
// standard library, nothing but cli wires the program together).
package archtest

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "khabar/...").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 {
			m[f[0]] = f[1:]
		}
	}
	if len(m) < 10 {
		t.Fatalf("go list found only %d packages", len(m))
	}
	return m
}

func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".") && first != "khabar"
}

func TestImportEdges(t *testing.T) {
	const k = "khabar/internal/"
	pure := []string{"feed", "extract", "analysis", "keywords", "entities", "dedup", "cluster"}
	ioImports := []string{"net/http", "database/sql", "os/exec", "net", k + "store", k + "fetch", k + "ingest"}
	for pkg, imps := range imports(t) {
		name := strings.TrimPrefix(pkg, k)
		for _, imp := range imps {
			switch {
			case name == "model" && !isStd(imp):
				t.Errorf("%s imports %s: model needs only the standard library", pkg, imp)
			case (name == "arabic" || strings.HasPrefix(name, "arabic/")) && !isStd(imp) &&
				!strings.HasPrefix(imp, "golang.org/x/text/") && !strings.HasPrefix(imp, k+"arabic"):
				t.Errorf("%s imports %s: arabic needs only the standard library and x/text", pkg, imp)
			case name == "fetch" && (imp == k+"model" || strings.HasPrefix(imp, k+"store")):
				t.Errorf("%s imports %s: fetch knows nothing of the model or the store", pkg, imp)
			case (imp == k+"cli" && pkg != "khabar/cmd/khabar") || (imp == k+"config" && name != "cli"):
				t.Errorf("%s imports %s: only cmd/khabar imports cli, and only cli imports config", pkg, imp)
			case name == "store/sqlite" && strings.HasPrefix(imp, k+"store/postgres"),
				name == "store/postgres" && strings.HasPrefix(imp, k+"store/sqlite"):
				t.Errorf("%s imports %s: the backends never import each other", pkg, imp)
			case name == "greader" || name == "fever":
				if strings.HasPrefix(imp, k+"store/") || imp == k+"web" || imp == k+"api" {
					t.Errorf("%s imports %s: the reader APIs see store interfaces, never a backend, nor the portal or the JSON API", pkg, imp)
				}
			case name == "web" || name == "api":
				if strings.HasPrefix(imp, k+"store/") && imp != k+"store/storetest" {
					t.Errorf("%s imports %s: the portal and the API see store interfaces, never a backend", pkg, imp)
				}
				if other := map[string]string{"web": "api", "api": "web"}[name]; imp == k+other || strings.HasPrefix(imp, k+other+"/") {
					t.Errorf("%s imports %s: the portal and the API are two faces over the same services, not over each other", pkg, imp)
				}
			}
			for _, p := range pure {
				if name != p && !strings.HasPrefix(name, p+"/") {
					continue
				}
				for _, bad := range ioImports {
					if imp == bad || strings.HasPrefix(imp, bad+"/") && strings.HasPrefix(bad, k) {
						t.Errorf("%s imports %s: %s is a pure package and does no I/O", pkg, imp, p)
					}
				}
			}
		}
	}
}
