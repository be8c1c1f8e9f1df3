package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"usergraph/model"
)

// UnknownParams refuses a request whose URL names a query parameter its
// route does not take (BAD_REQUEST, field: the first such name). A
// parameter the server ignored would make a misspelt or unsupported
// option — dryrun for dryRun — run the request as if it had not been
// given, so every route says which it takes, and answers this error in
// its own format.
func UnknownParams(req *http.Request, allowed ...string) error {
	var unknown []string
	for name := range req.URL.Query() {
		if !slices.Contains(allowed, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	takes := "takes no query parameters"
	if len(allowed) > 0 {
		takes = "takes only " + strings.Join(allowed, ", ")
	}
	field := unknown[0]
	if len(field) > 64 {
		field = strings.ToValidUTF8(field[:64], "")
	}
	return &model.Error{Code: model.CodeBadRequest, Field: field,
		Message: fmt.Sprintf("unknown query parameter %s: %s %s", quoted(unknown), req.URL.Path, takes)}
}

// quoted lists the names for a message: at most five, each cut to 64
// bytes, so a client cannot make the answer echo much of what it sent.
func quoted(names []string) string {
	var q []string
	for i, n := range names {
		if i == 5 {
			q = append(q, fmt.Sprintf("and %d more", len(names)-5))
			break
		}
		if len(n) > 64 {
			n = strings.ToValidUTF8(n[:64], "") + "…"
		}
		q = append(q, fmt.Sprintf("%q", n))
	}
	return strings.Join(q, ", ")
}

// OnlyParams answers a request with a query parameter h does not take
// with 400 and the reason in plain text, for the routes outside the API
// (health, readiness, metrics, the playground).
func OnlyParams(h http.Handler, allowed ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if err := UnknownParams(req, allowed...); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h.ServeHTTP(w, req)
	})
}
