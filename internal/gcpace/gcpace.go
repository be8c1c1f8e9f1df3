// Package gcpace lets the garbage collector run less often while the
// server's live heap is small, without letting the heap grow past a target.
//
// The server keeps its data in the database, so its live heap is small
// while it allocates quickly: every request decodes, resolves and
// encodes. With Go's default GOGC=100 a heap that small is collected many
// times a second, and the collector takes a visible share of a small
// request. A fixed larger GOGC would make a large live heap (a
// big import, a future cache) grow five times over; a memory limit alone
// would make the collector run continuously once the live heap passes it.
// A Pacer does neither: after each collection it sets GOGC to what lets the
// heap grow to the target and no further, but never below Go's default, so
// a large live heap is paced exactly as Go would pace it. While the heap is
// small it also sets the target plus a quarter as a memory limit: a Pacer
// learns the live heap only after a collection, and a live heap that jumps
// (each password hash in flight adds 7 MiB) would otherwise overshoot the target for a cycle. Once the live heap is half the target or more, the limit is
// lifted, so it never makes the collector run continuously. The live heap
// a Pacer goes by is the peak of the last 8 collections': during password
// creates it swings by 7 MiB a hash in flight, and pacing on each value
// flipped the limit on and off, and the runtime returned and refaulted the
// hashes' buffers. What it gains and costs is measured in
// docs/performance.md.
package gcpace

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
)

// Floor is the least GOGC a Pacer sets: Go's default, so a live heap near
// or above the target is collected as often as without a Pacer.
const Floor = 100

// Ceiling is the most GOGC a Pacer sets, so a nearly empty heap does not
// grow the whole way to the target between two collections of a few bytes
// of live data.
const Ceiling = 1000

// liveHeap is the runtime metric a Pacer reads: the heap the last
// collection found reachable.
const liveHeap = "/gc/heap/live:bytes"

// Pacer sets GOGC after every garbage collection. Stop it to give the
// collector back its previous setting.
type Pacer struct {
	target   uint64
	mu       sync.Mutex // serialises tune and Stop
	previous int
	// previousLimit is the memory limit in force before Start.
	previousLimit int64
	limited       bool
	// recent are the live heaps of the last collections, and cycles
	// counts them: the pacer paces on their peak.
	recent  [8]uint64
	cycles  int
	percent atomic.Int64
	stopped bool
	sample  []metrics.Sample
}

// Start paces the collector so the heap stays under target bytes where
// GOGC can keep it there. It returns nil, and changes nothing, when target
// is 0 or when the operator has set GOGC or GOMEMLIMIT in the environment:
// an explicit setting wins.
func Start(target uint64) *Pacer {
	if target == 0 {
		return nil
	}
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, set := os.LookupEnv(v); set {
			return nil
		}
	}
	p := &Pacer{target: target, sample: []metrics.Sample{{Name: liveHeap}}}
	p.previous = debug.SetGCPercent(Floor)
	p.previousLimit = debug.SetMemoryLimit(-1)
	p.percent.Store(Floor)
	p.tune()
	p.arm()
	return p
}

// Percent is the GOGC the pacer set last.
func (p *Pacer) Percent() int { return int(p.percent.Load()) }

// Stop stops pacing and restores the GOGC and memory limit in force
// before Start.
func (p *Pacer) Stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stopped {
		p.stopped = true
		debug.SetGCPercent(p.previous)
		debug.SetMemoryLimit(p.previousLimit)
	}
}

// beat is a throwaway object whose cleanup runs after the collection that
// finds it unreachable: the Pacer's hook into every collection. It holds a
// pointer so the tiny allocator never batches it with other objects, which
// would delay its cleanup.
type beat struct{ _ *int }

// arm schedules tune for the end of the next collection.
func (p *Pacer) arm() {
	runtime.AddCleanup(new(beat), func(p *Pacer) {
		if p.tune() {
			p.arm()
		}
	}, p)
}

// tune sets GOGC from the live heap the last collection measured, and
// reports whether the pacer is still running.
func (p *Pacer) tune() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	metrics.Read(p.sample)
	live := p.remember(p.sample[0].Value.Uint64())
	pct := Percent(p.target, live)
	if int64(pct) != p.percent.Load() {
		debug.SetGCPercent(pct)
		p.percent.Store(int64(pct))
	}
	if small := live < p.target/2; small != p.limited {
		p.limited = small
		if small {
			debug.SetMemoryLimit(int64(p.target + p.target/4))
		} else {
			debug.SetMemoryLimit(p.previousLimit)
		}
	}
	return true
}

// remember records a collection's live heap and returns the peak of the
// last len(p.recent).
func (p *Pacer) remember(live uint64) uint64 {
	p.recent[p.cycles%len(p.recent)] = live
	p.cycles++
	return slices.Max(p.recent[:])
}

// Percent is the GOGC that lets a heap of live bytes grow to target before
// the next collection, kept between Floor and Ceiling.
func Percent(target, live uint64) int {
	if live == 0 || live*(100+Ceiling)/100 <= target {
		return Ceiling
	}
	if live*(100+Floor)/100 >= target {
		return Floor
	}
	return int((target - live) * 100 / live)
}
