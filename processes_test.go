package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"usergraph/internal/dbtest"
)

// childArgs, when set in the environment, makes the test binary run
// usergraph with these arguments (split on \x1f) instead of the tests: a
// server process of its own, which a test can kill.
const childArgs = "USERGRAPH_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		if err := run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is a usergraph server in a process of its own.
type child struct {
	cmd    *exec.Cmd
	addr   string
	stdout *syncBuffer
}

// startChild runs `usergraph serve` on a free port over dsn in a new
// process and waits until it is ready.
func startChild(t testing.TB, dsn string, extra ...string) *child {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	args := append([]string{"serve", "-addr", addr, "-db", dsn}, extra...)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(args, "\x1f"))
	c := &child{cmd: cmd, addr: addr, stdout: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = c.stdout, c.stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return c
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not become ready:\n%s", c.stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// gql posts a query to the child with a bearer token and decodes data into
// out; it returns the transport error, or the first GraphQL error's code.
func (c *child) gql(token, query string, vars map[string]any, out any) (string, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+c.addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	var r struct {
		Data   json.RawMessage
		Errors []struct{ Extensions map[string]any }
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", fmt.Errorf("decode %q: %w", raw, err)
	}
	if len(r.Errors) > 0 {
		code, _ := r.Errors[0].Extensions["code"].(string)
		return code, nil
	}
	if out != nil {
		return "", json.Unmarshal(r.Data, out)
	}
	return "", nil
}

// adminToken gets an admin token with the pool id and secret the child
// announced on its first start.
func (c *child) adminToken(t testing.TB, poolID, secret string) string {
	t.Helper()
	var out struct{ AccessToken struct{ AccessToken string } }
	code, err := c.gql("", `query($p: ID!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken } }`,
		map[string]any{"p": poolID, "s": secret}, &out)
	if err != nil || code != "" {
		t.Fatalf("accessToken: %s %v", code, err)
	}
	return out.AccessToken.AccessToken
}

// announced reads the default pool's id and secret from a first start's
// output.
func announced(t testing.TB, out string) (poolID, secret string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if v, ok := strings.CutPrefix(line, "userPoolId: "); ok {
			poolID = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "secret: "); ok {
			secret = strings.TrimSpace(v)
		}
	}
	if poolID == "" || secret == "" {
		t.Fatalf("no pool announced in %q", out)
	}
	return poolID, secret
}

// TestAuditSurvivesKill kills the server (SIGKILL) while batches of users
// are being created, restarts it, and checks that the users and the audit
// trail agree: every user that committed has its record, and no record
// names a user that did not commit.
func TestAuditSurvivesKill(t *testing.T) {
	dsn := dbtest.DSN(t)
	srv := startChild(t, dsn)
	poolID, secret := announced(t, srv.stdout.String())
	token := srv.adminToken(t, poolID, secret)

	var committed, lost atomic.Int64
	var wg sync.WaitGroup
	firstCommit := make(chan struct{})
	var once sync.Once
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := 0; ; b++ {
				users := make([]map[string]any, 500)
				for i := range users {
					users[i] = map[string]any{"username": fmt.Sprintf("w%d-b%d-u%d", w, b, i)}
				}
				code, err := srv.gql(token, `mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}, nil)
				if err != nil {
					lost.Add(1) // in flight when the server died
					return
				}
				if code != "" {
					t.Errorf("createUsers: %s", code)
					return
				}
				committed.Add(500)
				once.Do(func() { close(firstCommit) })
			}
		}()
	}
	select {
	case <-firstCommit:
	case <-time.After(30 * time.Second):
		t.Fatal("no batch committed")
	}
	time.Sleep(150 * time.Millisecond)
	if err := srv.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	_ = srv.cmd.Wait()
	if lost.Load() == 0 {
		t.Fatal("no batch was in flight when the server was killed; the test proves nothing")
	}

	again := startChild(t, dsn)
	token = again.adminToken(t, poolID, secret)
	var users struct{ Users struct{ TotalCount int } }
	if code, err := again.gql(token, `{ users(exactCount: true) { totalCount } }`, nil, &users); err != nil || code != "" {
		t.Fatalf("users after restart: %s %v", code, err)
	}
	var audit struct{ AuditLog struct{ TotalCount int } }
	if code, err := again.gql(token, `{ auditLog(filter: {operation: "createUsers"}) { totalCount } }`, nil, &audit); err != nil || code != "" {
		t.Fatalf("auditLog after restart: %s %v", code, err)
	}
	n := users.Users.TotalCount
	if n < int(committed.Load()) || n%500 != 0 || audit.AuditLog.TotalCount != n {
		t.Errorf("after the kill: %d users (%d acknowledged, batches of 500), %d createUsers audit records", n, committed.Load(), audit.AuditLog.TotalCount)
	}

	// Record by record: the same ids on both sides.
	var orphans, unaudited int64
	raw := dbtest.RawDSN(t, dsn)
	raw.Raw(`SELECT COUNT(*) FROM audit_records a WHERE a.operation = 'createUsers' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.object_id)`).Scan(&orphans)
	raw.Raw(`SELECT COUNT(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM audit_records a WHERE a.object_id = u.id AND a.operation = 'createUsers')`).Scan(&unaudited)
	if orphans != 0 || unaudited != 0 {
		t.Errorf("%d records without their user, %d users without their record", orphans, unaudited)
	}
}

// TestAuditRetentionAndCLIActor: changes made with the CLI are the CLI's
// in the trail, and -audit-retention prunes records older than it.
func TestAuditRetentionAndCLIActor(t *testing.T) {
	dsn := dbtest.DSN(t)
	srv := startChild(t, dsn)
	var out, errw bytes.Buffer
	if err := run(context.Background(), []string{"apikey", "create", "-name", "ops", "-scopes", "audit:read", "-db", dsn}, &out, &errw); err != nil {
		t.Fatalf("apikey create: %v (%s)", err, errw.String())
	}
	var k struct{ Key string }
	if err := json.Unmarshal(out.Bytes(), &k); err != nil {
		t.Fatal(err)
	}
	type record struct {
		Operation string
		Actor     struct{ Type, ID string }
	}
	var log struct {
		AuditLog struct {
			TotalCount int
			List       []record
		}
	}
	if code, err := srv.gql(k.Key, `{ auditLog(filter: {objectType: API_KEY}) { totalCount list { operation actor { type id } } } }`, nil, &log); err != nil || code != "" {
		t.Fatalf("auditLog: %s %v", code, err)
	}
	if l := log.AuditLog.List; len(l) != 1 || l[0].Operation != "apikey create" || l[0].Actor.Type != "CLI" || l[0].Actor.ID != "cli" {
		t.Errorf("the CLI's key creation: %+v", l)
	}
	_ = srv.cmd.Process.Kill()
	_ = srv.cmd.Wait()

	// With a retention of one second, every record (the pool's creation,
	// the key's) is gone within a few seconds.
	srv = startChild(t, dsn, "-audit-retention", "1s")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if code, err := srv.gql(k.Key, `{ auditLog { totalCount } }`, nil, &log); err != nil || code != "" {
			t.Fatalf("auditLog: %s %v", code, err)
		}
		if log.AuditLog.TotalCount == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d audit records are still there after 10s with -audit-retention 1s", log.AuditLog.TotalCount)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(srv.stdout.String(), "pruned audit records") {
		t.Errorf("pruning was not logged:\n%s", srv.stdout.String())
	}
}

// TestKeyRevocationAcrossProcesses: two server processes share one
// database; a key revoked through one is refused by the other from its
// next request, and an expired key by both.
func TestKeyRevocationAcrossProcesses(t *testing.T) {
	dsn := dbtest.DSN(t)
	a := startChild(t, dsn)
	poolID, secret := announced(t, a.stdout.String())
	b := startChild(t, dsn)
	token := a.adminToken(t, poolID, secret)
	newKey := func(name string, expiresAt *time.Time) (id, key string) {
		t.Helper()
		var out struct {
			CreateApiKey struct {
				Key    string
				ApiKey struct{ ID string }
			}
		}
		code, err := a.gql(token, `mutation($n: String!, $e: Time) { createApiKey(name: $n, scopes: ["users:read"], expiresAt: $e) { key apiKey { id } } }`,
			map[string]any{"n": name, "e": expiresAt}, &out)
		if err != nil || code != "" {
			t.Fatalf("createApiKey: %s %v", code, err)
		}
		return out.CreateApiKey.ApiKey.ID, out.CreateApiKey.Key
	}
	use := func(c *child, key string) string {
		t.Helper()
		code, err := c.gql(key, `{ users { totalCount } }`, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return code
	}

	id, key := newKey("revoked", nil)
	if code := use(b, key); code != "" {
		t.Fatalf("a fresh key on the other process: %s", code)
	}
	if code, err := a.gql(token, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, map[string]any{"id": id}, nil); err != nil || code != "" {
		t.Fatalf("revokeApiKey: %s %v", code, err)
	}
	if code := use(b, key); code != "UNAUTHENTICATED" {
		t.Errorf("a revoked key on the other process: %q, want UNAUTHENTICATED", code)
	}

	soon := time.Now().Add(1500 * time.Millisecond)
	_, expiring := newKey("expiring", &soon)
	if code := use(b, expiring); code != "" {
		t.Fatalf("a key before its expiry: %s", code)
	}
	time.Sleep(time.Until(soon) + 100*time.Millisecond)
	for _, c := range []*child{a, b} {
		if code := use(c, expiring); code != "UNAUTHENTICATED" {
			t.Errorf("an expired key: %q, want UNAUTHENTICATED", code)
		}
	}
}

// TestExportImportCommands: `usergraph export` writes a pool that
// `usergraph import -in` reads into another; a bad file is refused with
// each bad line on stderr and a non-zero exit.
func TestExportImportCommands(t *testing.T) {
	dsn := dbtest.DSN(t)
	srv := startChild(t, dsn)
	poolID, secret := announced(t, srv.stdout.String())
	token := srv.adminToken(t, poolID, secret)
	if code, err := srv.gql(token, `mutation { createGroup(code: "dev") { code } createUsers(users: [{username: "a", password: "correct-horse-battery"}, {email: "b@example.com"}]) { index } }`, nil, nil); err != nil || code != "" {
		t.Fatalf("seed: %s %v", code, err)
	}
	runCmd := func(args ...string) (string, string, error) {
		var out, errw bytes.Buffer
		err := run(context.Background(), append(args, "-db", dsn), &out, &errw)
		return out.String(), errw.String(), err
	}
	exported, msg, err := runCmd("export")
	if err != nil || strings.Count(exported, `"kind":"user"`) != 2 || !strings.Contains(msg, "exported 2 users") {
		t.Fatalf("export: %v %q\n%s", err, msg, exported)
	}
	out, _, err := runCmd("pool", "create", "copy")
	if err != nil {
		t.Fatal(err)
	}
	var p struct{ UserPoolID string }
	_ = json.Unmarshal([]byte(out), &p)
	file := t.TempDir() + "/users.ndjson"
	if err := os.WriteFile(file, []byte(exported), 0o600); err != nil {
		t.Fatal(err)
	}
	// A dry run first: it says what the import would do and writes nothing.
	out, _, err = runCmd("import", "-dry-run", "-pool", p.UserPoolID, "-in", file)
	var plan struct {
		Accepted           bool
		Users, Definitions int
	}
	if err != nil || json.Unmarshal([]byte(out), &plan) != nil || !plan.Accepted || plan.Users != 2 || plan.Definitions != 1 {
		t.Errorf("dry run: %v %q", err, out)
	}
	if exported, _, _ := runCmd("export", "-pool", p.UserPoolID); strings.Contains(exported, `"kind":"user"`) {
		t.Errorf("a dry run wrote users:\n%s", exported)
	}
	out, progress, err := runCmd("import", "-pool", p.UserPoolID, "-in", file)
	if err != nil || !strings.Contains(out, "imported 2 users and 1 definitions") || !strings.Contains(progress, "imported 2 of 2 users") {
		t.Errorf("import: %v %q %q", err, out, progress)
	}
	if err := os.WriteFile(file, []byte("{\"kind\":\"user\"}\n{\"kind\":\"user\",\"email\":\"nope\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runCmd("import", "-pool", p.UserPoolID, "-in", file)
	if err == nil || !strings.Contains(stderr, "line 1: INVALID_INPUT") || !strings.Contains(stderr, "line 2: email: INVALID_INPUT") {
		t.Errorf("a bad file: %v\n%s", err, stderr)
	}
	out, _, err = runCmd("import", "-dry-run", "-pool", p.UserPoolID, "-in", file)
	if err == nil || !strings.Contains(out, `"accepted": false`) || !strings.Contains(out, `"line": 2`) {
		t.Errorf("dry run of a bad file: %v %q", err, out)
	}
}

// TestServeMergesTheSearchIndex: a server started over a SQLite database
// whose search index was written in many parts merges it, and says so.
func TestServeMergesTheSearchIndex(t *testing.T) {
	if dbtest.Engine() != "sqlite" {
		t.Skip("SQLite's FTS5 index")
	}
	dsn := dbtest.DSN(t)
	first := startChild(t, dsn)
	poolID, secret := announced(t, first.stdout.String())
	token := first.adminToken(t, poolID, secret)
	for i := range 30 { // one commit each: one part of the index each
		if code, err := first.gql(token, `mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`,
			map[string]any{"u": map[string]any{"username": fmt.Sprintf("part%02d", i)}}, nil); err != nil || code != "" {
			t.Fatalf("create: %s %v", code, err)
		}
	}
	_ = first.cmd.Process.Kill()
	_ = first.cmd.Wait()
	second := startChild(t, dsn)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(second.stdout.String(), "merged the search index"); {
		if time.Now().After(deadline) {
			t.Fatalf("no merge logged:\n%s", second.stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var out struct {
		SearchUsers struct{ TotalCount int } `json:"searchUsers"`
	}
	if code, err := second.gql(token, `{ searchUsers(query: "part", limit: 1) { totalCount } }`, nil, &out); err != nil || code != "" || out.SearchUsers.TotalCount != 30 {
		t.Fatalf("search after the merge: %d found, %s %v", out.SearchUsers.TotalCount, code, err)
	}
}

// TestWebhooksSurviveKill kills the server (SIGKILL) while it is
// delivering — its receiver holds the requests open — restarts it, and
// checks that every event reaches the receiver: the deliveries the dead
// process had claimed are taken up again when their lease runs out.
func TestWebhooksSurviveKill(t *testing.T) {
	dsn := dbtest.DSN(t)
	flags := []string{"-webhook-allow", "127.0.0.0/8", "-webhook-timeout", "1s", "-webhook-retry-base", "100ms"}
	srv := startChild(t, dsn, flags...)
	poolID, secret := announced(t, srv.stdout.String())
	token := srv.adminToken(t, poolID, secret)

	var mu sync.Mutex
	got := map[string]int{}
	holding := true
	arrived := make(chan struct{}, 100)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hold := holding
		mu.Unlock()
		_, _ = io.ReadAll(r.Body) // then a closed connection ends r's context
		if hold {                 // the first process: never answered
			arrived <- struct{}{}
			<-r.Context().Done()
			return
		}
		mu.Lock()
		got[r.Header.Get("webhook-id")]++
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()
	var wh struct{ CreateWebhook struct{ Secret string } }
	if code, err := srv.gql(token, `mutation($u: String!) { createWebhook(url: $u, events: ["user.created"]) { secret } }`,
		map[string]any{"u": recv.URL}, &wh); code != "" || err != nil {
		t.Fatalf("createWebhook: %s %v", code, err)
	}
	const n = 20
	users := make([]map[string]any, n)
	for i := range users {
		users[i] = map[string]any{"username": fmt.Sprintf("hooked%d", i)}
	}
	if code, err := srv.gql(token, `mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}, nil); code != "" || err != nil {
		t.Fatalf("createUsers: %s %v", code, err)
	}
	select {
	case <-arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("no delivery was attempted")
	}
	if err := srv.cmd.Process.Kill(); err != nil { // mid-delivery
		t.Fatal(err)
	}
	_ = srv.cmd.Wait()
	mu.Lock()
	holding = false
	mu.Unlock()

	again := startChild(t, dsn, flags...)
	defer func() {
		if t.Failed() {
			t.Logf("the restarted server said:\n%s", again.stdout.String())
		}
	}()
	deadline := time.Now().Add(40 * time.Second)
	for {
		mu.Lock()
		k := len(got)
		mu.Unlock()
		if k == n {
			break
		}
		if time.Now().After(deadline) {
			mu.Lock()
			holding = false
			mu.Unlock()
			recv.CloseClientConnections()
			t.Fatalf("after the restart %d of %d events arrived", k, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
