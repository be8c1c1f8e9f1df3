package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/model"

	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"
)

// syncBuffer is a bytes.Buffer safe for one writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSubcommands(t *testing.T) {
	dbPath := dbtest.DSN(t) // a SQLite file, or a PostgreSQL schema of its own
	runCmd := func(args ...string) (string, string) {
		t.Helper()
		var out, errw bytes.Buffer
		if err := run(context.Background(), append(args, "-db", dbPath), &out, &errw); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errw.String())
		}
		return out.String(), errw.String()
	}
	if path, ok := db.SQLiteFile(dbPath); ok {
		// token against a database that does not exist says so, and
		// makes none (its token would be refused by the running server).
		var errw bytes.Buffer
		err := run(context.Background(), []string{"token", "-db", dbPath}, &bytes.Buffer{}, &errw)
		if err == nil || !strings.Contains(err.Error(), "no database at") {
			t.Errorf("token on a missing database: %v", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("token made a database at %s", path)
		}
	}
	out, announce := runCmd("pool", "create", "tenant-b")
	if !strings.Contains(announce, "secret:") {
		t.Errorf("first start did not print the default pool's secret: %q", announce)
	}
	if !strings.HasPrefix(out, `{"userPoolId":"`) || !strings.Contains(out, `","name":"tenant-b","secret":"`) {
		t.Errorf("pool create printed %q: keys not in the documented order", out)
	}
	var p struct{ UserPoolID, Secret string }
	if err := json.Unmarshal([]byte(out), &p); err != nil || p.UserPoolID == "" || len(p.Secret) != 64 {
		t.Fatalf("pool create printed %q (%v)", out, err)
	}
	tok, again := runCmd("token")
	if strings.Count(strings.TrimSpace(tok), ".") != 2 || strings.Contains(tok, " ") {
		t.Errorf("token printed %q, want a JWT alone", tok)
	}
	if strings.Contains(again, "secret") {
		t.Errorf("a second start printed a secret again: %q", again)
	}
	if tokB, _ := runCmd("token", "-pool", p.UserPoolID); tokB == tok {
		t.Error("token -pool gave the default pool's token")
	}
	var errw bytes.Buffer
	if err := run(context.Background(), []string{"token", "-pool", "nope", "-db", dbPath}, &bytes.Buffer{}, &errw); err == nil {
		t.Error("token for an unknown pool succeeded")
	}
	if err := run(context.Background(), []string{"pool", "create", "tenant-b", "-db", dbPath}, &bytes.Buffer{}, &errw); !errors.Is(err, model.ErrAlreadyExists) {
		t.Errorf("a second pool named tenant-b: %v", err)
	}
	list, _ := runCmd("pool", "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"userPoolId":"`) || !strings.Contains(lines[0], `"name":"default","isDefault":true,"createdAt":"`) ||
		!strings.Contains(lines[1], `"name":"tenant-b","isDefault":false`) || strings.Contains(list, "secret") {
		t.Errorf("pool list printed %q", list)
	}

	// Rotating a pool's secret prints a new one and revokes old tokens:
	// a token printed afterwards carries the new generation.
	out, _ = runCmd("pool", "rotate-secret", p.UserPoolID)
	var r struct{ UserPoolID, Secret string }
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.UserPoolID != p.UserPoolID || len(r.Secret) != 64 || r.Secret == p.Secret {
		t.Fatalf("pool rotate-secret printed %q (%v)", out, err)
	}
	if err := run(context.Background(), []string{"pool", "rotate-secret", "nope", "-db", dbPath}, &bytes.Buffer{}, &errw); err == nil {
		t.Error("rotating an unknown pool's secret succeeded")
	}

	// API keys from the command line: created once with their key, listed
	// without it, revoked.
	out, _ = runCmd("apikey", "create", "-pool", p.UserPoolID, "-name", "ops", "-scopes", "users:read,groups:*", "-expires", "720h")
	var k struct {
		ID, Name, Key string
		Scopes        []string
		ExpiresAt     *time.Time
	}
	if err := json.Unmarshal([]byte(out), &k); err != nil || !strings.HasPrefix(k.Key, "ugk_"+k.ID+".") || len(k.Scopes) != 2 || k.ExpiresAt == nil {
		t.Fatalf("apikey create printed %q (%v)", out, err)
	}
	if list, _ := runCmd("apikey", "list", "-pool", p.UserPoolID); !strings.Contains(list, `"name":"ops"`) || strings.Contains(list, k.Key) {
		t.Errorf("apikey list printed %q", list)
	}
	if out, _ := runCmd("apikey", "revoke", k.ID, "-pool", p.UserPoolID); !strings.Contains(out, `"revokedAt":"`) {
		t.Errorf("apikey revoke printed %q", out)
	}
	if err := run(context.Background(), []string{"apikey", "create", "-name", "bad", "-scopes", "users:fly", "-db", dbPath}, &bytes.Buffer{}, &errw); !errors.Is(err, model.ErrInvalidInput) {
		t.Errorf("an unknown scope: %v", err)
	}

	// Operator sign-in from the command line: checked against the
	// provider's discovery as the mutation is (a loopback provider needs
	// the allow list), shown, removed.
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer idp.Shutdown()
	set := []string{"operator-sign-in", "set", "-pool", p.UserPoolID, "-issuer", idp.Issuer(), "-audience", idp.ClientID,
		"-scopes-claim", "realm_access.roles", "-rule", "admins=*", "-rule", "helpdesk=users:read,audit:read", "-db", dbPath}
	if err := run(context.Background(), set, &bytes.Buffer{}, &errw); !errors.Is(err, model.ErrInvalidInput) {
		t.Errorf("a loopback provider without -operator-issuer-allow: %v", err)
	}
	out, _ = runCmd(append(set[:len(set)-2], "-operator-issuer-allow", "127.0.0.0/8")...)
	var si struct {
		Issuer, Audience, ScopesClaim string
		Rules                         []struct {
			Value  string
			Scopes []string
		}
	}
	if err := json.Unmarshal([]byte(out), &si); err != nil || si.Issuer != idp.Issuer() || si.ScopesClaim != "realm_access.roles" ||
		len(si.Rules) != 2 || strings.Join(si.Rules[1].Scopes, ",") != "users:read,audit:read" {
		t.Fatalf("operator-sign-in set printed %q (%v)", out, err)
	}
	if out, _ := runCmd("operator-sign-in", "show", "-pool", p.UserPoolID); !strings.Contains(out, `"audience":"`+idp.ClientID+`"`) {
		t.Errorf("operator-sign-in show printed %q", out)
	}
	runCmd("operator-sign-in", "remove", "-pool", p.UserPoolID)
	if err := run(context.Background(), []string{"operator-sign-in", "show", "-pool", p.UserPoolID, "-db", dbPath}, &bytes.Buffer{}, &errw); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("show after remove: %v", err)
	}
}

// TestCLIExplainsItself checks help exits cleanly and lists every command
// with one line, that each command shows only its own flags, and that bad
// input (a flag, an environment value, a command) is an error that says
// what is wrong.
func TestCLIExplainsItself(t *testing.T) {
	help := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), args, &out, &bytes.Buffer{}); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return out.String()
	}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		out := help(args...)
		for _, c := range commands {
			if !strings.Contains(out, "  "+strings.TrimSpace(c.Name+" "+c.Args)+" ") || !strings.Contains(out, c.Summary) {
				t.Errorf("%v does not list %q: %s", args, c.Name, out)
			}
		}
	}
	token := help("token", "-h")
	if !strings.Contains(token, "-pool") || !strings.Contains(token, "-db") || strings.Contains(token, "-addr") || strings.Contains(token, "-cors-origins") {
		t.Errorf("token -h shows other commands' flags:\n%s", token)
	}
	serve := help("serve", "-h")
	if !strings.Contains(serve, "-addr") || !strings.Contains(serve, "USERGRAPH_MAX_COMPLEXITY") || strings.Contains(serve, "  -pool ") {
		t.Errorf("serve -h:\n%s", serve)
	}
	if out := help("help", "pool", "create"); !strings.Contains(out, "Usage: usergraph pool create NAME") {
		t.Errorf("help pool create:\n%s", out)
	}
	if out := help("schema", "-h"); strings.Contains(out, "Flags:") {
		t.Errorf("schema has no flags, its help shows some:\n%s", out)
	}
	if out := help("version"); !strings.HasPrefix(out, "usergraph ") || !strings.Contains(out, "go1.") {
		t.Errorf("version printed %q", out)
	}
	if out := help("-version"); !strings.HasPrefix(out, "usergraph ") {
		t.Errorf("-version printed %q", out)
	}

	t.Setenv("USERGRAPH_TOKEN_TTL", "banana")
	err := run(context.Background(), []string{"token", "-db", filepath.Join(t.TempDir(), "x.db")}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "USERGRAPH_TOKEN_TTL") {
		t.Errorf("a bad environment value: %v", err)
	}
	// The flag wins over the environment, and is parsed as itself.
	err = run(context.Background(), []string{"token", "-token-ttl", "2h", "-db", filepath.Join(t.TempDir(), "x.db")}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || strings.Contains(err.Error(), "USERGRAPH_TOKEN_TTL") {
		t.Errorf("-token-ttl given: %v", err)
	}
	for _, args := range [][]string{{"frobnicate"}, {"pool", "explode"}, {"token", "-nope"}, {"pool", "create"}, {"schema", "extra"},
		{"serve", "-gc-heap-target-mib", "-1", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "x.db")}} {
		if err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}

// TestServe runs the server as an operator would: it binds before it says
// it listens, serves /healthz, /readyz and /metrics, writes one access log
// line per request without the request's content, fails /readyz while
// draining, and shuts down cleanly.
func TestServe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dbPath := dbtest.DSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errw syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", addr, "-db", dbPath, "-drain-delay", "1s", "-log-format", "json"}, &out, &errw)
	}()
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if code, _ := get("/readyz"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not become ready\n%s", errw.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(errw.String(), `"msg":"usergraph listening","addr":"`+addr+`"`) {
		t.Errorf("no listening line with the bound address: %s", errw.String())
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	secret := between(out.String(), "secret:     ", "\n")
	poolID := between(out.String(), "userPoolId: ", "\n")
	if secret == "" || poolID == "" {
		t.Fatalf("first start did not announce the default pool: %q", out.String())
	}
	body := fmt.Sprintf(`{"query":"query Probe($p: ID!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken } }","variables":{"p":%q,"s":%q}}`, poolID, secret)
	resp, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	wrong := strings.Replace(body, secret, "0000", 1)
	resp, err = http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(wrong))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	code, metricsText := get("/metrics")
	parser := expfmt.NewTextParser(pmodel.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(metricsText))
	if code != 200 || err != nil {
		t.Fatalf("/metrics = %d, %v", code, err)
	}
	requests := map[string]float64{}
	for _, m := range families["usergraph_requests_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		requests[labels["operation"]+"/"+labels["type"]+"/"+labels["code"]] = m.GetCounter().GetValue()
	}
	if requests["Probe/query/ok"] != 1 || requests["Probe/query/UNAUTHENTICATED"] != 1 {
		t.Errorf("usergraph_requests_total: %v", requests)
	}
	for _, name := range []string{"usergraph_request_duration_seconds", "usergraph_sql_statements_total", "usergraph_sql_duration_seconds",
		"usergraph_password_hash_queue", "usergraph_password_hash_wait_seconds", "usergraph_db_connections", "go_build_info", "process_resident_memory_bytes"} {
		if families[name] == nil {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if strings.Contains(metricsText, poolID) {
		t.Error("/metrics names a pool id")
	}

	cancel()
	sawDraining := false
	for range 40 {
		if code, _ := get("/readyz"); code == http.StatusServiceUnavailable {
			sawDraining = true
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !sawDraining {
		t.Error("/readyz did not fail while draining")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not shut down")
	}
	log := errw.String()
	var access map[string]any
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, `"msg":"request"`) && strings.Contains(line, `"code":"ok"`) {
			_ = json.Unmarshal([]byte(line), &access)
		}
	}
	for _, k := range []string{"operation", "type", "duration_ms", "status", "code", "pool", "statements", "bytes", "client"} {
		if _, ok := access[k]; !ok {
			t.Errorf("the access log line lacks %s: %v", k, access)
		}
	}
	if access["operation"] != "Probe" || access["pool"] != "" || access["status"] != float64(200) {
		t.Errorf("access log line: %v", access)
	}
	if strings.Contains(log, secret) || strings.Contains(log, "accessToken(") {
		t.Errorf("the log holds the secret or the query: %s", log)
	}
	if db.IsPostgres(dbPath) {
		return
	}
	if fi, err := os.Stat(dbPath + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("the WAL was not checkpointed on shutdown (%d bytes)", fi.Size())
	}
}

// TestBusyPort checks a taken port is one clear error.
func TestBusyPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = run(context.Background(), []string{"-addr", l.Addr().String(), "-db", dbtest.DSN(t)}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "listen on "+l.Addr().String()) || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("busy port: %v", err)
	}
}

// between returns the text of s after from, up to to.
func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return strings.TrimSpace(v)
}

// TestSchemaFileIsCurrent keeps schema.graphql equal to `usergraph schema`,
// so every change to the public API shows in review. Regenerate it with
// go run -tags sqlite_fts5 . schema > schema.graphql
func TestSchemaFileIsCurrent(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"schema"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(file) {
		t.Error("schema.graphql is stale: run go run -tags sqlite_fts5 . schema > schema.graphql")
	}
	if !strings.Contains(out.String(), "type Query") || !strings.Contains(out.String(), "searchUsers") {
		t.Error("the SDL lacks the Query type")
	}
}

// TestBuildWithoutCgoSaysWhy checks a build with cgo off stops with an
// error that says what to do, not an undefined name deep in the SQLite
// driver.
func TestBuildWithoutCgoSaysWhy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the db package without cgo")
	}
	cmd := exec.Command("go", "build", "-o", os.DevNull, "./db")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "usergraph_needs_cgo__set_CGO_ENABLED_1_and_install_a_C_compiler") {
		t.Errorf("a build without cgo: %v\n%s", err, out)
	}
}

// TestCLIRefusesNonsense: a value no flag means is refused at start,
// naming the flag or the variable it came from; an unknown USERGRAPH_
// variable is warned of in one line; help is printed once; a command
// group alone says its subcommands.
func TestCLIRefusesNonsense(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		args []string
		name string
	}{
		{[]string{"-max-depth", "-3"}, "-max-depth"},
		{[]string{"-max-rows", "-1"}, "-max-rows"},
		{[]string{"-max-complexity", "0"}, "-max-complexity"},
		{[]string{"-max-body-bytes", "-1"}, "-max-body-bytes"},
		{[]string{"-cors-origins", "notaurl"}, "-cors-origins"},
		{[]string{"-cors-origins", "https://ok.example.com,ftp://x"}, "-cors-origins"},
		{[]string{"-cors-origins", "https://admin.example.com/path"}, "-cors-origins"},
		{[]string{"-request-timeout", "0s"}, "-request-timeout"},
		{[]string{"-token-ttl", "-1h"}, "-token-ttl"},
		{[]string{"-auth-failure-burst", "0"}, "-auth-failure-burst"},
		{[]string{"-audit-retention", "-1h"}, "-audit-retention"},
		{[]string{"-read-executor", "lean"}, "-read-executor"},
	} {
		args := append([]string{"serve", "-addr", "127.0.0.1:0", "-db", db}, c.args...)
		err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.name+" ") {
			t.Errorf("%v: %v", c.args, err)
		}
	}
	t.Setenv("USERGRAPH_MAX_ROWS", "-1")
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-db", db}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "USERGRAPH_MAX_ROWS") {
		t.Errorf("a bad value from the environment: %v", err)
	}

	t.Setenv("USERGRAPH_MAX_ROWS", "100")
	t.Setenv("USERGRAPH_ADRR", ":9999")
	t.Setenv("USERGRAPH_URL", "http://localhost:8080/graphql") // the client's, not unknown
	var out, errw bytes.Buffer
	if err := run(context.Background(), []string{"schema"}, &out, &errw); err != nil {
		t.Fatal(err)
	}
	if strings.Count(errw.String(), "\n") != 1 || !strings.Contains(errw.String(), "USERGRAPH_ADRR") || strings.Contains(errw.String(), "USERGRAPH_URL") {
		t.Errorf("unknown variable warning: %q", errw.String())
	}

	out.Reset()
	errw.Reset()
	if err := run(context.Background(), []string{"serve", "-h"}, &out, &errw); err != nil || errw.Len() != 0 || strings.Count(out.String(), "Usage:") != 1 {
		t.Errorf("serve -h: %v, stdout %d bytes, stderr %q", err, out.Len(), errw.String())
	}
	for _, group := range []string{"pool", "apikey"} {
		errw.Reset()
		err := run(context.Background(), []string{group}, &bytes.Buffer{}, &errw)
		if err == nil || !strings.Contains(err.Error(), "usergraph "+group+" create|list") || errw.Len() != 0 {
			t.Errorf("%s alone: %v %q", group, err, errw.String())
		}
	}
}

// TestMigrateCommand: usergraph migrate -dry-run lists what would run and
// runs nothing; migrate runs it; a database the last AutoMigrate release
// wrote needs nothing.
func TestMigrateCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "m.db")
	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append(args, "-db", file), &out, &bytes.Buffer{})
		return out.String(), err
	}
	if _, err := cmd("migrate", "-dry-run"); err == nil {
		t.Error("a dry run on no database succeeded")
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("a dry run created the database")
	}
	if out, err := cmd("migrate"); err != nil || !strings.Contains(out, "00001_baseline.sql") {
		t.Errorf("migrate: %v %q", err, out)
	}
	if out, err := cmd("migrate", "-dry-run"); err != nil || out != "" {
		t.Errorf("dry run when up to date: %v %q", err, out)
	}
}

// TestConfigFile: a -config file sets flags by name, under the command line
// and the environment; `usergraph config` prints the effective values,
// secrets redacted; an unknown key or a bad value is refused naming it.
func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("usergraph.yaml", `# the server's settings
max-complexity: 20000
cors-origins: [https://a.example.com, https://b.example.com]
request-timeout: 30s
introspection: false
signing-key: "0123456789abcdef0123456789abcdef-very-secret"
db: postgres://app:hunter2@db.internal:5432/usergraph
name: a key name, apikey's flag, left to it
`)
	config := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"config"}, args...), &out, &bytes.Buffer{})
		return out.String(), err
	}
	out, err := config("-config", good)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`max-complexity: "20000"`, `cors-origins: "https://a.example.com,https://b.example.com"`,
		`request-timeout: "30s"`, `introspection: "false"`, `signing-key: "<redacted>"`, `db: "postgres://app:redacted@db.internal:5432/usergraph"`} {
		if !strings.Contains(out, want) {
			t.Errorf("config lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "very-secret") {
		t.Errorf("config printed a secret:\n%s", out)
	}
	// The command line wins over the environment, which wins over the file.
	t.Setenv("USERGRAPH_MAX_COMPLEXITY", "30000")
	if out, _ := config("-config", good); !strings.Contains(out, `max-complexity: "30000"`) {
		t.Errorf("the environment did not win over the file:\n%s", out)
	}
	if out, _ := config("-config", good, "-max-complexity", "40000"); !strings.Contains(out, `max-complexity: "40000"`) {
		t.Errorf("the flag did not win:\n%s", out)
	}
	t.Setenv("USERGRAPH_CONFIG", good)
	if out, _ := config(); !strings.Contains(out, `request-timeout: "30s"`) {
		t.Errorf("USERGRAPH_CONFIG was not read:\n%s", out)
	}
	os.Unsetenv("USERGRAPH_CONFIG")
	os.Unsetenv("USERGRAPH_MAX_COMPLEXITY")
	for text, want := range map[string]string{
		"max-complexty: 5\n":        `unknown key "max-complexty"`,
		"max-complexity: lots\n":    "max-complexity",
		"max-complexity: 0\n":       "max-complexity 0: must be at least 1",
		"request-timeout: [1, 2]\n": "request-timeout",
		"cors-origins: {a: b}\n":    "cors-origins",
		"- just\n- a list\n":        "YAML mapping",
	} {
		_, err := config("-config", write("bad.yaml", text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error naming %q", text, err, want)
		}
	}
	if _, err := config("-config", filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("a missing -config file was accepted")
	}
}
