//go:build cgo && unix

// The reference implementation's src/blake2/blake2b.c, as vendored (see doc.go).
#include "rename.h"
#include "argon2/src/blake2/blake2b.c"
