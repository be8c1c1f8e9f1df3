package gcpace

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const target = 32 << 20
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, Ceiling},
		{1 << 20, Ceiling},       // 1 MiB may grow 32×: capped
		{4 << 20, 700},           // 4 → 32 MiB
		{8 << 20, 300},           // 8 → 32 MiB
		{16 << 20, Floor},        // half the target: Go's default
		{64 << 20, Floor},        // past the target: never below the default
		{target/11 - 1, Ceiling}, // just under the cap
		{target/11 + 4, 999},     // just over it
	} {
		if got := Percent(target, c.live); got != c.want {
			t.Errorf("Percent(32 MiB, %d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// TestPacesOnTheRecentPeak: a live heap that drops is paced on its recent
// peak until 8 collections have seen it low.
func TestPacesOnTheRecentPeak(t *testing.T) {
	var p Pacer
	for range 3 {
		if got := p.remember(20 << 20); got != 20<<20 {
			t.Fatalf("peak %d after highs", got)
		}
	}
	for i := range 8 {
		got, want := p.remember(1<<20), uint64(20<<20)
		if i == 7 {
			want = 1 << 20
		}
		if got != want {
			t.Fatalf("after %d low collections: peak %d, want %d", i+1, got, want)
		}
	}
}

// gogc reads the GOGC in force.
func gogc() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// settle runs collections until ok holds (the pacer tunes after a
// collection, on the runtime's cleanup goroutine), for at most 5 s.
func settle(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
		if ok() {
			return
		}
	}
	t.Fatalf("%s: GOGC %d, memory limit %d", what, gogc(), debug.SetMemoryLimit(-1))
}

// TestPacerFollowsTheLiveHeap drives a real Pacer: a small live heap gets
// a high GOGC and the target (plus a quarter) as its memory limit; a live
// heap past half the target gets Go's default and no limit; Stop restores
// what was there before.
func TestPacerFollowsTheLiveHeap(t *testing.T) {
	unsetenv(t, "GOGC")
	unsetenv(t, "GOMEMLIMIT")
	beforePct, beforeLimit := gogc(), debug.SetMemoryLimit(-1)
	const target = 64 << 20
	p := Start(target)
	if p == nil {
		t.Fatal("Start returned nil with no GOGC or GOMEMLIMIT set")
	}
	settle(t, "small heap", func() bool {
		return p.Percent() > Floor && gogc() == p.Percent() && debug.SetMemoryLimit(-1) == target+target/4
	})

	ballast := make([]*[1 << 20]byte, 48)
	for i := range ballast {
		ballast[i] = new([1 << 20]byte)
	}
	settle(t, "48 MiB live", func() bool {
		return p.Percent() == Floor && gogc() == Floor && debug.SetMemoryLimit(-1) == math.MaxInt64
	})
	runtime.KeepAlive(ballast)
	ballast = nil

	settle(t, "ballast dropped", func() bool { return p.Percent() > Floor && gogc() == p.Percent() })

	debug.SetGCPercent(250) // what a Stop must not keep
	p.Stop()
	if gogc() != beforePct || debug.SetMemoryLimit(-1) != beforeLimit {
		t.Errorf("after Stop: GOGC %d (was %d), limit %d (was %d)", gogc(), beforePct, debug.SetMemoryLimit(-1), beforeLimit)
	}
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	if gogc() != beforePct {
		t.Errorf("a stopped pacer still tunes: GOGC %d", gogc())
	}
}

// TestOperatorSettingsWin: GOGC or GOMEMLIMIT in the environment, or a
// zero target, and Start changes nothing.
func TestOperatorSettingsWin(t *testing.T) {
	before := gogc()
	if Start(0) != nil {
		t.Error("Start(0) paces")
	}
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(v, func(t *testing.T) {
			unsetenv(t, "GOGC")
			unsetenv(t, "GOMEMLIMIT")
			t.Setenv(v, "100")
			if p := Start(32 << 20); p != nil {
				p.Stop()
				t.Errorf("Start paces with %s set", v)
			}
		})
	}
	if gogc() != before {
		t.Errorf("GOGC changed from %d to %d", before, gogc())
	}
}

// unsetenv unsets an environment variable for the test, restoring it after.
func unsetenv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // registers the restore
	os.Unsetenv(name)
}
