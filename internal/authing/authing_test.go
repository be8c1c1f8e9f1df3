package authing_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"usergraph/graph/schematest"
	"usergraph/internal/authing/exec"
)

func TestEverythingIsDescribed(t *testing.T) {
	schematest.EverythingIsDescribed(t, exec.NewExecutableSchema(exec.Config{}).Schema(), 30)
}

func TestEveryRootFieldDeclaresAScope(t *testing.T) {
	schematest.EveryRootFieldDeclaresAScope(t, exec.NewExecutableSchema(exec.Config{}).Schema())
}

// TestSDKDocumentsValidate: every GraphQL document the JavaScript SDK
// sends (testdata/operations.jsonl, recorded from authing-js-sdk 4.23.55)
// validates against the schema as it is, so none is refused for a type
// name, an argument type or a field.
func TestSDKDocumentsValidate(t *testing.T) {
	f, err := os.Open("testdata/operations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schema := exec.NewExecutableSchema(exec.Config{}).Schema()
	roots := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var op struct {
			Method   string
			Requests []struct{ Transport, Query string }
		}
		if err := json.Unmarshal(sc.Bytes(), &op); err != nil {
			t.Fatal(err)
		}
		for _, r := range op.Requests {
			if r.Transport != "graphql" {
				continue
			}
			doc, perr := parser.ParseQuery(&ast.Source{Input: r.Query})
			if perr != nil {
				t.Errorf("%s: %v", op.Method, perr)
				continue
			}
			if errs := validator.Validate(schema, doc); len(errs) > 0 {
				t.Errorf("%s: %v", op.Method, errs)
			}
			for _, o := range doc.Operations {
				for _, sel := range o.SelectionSet {
					roots[string(o.Operation)+" "+sel.(*ast.Field).Name] = true
				}
			}
		}
	}
	if len(roots) != 38 {
		t.Errorf("the documents use %d root fields, PROTOCOL.md lists 38: %v", len(roots), roots)
	}
}

// TestManagementTokenOutlivesAnHour: the SDKs fetch a new token before
// every call unless theirs has more than an hour left; the token also
// works on the native API (one pool, one set of rules).
func TestManagementTokenOutlivesAnHour(t *testing.T) {
	e := newEnv(t)
	var out struct{ AccessToken struct{ Exp, Iat int64 } }
	e.gql("", `query accessToken($p: String!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { exp iat } }`,
		map[string]any{"p": e.poolID, "s": e.secret}).ok(&out)
	if life := out.AccessToken.Exp - out.AccessToken.Iat; life <= 3600 {
		t.Fatalf("token lives %d s, want more than an hour", life)
	}
	rec := e.send(http.MethodPost, "/graphql", e.token, map[string]any{"query": "{ users { totalCount } }"})
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "errors") {
		t.Fatalf("native API refused the SDK token: %s", rec.Body.String())
	}
	// A wrong secret is the native UNAUTHENTICATED, as a number.
	e.gql("", `query accessToken($p: String!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { exp } }`,
		map[string]any{"p": e.poolID, "s": "wrong"}).wantErr(401, "UNAUTHENTICATED", "")
}

// TestErrorEnvelope: every error a client can cause reaches the SDK as an
// object message {code, message, data} with HTTP 200, data carrying the
// native code and field.
func TestErrorEnvelope(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"email": "ann@example.com"})
	e.gql("", `query { users { totalCount } }`, nil).wantErr(401, "UNAUTHENTICATED", "")
	e.do(`query { users { totalCount `, nil).wantErr(400, "GRAPHQL_PARSE_FAILED", "")
	e.do(`query { users { nope } }`, nil).wantErr(400, "GRAPHQL_VALIDATION_FAILED", "")
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`,
		map[string]any{"u": map[string]any{"email": "ANN@example.com"}}).wantErr(409, "ALREADY_EXISTS", "userInfo.email")
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`,
		map[string]any{"u": map[string]any{"email": "not an email"}}).wantErr(400, "INVALID_INPUT", "userInfo.email")
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`,
		map[string]any{"u": map[string]any{"username": "x", "lastLogin": "yesterday"}}).wantErr(400, "INVALID_INPUT", "userInfo.lastLogin")
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`,
		map[string]any{"u": map[string]any{"username": "x", "gender": "X"}}).wantErr(400, "INVALID_INPUT", "userInfo.gender")
	e.do(`mutation($id: String, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`,
		map[string]any{"id": "missing", "i": map[string]any{"nickname": "x"}}).wantErr(404, "NOT_FOUND", "id")
	e.do(`mutation($id: String, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`,
		map[string]any{"id": id, "i": map[string]any{"expiredAt": "2030-01-01T00:00:00Z"}}).wantErr(400, "INVALID_INPUT", "input.expiredAt")
	e.do(`mutation { deleteGroups(codeList: ["nope"]) { code } }`, nil).wantErr(404, "NOT_FOUND", "codeList.0")
	e.do(`mutation { createRole(code: "r", parent: "p") { id } }`, nil).wantErr(400, "INVALID_INPUT", "parent")
	e.do(`mutation { assignRole(roleCodes: ["a", "b"], userIds: ["u1", "u2"]) { code } }`, nil).wantErr(400, "INVALID_INPUT", "userIds")

	// Nothing was half-written by the refused calls.
	var out struct{ Users struct{ TotalCount int } }
	e.do(`query { users { totalCount } }`, nil).ok(&out)
	if out.Users.TotalCount != 1 {
		t.Fatalf("%d users after refused writes, want 1", out.Users.TotalCount)
	}
}

// TestPasswordTransport: passwords arrive RSA-encrypted with the key
// /api/v2/.well-known serves and are decrypted before hashing; one
// encrypted with another key is refused on its field; keepPassword keeps
// a known hash and refuses anything else.
func TestPasswordTransport(t *testing.T) {
	e := newEnv(t)
	pub := e.publicKey()
	encrypt := func(k *rsa.PublicKey, p string) string {
		b, err := rsa.EncryptPKCS1v15(rand.Reader, k, []byte(p))
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	create := `mutation($u: CreateUserInput!, $keep: Boolean) { createUser(userInfo: $u, keepPassword: $keep) { id password } }`
	var out struct {
		CreateUser struct{ ID, Password *string }
	}
	e.do(create, map[string]any{"u": map[string]any{"username": "enc", "password": encrypt(pub, "S3cret!pw")}}).ok(&out)
	if out.CreateUser.Password != nil {
		t.Fatal("a password was returned")
	}
	e.wantPassword(*out.CreateUser.ID, "S3cret!pw", true)

	// Encrypted with another key: not refused (that would be a padding
	// oracle, TestNoPaddingOracle), but the user gets a password nobody
	// knows.
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	e.do(create, map[string]any{"u": map[string]any{"username": "other", "password": encrypt(&other.PublicKey, "S3cret!pw")}}).ok(&out)
	e.wantPassword(*out.CreateUser.ID, "S3cret!pw", false)

	// A client that replaced encryptFunction with the identity.
	e.do(create, map[string]any{"u": map[string]any{"username": "plain", "password": "Plain!pw1"}}).ok(&out)
	e.wantPassword(*out.CreateUser.ID, "Plain!pw1", true)

	e.do(create, map[string]any{"keep": true, "u": map[string]any{"username": "keep", "password": encrypt(pub, "not a hash")}}).
		wantErr(400, "INVALID_INPUT", "userInfo.password")

	// The SDK's RSA library drops a block's leading zero byte (one block
	// in 256): it is still the block, and a kept hash is still kept.
	const hash = "$2a$04$/gE221ufis861N.rwglqme1eTC3M4bGJo/Fz22o/W5zB9dAYDFY2q"
	var short string
	for short == "" {
		b, err := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(hash))
		if err != nil {
			t.Fatal(err)
		}
		if b[0] == 0 {
			short = base64.StdEncoding.EncodeToString(b[1:])
		}
	}
	e.do(create, map[string]any{"keep": true, "u": map[string]any{"username": "short-block", "password": short}}).ok(&out)
	e.wantPassword(*out.CreateUser.ID, "Migr4ted!pass", true)

	// updateUser takes the same path.
	e.do(`mutation($id: String, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`,
		map[string]any{"id": *out.CreateUser.ID, "i": map[string]any{"password": encrypt(pub, "N3w!pass")}}).ok(nil)
	e.wantPassword(*out.CreateUser.ID, "N3w!pass", true)
	e.wantPassword(*out.CreateUser.ID, "Plain!pw1", false)
}

func (e *env) wantPassword(id, pw string, want bool) {
	e.t.Helper()
	ok, err := e.store.VerifyPassword(context.Background(), e.poolID, id, pw)
	if err != nil || ok != want {
		e.t.Fatalf("password %q verifies %v (err %v), want %v", pw, ok, err, want)
	}
}

// TestUserTokensCarryDataID: the SDKs' checkLoginStatus reads data.id from
// a user token without a request.
func TestUserTokensCarryDataID(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "tok"})
	var out struct{ RefreshToken struct{ Token string } }
	e.do(`mutation refreshToken($id: String) { refreshToken(id: $id) { token iat exp } }`, map[string]any{"id": id}).ok(&out)
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(out.RefreshToken.Token, claims); err != nil {
		t.Fatal(err)
	}
	data, _ := claims["data"].(map[string]any)
	if data["id"] != id || data["userPoolId"] != e.poolID {
		t.Fatalf("data claim %v", claims["data"])
	}
	var st struct{ IsLogin bool }
	e.restOK("GET", "/api/v2/users/login-status?userId="+id, nil, &st)
	if !st.IsLogin {
		t.Fatal("a user with a fresh token is not logged in")
	}
	e.restOK("POST", "/api/v2/users/kick", map[string]any{"userIds": []string{id}}, nil)
	e.restOK("GET", "/api/v2/users/login-status?userId="+id, nil, &st)
	if st.IsLogin {
		t.Fatal("kicked, but still logged in")
	}
	if env := e.rest("POST", "/api/v2/users/kick", map[string]any{"userIds": []string{id, "missing"}}); env.Code != 404 {
		t.Fatalf("kick of an unknown user: %+v", env)
	}
	e.do(`mutation refreshToken($id: String) { refreshToken(id: $id) { token } }`, map[string]any{"id": id}).ok(nil)
	if env := e.rest("GET", "/logout?userId="+id+"&appId=app1", nil); env.Code != 400 {
		t.Fatalf("logout of an application: %+v", env)
	}
	e.restOK("GET", "/api/v2/users/login-status?userId="+id, nil, &st)
	if !st.IsLogin {
		t.Fatal("a refused logout logged the user out")
	}
	e.restOK("GET", "/logout?userId="+id, nil, nil)
	e.restOK("GET", "/api/v2/users/login-status?userId="+id, nil, &st)
	if st.IsLogin {
		t.Fatal("logged out, but still logged in")
	}
}

// TestPoolIsolation: another pool's token sees nothing of this pool on
// either transport, and a token never acts for the pool the
// x-authing-userpool-id header names when that is another one.
func TestPoolIsolation(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "mine"})
	otherID, theirs := e.otherPool()

	// Their token with our pool's header: refused outright.
	var r struct {
		Errors []struct{ Message struct{ Code int } }
	}
	_ = json.Unmarshal(e.send("POST", "/graphql/v2", theirs, map[string]any{"query": `{ user(id: "` + id + `") { id } }`}).Body.Bytes(), &r)
	if len(r.Errors) == 0 || r.Errors[0].Message.Code != 401 {
		t.Fatalf("mismatched pool header: %+v", r)
	}
	var env envelope
	_ = json.Unmarshal(e.send("GET", "/api/v2/users/"+id, theirs, nil).Body.Bytes(), &env)
	if env.Code != 401 {
		t.Fatalf("REST with a mismatched pool header: %+v", env)
	}

	// Their token and their header: our user does not exist for them.
	ours := e.poolID
	e.poolID = otherID
	var out struct{ User *struct{ ID string } }
	e.gql(theirs, `{ user(id: "`+id+`") { id } }`, nil).ok(&out)
	if out.User != nil {
		t.Fatal("another pool's token read the user")
	}
	_ = json.Unmarshal(e.send("GET", "/api/v2/users/"+id, theirs, nil).Body.Bytes(), &env)
	if env.Code != 404 {
		t.Fatalf("REST detail from another pool: %+v", env)
	}
	_ = json.Unmarshal(e.send("GET", "/api/v2/resource-namespace/"+ours, theirs, nil).Body.Bytes(), &env)
	if env.Code != 404 {
		t.Fatalf("another pool's namespaces: %+v", env)
	}
}

// TestCustomDataOnTheWire: values arrive JSON-encoded and are stored by
// their field's type; they come back encoded as the SDKs decode them; a
// value of the wrong type is refused on its udvList entry.
func TestCustomDataOnTheWire(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "udv"})
	for _, f := range [][2]string{{"license", "STRING"}, {"age", "NUMBER"}, {"vip", "BOOLEAN"}, {"since", "DATETIME"}, {"prefs", "OBJECT"}} {
		e.do(`mutation($k: String!, $t: UDFDataType!) { setUdf(targetType: USER, key: $k, dataType: $t, label: $k) { key } }`,
			map[string]any{"k": f[0], "t": f[1]}).ok(nil)
	}
	set := `mutation($id: String!, $l: [UserDefinedDataInput!]) { setUdvBatch(targetType: USER, targetId: $id, udvList: $l) { key dataType value label } }`
	var out struct {
		SetUdvBatch []struct{ Key, DataType, Value, Label string }
	}
	e.do(set, map[string]any{"id": id, "l": []map[string]any{
		{"key": "license", "value": `"MIT"`}, {"key": "age", "value": "20"}, {"key": "vip", "value": "true"},
		{"key": "since", "value": `"2024-05-06T07:08:09Z"`}, {"key": "prefs", "value": `{"theme":"dark"}`},
	}}).ok(&out)
	got := map[string]string{}
	for _, d := range out.SetUdvBatch {
		got[d.Key] = d.DataType + " " + d.Value
	}
	want := map[string]string{"license": "STRING MIT", "age": "NUMBER 20", "vip": "BOOLEAN true",
		"since": "DATETIME 2024-05-06T07:08:09Z", "prefs": `OBJECT {"theme":"dark"}`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("values %v, want %v", got, want)
	}
	e.do(set, map[string]any{"id": id, "l": []map[string]any{{"key": "license", "value": `"x"`}, {"key": "age", "value": `"old"`}}}).
		wantErr(400, "INVALID_INPUT", "udvList.1.value")
	e.do(`mutation($in: [SetUdfValueBatchInput!]!) { setUdfValueBatch(targetType: USER, input: $in) { code } }`,
		map[string]any{"in": []map[string]any{{"targetId": id, "key": "age", "value": "21"}, {"targetId": id, "key": "vip", "value": `"yes"`}}}).
		wantErr(400, "INVALID_INPUT", "input.1.value")
	e.do(`mutation($in: [SetUdfValueBatchInput!]!) { setUdfValueBatch(targetType: USER, input: $in) { code } }`,
		map[string]any{"in": []map[string]any{{"targetId": id, "key": "age", "value": "21"}, {"targetId": id, "key": "vip", "value": "false"}, {"targetId": "missing", "key": "age", "value": "1"}}}).
		wantErr(404, "NOT_FOUND", "input.2.targetId")
	var after struct {
		Udv []struct{ Key, Value string }
	}
	e.do(`query($id: String!) { udv(targetType: USER, targetId: $id) { key value } }`, map[string]any{"id": id}).ok(&after)
	for _, d := range after.Udv {
		if d.Key == "age" && d.Value != "20" {
			t.Fatalf("a refused batch changed age to %s", d.Value)
		}
	}
	e.do(`query { udf(targetType: ORG) { key } }`, nil).ok(nil) // kinds without fields answer empty
	e.do(`mutation { setUdf(targetType: ORG, key: "k", dataType: STRING, label: "K") { key } }`, nil).wantErr(400, "INVALID_INPUT", "targetType")
}

// TestRESTRoutes: each /api/v2 route answers the envelope with the shapes
// the SDKs read, and a bad request gets a code, never a raw HTTP error.
func TestRESTRoutes(t *testing.T) {
	e := newEnv(t)
	a := e.createUser(map[string]any{"username": "a", "email": "a@example.com"})
	b := e.createUser(map[string]any{"username": "b"})

	var u struct {
		ID, Arn    string
		Identities []any
		CustomData []any
	}
	e.restOK("GET", "/api/v2/users/"+a+"?with_custom_data=true", nil, &u)
	if u.ID != a || !strings.HasSuffix(u.Arn, ":user:"+a) || u.Identities == nil || u.CustomData == nil {
		t.Fatalf("detail %+v", u)
	}
	var batch []struct{ ID string }
	e.restOK("POST", "/api/v2/users/batch", map[string]any{"ids": []string{"A@EXAMPLE.COM"}, "type": "email"}, &batch)
	if len(batch) != 1 || batch[0].ID != a {
		t.Fatalf("batch by email %+v", batch)
	}
	if env := e.rest("POST", "/api/v2/users/batch", map[string]any{"ids": []string{"x"}, "type": "nickname"}); env.Code != 400 {
		t.Fatalf("batch by an unknown type: %+v", env)
	}
	var page struct {
		TotalCount int
		List       []struct{ ID string }
	}
	e.restOK("POST", "/api/v2/users/filter", map[string]any{"page": 1, "limit": 1, "filter": []any{}}, &page)
	if page.TotalCount != 2 || len(page.List) != 1 {
		t.Fatalf("filter %+v", page)
	}
	if env := e.rest("POST", "/api/v2/users/filter", map[string]any{"filter": []any{map[string]any{"key": "x"}}}); env.Code != 400 {
		t.Fatalf("a filter expression: %+v", env)
	}

	e.restOK("POST", "/api/v2/resources", map[string]any{"code": "books", "type": "DATA", "namespace": "default",
		"actions": []map[string]any{{"name": "books:read", "description": "read"}}}, nil)
	var res struct {
		Code    string
		Actions []struct{ Name string }
	}
	e.restOK("GET", "/api/v2/resources/detail?namespace=default&code=books", nil, &res)
	if res.Code != "books" || len(res.Actions) != 1 {
		t.Fatalf("resource %+v", res)
	}
	e.do(`mutation { authorizeResource(namespace: "default", resource: "books", opts: [{targetType: USER, targetIdentifier: "`+b+`", actions: ["books:read"]}]) { code } }`, nil).ok(nil)
	var allowed struct{ Allowed bool }
	e.restOK("POST", "/api/v2/acl/is-allowed", map[string]any{"namespace": "default", "userId": b, "resource": "books", "action": "books:read"}, &allowed)
	if !allowed.Allowed {
		t.Fatal("granted, but not allowed")
	}
	e.restOK("POST", "/api/v2/acl/revoke-resource", map[string]any{"namespace": "default", "resource": "books",
		"opts": []map[string]any{{"targetType": "USER", "targetIdentifier": b}}}, nil)
	e.restOK("POST", "/api/v2/acl/is-allowed", map[string]any{"namespace": "default", "userId": b, "resource": "books", "action": "books:read"}, &allowed)
	if allowed.Allowed {
		t.Fatal("revoked, but still allowed")
	}
	var list struct{ TotalCount int }
	e.restOK("GET", "/api/v2/resources?namespace=default&limit=10&page=1", nil, &list)
	if list.TotalCount != 1 {
		t.Fatalf("resources %+v", list)
	}
	if env := e.rest("GET", "/api/v2/resources?limit=ten", nil); env.Code != 400 || !strings.Contains(string(env.Data), `"limit"`) {
		t.Fatalf("a bad limit: %+v", env)
	}
	e.restOK("DELETE", "/api/v2/resources/books?namespace=default", nil, nil)
	if env := e.rest("GET", "/api/v2/resources/detail?namespace=default&code=books", nil); env.Code != 200 || string(env.Data) != "null" {
		t.Fatalf("deleted resource: %+v", env)
	}

	e.restOK("POST", "/api/v2/resource-namespace/"+e.poolID, map[string]any{"code": "app1", "name": "App One"}, nil)
	var nss struct{ List []struct{ Code string } }
	e.restOK("GET", "/api/v2/resource-namespace/"+e.poolID+"?page=1&limit=10", nil, &nss)
	if len(nss.List) != 2 { // default and app1
		t.Fatalf("namespaces %+v", nss)
	}

	for _, c := range []struct {
		method, path string
		body         any
		code         int
	}{
		{"GET", "/api/v2/no-such-route", nil, 404},
		{"POST", "/api/v2/users/batch", "not json", 400},
		{"POST", "/api/v2/users/kick", `{"userIds": 7}`, 400},
		{"GET", "/api/v2/users/missing", nil, 404},
	} {
		if env := e.rest(c.method, c.path, c.body); env.Code != c.code {
			t.Errorf("%s %s: %+v, want code %d", c.method, c.path, env, c.code)
		}
	}
	rec := e.send("GET", "/api/v2/users/"+a, "", nil)
	if !strings.Contains(rec.Body.String(), `"code":401`) {
		t.Fatalf("no token: %s", rec.Body.String())
	}
}

// TestHostileClients: what the SDK endpoints accept is bounded as the
// native API's is, and nothing a client sends reaches the log.
func TestHostileClients(t *testing.T) {
	e := newEnv(t)
	// Cost: a page of 100 users with their roles' users is refused before
	// it runs.
	e.do(`query { users(limit: 100) { list { roles { list { users(limit: 100) { list { id } } } } } } }`, nil).
		wantErr(422, "COMPLEXITY_LIMIT_EXCEEDED", "")
	// Depth.
	e.do(`query { user(id: "x") { roles { list { users { list { roles { list { users { list { roles { list { users { list { id } } } } } } } } } } } } } }`, nil).
		wantErr(422, "DEPTH_LIMIT_EXCEEDED", "")
	// One accessToken per operation.
	e.gql("", `query { a: accessToken(userPoolId: "p", secret: "s1") { exp } b: accessToken(userPoolId: "p", secret: "s2") { exp } }`, nil).
		wantErr(422, "COMPLEXITY_LIMIT_EXCEEDED", "")
	// A body over the limit, on either transport.
	big := `{"ids": ["` + strings.Repeat("x", 5<<20) + `"]}`
	if env := e.rest("POST", "/api/v2/users/batch", big); env.Code != 413 {
		t.Fatalf("REST body over the limit: %+v", env)
	}
	rec := e.send("POST", "/graphql/v2", e.token, big)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"code":413`) {
		t.Fatalf("GraphQL body over the limit: HTTP %d %s", rec.Code, rec.Body.String()[:min(200, rec.Body.Len())])
	}
	// Secrets and passwords never reach the log.
	e.gql("", `query($p: String!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { exp } }`,
		map[string]any{"p": e.poolID, "s": "hunter2-secret-guess"})
	e.createUser(map[string]any{"username": "logged", "password": "Pa55word-in-body"})
	for _, s := range []string{"hunter2-secret-guess", "Pa55word-in-body", e.secret} {
		if strings.Contains(e.log.String(), s) {
			t.Fatalf("the log holds %q", s)
		}
	}
	if !strings.Contains(e.log.String(), "operation=createUser") {
		t.Fatalf("the access log has no line for the SDK's createUser: %s", e.log.String())
	}
}

// TestStatementsPerPage: a users page with everything the SDKs select
// (identities, custom data, roles, groups) costs the same number of
// statements for 5 users as for 50.
func TestStatementsPerPage(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createRole(code: "r") { id } }`, nil).ok(nil)
	e.do(`mutation { createGroup(code: "g", name: "G") { code } }`, nil).ok(nil)
	e.do(`mutation { setUdf(targetType: USER, key: "age", dataType: NUMBER, label: "Age") { key } }`, nil).ok(nil)
	q := `query users($limit: Int) { users(page: 1, limit: $limit) { totalCount list { id arn identities { provider } customData { key value }
		roles { totalCount list { code } } groups { list { code } } } } }`
	count := func(n int) int64 {
		e.stmts.Reset()
		e.do(q, map[string]any{"limit": n}).ok(nil)
		return e.stmts.Count()
	}
	var ids []string
	for i := 0; i < 50; i++ {
		id := e.createUser(map[string]any{"username": fmt.Sprintf("u%02d", i)})
		ids = append(ids, id)
		e.do(`mutation($id: String!) { setUdvBatch(targetType: USER, targetId: $id, udvList: [{key: "age", value: "3"}]) { key } }`, map[string]any{"id": id}).ok(nil)
	}
	e.do(`mutation($ids: [String!]) { assignRole(roleCode: "r", userIds: $ids) { code } }`, map[string]any{"ids": ids}).ok(nil)
	e.do(`mutation($ids: [String!]!) { addUserToGroup(userIds: $ids, code: "g") { code } }`, map[string]any{"ids": ids}).ok(nil)
	small, large := count(5), count(50)
	if small != large || large > 10 {
		t.Fatalf("statements: %d for 5 users, %d for 50 (want equal, at most 10)", small, large)
	}
}

// TestUserInputFieldsMap: every field of the SDKs' user inputs maps to a
// native one or is refused; none is dropped.
func TestUserInputFieldsMap(t *testing.T) {
	e := newEnv(t)
	for _, typ := range []string{"CreateUserInput", "UpdateUserInput"} {
		def := exec.NewExecutableSchema(exec.Config{}).Schema().Types[typ]
		for _, f := range def.Fields {
			v := any("x")
			switch f.Type.Name() {
			case "Boolean":
				v = false
			case "Int":
				v = 1
			}
			var r *result
			if typ == "CreateUserInput" {
				r = e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": map[string]any{f.Name: v, "username": "in_" + f.Name}})
			} else {
				id := e.createUser(map[string]any{"username": "up_" + f.Name})
				r = e.do(`mutation($id: String, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`, map[string]any{"id": id, "i": map[string]any{f.Name: v}})
			}
			for _, err := range r.Errors {
				if err.Message.Code == 500 {
					t.Errorf("%s.%s: %+v", typ, f.Name, err.Message)
				}
			}
		}
	}
}

// TestScopesAndThrottle: an API key works as the SDKs' token, within its
// scopes (FORBIDDEN, 403, naming the scope, otherwise), and failed secret
// guesses are throttled as on the native API (RATE_LIMITED, 429).
func TestScopesAndThrottle(t *testing.T) {
	e := newEnv(t)
	reader := e.apiKey("reader", "users:read")
	e.gql(reader, `query { users { totalCount } }`, nil).ok(nil)
	r := e.gql(reader, `mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": map[string]any{"username": "x"}})
	r.wantErr(403, "FORBIDDEN", "")
	if r.Errors[0].Message.Data["scope"] != "users:write" {
		t.Fatalf("FORBIDDEN names %v", r.Errors[0].Message.Data)
	}
	if env := e.restAs(reader, "POST", "/api/v2/users/kick", map[string]any{"userIds": []string{}}); env.Code != 403 {
		t.Fatalf("REST write with a read key: %+v", env)
	}

	var last *result
	for i := 0; i < 30; i++ {
		last = e.gql("", `query accessToken($p: String!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { exp } }`,
			map[string]any{"p": e.poolID, "s": "wrong"})
		if last.Errors[0].Message.Code == 429 {
			break
		}
	}
	last.wantErr(429, "RATE_LIMITED", "")
	if _, ok := last.Errors[0].Message.Data["retryAfter"]; !ok {
		t.Fatal("RATE_LIMITED without retryAfter")
	}
}
