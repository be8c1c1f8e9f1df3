//go:build cgo && unix

#include "rename.h"
#include "argon2/src/core.h"
#include "fill.h"

// The widest vector unit the CPU (and its operating system) offers, as
// Go's golang.org/x/sys/cpu saw it: 2 AVX-512, 1 AVX2. Set once, before
// the first hash.
int ug_argon2_level;

void ug_argon2_fill_segment_avx2(const argon2_instance_t *instance, argon2_position_t position);
void ug_argon2_fill_segment_avx512(const argon2_instance_t *instance, argon2_position_t position);

// fill_segment is what core.c calls for each segment of each pass.
void fill_segment(const argon2_instance_t *instance, argon2_position_t position) {
	if (ug_argon2_level >= 2) {
		ug_argon2_fill_segment_avx512(instance, position);
	} else {
		ug_argon2_fill_segment_avx2(instance, position);
	}
}

// The memory one hash works in, given by the caller (thread-local: a cgo
// call runs on one thread from start to end).
static __thread uint8_t *given;
static __thread size_t given_size;

static int take(uint8_t **memory, size_t bytes) {
	if (bytes > given_size) {
		return ARGON2_MEMORY_ALLOCATION_ERROR;
	}
	*memory = given;
	return ARGON2_OK;
}

static void keep(uint8_t *memory, size_t bytes) { (void)memory; (void)bytes; }

int ug_argon2id(uint32_t t_cost, uint32_t m_cost, uint32_t lanes,
		const void *pwd, size_t pwdlen, const void *salt, size_t saltlen,
		void *out, size_t outlen, void *memory, size_t memory_size) {
	argon2_context ctx = {0};
	ctx.out = out;
	ctx.outlen = (uint32_t)outlen;
	ctx.pwd = (uint8_t *)pwd;
	ctx.pwdlen = (uint32_t)pwdlen;
	ctx.salt = (uint8_t *)salt;
	ctx.saltlen = (uint32_t)saltlen;
	ctx.t_cost = t_cost;
	ctx.m_cost = m_cost;
	ctx.lanes = lanes;
	ctx.threads = lanes;
	ctx.version = ARGON2_VERSION_13;
	ctx.allocate_cbk = take;
	ctx.free_cbk = keep;
	ctx.flags = ARGON2_DEFAULT_FLAGS;
	given = memory;
	given_size = memory_size;
	int rc = argon2_ctx(&ctx, Argon2_id);
	given = NULL;
	given_size = 0;
	return rc;
}
