package console

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestServesTheBuiltConsole: the page with a strict CSP naming the pools'
// identity providers and no inline script, also when a provider sends the
// browser back with its code; hashed assets cached for good; the bare path
// redirected.
func TestServesTheBuiltConsole(t *testing.T) {
	h := Handler(func(context.Context) ([]string, error) {
		return []string{"https://idp.example.com/realms/acme", "https://idp.example.com/realms/other", "http://127.0.0.1:5556/dex"}, nil
	})
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	for _, path := range []string{"/console/", "/console/?code=abc&state=xyz"} {
		r := get(path)
		csp := r.Header().Get("Content-Security-Policy")
		if r.Code != 200 || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") ||
			!strings.Contains(csp, "connect-src 'self' https://idp.example.com http://127.0.0.1:5556;") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: %d, CSP %q", path, r.Code, csp)
		}
		body := r.Body.String()
		if strings.Contains(body, "<script>") || (strings.Contains(body, "<script") && !strings.Contains(body, `src="/console/assets/`)) {
			t.Errorf("%s: the page has an inline script", path)
		}
	}
	if r := get("/console"); r.Code != http.StatusMovedPermanently || r.Header().Get("Location") != "/console/" {
		t.Errorf("/console: %d %q", r.Code, r.Header().Get("Location"))
	}
	assets, _ := fs.Glob(files, "dist/assets/*.js")
	if len(assets) == 0 {
		t.Fatal("no script in dist/assets: build the console (clients/console: npm run build)")
	}
	r := get("/console/" + strings.TrimPrefix(assets[0], "dist/"))
	if r.Code != 200 || !strings.Contains(r.Header().Get("Cache-Control"), "immutable") || !strings.Contains(r.Header().Get("Content-Type"), "javascript") {
		t.Errorf("%s: %d %v", assets[0], r.Code, r.Header())
	}
	if r := get("/console/licenses.txt"); r.Code != 200 || !strings.Contains(r.Body.String(), "react-dom") {
		t.Errorf("licenses.txt: %d", r.Code)
	}
	if r := get("/console/assets/nope.js"); r.Code != 404 {
		t.Errorf("an unknown asset: %d", r.Code)
	}
}
