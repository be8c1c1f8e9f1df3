// Package playground serves the GraphiQL playground from the binary itself,
// so it works on networks that cannot reach a CDN. The third-party assets
// come from npm at pinned versions (update-assets.sh), with their licences.
package playground

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed index.html playground.js playground.css assets
var files embed.FS

// csp allows nothing from any other host: the page loads only its own
// scripts and styles and talks only to this server. (GraphiQL sets inline
// styles, hence 'unsafe-inline' for styles alone.)
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Handler serves the page at / and its files under /playground/.
func Handler() http.Handler {
	assets, _ := fs.Sub(files, "assets")
	mux := http.NewServeMux()
	static := http.FileServerFS(files)
	mux.Handle("GET /playground/playground.js", http.StripPrefix("/playground", static))
	mux.Handle("GET /playground/playground.css", http.StripPrefix("/playground", static))
	mux.Handle("GET /playground/", http.StripPrefix("/playground/", http.FileServerFS(assets)))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeFileFS(w, r, files, "index.html")
	})
	return withHeaders(mux)
}

// withHeaders lets browsers cache the assets briefly and never sniff types.
func withHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path != "/" {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		h.ServeHTTP(w, r)
	})
}
