//go:build !(cgo && amd64 && unix)

package argon2ref

// Available reports whether IDKey computes keys here: never outside amd64
// Unix builds with cgo.
func Available() bool { return false }

// Unit is "": IDKey computes with none.
func Unit() string { return "" }

// IDKey always declines here: callers use golang.org/x/crypto/argon2.
func IDKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) (key []byte, ok bool) {
	return nil, false
}
