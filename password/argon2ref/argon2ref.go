//go:build cgo && amd64 && unix

package argon2ref

/*
#cgo CFLAGS: -I${SRCDIR}/argon2/include -I${SRCDIR}/argon2/src -DARGON2_NO_THREADS -O3
#include "fill.h"
*/
import "C"

import (
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/cpu"
)

// ARGON2_NO_THREADS: the lanes of a hash with several are filled one after
// another on the calling thread, so a hash never takes more than the one
// core its caller reserved for it (password.Hasher), and no thread is
// started behind Go's back.

// init picks the widest build the CPU runs and the C compiler made.
func init() {
	switch {
	case cpu.X86.HasAVX512F && C.ug_argon2_built_avx512 == 1:
		C.ug_argon2_level = 2
	case cpu.X86.HasAVX2 && C.ug_argon2_built_avx2 == 1:
		C.ug_argon2_level = 1
	}
}

// Available reports whether IDKey computes keys on this CPU (it has AVX2).
func Available() bool { return C.ug_argon2_level > 0 }

// Unit names the vector unit IDKey computes with: "AVX-512", "AVX2", or ""
// when it declines every key.
func Unit() string { return [...]string{"", "AVX2", "AVX-512"}[C.ug_argon2_level] }

// IDKey returns argon2.IDKey(password, salt, time, memory, threads, keyLen)
// of golang.org/x/crypto/argon2, computed by the reference implementation.
// ok is false, and key nil, when it cannot be: no AVX2, or parameters the
// reference refuses and x/crypto takes (a salt under 8 bytes, a key under
// 4, fewer than 8 KiB of memory per lane, more than 4 GiB).
func IDKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) (key []byte, ok bool) {
	if !Available() || keyLen < 4 || threads < 1 || memory > 4<<20 {
		return nil, false
	}
	size := int(max(memory, 8*uint32(threads))) << 10
	buf, err := takeBuffer(size)
	if err != nil {
		return nil, false
	}
	defer keepBuffer(buf)
	key = make([]byte, keyLen)
	rc := C.ug_argon2id(C.uint32_t(time), C.uint32_t(memory), C.uint32_t(threads),
		unsafe.Pointer(unsafe.SliceData(password)), C.size_t(len(password)),
		unsafe.Pointer(unsafe.SliceData(salt)), C.size_t(len(salt)),
		unsafe.Pointer(&key[0]), C.size_t(keyLen),
		unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
	if rc != 0 {
		return nil, false
	}
	return key, true
}

// buffers keeps the working memory of recent hashes, up to one per core,
// for the next ones: each would otherwise map 7 MiB, fault it in page by
// page and have the kernel zero it. The memory is mapped outside Go's
// heap, so the collector neither scans it nor counts it as live; the
// reference implementation wipes it at the end of every hash.
var buffers = make(chan []byte, runtime.GOMAXPROCS(0))

// keepAtMost is the largest working memory kept: a check of a hash made
// with much more memory (imported from elsewhere) returns its own to the
// system at once.
const keepAtMost = 16 << 20

func takeBuffer(size int) ([]byte, error) {
	select {
	case b := <-buffers:
		if len(b) >= size {
			return b, nil
		}
		_ = syscall.Munmap(b)
	default:
	}
	return syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
}

func keepBuffer(b []byte) {
	if len(b) <= keepAtMost {
		select {
		case buffers <- b:
			return
		default:
		}
	}
	_ = syscall.Munmap(b)
}

// setLevel makes IDKey use AVX2 (1) or AVX-512 (2), for tests of both
// builds on a CPU that has both, and returns a function that restores it.
func setLevel(level int) (restore func()) {
	old := C.ug_argon2_level
	C.ug_argon2_level = C.int(level)
	return func() { C.ug_argon2_level = old }
}
