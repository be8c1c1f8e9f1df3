package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/graph/exec"
	"usergraph/internal/graphtest"
	"usergraph/internal/httpapi"
)

// The planned read executor (graph/plan) must answer every query exactly
// as gqlgen's own executor does. TestPlannedMatchesGqlgen generates random
// valid operations from the schema — every Query field, named and inline
// fragments, aliases, __typename, @skip and @include with literals and
// variables, arguments as literals and variables (some out of range, to
// raise errors), nesting to the depth limit — and sends each to two
// handlers over the same database, one per executor: the data must be the
// same bytes, and the errors the same (message, path, locations,
// extensions), in any order.

// twin is one database served by both executors.
type twin struct {
	t               testing.TB
	planned, gqlgen http.Handler
	token           string
	pools           map[string][]string // argument values that name seeded rows
	server          *graphtest.Server
}

// newTwin starts the two handlers over one seeded database.
func newTwin(t testing.TB) *twin {
	t.Helper()
	var opts httpapi.Options
	s := graphtest.New(t, func(o *httpapi.Options) { opts = *o })
	opts.GqlgenReads = true
	tw := &twin{t: t, planned: s.Handler, gqlgen: httpapi.NewHandler(opts), token: s.Token, server: s}
	tw.seed()
	return tw
}

// post sends one operation to h and returns the status and body.
func (tw *twin) post(h http.Handler, query string, vars map[string]any) (int, []byte) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tw.token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// mustDo runs a seeding operation and returns its data.
func (tw *twin) mustDo(query string, vars map[string]any) map[string]any {
	tw.t.Helper()
	_, body := tw.post(tw.planned, query, vars)
	var out struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) > 0 {
		tw.t.Fatalf("seeding %s: %s", query, body)
	}
	return out.Data
}

// seed fills the pool with a little of everything a query can reach:
// users with and without optional fields, custom data, identities, a
// group tree with members and roles, roles in two namespaces, resources
// granted to users, roles and groups, an API key, and the audit trail
// all of it leaves.
func (tw *twin) seed() {
	tw.pools = map[string][]string{}
	add := func(pool string, v ...string) { tw.pools[pool] = append(tw.pools[pool], v...) }
	tw.mustDo(`mutation { createNamespace(code: "app", name: "App") { code } }`, nil)
	add("namespace", "default", "app")
	for _, udf := range []string{
		`setUdf(targetType: USER, key: "dept", dataType: STRING, label: "Department") { key }`,
		`setUdf(targetType: USER, key: "level", dataType: NUMBER) { key }`,
		`setUdf(targetType: USER, key: "vip", dataType: BOOLEAN) { key }`,
		`setUdf(targetType: GROUP, key: "floor", dataType: NUMBER) { key }`,
		`setUdf(targetType: ROLE, key: "tier", dataType: STRING) { key }`,
	} {
		tw.mustDo("mutation { "+udf+" }", nil)
	}
	genders := []string{"M", "F", "U", "W"}
	var users []string
	for i := range 24 {
		in := map[string]any{"username": fmt.Sprintf("user%02d", i)}
		if i%2 == 0 {
			in["email"] = fmt.Sprintf("user%02d@example.com", i)
			in["nickname"] = fmt.Sprintf("Nick \"%d\"\n\ttab", i)
			in["gender"] = genders[i%4]
			in["customData"] = map[string]any{"dept": []string{"eng", "ops", "sales"}[i%3], "level": i, "vip": i%4 == 0}
		}
		if i%3 == 0 {
			in["phone"] = fmt.Sprintf("+1555000%04d", i)
			in["lastLogin"] = fmt.Sprintf("2026-0%d-1%dT10:00:00.123Z", 1+i%9, i%10)
			in["identities"] = []map[string]any{{"provider": "github", "type": "oauth", "userIdInIdp": fmt.Sprintf("gh%d", i)}}
		}
		if i%5 == 0 {
			in["status"] = "Suspended"
			in["company"] = "Ünïcode Co ☃"
		}
		if i == 7 {
			in["hidden"] = true
		}
		d := tw.mustDo(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": in})
		users = append(users, d["createUser"].(map[string]any)["id"].(string))
	}
	add("userId", users...)
	add("userId", "00000000-0000-0000-0000-000000000000")
	add("username", "user01", "user02", "nobody")
	add("email", "user02@example.com", "none@example.com")
	groups := []string{"empty", "eng", "eng-web", "eng-web-ui", "ops", "sales"}
	parents := map[string]string{"eng-web": "eng", "eng-web-ui": "eng-web"}
	for _, g := range groups {
		vars := map[string]any{"c": g, "p": nil}
		if p, ok := parents[g]; ok {
			vars["p"] = p
		}
		tw.mustDo(`mutation($c: String!, $p: String) { createGroup(code: $c, name: $c, parent: $p) { id } }`, vars)
	}
	add("group", groups...)
	add("group", "no-such-group")
	for i, g := range groups[1:] {
		tw.mustDo(`mutation($c: String!, $u: [ID!]!) { addGroupMembers(code: $c, userIds: $u) { id } }`,
			map[string]any{"c": g, "u": users[i*4 : i*4+6]})
	}
	tw.mustDo(`mutation { setGroupUdfValue(code: "eng", data: {floor: 3}) }`, nil)
	for _, r := range []struct{ code, ns string }{{"guest", "app"}, {"owner", "app"}, {"admin", "default"}, {"editor", "default"}, {"viewer", "default"}} {
		tw.mustDo(`mutation($c: String!, $n: String) { createRole(code: $c, namespace: $n) { id } }`, map[string]any{"c": r.code, "n": r.ns})
	}
	add("role", "admin", "editor", "viewer", "owner", "guest", "no-such-role")
	for i, r := range []string{"admin", "editor", "viewer"} {
		tw.mustDo(`mutation($c: String!, $u: [ID!]!) { addRoleMembers(code: $c, userIds: $u) { id } }`,
			map[string]any{"c": r, "u": users[i*5 : i*5+7]})
	}
	tw.mustDo(`mutation { addGroupRoles(code: "eng", roles: ["editor", "viewer"]) { id } }`, nil)
	tw.mustDo(`mutation { addGroupRoles(code: "ops", roles: ["owner"], namespace: "app") { id } }`, nil)
	tw.mustDo(`mutation { setRoleUdfValue(code: "admin", data: {tier: "gold"}) }`, nil)
	for _, res := range []string{"books", "books.1", "menu"} {
		tw.mustDo(`mutation($c: String!, $a: [ResourceActionInput!]) { createResource(namespace: "app", code: $c, type: DATA, actions: $a) { code } }`,
			map[string]any{"c": res, "a": []map[string]any{{"name": res + ":read"}, {"name": res + ":write", "description": "may write"}}})
	}
	tw.mustDo(`mutation { createResource(namespace: "default", code: "books", type: DATA, actions: [{name: "books:read"}, {name: "books:write"}]) { code } }`, nil)
	tw.mustDo(`mutation { authorizeResource(namespace: "default", resource: "books:*", opts: [{targetType: ROLE, targetIdentifier: "admin", actions: ["books:read"]}, {targetType: GROUP, targetIdentifier: "eng", actions: ["*"]}]) }`, nil)
	add("resource", "books", "books.1", "menu", "nothing")
	add("action", "books:read", "books:write", "menu:read", "*")
	tw.mustDo(`mutation($u: String!) { authorizeResource(namespace: "app", resource: "books", opts: [
		{targetType: USER, targetIdentifier: $u, actions: ["books:read"]},
		{targetType: ROLE, targetIdentifier: "owner", actions: ["books:*"]},
		{targetType: GROUP, targetIdentifier: "eng", actions: ["books:write"]}]) }`, map[string]any{"u": users[0]})
	tw.mustDo(`mutation { authorizeResource(namespace: "app", resource: "menu", resourceType: DATA, opts: [{targetType: GROUP, targetIdentifier: "eng-web", actions: ["menu:read"]}]) }`, nil)
	tw.mustDo(`mutation { createApiKey(name: "help desk", scopes: ["users:read"]) { key } }`, nil)
	tw.mustDo(`mutation($u: ID!) { updateUser(id: $u, input: {nickname: "renamed"}) { id } }`, map[string]any{"u": users[1]})
	add("query", "user", "user0", "example", "Nick", "zz", "")
}

// opGen writes one random valid operation.
type opGen struct {
	r      *rand.Rand
	schema *ast.Schema
	pools  map[string][]string
	vars   map[string]any
	decls  []string
	frags  []string
	n      int // names handed out
}

// skipped Query fields: accessToken changes the throttle's state when it
// fails, so the two executors would not see the same server;
// __schema and __type are gqlgen's.
var skippedRoots = map[string]bool{"accessToken": true, "__schema": true, "__type": true}

const maxGenDepth = 5

// operation returns a document and its variables.
func (g *opGen) operation() (string, map[string]any) {
	g.vars = map[string]any{}
	q := g.schema.Query
	var roots []*ast.FieldDefinition
	for _, f := range q.Fields {
		if !skippedRoots[f.Name] {
			roots = append(roots, f)
		}
	}
	var b strings.Builder
	used := map[string]bool{}
	for range 1 + g.r.IntN(3) {
		f := roots[g.r.IntN(len(roots))]
		g.field(&b, q, f, used, 1)
	}
	if g.r.IntN(6) == 0 {
		b.WriteString(" __typename")
	}
	var doc strings.Builder
	doc.WriteString("query Q")
	if len(g.decls) > 0 {
		doc.WriteString("(" + strings.Join(g.decls, ", ") + ")")
	}
	doc.WriteString(" {" + b.String() + " }")
	for _, f := range g.frags {
		doc.WriteString("\n" + f)
	}
	return doc.String(), g.vars
}

// selection writes a selection set of def at depth.
func (g *opGen) selection(b *strings.Builder, def *ast.Definition, depth int) {
	b.WriteString(" {")
	used := map[string]bool{}
	fields := def.Fields
	picked := 0
	for _, i := range g.r.Perm(len(fields)) {
		f := fields[i]
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		if picked > 0 && g.r.IntN(3) > 0 {
			continue
		}
		if t := g.schema.Types[f.Type.Name()]; t.Kind == ast.Object && depth >= maxGenDepth {
			continue
		}
		picked++
		switch g.r.IntN(10) {
		case 0: // an inline fragment, with or without its type
			if g.r.IntN(2) == 0 {
				b.WriteString(" ... on " + def.Name + g.directive() + " {")
			} else {
				b.WriteString(" ..." + g.directive() + " {")
			}
			g.field(b, def, f, map[string]bool{}, depth)
			b.WriteString(" }")
		case 1: // a named fragment
			g.n++
			name := fmt.Sprintf("F%d", g.n)
			var fb strings.Builder
			g.field(&fb, def, f, map[string]bool{}, depth)
			if g.r.IntN(3) == 0 {
				fb.WriteString(" __typename")
			}
			g.frags = append(g.frags, "fragment "+name+" on "+def.Name+" {"+fb.String()+" }")
			b.WriteString(" ..." + name + g.directive())
		default:
			g.field(b, def, f, used, depth)
		}
	}
	if picked == 0 || g.r.IntN(8) == 0 {
		b.WriteString(" __typename")
	}
	b.WriteString(" }")
}

// field writes one field of def: an alias when its name is taken or by
// chance, arguments, a directive now and then, and its selection.
func (g *opGen) field(b *strings.Builder, def *ast.Definition, f *ast.FieldDefinition, used map[string]bool, depth int) {
	key := f.Name
	if used[key] || len(f.Arguments) > 0 && g.r.IntN(3) == 0 || g.r.IntN(6) == 0 {
		g.n++
		key = fmt.Sprintf("a%d", g.n)
		b.WriteString(" " + key + ": " + f.Name)
	} else {
		b.WriteString(" " + f.Name)
	}
	used[key] = true
	var args []string
	for _, a := range f.Arguments {
		required := a.Type.NonNull && a.DefaultValue == nil
		odds := 3
		if a.Name == "after" { // a made-up cursor is refused: seldom
			odds = 20
		}
		if required || g.r.IntN(odds) == 0 {
			args = append(args, a.Name+": "+g.argument(def.Name+"."+f.Name, a.Name, a.Type, 0))
		}
	}
	if len(args) > 0 {
		b.WriteString("(" + strings.Join(args, ", ") + ")")
	}
	b.WriteString(g.directive())
	if t := g.schema.Types[f.Type.Name()]; t.Kind == ast.Object {
		g.selection(b, t, depth+1)
	}
}

// directive is now and then an @include or @skip, its condition a literal
// or a variable.
func (g *opGen) directive() string {
	if g.r.IntN(8) != 0 {
		return ""
	}
	name := []string{"include", "skip"}[g.r.IntN(2)]
	cond := strconv.FormatBool(g.r.IntN(2) == 0)
	if g.r.IntN(2) == 0 {
		g.n++
		v := fmt.Sprintf("c%d", g.n)
		g.decls = append(g.decls, "$"+v+": Boolean!")
		g.vars[v] = g.r.IntN(2) == 0
		cond = "$" + v
	}
	return " @" + name + "(if: " + cond + ")"
}

// argument is a value for argument name of field (Type.field) as a
// literal or, now and then, a variable.
func (g *opGen) argument(field, name string, t *ast.Type, depth int) string {
	v := g.value(field, name, t, depth)
	if depth == 0 && g.r.IntN(4) == 0 {
		g.n++
		vn := fmt.Sprintf("v%d", g.n)
		g.decls = append(g.decls, "$"+vn+": "+t.String())
		g.vars[vn] = v
		return "$" + vn
	}
	return literal(v, g.schema, t)
}

// value is a JSON value for an argument or input field of type t: names
// of seeded rows where the name says what it names, small numbers (now
// and then out of range), any value of an enum.
func (g *opGen) value(field, name string, t *ast.Type, depth int) any {
	if t.Elem != nil {
		n := 1 + g.r.IntN(3)
		out := make([]any, n)
		for i := range out {
			out[i] = g.value(field, name, t.Elem, depth+1)
		}
		return out
	}
	def := g.schema.Types[t.Name()]
	switch def.Kind {
	case ast.Enum:
		return def.EnumValues[g.r.IntN(len(def.EnumValues))].Name
	case ast.InputObject:
		obj := map[string]any{}
		if def.Name == "AccessChangeInput" { // one change, as its resolver requires
			f := def.Fields[g.r.IntN(len(def.Fields))]
			obj[f.Name] = g.value(def.Name, f.Name, f.Type, depth+1)
			return obj
		}
		for _, f := range def.Fields {
			required := f.Type.NonNull && f.DefaultValue == nil
			if (required || g.r.IntN(3) == 0) && depth < 3 {
				obj[f.Name] = g.value(def.Name, f.Name, f.Type, depth+1)
			}
		}
		return obj
	}
	bad := g.r.IntN(15) == 0 // now and then a value the server refuses
	switch t.Name() {
	case "Int":
		if bad {
			return []int{0, -1, 1000}[g.r.IntN(3)]
		}
		return []int{1, 1, 2, 3, 5, 10}[g.r.IntN(6)]
	case "Boolean":
		return g.r.IntN(2) == 0
	case "Time":
		if bad {
			return "not a time"
		}
		return []string{"2026-01-01T00:00:00Z", "2030-01-01T00:00:00Z"}[g.r.IntN(2)]
	case "JSON":
		return map[string]any{"dept": "eng"}
	}
	pool := g.pool(field, name)
	if len(pool) == 0 {
		return []string{"x", "user01", "app", ""}[g.r.IntN(4)]
	}
	return pool[g.r.IntN(len(pool))]
}

// pool is the seeded values an argument or input field takes.
func (g *opGen) pool(field, name string) []string {
	switch {
	case name == "code" && strings.Contains(strings.ToLower(field), "role"):
		return g.pools["role"]
	case name == "code" && strings.Contains(strings.ToLower(field), "namespace"):
		return g.pools["namespace"]
	case name == "code" && strings.Contains(strings.ToLower(field), "resource"):
		return g.pools["resource"]
	case name == "code" || name == "group" || name == "parent":
		return g.pools["group"]
	case name == "roles":
		return g.pools["role"]
	case name == "id" || name == "ids" || name == "userId" || name == "userIds" || name == "objectId":
		return g.pools["userId"]
	case name == "namespace":
		return g.pools["namespace"]
	case name == "resource":
		return g.pools["resource"]
	case name == "action":
		return g.pools["action"]
	case name == "query":
		return g.pools["query"]
	case name == "username", name == "email":
		return g.pools[name]
	case name == "phone":
		return []string{"+15550000000", "+15550000003"}
	case name == "key":
		return []string{"dept", "level", "vip", "nope"}
	case name == "fields":
		return []string{"username", "email", "nickname", "phone", "bogus"}
	case name == "after":
		return []string{"not-a-cursor"}
	}
	return nil
}

// literal writes v as a GraphQL literal of type t.
func literal(v any, schema *ast.Schema, t *ast.Type) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = literal(e, schema, t.Elem)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		def := schema.Types[t.Name()]
		var parts []string
		for _, f := range def.Fields {
			if e, ok := x[f.Name]; ok {
				parts = append(parts, f.Name+": "+literal(e, schema, f.Type))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case string:
		if schema.Types[t.Name()].Kind == ast.Enum {
			return x
		}
		return strconv.Quote(x)
	default:
		return fmt.Sprint(x)
	}
}

// response is a response reduced to what the executors must agree on.
type response struct {
	status int
	data   string
	errors []string // each error re-encoded with sorted keys, sorted
}

func decodeResponse(t testing.TB, status int, body []byte) response {
	var raw struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	r := response{status: status, data: string(raw.Data)}
	for _, e := range raw.Errors {
		b, _ := json.Marshal(e)
		r.errors = append(r.errors, string(b))
	}
	slices.Sort(r.errors)
	return r
}

// compare runs one operation through both executors and reports any
// difference.
func (tw *twin) compare(t testing.TB, query string, vars map[string]any) bool {
	t.Helper()
	ps, pb := tw.post(tw.planned, query, vars)
	gs, gb := tw.post(tw.gqlgen, query, vars)
	p, q := decodeResponse(t, ps, pb), decodeResponse(t, gs, gb)
	if p.status == q.status && p.data == q.data && slices.Equal(p.errors, q.errors) {
		return true
	}
	v, _ := json.Marshal(vars)
	t.Errorf("the executors differ on\n%s\nvariables %s\nplanned: %d %s\ngqlgen:  %d %s", query, v, ps, pb, gs, gb)
	return false
}

// TestPlannedMatchesGqlgen: see the top of this file. USERGRAPH_DIFF_OPS
// sets how many operations (default 1500), USERGRAPH_DIFF_SEED the seed
// (default: a new one, logged, so a failure can be replayed).
func TestPlannedMatchesGqlgen(t *testing.T) {
	ops := 1500
	if testing.Short() {
		ops = 200
	}
	if s := os.Getenv("USERGRAPH_DIFF_OPS"); s != "" {
		ops, _ = strconv.Atoi(s)
	}
	seed := rand.Uint64()
	if s := os.Getenv("USERGRAPH_DIFF_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (USERGRAPH_DIFF_SEED replays it)", seed)
	tw := newTwin(t)
	schema := exec.NewExecutableSchema(exec.Config{}).Schema()
	r := rand.New(rand.NewPCG(seed, 0))
	failures, withData, withErrors := 0, 0, 0
	codes := map[string]int{}
	for i := 0; i < ops && failures < 5; i++ {
		g := &opGen{r: r, schema: schema, pools: tw.pools}
		query, vars := g.operation()
		if !tw.compare(t, query, vars) {
			failures++
		}
		_, body := tw.post(tw.planned, query, vars)
		if bytes.Contains(body, []byte(`"errors"`)) {
			withErrors++
			var out struct {
				Errors []struct{ Extensions struct{ Code string } }
			}
			_ = json.Unmarshal(body, &out)
			codes[out.Errors[0].Extensions.Code]++
			if os.Getenv("DIFFDEBUG") != "" {
				t.Logf("%s", body[:min(len(body), 300)])
			}
		}
		if !bytes.HasPrefix(body, []byte(`{"errors"`)) {
			withData++
		}
	}
	t.Logf("%d operations: %d answered with data, %d with errors (by the first's code: %v)", ops, withData, withErrors, codes)
	if withData < ops/2 {
		t.Errorf("only %d of %d operations were answered with data: the generator writes too few valid operations to test much", withData, ops)
	}
}

// FuzzPlannedMatchesGqlgen is TestPlannedMatchesGqlgen driven by the
// fuzzer's seeds: `go test -fuzz FuzzPlannedMatchesGqlgen ./graph`.
func FuzzPlannedMatchesGqlgen(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 42, 1 << 40} {
		f.Add(s)
	}
	tw := newTwin(f)
	schema := exec.NewExecutableSchema(exec.Config{}).Schema()
	f.Fuzz(func(t *testing.T, seed uint64) {
		g := &opGen{r: rand.New(rand.NewPCG(seed, seed>>1)), schema: schema, pools: tw.pools}
		query, vars := g.operation()
		tw.compare(t, query, vars)
	})
}
