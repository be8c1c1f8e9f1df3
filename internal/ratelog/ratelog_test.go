package ratelog

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestRepeatedLinesAreRateLimited(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(New(slog.NewTextHandler(&buf, nil), 5, time.Hour))
	for range 400 {
		log.Warn("slow sql", "elapsed", "300ms")
	}
	log.Info("another message")
	lines := strings.Count(buf.String(), "\n")
	if lines != 6 || strings.Count(buf.String(), "slow sql") != 5 {
		t.Fatalf("%d lines:\n%s", lines, buf.String())
	}

	// Once the rate allows again, the next line says how many were dropped.
	buf.Reset()
	log = slog.New(New(slog.NewTextHandler(&buf, nil), 1, 10*time.Millisecond))
	for range 50 {
		log.Warn("refused")
	}
	time.Sleep(20 * time.Millisecond)
	log.Warn("refused")
	if !strings.Contains(buf.String(), "suppressed=") {
		t.Fatalf("no suppressed count:\n%s", buf.String())
	}
}
