//go:build cgo

// The reference implementation's fill_segment built for AVX2, whatever
// the compiler's default target; chosen at run time (fill_amd64.c).
#pragma GCC target("avx2")
#include "rename.h"
#undef fill_segment
#define fill_segment ug_argon2_fill_segment_avx2
#include "argon2/src/opt.c"
