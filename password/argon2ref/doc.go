// Package argon2ref computes Argon2id keys with the Argon2 reference
// implementation (phc-winner-argon2, by its authors; the files it
// compiles are vendored unmodified in argon2/, from the npm package
// argon2@0.45.1, under CC0 or Apache 2.0: see argon2/LICENSE), built with
// its AVX2 and AVX-512 code, one chosen by the CPU at run time. The *.c
// files here only include the vendored ones, with every global name
// prefixed (rename.h) and fill_segment built once per vector unit.
//
// Why not golang.org/x/crypto/argon2 alone: its SSE4.1 assembly takes
// 15.9 ms for one of usergraph's hashes (7 MiB, 5 passes) on one core of
// the reference machine; the reference code takes 9.1 ms with AVX2 and
// 7.6 ms with AVX-512. A hash is most of a create with a password, and
// of a password check, so that is 1.7–2× as many of them per core. The
// keys are the same, bit for bit (TestMatchesXCrypto), so hashes made by
// either verify with the other; on a CPU without AVX2, or outside amd64,
// or for parameters the reference refuses (a salt under 8 bytes), IDKey
// says so and the caller uses x/crypto's.
package argon2ref
