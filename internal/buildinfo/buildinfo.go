// Package buildinfo says what a usergraph binary was built from: the
// release version, VCS revision and build date a release build stamps in
// (deploy/release.sh, with -ldflags -X), or else what the Go toolchain
// recorded (a module version, and the revision when built from a
// checkout).
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Stamped by a release build: go build -ldflags "-X usergraph/internal/buildinfo.Version=v1.2.3 …".
var (
	// Version is the release's semantic version (v1.2.3).
	Version string
	// Revision is the commit it was built from.
	Revision string
	// Date is when it was built (RFC 3339, UTC).
	Date string
)

// Info is a build's description.
type Info struct {
	Version, Revision, Date, Go, Platform string
	// Modified says the checkout had uncommitted changes.
	Modified bool
}

// Get describes this binary: the stamped values, each filled from the
// toolchain's record where not stamped.
func Get() Info {
	i := Info{Version: Version, Revision: Revision, Date: Date, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		i.Go = bi.GoVersion
		if i.Version == "" && bi.Main.Version != "" {
			i.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if i.Revision == "" {
					i.Revision = s.Value
				}
			case "vcs.time":
				if i.Date == "" {
					i.Date = s.Value
				}
			case "vcs.modified":
				i.Modified = i.Modified || s.Value == "true"
			}
		}
	}
	if i.Version == "" {
		i.Version = "(devel)"
	}
	if i.Revision == "" {
		i.Revision = "unknown"
	}
	return i
}

// String is the version line: "usergraph v1.2.3, revision abc…, built
// 2026-12-07T10:00:00Z, go1.26.8 linux/amd64".
func (i Info) String() string {
	s := fmt.Sprintf("usergraph %s, revision %s", i.Version, i.Revision)
	if i.Modified {
		s += " (modified)"
	}
	if i.Date != "" {
		s += ", built " + i.Date
	}
	return s + ", " + i.Go + " " + i.Platform
}
