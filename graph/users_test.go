package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

const userFields = `id userPoolId username email emailVerified phone phoneCountryCode phoneVerified externalId unionid openid
	identities { identityId provider type userIdInIdp extIdpId createdAt }
	name nickname givenName familyName middleName preferredUsername profile photo website gender birthdate zoneinfo locale
	address formatted streetAddress locality region postalCode city province country company identityNumber
	browser device registerSource userSourceType loginsCount lastLogin lastIP signedUp
	status blocked statusChangedAt hidden tokenExpiredAt passwordLastSetAt resetPasswordOnNextLogin createdAt updatedAt`

func TestCreateUserWithEveryField(t *testing.T) {
	e := newEnv(t)
	in := map[string]any{
		"username": "bob", "email": "Bob@Example.COM", "emailVerified": true, "phone": "+86 176-0000-7041",
		"phoneCountryCode": "86", "phoneVerified": true, "externalId": "10010", "unionid": "u-1", "openid": "o-1",
		"password": "s3cret-pass", "name": "Bob Smith", "nickname": "Nick", "givenName": "Bob", "familyName": "Smith",
		"middleName": "James", "preferredUsername": "bobby", "profile": "https://example.com/bob",
		"photo": "https://example.com/bob.png", "website": "https://bob.example.com", "gender": "W",
		"birthdate": "1990-06-03", "zoneinfo": "GMT-08:00", "locale": "en-US", "address": "1 Main St",
		"formatted": "1 Main St, Springfield", "streetAddress": "1 Main St", "locality": "Springfield",
		"region": "IL", "postalCode": "62701", "city": "Springfield", "province": "IL", "country": "US",
		"company": "Acme", "identityNumber": "420421xxxxxxxx1234", "browser": "Mozilla/5.0", "device": "iOS",
		"registerSource": []string{"import:manual"}, "loginsCount": 2, "lastLogin": "2017-06-07T14:34:08.700Z",
		"lastIP": "127.0.0.1", "signedUp": "2020-10-15T17:55:37+08:00", "hidden": true,
		"resetPasswordOnNextLogin": true,
		"identities":               []map[string]any{{"provider": "github", "type": "primary", "userIdInIdp": "42", "extIdpId": "conn-1"}},
	}
	var out struct{ CreateUser map[string]any }
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { `+userFields+` } }`, map[string]any{"u": in}).ok(&out)
	u := out.CreateUser
	want := map[string]any{
		"username": "bob", "email": "bob@example.com", "phone": "+8617600007041", "phoneCountryCode": "+86",
		"gender": "F", "status": "Activated", "blocked": false, "hidden": true, "loginsCount": 2.0,
		"lastLogin": "2017-06-07T14:34:08.7Z", "signedUp": "2020-10-15T09:55:37Z", "userSourceType": "adminCreated",
		"userPoolId": e.poolID, "resetPasswordOnNextLogin": true, "company": "Acme", "birthdate": "1990-06-03",
	}
	for k, v := range want {
		if fmt.Sprint(u[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %v, want %v", k, u[k], v)
		}
	}
	if u["passwordLastSetAt"] == nil {
		t.Error("passwordLastSetAt not set")
	}
	ids := u["identities"].([]any)
	if len(ids) != 1 || ids[0].(map[string]any)["userIdInIdp"] != "42" {
		t.Errorf("identities = %v", ids)
	}
	// Read back through user(id): the same record.
	var got struct{ User map[string]any }
	e.do(`query($id: ID!) { user(id: $id) { `+userFields+` } }`, map[string]any{"id": u["id"]}).ok(&got)
	a, _ := json.Marshal(u)
	b, _ := json.Marshal(got.User)
	if string(a) != string(b) {
		t.Errorf("user(id) differs from createUser:\n%s\n%s", a, b)
	}
}

func TestPasswordIsNeverReadable(t *testing.T) {
	e := newEnv(t)
	var out struct {
		Type struct{ Fields []struct{ Name string } } `json:"__type"`
	}
	e.do(`{ __type(name: "User") { fields { name } } }`, nil).ok(&out)
	for _, f := range out.Type.Fields {
		if strings.Contains(strings.ToLower(f.Name), "password") && f.Name != "passwordLastSetAt" && f.Name != "resetPasswordOnNextLogin" {
			t.Errorf("User exposes %s", f.Name)
		}
	}
	if len(out.Type.Fields) < 50 {
		t.Errorf("User has %d fields, want the full record", len(out.Type.Fields))
	}
	id := e.createUser(map[string]any{"username": "p", "password": "hunter22"})
	var hash string
	e.raw().Raw("SELECT password_hash FROM users WHERE id = ?", id).Scan(&hash)
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "hunter22") {
		t.Errorf("stored password %q is not an argon2id hash", hash)
	}
}

func TestCreateUserRejectsBadInput(t *testing.T) {
	long := strings.Repeat("x", 300)
	cases := []struct {
		name  string
		in    map[string]any
		code  string
		field string
	}{
		{"no identifier", map[string]any{"nickname": "n"}, "INVALID_INPUT", "userInfo"},
		{"empty username", map[string]any{"username": "  "}, "INVALID_INPUT", "userInfo.username"},
		{"bad email", map[string]any{"email": "not-an-email"}, "INVALID_INPUT", "userInfo.email"},
		{"email with name", map[string]any{"email": "Bob <bob@example.com>"}, "INVALID_INPUT", "userInfo.email"},
		{"bad phone", map[string]any{"phone": "12ab"}, "INVALID_INPUT", "userInfo.phone"},
		{"short phone", map[string]any{"phone": "123"}, "INVALID_INPUT", "userInfo.phone"},
		{"bad country code", map[string]any{"username": "a", "phoneCountryCode": "abc"}, "INVALID_INPUT", "userInfo.phoneCountryCode"},
		{"bad photo url", map[string]any{"username": "a", "photo": "javascript:alert(1)"}, "INVALID_INPUT", "userInfo.photo"},
		{"relative website", map[string]any{"username": "a", "website": "/me"}, "INVALID_INPUT", "userInfo.website"},
		{"bad profile url", map[string]any{"username": "a", "profile": "ftp://x"}, "INVALID_INPUT", "userInfo.profile"},
		{"bad gender", map[string]any{"username": "a", "gender": "X"}, "INVALID_INPUT", "userInfo.gender"},
		{"bad status", map[string]any{"username": "a", "status": "Bogus"}, "INVALID_INPUT", "userInfo.status"},
		{"long nickname", map[string]any{"username": "a", "nickname": long}, "INVALID_INPUT", "userInfo.nickname"},
		{"long username", map[string]any{"username": long}, "INVALID_INPUT", "userInfo.username"},
		{"epoch time", map[string]any{"username": "a", "lastLogin": "1602756997950"}, "INVALID_INPUT", "userInfo.lastLogin"},
		{"numeric time", map[string]any{"username": "a", "signedUp": 1602756997950}, "INVALID_INPUT", "userInfo.signedUp"},
		{"bad birthdate", map[string]any{"username": "a", "birthdate": "03/06/1990"}, "INVALID_INPUT", "userInfo.birthdate"},
		{"bad ip", map[string]any{"username": "a", "lastIP": "999.1.1.1"}, "INVALID_INPUT", "userInfo.lastIP"},
		{"negative logins", map[string]any{"username": "a", "loginsCount": -1}, "INVALID_INPUT", "userInfo.loginsCount"},
		{"short password", map[string]any{"username": "a", "password": "123"}, "INVALID_INPUT", "userInfo.password"},
		{"blocked contradicts status", map[string]any{"username": "a", "status": "Activated", "blocked": true}, "INVALID_INPUT", "userInfo.blocked"},
		{"null emailVerified", map[string]any{"username": "a", "emailVerified": nil}, "INVALID_INPUT", "userInfo.emailVerified"},
		{"bad identity provider", map[string]any{"username": "a", "identities": []map[string]any{{"provider": "a b", "type": "t", "userIdInIdp": "1"}}}, "INVALID_INPUT", "userInfo.identities.0.provider"},
		{"too many sources", map[string]any{"username": "a", "registerSource": strings.Split(strings.Repeat("s,", 17), ",")}, "INVALID_INPUT", "userInfo.registerSource"},
	}
	e := newEnv(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": c.in}).wantErr(c.code, c.field)
		})
	}
	e.t = t
	if n := e.userCount(); n != 0 {
		t.Errorf("rejected creates left %d users", n)
	}
}

func TestUniquePerPool(t *testing.T) {
	e := newEnv(t)
	e.createUser(map[string]any{"username": "bob", "email": "bob@example.com", "phone": "+15550001", "externalId": "ext-1",
		"identities": []map[string]any{{"provider": "github", "type": "primary", "userIdInIdp": "42"}}})
	other := e.createUser(map[string]any{"username": "alice"})
	for field, value := range map[string]any{"username": "bob", "email": "BOB@example.com", "phone": "+15550001", "externalId": "ext-1"} {
		e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": map[string]any{field: value}}).
			wantErr("ALREADY_EXISTS", "userInfo."+field)
		e.do(`mutation($id: ID!, $u: UpdateUserInput!) { updateUser(id: $id, input: $u) { id } }`,
			map[string]any{"id": other, "u": map[string]any{field: value}}).wantErr("ALREADY_EXISTS", "input."+field)
	}
	e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, map[string]any{"u": map[string]any{"username": "carol",
		"identities": []map[string]any{{"provider": "github", "type": "primary", "userIdInIdp": "42"}}}}).wantErr("ALREADY_EXISTS", "userInfo.identities")
	if n := e.userCount(); n != 2 {
		t.Errorf("user count = %d after rejected writes, want 2", n)
	}
	// Usernames are case-sensitive.
	e.createUser(map[string]any{"username": "BOB"})
}

func TestConcurrentCreatesOneWins(t *testing.T) {
	e := newEnv(t)
	const n = 16
	var wg sync.WaitGroup
	codes := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`,
				map[string]any{"u": map[string]any{"email": "race@example.com", "username": fmt.Sprintf("racer%d", i)}})
			codes[i] = r.code()
			if r.code() != "" && r.field() != "userInfo.email" {
				t.Errorf("error on field %q, want userInfo.email", r.field())
			}
		}()
	}
	wg.Wait()
	oneWinner(t, codes)
}

func TestUpdateUserIsPartial(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "bob", "nickname": "Nick", "company": "Acme", "emailVerified": true})
	update := func(in map[string]any) map[string]any {
		t.Helper()
		var out struct{ UpdateUser map[string]any }
		e.do(`mutation($id: ID!, $u: UpdateUserInput!) { updateUser(id: $id, input: $u) { `+userFields+` } }`,
			map[string]any{"id": id, "u": in}).ok(&out)
		return out.UpdateUser
	}
	u := update(map[string]any{"nickname": nil, "city": "Paris"})
	if u["nickname"] != nil || u["company"] != "Acme" || u["city"] != "Paris" || u["emailVerified"] != true {
		t.Errorf("after partial update: nickname=%v company=%v city=%v emailVerified=%v", u["nickname"], u["company"], u["city"], u["emailVerified"])
	}
	if u["statusChangedAt"] != nil {
		t.Error("statusChangedAt set without a status change")
	}
	u = update(map[string]any{"blocked": true})
	if u["status"] != "Suspended" || u["blocked"] != true || u["statusChangedAt"] == nil {
		t.Errorf("blocked: true gave status %v blocked %v statusChangedAt %v", u["status"], u["blocked"], u["statusChangedAt"])
	}
	u = update(map[string]any{"status": "Resigned"})
	if u["status"] != "Resigned" || u["blocked"] != true {
		t.Errorf("status Resigned gave %v / blocked %v", u["status"], u["blocked"])
	}
	u = update(map[string]any{"blocked": false})
	if u["status"] != "Activated" {
		t.Errorf("blocked: false gave %v", u["status"])
	}
	u = update(map[string]any{"password": "new-password"})
	if u["passwordLastSetAt"] == nil {
		t.Error("password change did not set passwordLastSetAt")
	}
	u = update(map[string]any{"tokenExpiredAt": "2017-06-07T14:34:08+04:00", "gender": "M"})
	if u["tokenExpiredAt"] != "2017-06-07T10:34:08Z" || u["gender"] != "M" {
		t.Errorf("tokenExpiredAt = %v gender = %v", u["tokenExpiredAt"], u["gender"])
	}
	// Clearing the only identifier is refused; so are nulls on non-null fields.
	bad := []struct {
		in    map[string]any
		field string
	}{
		{map[string]any{"username": nil}, "input"},
		{map[string]any{"emailVerified": nil}, "input.emailVerified"},
		{map[string]any{"gender": nil}, "input.gender"},
		{map[string]any{"status": nil}, "input.status"},
		{map[string]any{"password": nil}, "input.password"},
		{map[string]any{"email": "bad"}, "input.email"},
	}
	for _, b := range bad {
		e.do(`mutation($id: ID!, $u: UpdateUserInput!) { updateUser(id: $id, input: $u) { id } }`,
			map[string]any{"id": id, "u": b.in}).wantErr("INVALID_INPUT", b.field)
	}
	var after struct{ User map[string]any }
	e.do(`query($id: ID!) { user(id: $id) { username email gender status } }`, map[string]any{"id": id}).ok(&after)
	if after.User["username"] != "bob" || after.User["gender"] != "M" || after.User["status"] != "Activated" {
		t.Errorf("rejected updates changed the user: %v", after.User)
	}
	e.do(`mutation { updateUser(id: "nope", input: {nickname: "x"}) { id } }`, nil).wantErr("NOT_FOUND", "id")
}

func TestTimesAcceptDocumentedForms(t *testing.T) {
	e := newEnv(t)
	for in, want := range map[string]string{
		"2017-06-07T14:34:08.700Z":       "2017-06-07T14:34:08.7Z",
		"2017-06-07T14:34:08.700":        "2017-06-07T14:34:08.7Z",
		"2017-06-07T14:34:08+04:00":      "2017-06-07T10:34:08Z",
		"2017-06-07":                     "2017-06-07T00:00:00Z",
		"2017-06-07T14:34:08.123456789Z": "2017-06-07T14:34:08.123456Z", // kept to the microsecond on both engines
	} {
		var out struct{ CreateUser struct{ LastLogin string } }
		e.do(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { lastLogin } }`,
			map[string]any{"u": map[string]any{"externalId": in, "lastLogin": in}}).ok(&out)
		if out.CreateUser.LastLogin != want {
			t.Errorf("%s → %s, want %s", in, out.CreateUser.LastLogin, want)
		}
		if _, err := time.Parse(time.RFC3339, out.CreateUser.LastLogin); err != nil {
			t.Errorf("%s is not RFC 3339", out.CreateUser.LastLogin)
		}
	}
}

func TestFindUserAndIsUserExists(t *testing.T) {
	e := newEnv(t)
	id := e.createUser(map[string]any{"username": "Bob", "email": "bob@example.com", "phone": "+15550001", "externalId": "ext-1"})
	for _, args := range []string{`username: "Bob"`, `email: "BOB@Example.com"`, `phone: "+15550001"`, `externalId: "ext-1"`} {
		var out struct {
			FindUser     *struct{ ID string }
			IsUserExists bool
		}
		e.do(`{ findUser(`+args+`) { id } isUserExists(`+args+`) }`, nil).ok(&out)
		if out.FindUser == nil || out.FindUser.ID != id || !out.IsUserExists {
			t.Errorf("%s: found %v exists %v", args, out.FindUser, out.IsUserExists)
		}
	}
	var out struct {
		FindUser     *struct{ ID string }
		IsUserExists bool
	}
	e.do(`{ findUser(username: "bob") { id } isUserExists(email: "nobody@example.com") }`, nil).ok(&out)
	if out.FindUser != nil || out.IsUserExists {
		t.Errorf("unknown keys: found %v exists %v", out.FindUser, out.IsUserExists)
	}
	e.do(`{ findUser(username: "Bob", email: "bob@example.com") { id } }`, nil).wantErr("INVALID_INPUT", "")
	e.do(`{ findUser { id } }`, nil).wantErr("INVALID_INPUT", "")
	e.do(`{ isUserExists(email: "not-an-email") }`, nil).wantErr("INVALID_INPUT", "email")
}

func TestUsersPagingAndSorting(t *testing.T) {
	e := newEnv(t)
	names := []string{"dave", "alice", "carol", "bob", "erin"}
	for _, n := range names {
		e.createUser(map[string]any{"username": n})
	}
	type page struct {
		Users struct {
			TotalCount int
			List       []struct{ Username string }
		}
	}
	list := func(q string) []string {
		t.Helper()
		var out page
		e.do(q, nil).ok(&out)
		if out.Users.TotalCount != 5 {
			t.Errorf("totalCount = %d", out.Users.TotalCount)
		}
		var got []string
		for _, u := range out.Users.List {
			got = append(got, u.Username)
		}
		return got
	}
	if got := list(`{ users(limit: 2) { totalCount list { username } } }`); strings.Join(got, ",") != "erin,bob" {
		t.Errorf("newest first page = %v", got)
	}
	if got := list(`{ users(page: 2, limit: 2, sortBy: {field: USERNAME, order: ASC}) { totalCount list { username } } }`); strings.Join(got, ",") != "carol,dave" {
		t.Errorf("page 2 by username = %v", got)
	}
	if got := list(`{ users(page: 3, limit: 2, sortBy: {field: CREATED_AT, order: ASC}) { totalCount list { username } } }`); strings.Join(got, ",") != "erin" {
		t.Errorf("last page oldest first = %v", got)
	}
	if got := list(`{ users(page: 9) { totalCount list { username } } }`); len(got) != 0 {
		t.Errorf("page past the end = %v", got)
	}
	e.do(`{ users(limit: 101) { totalCount } }`, nil).wantErr("INVALID_INPUT", "limit")
	e.do(`{ users(limit: 0) { totalCount } }`, nil).wantErr("INVALID_INPUT", "limit")
	e.do(`{ users(page: 0) { totalCount } }`, nil).wantErr("INVALID_INPUT", "page")
	e.do(`{ users(page: -1) { totalCount } }`, nil).wantErr("INVALID_INPUT", "page")
	e.do(`query($s: UserSortInput) { users(sortBy: $s) { totalCount } }`, map[string]any{"s": map[string]any{"field": "PASSWORD"}}).
		wantErr("INVALID_INPUT", "sortBy.field")
}

func TestUserBatchKeepsOrder(t *testing.T) {
	e := newEnv(t)
	a := e.createUser(map[string]any{"username": "a"})
	b := e.createUser(map[string]any{"username": "b"})
	var out struct{ UserBatch []struct{ ID string } }
	e.do(`query($ids: [ID!]!) { userBatch(ids: $ids) { id } }`, map[string]any{"ids": []string{b, "unknown", a}}).ok(&out)
	if len(out.UserBatch) != 2 || out.UserBatch[0].ID != b || out.UserBatch[1].ID != a {
		t.Errorf("userBatch = %v", out.UserBatch)
	}
}

func TestDeleteUsersAllOrNothing(t *testing.T) {
	e := newEnv(t)
	a := e.createUser(map[string]any{"username": "a", "identities": []map[string]any{{"provider": "github", "type": "primary", "userIdInIdp": "1"}}})
	b := e.createUser(map[string]any{"username": "b"})
	c := e.createUser(map[string]any{"username": "c"})
	e.do(`mutation($ids: [ID!]!) { deleteUsers(ids: $ids) }`, map[string]any{"ids": []string{a, "missing", b}}).wantErr("NOT_FOUND", "ids.1")
	if n := e.userCount(); n != 3 {
		t.Fatalf("a failed deleteUsers deleted users: %d left", n)
	}
	e.do(`mutation($ids: [ID!]!) { deleteUsers(ids: $ids) }`, map[string]any{"ids": []string{a, b}}).ok(nil)
	e.do(`mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": c}).ok(nil)
	e.do(`mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": c}).wantErr("NOT_FOUND", "id")
	e.do(`mutation { deleteUsers(ids: []) }`, nil).wantErr("INVALID_INPUT", "ids")
	if n := e.userCount(); n != 0 {
		t.Errorf("%d users left", n)
	}
	var identities int64
	e.raw().Table("identities").Count(&identities)
	if identities != 0 {
		t.Errorf("deleting a user left %d identities", identities)
	}
	// The identity is free again.
	e.createUser(map[string]any{"username": "d", "identities": []map[string]any{{"provider": "github", "type": "primary", "userIdInIdp": "1"}}})
}

// TestUserMetadata: metadata is kept as given, replaced and cleared by
// updates, read by the planned executor and gqlgen's alike, and refused
// when it is not a bounded JSON object.
func TestUserMetadata(t *testing.T) {
	e := newEnv(t)
	var c struct{ CreateUser struct{ ID string } }
	e.do(`mutation { createUser(userInfo: {username: "meta", metadata: {source: "hr", ids: [1, 2], nested: {a: true}}}) { id } }`, nil).ok(&c)
	read := func() map[string]any {
		var out struct {
			User struct{ Metadata map[string]any }
		}
		e.do(`query($id: ID!) { user(id: $id) { metadata } }`, map[string]any{"id": c.CreateUser.ID}).ok(&out)
		return out.User.Metadata
	}
	if m := read(); m["source"] != "hr" || m["nested"].(map[string]any)["a"] != true {
		t.Fatalf("metadata read back: %v", m)
	}
	e.do(`mutation($id: ID!) { updateUser(id: $id, input: {metadata: {source: "erp"}}) { id } }`, map[string]any{"id": c.CreateUser.ID}).ok(nil)
	if m := read(); m["source"] != "erp" || m["ids"] != nil {
		t.Fatalf("metadata replaced: %v", m)
	}
	e.do(`mutation($id: ID!) { updateUser(id: $id, input: {metadata: null}) { id } }`, map[string]any{"id": c.CreateUser.ID}).ok(nil)
	if m := read(); m != nil {
		t.Fatalf("metadata cleared: %v", m)
	}
	// Another pool cannot write (or see) this user's metadata.
	e.do(`mutation($id: ID!) { updateUser(id: $id, input: {metadata: {source: "erp"}}) { id } }`, map[string]any{"id": c.CreateUser.ID}).ok(nil)
	e.doAs(e.otherPoolToken(), `mutation($id: ID!) { updateUser(id: $id, input: {metadata: {stolen: true}}) { id } }`, map[string]any{"id": c.CreateUser.ID}).
		wantErr("NOT_FOUND", "id")
	if m := read(); m["stolen"] != nil || m["source"] != "erp" {
		t.Fatalf("another pool changed the metadata: %v", m)
	}
	deep := map[string]any{}
	for cur, i := deep, 0; i < 40; i++ {
		next := map[string]any{}
		cur["n"] = next
		cur = next
	}
	for name, v := range map[string]any{
		"an array":  []any{1},
		"a string":  "x",
		"too large": map[string]any{"x": strings.Repeat("a", 17<<10)},
		"too deep":  deep,
		"bad text":  map[string]any{"x": "\ufffd"},
	} {
		e.do(`mutation($m: JSON) { createUser(userInfo: {username: "bad-meta", metadata: $m}) { id } }`, map[string]any{"m": v}).
			wantErr("INVALID_INPUT", "userInfo.metadata")
		_ = name
	}
}
