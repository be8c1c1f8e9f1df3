//go:build cgo && unix

// The reference implementation's fill_segment built for AVX-512 (F);
// chosen at run time (fill_amd64.c).
#pragma GCC target("avx512f")
#include "rename.h"
#undef fill_segment
#define fill_segment ug_argon2_fill_segment_avx512
#include "argon2/src/opt.c"

// Whether this file was built for its vector unit: GCC honours the target
// pragma; a compiler that ignores it builds the SSE2 code, which the Go
// side then leaves to x/crypto's faster one.
#if defined(__AVX512F__)
const int ug_argon2_built_avx512 = 1;
#else
const int ug_argon2_built_avx512 = 0;
#endif
