#ifndef UG_ARGON2_FILL_H
#define UG_ARGON2_FILL_H
#include <stddef.h>
#include <stdint.h>

extern int ug_argon2_level;
extern const int ug_argon2_built_avx2, ug_argon2_built_avx512;

// ug_argon2id computes an Argon2id hash (version 0x13) into out, working in
// memory (at least m_cost KiB, and 8 KiB per lane): one call of the
// reference implementation's argon2_ctx. It returns an ARGON2_* code.
int ug_argon2id(uint32_t t_cost, uint32_t m_cost, uint32_t lanes,
		const void *pwd, size_t pwdlen, const void *salt, size_t saltlen,
		void *out, size_t outlen, void *memory, size_t memory_size);
#endif
