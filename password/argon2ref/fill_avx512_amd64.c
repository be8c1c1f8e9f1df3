//go:build cgo

// The reference implementation's fill_segment built for AVX-512 (F);
// chosen at run time (fill_amd64.c).
#pragma GCC target("avx512f")
#include "rename.h"
#undef fill_segment
#define fill_segment ug_argon2_fill_segment_avx512
#include "argon2/src/opt.c"
