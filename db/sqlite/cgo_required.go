//go:build !cgo

package sqlite

// usergraph embeds SQLite through cgo, so it builds only with cgo on and a
// C compiler installed. Without them the build stops here, on a name that
// says what to do, rather than deep in the SQLite driver.
var _ = usergraph_needs_cgo__set_CGO_ENABLED_1_and_install_a_C_compiler_such_as_gcc
