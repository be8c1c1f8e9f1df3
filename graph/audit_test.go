package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"usergraph/graph/exec"
	"usergraph/internal/httpapi"
	"usergraph/internal/operator"
)

// auditRecord is an AuditRecord as a test reads it.
type auditRecord struct {
	ID    string
	At    time.Time
	Actor struct {
		Type, ID, Name string
	}
	Operation  string
	ObjectType string
	ObjectID   string
	Changes    []struct {
		Field         string
		Before, After json.RawMessage
	}
}

const auditFields = `id at actor { type id name } operation objectType objectId changes { field before after }`

// audit lists the records auditLog returns for filter (newest first), with
// the whole response, for checks that nothing secret is in it.
func (e *env) audit(filter map[string]any) ([]auditRecord, int, string) {
	e.t.Helper()
	var out struct {
		AuditLog struct {
			TotalCount int
			List       []auditRecord
		}
	}
	r := e.do(`query($f: AuditFilter) { auditLog(filter: $f, limit: 100) { totalCount list { `+auditFields+` } } }`,
		map[string]any{"f": filter}).ok(&out)
	return out.AuditLog.List, out.AuditLog.TotalCount, string(r.Data)
}

// change returns the record's change of field as "before -> after" (JSON),
// or "" when the record has none.
func (r auditRecord) change(field string) string {
	var got []string
	for _, c := range r.Changes {
		if c.Field == field {
			got = append(got, string(orNull(c.Before))+" -> "+string(orNull(c.After)))
		}
	}
	return strings.Join(got, "; ")
}

func orNull(v json.RawMessage) json.RawMessage {
	if len(v) == 0 {
		return json.RawMessage("null")
	}
	return v
}

// only is the one record of a list, failing the test otherwise.
func only(t *testing.T, what string, list []auditRecord) auditRecord {
	t.Helper()
	if len(list) != 1 {
		t.Fatalf("%s: %d audit records, want 1: %+v", what, len(list), list)
	}
	return list[0]
}

// TestAuditDiffs checks what each kind of change records: a creation's
// fields, an update's before and after, a deletion's last state, memberships,
// grants and custom data on the user they concern, and secrets only as
// "[redacted]", never their value or hash.
func TestAuditDiffs(t *testing.T) {
	e := newEnv(t)
	const password = "correct-horse-battery-staple"
	e.do(`mutation { setUdf(targetType: USER, key: "team", dataType: STRING) { key } }`, nil).ok(nil)
	id := e.createUser(map[string]any{"username": "ada", "email": "ada@example.com", "password": password,
		"customData": map[string]any{"team": "core"}, "identities": []map[string]any{{"provider": "github", "type": "oauth", "userIdInIdp": "42"}}})

	rec := only(t, "createUser", must(e.audit(map[string]any{"objectId": id, "operation": "createUser"})))
	if rec.Actor.Type != "POOL_SECRET" || rec.Actor.ID != "pool-secret" || rec.ObjectType != "USER" {
		t.Errorf("createUser record: %+v", rec)
	}
	for field, want := range map[string]string{
		"username":        `null -> "ada"`,
		"email":           `null -> "ada@example.com"`,
		"password":        `null -> "[redacted]"`,
		"customData.team": `null -> "core"`,
		"status":          `null -> "Activated"`,
		"updatedAt":       ``,
		"emailVerified":   ``, // false on creation says nothing
	} {
		if got := rec.change(field); got != want {
			t.Errorf("createUser %s: %q, want %q", field, got, want)
		}
	}
	if !strings.Contains(rec.change("identities"), `"userIdInIdp":"42"`) {
		t.Errorf("createUser identities: %s", rec.change("identities"))
	}

	e.do(`mutation($id: ID!) { updateUser(id: $id, input: {email: "ada@math.example", nickname: "countess", password: "another-long-password"}) { id } }`,
		map[string]any{"id": id}).ok(nil)
	rec = only(t, "updateUser", must(e.audit(map[string]any{"objectId": id, "operation": "updateUser"})))
	for field, want := range map[string]string{
		"email":     `"ada@example.com" -> "ada@math.example"`,
		"nickname":  `null -> "countess"`,
		"password":  `"[redacted]" -> "[redacted]"`,
		"username":  ``, // unchanged
		"updatedAt": ``,
	} {
		if got := rec.change(field); got != want {
			t.Errorf("updateUser %s: %q, want %q", field, got, want)
		}
	}
	// An update that changes nothing records nothing.
	e.do(`mutation($id: ID!) { updateUser(id: $id, input: {nickname: "countess"}) { id } }`, map[string]any{"id": id}).ok(nil)
	if list, _, _ := e.audit(map[string]any{"objectId": id, "operation": "updateUser"}); len(list) != 1 {
		t.Errorf("a no-op update was recorded: %d records", len(list))
	}

	// Memberships and grants are recorded on the user they concern.
	e.do(`mutation { createGroup(code: "dev") { code } createRole(code: "admin") { code } }`, nil).ok(nil)
	e.do(`mutation($id: ID!) { addGroups(userId: $id, groups: ["dev"]) { totalCount } }`, map[string]any{"id": id}).ok(nil)
	e.do(`mutation($id: ID!) { addGroups(userId: $id, groups: ["dev"]) { totalCount } }`, map[string]any{"id": id}).ok(nil) // already a member
	e.do(`mutation($id: ID!) { addRoleMembers(code: "admin", userIds: [$id]) { code } }`, map[string]any{"id": id}).ok(nil)
	e.do(`mutation($id: ID!) { removeGroups(userId: $id, groups: ["dev"]) { totalCount } }`, map[string]any{"id": id}).ok(nil)
	if got := only(t, "addGroups", must(e.audit(map[string]any{"objectId": id, "operation": "addGroups"}))).change("groups"); got != `null -> "dev"` {
		t.Errorf("addGroups: %s", got)
	}
	if got := only(t, "addRoleMembers", must(e.audit(map[string]any{"objectId": id, "operation": "addRoleMembers"}))).change("roles"); got != `null -> "default/admin"` {
		t.Errorf("addRoleMembers: %s", got)
	}
	if got := only(t, "removeGroups", must(e.audit(map[string]any{"objectId": id, "operation": "removeGroups"}))).change("groups"); got != `"dev" -> null` {
		t.Errorf("removeGroups: %s", got)
	}
	e.do(`mutation { createResource(namespace: "default", code: "books", type: DATA, actions: [{name: "read"}, {name: "write"}]) { code } }`, nil).ok(nil)
	grant := func(o map[string]any) {
		e.do(`mutation($o: AuthorizeResourceOpt!) { authorizeResource(namespace: "default", resource: "books", opts: [$o]) }`, map[string]any{"o": o}).ok(nil)
	}
	grant(opt("USER", id, "read"))
	grant(opt("USER", id, "write"))
	grant(opt("ROLE", "admin", "*"))
	grants, _, _ := e.audit(map[string]any{"objectId": id, "operation": "authorizeResource"})
	if len(grants) != 2 || grants[0].change("grants.default/books") != `["read"] -> ["read","write"]` || grants[1].change("grants.default/books") != `null -> ["read"]` {
		t.Errorf("grants to the user: %+v", grants)
	}
	roleGrant := only(t, "grant to a role", must(e.audit(map[string]any{"objectType": "ROLE", "operation": "authorizeResource"})))
	if roleGrant.change("grants.default/books") != `null -> ["*"]` {
		t.Errorf("grant to the role: %+v", roleGrant)
	}
	e.do(`mutation($id: ID!) { removeUdfValue(userId: $id, key: "team") }`, map[string]any{"id": id}).ok(nil)
	if got := only(t, "removeUdfValue", must(e.audit(map[string]any{"objectId": id, "operation": "removeUdfValue"}))).change("customData.team"); got != `"core" -> null` {
		t.Errorf("removeUdfValue: %s", got)
	}

	// A deletion records the last state; the user's history stays.
	e.do(`mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": id}).ok(nil)
	rec = only(t, "deleteUser", must(e.audit(map[string]any{"objectId": id, "operation": "deleteUser"})))
	for field, want := range map[string]string{
		"email":    `"ada@math.example" -> null`,
		"nickname": `"countess" -> null`,
		"password": `"[redacted]" -> null`,
	} {
		if got := rec.change(field); got != want {
			t.Errorf("deleteUser %s: %q, want %q", field, got, want)
		}
	}

	// Nowhere in the trail is a password, a hash or a key.
	_, _, all := e.audit(nil)
	for _, secret := range []string{password, "another-long-password", "$argon2", e.secret} {
		if strings.Contains(all, secret) {
			t.Errorf("the audit trail contains a secret (%q)", secret)
		}
	}
}

// must drops the total and raw response of e.audit.
func must(list []auditRecord, _ int, _ string) []auditRecord { return list }

// TestAuditActors: a change names the credential that made it, and the
// filters select by actor, object type, operation and time.
func TestAuditActors(t *testing.T) {
	e := newEnv(t)
	keyID, key := e.newKey("help desk", "users:read", "users:write", "audit:read")
	var out struct{ CreateUser struct{ ID string } }
	e.doAs(key, `mutation { createUser(userInfo: {username: "by-key"}) { id } }`, nil).ok(&out)
	before := time.Now().Add(-time.Minute)
	e.createUser(map[string]any{"username": "by-secret"})

	byKey := only(t, "by key", must(e.audit(map[string]any{"actor": keyID})))
	if byKey.Actor.Type != "API_KEY" || byKey.Actor.Name != "help desk" || byKey.ObjectID != out.CreateUser.ID {
		t.Errorf("record of the key's change: %+v", byKey)
	}
	keyRec := only(t, "createApiKey", must(e.audit(map[string]any{"objectType": "API_KEY"})))
	if keyRec.change("key") != `null -> "[redacted]"` || keyRec.change("name") != `null -> "help desk"` || strings.Contains(fmt.Sprint(keyRec), key[4:]) {
		t.Errorf("createApiKey record: %+v", keyRec)
	}
	if list, n, _ := e.audit(map[string]any{"actor": "pool-secret", "objectType": "USER"}); n != 1 || list[0].change("username") != `null -> "by-secret"` {
		t.Errorf("by the pool secret: %d %+v", n, list)
	}
	if _, n, _ := e.audit(map[string]any{"since": before.Format(time.RFC3339Nano), "until": time.Now().Add(time.Minute).Format(time.RFC3339Nano)}); n != 4 {
		t.Errorf("since/until: %d records, want 4 (the pool's creation, the key's, two users')", n)
	}
	if _, n, _ := e.audit(map[string]any{"until": before.Format(time.RFC3339Nano)}); n != 0 {
		t.Errorf("until before everything: %d records", n)
	}
	e.do(`{ auditLog(filter: {since: "2030-01-01T00:00:00Z", until: "2029-01-01T00:00:00Z"}) { totalCount } }`, nil).wantErr("INVALID_INPUT", "filter.until")
	e.do(`{ auditLog(limit: 101) { totalCount } }`, nil).wantErr("INVALID_INPUT", "limit")
	e.do(`{ auditLog(filter: {objectType: PLANET}) { totalCount } }`, nil).wantErr("GRAPHQL_VALIDATION_FAILED", "")

	// The key's own view of the trail needs audit:read; a key without it
	// is FORBIDDEN, whether it asks at the root or under a user.
	_, reader := e.newKey("reader", "users:read")
	e.doAs(reader, `{ auditLog { totalCount } }`, nil).wantErr("FORBIDDEN", "")
	r := e.doAs(reader, `{ users { list { id auditLog { id } } } }`, nil)
	if r.code() != "FORBIDDEN" || r.Errors[0].Extensions["scope"] != "audit:read" || string(r.Data) != "null" {
		t.Errorf("users { auditLog } without audit:read: %+v %s", r.Errors, r.Data)
	}
	r = e.doAs(reader, `{ users { list { ...history } } } fragment history on User { auditLog { id } }`, nil)
	if r.code() != "FORBIDDEN" {
		t.Errorf("auditLog through a fragment without audit:read: %+v", r.Errors)
	}
	e.doAs(key, `{ users { list { auditLog { id } } } }`, nil).ok(nil)
}

// TestUserAuditLogNested: User.auditLog pages each user's history, newest
// first, for a whole page of users (and their groups' members) in a
// constant number of statements.
func TestUserAuditLogNested(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createGroup(code: "g") { code } }`, nil).ok(nil)
	var ids []string
	for i := range 12 {
		id := e.createUser(map[string]any{"username": fmt.Sprintf("u%02d", i)})
		ids = append(ids, id)
		e.do(`mutation($id: ID!, $n: String!) { updateUser(id: $id, input: {nickname: $n}) { id } }`, map[string]any{"id": id, "n": "n" + id}).ok(nil)
	}
	e.do(`mutation($ids: [ID!]!) { addGroupMembers(code: "g", userIds: $ids) { code } }`, map[string]any{"ids": ids}).ok(nil)

	var out struct {
		Users struct {
			List []struct {
				ID       string
				AuditLog []auditRecord
			}
		}
	}
	q := `{ users(limit: 12) { list { id auditLog(limit: 2) { ` + auditFields + ` } } } }`
	e.stmts.Reset()
	e.do(q, nil).ok(&out)
	few := e.stmts.Count()
	for _, u := range out.Users.List {
		if len(u.AuditLog) != 2 || u.AuditLog[0].Operation != "addGroupMembers" || u.AuditLog[1].Operation != "updateUser" || u.AuditLog[0].ObjectID != u.ID {
			t.Fatalf("user %s history: %+v", u.ID, u.AuditLog)
		}
	}
	for i := range 12 {
		e.createUser(map[string]any{"username": fmt.Sprintf("more%02d", i)})
	}
	e.stmts.Reset()
	e.do(`{ users(limit: 24) { list { id auditLog(limit: 2) { id } } } }`, nil).ok(nil)
	if many := e.stmts.Count(); many != few || many > 3 {
		t.Errorf("users { auditLog }: %d statements for 24 users, %d for 12; want the same, at most 3", many, few)
	}
	e.stmts.Reset()
	e.do(`{ groups { list { users(limit: 12) { list { id } } } } }`, nil).ok(nil)
	base := e.stmts.Count()
	e.stmts.Reset()
	e.do(`{ groups { list { users(limit: 12) { list { auditLog(page: 2, limit: 1) { operation } } } } } }`, nil).ok(nil)
	if n := e.stmts.Count(); n != base+1 {
		t.Errorf("groups { users { auditLog } }: %d statements, want %d (one more than without it):\n%s", n, base+1, strings.Join(e.stmts.Statements(), "\n"))
	}
	// Priced like every list: a page of 100 users with 100 records each is
	// refused before it runs.
	e.do(`{ users(limit: 100) { list { auditLog(limit: 100) { changes { field } } } } }`, nil).wantErr("COMPLEXITY_LIMIT_EXCEEDED", "")
}

// TestAuditBatches: a batch of 1,000 writes 1,000 records in a bounded
// number of extra statements; a failed atomic batch writes none, and a
// non-atomic batch records only the items it wrote.
func TestAuditBatches(t *testing.T) {
	e := newEnv(t)
	users := make([]map[string]any, 1000)
	for i := range users {
		users[i] = map[string]any{"username": fmt.Sprintf("b%04d", i)}
	}
	e.stmts.Reset()
	e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": users}).ok(nil)
	inserts := 0
	for _, s := range e.stmts.Statements() {
		if strings.Contains(s, "audit_records") {
			inserts++
		}
	}
	if inserts == 0 || inserts > 3 {
		t.Errorf("createUsers(1000) wrote its audit records in %d statements, want 1 to 3", inserts)
	}
	if _, n, _ := e.audit(map[string]any{"operation": "createUsers"}); n != 1000 {
		t.Errorf("createUsers(1000): %d records", n)
	}

	// Atomic (the default): one taken username fails the batch, and
	// nothing is recorded.
	bad := []map[string]any{{"username": "fresh1"}, {"username": "b0001"}}
	e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { index } }`, map[string]any{"u": bad}).wantErr("ALREADY_EXISTS", "users.1.username")
	if _, n, _ := e.audit(map[string]any{"operation": "createUsers"}); n != 1000 {
		t.Errorf("a failed batch was recorded: %d records", n)
	}
	// Non-atomic: the good items are written and recorded, the bad one
	// neither.
	mixed := []map[string]any{{"username": "fresh1"}, {"username": "b0001"}, {"username": "fresh2"}}
	e.do(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u, options: {atomic: false}) { index } }`, map[string]any{"u": mixed}).ok(nil)
	if _, n, _ := e.audit(map[string]any{"operation": "createUsers"}); n != 1002 {
		t.Errorf("non-atomic batch: %d records, want 1002", n)
	}
	if e.rows("users") != 1002 || e.rows("audit_records") != 1002+1 { // + the pool's creation, and nothing else
		t.Errorf("users %d, audit records %d", e.rows("users"), e.rows("audit_records"))
	}
}

// TestEveryMutationIsAudited runs every mutation of the schema once, each
// changing something, and checks that each left a record naming it: a new
// mutation that forgets to record fails here.
func TestEveryMutationIsAudited(t *testing.T) {
	e := newEnvWith(t, func(o *httpapi.Options) {
		o.Operators, _ = operator.New(o.Store, operator.Options{Allow: loopback})
	})
	id := e.createUser(map[string]any{"username": "subject"})
	other := e.createUser(map[string]any{"username": "other"})
	keyID, _ := e.newKey("temp", "users:read")
	bc, err := bcrypt.GenerateFromPassword([]byte("from-auth0"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	migrated := e.importUser("migrated", string(bc)) // verifyPassword writes when it rehashes
	v := map[string]any{"id": id, "sid": id, "other": other, "key": keyID, "migrated": migrated}
	for _, q := range []string{
		`mutation($id: ID!) { updateUser(id: $id, input: {nickname: "x"}) { id } }`,
		`mutation { createUsers(users: [{username: "batch"}]) { index } }`,
		`mutation { updateUsers(users: [{userId: "batch", input: {nickname: "y"}}], options: {userIdType: USERNAME}) { index } }`,
		`mutation($id: ID!) { refreshToken(userId: $id) { token } }`,
		`mutation($migrated: ID!) { verifyPassword(userId: $migrated, password: "from-auth0") }`,
		`mutation { createNamespace(code: "app") { code } }`,
		`mutation { updateNamespace(code: "app", input: {name: "App"}) { code } }`,
		`mutation { createResource(namespace: "app", code: "books", type: DATA, actions: [{name: "read"}]) { code } }`,
		`mutation { updateResource(namespace: "app", code: "books", input: {description: "d"}) { code } }`,
		`mutation($sid: String!) { authorizeResource(namespace: "app", resource: "books", opts: [{targetType: USER, targetIdentifier: $sid, actions: ["read"]}]) }`,
		`mutation($sid: String!) { revokeResource(namespace: "app", resource: "books", opts: [{targetType: USER, targetIdentifier: $sid, actions: ["read"]}]) }`,
		`mutation { deleteResource(namespace: "app", code: "books") }`,
		`mutation { createGroup(code: "g") { code } }`,
		`mutation { updateGroup(code: "g", input: {name: "G"}) { code } }`,
		`mutation { setUdf(targetType: GROUP, key: "tier", dataType: NUMBER) { key } }`,
		`mutation { setGroupUdfValue(code: "g", data: {tier: 1}) }`,
		`mutation { removeGroupUdfValue(code: "g", key: "tier") }`,
		`mutation($id: ID!) { addGroups(userId: $id, groups: ["g"]) { totalCount } }`,
		`mutation($id: ID!) { removeGroups(userId: $id, groups: ["g"]) { totalCount } }`,
		`mutation($id: ID!) { addGroupMembers(code: "g", userIds: [$id]) { code } }`,
		`mutation($id: ID!) { removeGroupMembers(code: "g", userIds: [$id]) { code } }`,
		`mutation { deleteGroups(codes: ["g"]) }`,
		`mutation { createRole(code: "r", namespace: "app") { code } }`,
		`mutation { updateRole(code: "r", namespace: "app", input: {description: "d"}) { code } }`,
		`mutation { setUdf(targetType: ROLE, key: "level", dataType: STRING) { key } }`,
		`mutation { setRoleUdfValue(code: "r", namespace: "app", data: {level: "high"}) }`,
		`mutation { removeRoleUdfValue(code: "r", namespace: "app", key: "level") }`,
		`mutation { createGroup(code: "g2") { code } addGroupRoles(code: "g2", roles: ["r"], namespace: "app") { code } }`,
		`mutation { removeGroupRoles(code: "g2", roles: ["r"], namespace: "app") { code } }`,
		`mutation($id: ID!) { addRoles(userId: $id, roles: ["r"], namespace: "app") { totalCount } }`,
		`mutation($id: ID!) { removeRoles(userId: $id, roles: ["r"], namespace: "app") { totalCount } }`,
		`mutation($id: ID!) { addRoleMembers(code: "r", namespace: "app", userIds: [$id]) { code } }`,
		`mutation($id: ID!) { removeRoleMembers(code: "r", namespace: "app", userIds: [$id]) { code } }`,
		`mutation { deleteRoles(codes: ["r"], namespace: "app") }`,
		`mutation { deleteNamespace(code: "app") }`,
		`mutation { setUdf(targetType: USER, key: "team", dataType: STRING) { key } }`,
		`mutation($id: ID!) { setUdfValue(userId: $id, data: {team: "a"}) }`,
		`mutation($id: ID!) { setUdfValueBatch(input: [{userId: $id, data: {team: "b"}}]) { userId } }`,
		`mutation($id: ID!) { removeUdfValue(userId: $id, key: "team") }`,
		`mutation { removeUdf(targetType: USER, key: "team") }`,
		`mutation($key: ID!) { revokeApiKey(id: $key) { id } }`,
		`mutation($other: ID!) { archiveUser(id: $other) { id } }`,
		`mutation($other: ID!) { restoreUser(id: $other) { id } }`,
		`mutation($other: ID!) { archiveUsers(ids: [$other]) { id } }`,
		`mutation($other: ID!) { restoreUsers(ids: [$other]) { id } }`,
		`mutation($other: ID!) { deleteUser(id: $other) }`,
		`mutation($id: ID!) { deleteUsers(ids: [$id]) }`,
		`mutation { rotatePoolSecret { secret } }`,
	} {
		e.do(q, v).ok(nil)
	}
	// Operator sign-in, with a provider to discover.
	idp := newIDP(t)
	tok0, err := e.signer.AdminToken(e.poolID, 1) // the secret was rotated
	if err != nil {
		t.Fatal(err)
	}
	e.doAs(tok0.Token, setSignIn, map[string]any{"in": signInInput(idp)}).ok(nil)
	e.doAs(tok0.Token, `mutation { removeOperatorSignIn { issuer } }`, nil).ok(nil)
	tok, err := e.signer.AdminToken(e.poolID, 1) // the secret was rotated
	if err != nil {
		t.Fatal(err)
	}
	e.token = tok.Token
	// Webhooks (the URL a public address: the SSRF guard is on).
	var wh struct {
		CreateWebhook struct{ Webhook struct{ ID string } }
	}
	e.do(`mutation { createWebhook(url: "https://93.184.216.34/hook", events: ["*"]) { webhook { id } } }`, nil).ok(&wh)
	var ev struct {
		ChangeEvents struct{ List []struct{ ID string } }
	}
	e.do(`{ changeEvents(first: 1) { list { id } } }`, nil).ok(&ev)
	v = map[string]any{"w": wh.CreateWebhook.Webhook.ID, "e": ev.ChangeEvents.List[0].ID}
	for _, q := range []string{
		`mutation($w: ID!) { updateWebhook(id: $w, input: {description: "d"}) { id } }`,
		`mutation($w: ID!) { rotateWebhookSecret(id: $w) { secret } }`,
		`mutation($w: ID!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) { id } }`,
		`mutation($w: ID!) { deleteWebhook(id: $w) { id } }`,
	} {
		e.do(q, v).ok(nil)
	}
	var seen []string
	for page := 1; ; page++ {
		var out struct{ AuditLog struct{ List []auditRecord } }
		e.do(`query($p: Int) { auditLog(page: $p, limit: 100) { list { operation } } }`, map[string]any{"p": page}).ok(&out)
		for _, r := range out.AuditLog.List {
			seen = append(seen, r.Operation)
		}
		if len(out.AuditLog.List) < 100 {
			break
		}
	}
	// pingWebhook changes nothing: it sends a test event, recorded nowhere.
	changesNothing := []string{"pingWebhook"}
	schema := exec.NewExecutableSchema(exec.Config{}).Schema()
	for _, f := range schema.Mutation.Fields {
		if !slices.Contains(seen, f.Name) && !slices.Contains(changesNothing, f.Name) {
			t.Errorf("mutation %s left no audit record", f.Name)
		}
	}
}

// TestAuditBatchItemRollback: in a non-atomic batch, an item that fails
// after its change was recorded is rolled back with its audit changes —
// also those merged into a record an earlier item of the batch opened for
// the same user — so the trail says exactly what was stored.
func TestAuditBatchItemRollback(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { setUdf(targetType: USER, key: "age", dataType: NUMBER) { key } }`, nil).ok(nil)
	id := e.createUser(map[string]any{"username": "subject"})
	e.createUser(map[string]any{"username": "holder", "identities": []map[string]any{
		{"provider": "github", "type": "primary", "userIdInIdp": "taken"}}})
	perItem := map[string]any{"atomic": false}

	// Two failures that happen after the item's change is recorded: bad
	// custom data, and an identity another user holds.
	for i, bad := range []map[string]any{
		{"nickname": "second", "customData": map[string]any{"age": "not a number"}},
		{"nickname": "second", "identities": []map[string]any{{"provider": "github", "type": "primary", "userIdInIdp": "taken"}}},
	} {
		first := fmt.Sprintf("first-%d", i)
		var out struct{ UpdateUsers []batchResult }
		e.do(updateUsers, map[string]any{"o": perItem, "u": []map[string]any{
			{"userId": id, "input": map[string]any{"nickname": first}},
			{"userId": id, "input": bad},
		}}).ok(&out)
		if out.UpdateUsers[0].Error != nil || out.UpdateUsers[1].Error == nil {
			t.Fatalf("results %+v", out.UpdateUsers)
		}
		var got struct{ User struct{ Nickname string } }
		e.do(`query($id: ID!) { user(id: $id) { nickname } }`, map[string]any{"id": id}).ok(&got)
		rec := must(e.audit(map[string]any{"objectId": id, "operation": "updateUsers"}))[0]
		if got.User.Nickname != first || len(rec.Changes) != 1 || rec.Changes[0].Field != "nickname" ||
			!strings.Contains(rec.change("nickname"), `-> "`+first+`"`) {
			t.Errorf("stored nickname %q, audit record %+v", got.User.Nickname, rec.Changes)
		}
	}

	// createUsers: the failed item's user is neither stored nor recorded.
	var created struct{ CreateUsers []batchResult }
	e.do(createUsers, map[string]any{"o": perItem, "u": []map[string]any{
		{"username": "c1", "customData": map[string]any{"age": 3}},
		{"username": "c2", "customData": map[string]any{"age": "three"}},
		{"username": "c3", "identities": []map[string]any{{"provider": "github", "type": "primary", "userIdInIdp": "taken"}}},
		{"username": "c4"},
	}}).ok(&created)
	if created.CreateUsers[1].Error == nil || created.CreateUsers[2].Error == nil {
		t.Fatalf("results %+v", created.CreateUsers)
	}
	if _, n, _ := e.audit(map[string]any{"operation": "createUsers"}); n != 2 {
		t.Errorf("createUsers recorded %d users, want the 2 it stored", n)
	}
	if e.rows("users") != 4 {
		t.Errorf("users: %d", e.rows("users"))
	}
}
