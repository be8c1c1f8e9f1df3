package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"usergraph/model"
)

// seedUsers creates n users with a handful of profile fields and returns
// their ids.
func seedUsers(b testing.TB, e *env, n int) []string {
	ids := make([]string, 0, n)
	for i := range n {
		ids = append(ids, e.createUser(map[string]any{
			"username": fmt.Sprintf("user%05d", i), "email": fmt.Sprintf("user%05d@example.com", i),
			"nickname": fmt.Sprintf("Nick %d", i), "company": "Acme", "city": "Paris",
		}))
	}
	return ids
}

// benchHTTP posts query to a real HTTP server on loopback from 16
// concurrent clients (8 per core here) and reports requests/s and SQL
// statements per request.
func benchHTTP(b *testing.B, e *env, query string, vars map[string]any) {
	benchHTTPVaried(b, e, query, func(int) map[string]any { return vars })
}

// benchHTTPVaried is benchHTTP with variables that change from request to
// request: vars(i) for i cycling through 0..255.
func benchHTTPVaried(b *testing.B, e *env, query string, vars func(i int) map[string]any) {
	bodies := make([][]byte, 256)
	for i := range bodies {
		bodies[i], _ = json.Marshal(map[string]any{"query": query, "variables": vars(i)})
	}
	benchHTTPEach(b, e, func(i int64) []byte { return bodies[i%int64(len(bodies))] })
}

// profileCPU writes a CPU profile of the measured requests alone (go
// test's -cpuprofile also covers the seeding, which dwarfs them) when
// USERGRAPH_BENCH_CPUPROFILE names a file prefix: <prefix>.<benchmark>.
// It returns the function that stops it.
func profileCPU(b *testing.B) func() {
	prefix := os.Getenv("USERGRAPH_BENCH_CPUPROFILE")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(prefix + "." + strings.ReplaceAll(b.Name(), "/", "_"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// benchHTTPEach is benchHTTP with a body made for each request i (for
// writes that must not repeat, such as creates).
func benchHTTPEach(b *testing.B, e *env, body func(i int64) []byte) {
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	var next atomic.Int64
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	e.stmts.Reset()
	b.ReportAllocs()
	b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
	defer profileCPU(b)()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body(next.Add(1))))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.token)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			out, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || bytes.Contains(out, []byte(`"errors"`)) {
				b.Fatalf("%d %s", resp.StatusCode, out)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(e.stmts.Count())/float64(b.N), "stmts/req")
}

func BenchmarkUserByID(b *testing.B) {
	e := newEnv(b)
	ids := seedUsers(b, e, 1000)
	benchHTTP(b, e, `query($id: ID!) { user(id: $id) { `+userFields+` } }`, map[string]any{"id": ids[500]})
}

func BenchmarkUsersPage50(b *testing.B) {
	e := newEnv(b)
	seedUsers(b, e, 1000)
	benchHTTP(b, e, `{ users(limit: 50) { totalCount list { `+userFields+` } } }`, nil)
}

// seedMemberships creates n users, groups g0..g9 and roles r0..r9, and puts
// every user in 2 groups and 2 roles.
func seedMemberships(b testing.TB, e *env, n int) { seedMembershipsIn(b, e, n, 10) }

// seedMembershipsIn creates n users, k groups and k roles, and puts every
// user in 2 groups and 2 roles.
func seedMembershipsIn(b testing.TB, e *env, n, k int) {
	ctx := context.Background()
	ids := make([][]string, k)
	for i := range n {
		in := model.UserInput{Username: graphql.OmittableOf(ptr(fmt.Sprintf("user%06d", i))), Nickname: graphql.OmittableOf(ptr("Nick"))}
		u, err := e.store.CreateUser(ctx, e.poolID, &in)
		if err != nil {
			b.Fatal(err)
		}
		ids[i%k] = append(ids[i%k], u.ID)
	}
	for k := range k {
		code := fmt.Sprintf("g%d", k)
		if _, err := e.store.CreateGroup(ctx, e.poolID, model.GroupInput{Code: graphql.OmittableOf(&code)}); err != nil {
			b.Fatal(err)
		}
		rc := fmt.Sprintf("r%d", k)
		if _, err := e.store.CreateRole(ctx, e.poolID, "", model.RoleInput{Code: graphql.OmittableOf(&rc)}); err != nil {
			b.Fatal(err)
		}
	}
	for g := range k {
		for _, member := range []int{g, (g + 1) % k} {
			for start := 0; start < len(ids[member]); start += model.MaxBatch {
				chunk := ids[member][start:min(start+model.MaxBatch, len(ids[member]))]
				if _, err := e.store.AddGroupMembers(ctx, e.poolID, fmt.Sprintf("g%d", g), chunk); err != nil {
					b.Fatal(err)
				}
				if _, err := e.store.AddRoleMembers(ctx, e.poolID, "", fmt.Sprintf("r%d", g), chunk); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// BenchmarkNestedUsersPage is issue 4's benchmark: a page of 50 users with
// their groups and roles, over 10,000 users in 2 groups and 2 roles each,
// from 16 concurrent clients.
func BenchmarkNestedUsersPage(b *testing.B) {
	e := newEnv(b)
	seedMemberships(b, e, 10_000)
	benchHTTP(b, e, `{ users(limit: 50) { totalCount list { id username groups { list { code } } roles { list { code } } } } }`, nil)
}

// harnessPage is the bench harness's headline query (load/queries/ours/
// a_users_page): a page of 50 users with their roles and groups, no count.
const harnessPage = `query UsersPage($page: Int!) { users(page: $page, limit: 50) { list { id username email roles { list { code } } groups { list { code } } } } }`

// The same page as clients spell it: with a fragment (codegen'd clients,
// a_users_page_fragment), with aliases and __typename, and as the
// TypeScript client's ListUsers (clients/typescript/operations): sorted,
// counted, with names and namespaces.
const (
	harnessPageFragment = `query UsersPage($page: Int!) { users(page: $page, limit: 50) { list { ...UserRow } } } fragment UserRow on User { id username email roles { list { code } } groups { list { code } } }`
	harnessPageAliases  = `query UsersPage($page: Int!) { page: users(page: $page, limit: 50) { __typename rows: list { __typename id login: username email roles { list { __typename code } } groups { list { __typename code } } } } }`
	clientListUsers     = `query ListUsers($page: Int, $limit: Int, $filter: UserFilter) { users(page: $page, limit: $limit, filter: $filter, sortBy: { field: CREATED_AT, order: DESC }) { totalCount totalCountExact list { id username email status groups { list { code name } } roles { list { code namespace } } } } }`
)

// BenchmarkHarnessUsersPage is the harness's nested page over 10,000
// users in 50 groups and 50 roles, 2 of each per user: random pages, the
// first page, and the random page spelt as clients spell it.
func BenchmarkHarnessUsersPage(b *testing.B) {
	e := newEnv(b)
	seedMembershipsIn(b, e, 10_000, 50)
	random := func(i int) map[string]any { return map[string]any{"page": 1 + (i*7919)%200} }
	b.Run("random", func(b *testing.B) { benchHTTPVaried(b, e, harnessPage, random) })
	b.Run("first", func(b *testing.B) {
		benchHTTP(b, e, harnessPage, map[string]any{"page": 1})
	})
	b.Run("fragment", func(b *testing.B) { benchHTTPVaried(b, e, harnessPageFragment, random) })
	b.Run("aliases", func(b *testing.B) { benchHTTPVaried(b, e, harnessPageAliases, random) })
	b.Run("client-list-users", func(b *testing.B) {
		benchHTTPVaried(b, e, clientListUsers, func(i int) map[string]any { return map[string]any{"page": 1 + (i*7919)%200, "limit": 50} })
	})
}

// The harness's other shapes (load/queries/ours), over 10,000 users.
const (
	harnessUserByID = `query User($id: ID!) { user(id: $id) { id username email phone phoneCountryCode nickname company name givenName familyName middleName profile preferredUsername photo website gender birthdate zoneinfo locale address formatted streetAddress locality region postalCode city province country unionid openid externalId status browser device lastIP signedUp lastLogin registerSource tokenExpiredAt userPoolId createdAt updatedAt } }`
	harnessSearch   = `query Search($q: String!) { searchUsers(query: $q, limit: 10) { list { id username email name } } }`
	harnessCreate   = `mutation Create($u: CreateUserInput!) { createUser(userInfo: $u) { id username email } }`
)

// BenchmarkHarnessShapes runs the harness's user-by-id, search and create
// shapes: users named like the harness's (a few hundred Bobs among
// 10,000), searched for "bob" and for 4 random digits, and created with
// and without a password.
func BenchmarkHarnessShapes(b *testing.B) {
	e := newEnv(b)
	ids := make([]string, 0, 10_000)
	for k := range 10 {
		users := make([]map[string]any, 1000)
		for i := range users {
			n := k*1000 + i
			first := []string{"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Bobby"}[n%20]
			users[i] = map[string]any{"username": fmt.Sprintf("%s%05d", strings.ToLower(first), n), "email": fmt.Sprintf("u%05d@example.com", n),
				"name": first + " Example", "phone": fmt.Sprintf("+1555%07d", (n*7919)%10_000_000)}
		}
		var out struct {
			CreateUsers []struct{ User struct{ ID string } }
		}
		e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { user { id } } }`, map[string]any{"u": users}).ok(&out)
		for _, r := range out.CreateUsers {
			ids = append(ids, r.User.ID)
		}
	}
	b.Run("user-by-id", func(b *testing.B) {
		benchHTTPVaried(b, e, harnessUserByID, func(i int) map[string]any { return map[string]any{"id": ids[(i*7919)%len(ids)]} })
	})
	b.Run("search-bob", func(b *testing.B) {
		benchHTTP(b, e, harnessSearch, map[string]any{"q": "bob"})
	})
	b.Run("search-digits", func(b *testing.B) {
		benchHTTPVaried(b, e, harnessSearch, func(i int) map[string]any { return map[string]any{"q": fmt.Sprintf("%04d", 1000+(i*7919)%9000)} })
	})
	for _, c := range []struct {
		name     string
		password bool
	}{{"create", false}, {"create-password", true}} {
		b.Run(c.name, func(b *testing.B) {
			run := time.Now().UnixNano()
			benchHTTPEach(b, e, func(i int64) []byte {
				u := map[string]any{"username": fmt.Sprintf("load-%d-%d", run, i), "email": fmt.Sprintf("load-%d-%d@example.com", run, i), "name": "Load Test"}
				if c.password {
					u["password"] = "correct horse battery staple"
				}
				body, _ := json.Marshal(map[string]any{"query": harnessCreate, "variables": map[string]any{"u": u}})
				return body
			})
		})
	}
}

// BenchmarkCreateUsers creates users through createUsers over the real
// handler: 10 batches of 1,000 without passwords, and one batch of 100 with
// passwords (argon2id dominates), reporting users/s.
func BenchmarkCreateUsers(b *testing.B) {
	for _, c := range []struct {
		name             string
		batches, perCall int
		password         bool
	}{{"10k-no-password", 10, 1000, false}, {"100-with-password", 1, 100, true}} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				e := newEnv(b)
				for k := range c.batches {
					users := make([]map[string]any, c.perCall)
					for i := range users {
						users[i] = map[string]any{"username": fmt.Sprintf("u%d-%d", k, i), "email": fmt.Sprintf("u%d-%d@example.com", k, i)}
						if c.password {
							users[i]["password"] = "correct-horse-battery"
						}
					}
					e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}).ok(nil)
					n += c.perCall
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "users/s")
		})
	}
}

// seedAuthz creates 1,000 DATA resources in namespace "app", a user in 20
// roles and 20 groups, and grants each role and group 25 of the resources:
// 1,000 grants reach the user.
func seedAuthz(b testing.TB, e *env) string {
	ctx := context.Background()
	if _, err := e.store.CreateNamespace(ctx, e.poolID, "app", model.NamespaceInput{}); err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		code := fmt.Sprintf("res%04d", i)
		if _, err := e.store.CreateResource(ctx, e.poolID, "app", code, model.ResourceData, nil,
			[]*model.ResourceAction{{Name: code + ":read"}, {Name: code + ":write"}}); err != nil {
			b.Fatal(err)
		}
	}
	in := model.UserInput{Username: graphql.OmittableOf(ptr("subject"))}
	u, err := e.store.CreateUser(ctx, e.poolID, &in)
	if err != nil {
		b.Fatal(err)
	}
	for k := range 20 {
		r, g := fmt.Sprintf("r%d", k), fmt.Sprintf("g%d", k)
		if _, err := e.store.CreateRole(ctx, e.poolID, "app", model.RoleInput{Code: graphql.OmittableOf(&r)}); err != nil {
			b.Fatal(err)
		}
		if _, err := e.store.CreateGroup(ctx, e.poolID, model.GroupInput{Code: graphql.OmittableOf(&g)}); err != nil {
			b.Fatal(err)
		}
		for j := range 25 {
			res := fmt.Sprintf("res%04d", k*50+j)
			if err := e.store.AuthorizeResource(ctx, e.poolID, "app", res+":*", nil, []*model.GrantTarget{{TargetType: model.TargetRole, TargetIdentifier: r, Actions: []string{res + ":read"}}}); err != nil {
				b.Fatal(err)
			}
			res = fmt.Sprintf("res%04d", k*50+25+j)
			if err := e.store.AuthorizeResource(ctx, e.poolID, "app", res, nil, []*model.GrantTarget{{TargetType: model.TargetGroup, TargetIdentifier: g, Actions: []string{"*"}}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := e.store.AddUserRoles(ctx, e.poolID, u.ID, "app", []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "r16", "r17", "r18", "r19"}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.store.AddUserGroups(ctx, e.poolID, u.ID, []string{"g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "g10", "g11", "g12", "g13", "g14", "g15", "g16", "g17", "g18", "g19"}); err != nil {
		b.Fatal(err)
	}
	return u.ID
}

// BenchmarkAuthorizedResources is issue 6's benchmark: a user in 20 roles
// and 20 groups over 1,000 resources.
func BenchmarkAuthorizedResources(b *testing.B) {
	e := newEnv(b)
	id := seedAuthz(b, e)
	benchHTTP(b, e, `query($u: ID!) { authorizedResources(userId: $u, namespace: "app") { totalCount list { code actions } } }`, map[string]any{"u": id})
}

func BenchmarkIsActionAllowed(b *testing.B) {
	e := newEnv(b)
	id := seedAuthz(b, e)
	benchHTTP(b, e, `query($u: ID!) { isActionAllowed(userId: $u, resource: "res0987:12", action: "res0987:write", namespace: "app") }`, map[string]any{"u": id})
}
