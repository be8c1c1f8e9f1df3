// Package console serves the admin console — the React app built from
// clients/console into dist/ — from the binary itself at /console, so `go
// run` serves it with no Node at run time. CI rebuilds dist/ from source and
// fails if the committed bundle differs.
package console

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

//go:embed dist
var files embed.FS

// Issuers lists the OpenID Connect issuers pools sign operators in with:
// the console's sign-in talks to them (discovery, token endpoint), so the
// page's CSP names their origins and nothing else beyond its own.
type Issuers func(ctx context.Context) ([]string, error)

// Handler serves the console: index.html at /console/ (with the query an
// OpenID Connect provider redirects back with), its hashed assets under
// /console/assets/. Routing is in the URL's fragment, so no other path is
// the app.
func Handler(issuers Issuers) http.Handler {
	dist, _ := fs.Sub(files, "dist")
	mux := http.NewServeMux()
	mux.Handle("GET /console", http.RedirectHandler("/console/", http.StatusMovedPermanently))
	mux.HandleFunc("GET /console/{$}", func(w http.ResponseWriter, r *http.Request) {
		page, err := fs.ReadFile(dist, "index.html")
		if err != nil {
			http.Error(w, "the console was not built into this binary (see clients/console)", http.StatusNotFound)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", policy(r.Context(), issuers))
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("Referrer-Policy", "no-referrer") // an OIDC code in the URL goes nowhere else
		h.Set("X-Frame-Options", "DENY")
		_, _ = w.Write(page)
	})
	assets := http.StripPrefix("/console/", http.FileServerFS(dist))
	// The notices of the third-party code the bundle holds.
	mux.HandleFunc("GET /console/licenses.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		assets.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /console/assets/", func(w http.ResponseWriter, r *http.Request) {
		// Content-hashed names: a file never changes under its name.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		assets.ServeHTTP(w, r)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
	})
}

// policy is the page's Content-Security-Policy: its own scripts and
// styles only (no inline script), and requests to this server and to the
// pools' identity providers.
func policy(ctx context.Context, issuers Issuers) string {
	connect := []string{"'self'"}
	if issuers != nil {
		list, _ := issuers(ctx) // without them only OIDC sign-in fails, and says so
		seen := map[string]bool{}
		for _, iss := range list {
			if u, err := url.Parse(iss); err == nil && u.Host != "" && !seen[u.Scheme+"://"+u.Host] {
				seen[u.Scheme+"://"+u.Host] = true
				connect = append(connect, u.Scheme+"://"+u.Host)
			}
		}
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src " + strings.Join(connect, " ") + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
}
