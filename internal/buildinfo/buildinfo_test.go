package buildinfo

import (
	"strings"
	"testing"
)

// TestStampedWins: values a release build stamps in are what the version
// line says; unstamped ones fall back (a test binary has no VCS stamp).
func TestStampedWins(t *testing.T) {
	defer func(v, r, d string) { Version, Revision, Date = v, r, d }(Version, Revision, Date)
	Version, Revision, Date = "v1.2.3", "0123abc", "2026-12-07T10:00:00Z"
	got := Get().String()
	for _, want := range []string{"usergraph v1.2.3", "revision 0123abc", "built 2026-12-07T10:00:00Z", " go1."} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	Version, Revision, Date = "", "", ""
	if got := Get(); got.Version == "" || got.Revision == "" || got.Go == "" {
		t.Errorf("unstamped: %+v", got)
	}
}
