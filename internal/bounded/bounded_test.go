package bounded

import (
	"sync"
	"testing"
)

// TestKeepsAtMostMax: entries are kept until the map is full; the next new
// key starts it afresh, while a kept key can always be replaced.
func TestKeepsAtMostMax(t *testing.T) {
	m := New[int, string](3)
	for k := range 3 {
		m.Put(k, "v")
	}
	m.Put(1, "replaced") // a kept key: nothing dropped
	if v, ok := m.Get(1); !ok || v != "replaced" || m.Len() != 3 {
		t.Fatalf("after replacing: %q %v, %d kept", v, ok, m.Len())
	}
	m.Put(3, "new") // full: starts afresh
	if _, ok := m.Get(0); ok || m.Len() != 1 {
		t.Fatalf("after a fourth key: %d kept, key 0 kept %v", m.Len(), ok)
	}
	if v, ok := m.Get(3); !ok || v != "new" {
		t.Fatalf("the new key: %q %v", v, ok)
	}
}

// TestConcurrentUse never holds more than max entries under concurrent
// puts (run it with -race).
func TestConcurrentUse(t *testing.T) {
	m := New[int, int](64)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				m.Put(g*1000+i, i)
				m.Get(i)
				if n := m.Len(); n > 64 {
					t.Errorf("%d entries", n)
					return
				}
			}
		}()
	}
	wg.Wait()
}
