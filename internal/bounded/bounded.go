// Package bounded provides a map, safe for concurrent use, that keeps at
// most a fixed number of entries and starts afresh when full. It suits
// caches of what can always be worked out again from a parsed document (a
// price, a query plan, the columns a field reads) whose keys clients
// choose: their number cannot grow without
// end, and dropping every entry at once costs only working them out
// again, which is cheaper to keep than an eviction order.
package bounded

import "sync"

// Map keeps at most max entries.
type Map[K comparable, V any] struct {
	max int
	mu  sync.Mutex
	m   map[K]V
}

// New returns an empty Map that keeps at most max entries (at least one).
func New[K comparable, V any](max int) *Map[K, V] {
	return &Map[K, V]{max: max}
}

// Get returns the value kept for k, if any.
func (c *Map[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// Put keeps v for k; when the map is full it first drops every entry.
func (c *Map[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		c.m = nil
	}
	if c.m == nil {
		c.m = make(map[K]V)
	}
	c.m[k] = v
}

// Len is how many entries are kept now.
func (c *Map[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
