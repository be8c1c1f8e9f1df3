//go:build cgo && unix

// The reference implementation's src/argon2.c, as vendored (see doc.go).
#include "rename.h"
#include "argon2/src/argon2.c"
