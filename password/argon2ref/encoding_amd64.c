//go:build cgo && unix

// The reference implementation's src/encoding.c, as vendored (see doc.go).
#include "rename.h"
#include "argon2/src/encoding.c"
