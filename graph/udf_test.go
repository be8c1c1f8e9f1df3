package graph_test

import (
	"context"
	"encoding/json"
	"testing"
)

// defineFields defines one user field of each data type.
func defineFields(e *env) {
	for key, typ := range map[string]string{"school": "STRING", "age": "NUMBER", "vip": "BOOLEAN", "joined": "DATETIME", "prefs": "OBJECT"} {
		e.do(`mutation($k: String!, $t: UdfDataType!) { setUdf(targetType: USER, key: $k, dataType: $t, label: $k) { key dataType } }`,
			map[string]any{"k": key, "t": typ}).ok(nil)
	}
}

func TestUdfTypeMatrix(t *testing.T) {
	e := newEnv(t)
	defineFields(e)
	id := e.createUser(map[string]any{"username": "alice"})
	cases := []struct {
		key       string
		good, bad any
		want      string // the good value as returned, in JSON
	}{
		{"school", "MIT", 42, `"MIT"`},
		{"age", 22, "22", `22`},
		{"age", 1.5, true, `1.5`},
		{"vip", true, "yes", `true`},
		{"joined", "2017-06-07T14:34:08+04:00", "yesterday", `"2017-06-07T10:34:08Z"`},
		{"joined", "2017-06-07T14:34:08.700", 1602756997950, `"2017-06-07T14:34:08.7Z"`},
		{"prefs", map[string]any{"theme": "dark", "n": 2}, []any{"dark"}, `{"n":2,"theme":"dark"}`},
		{"prefs", map[string]any{}, "dark", `{}`},
	}
	set := `mutation($u: ID!, $d: JSON!) { setUdfValue(userId: $u, data: $d) }`
	for _, c := range cases {
		var out struct{ SetUdfValue map[string]json.RawMessage }
		e.do(set, map[string]any{"u": id, "d": map[string]any{c.key: c.good}}).ok(&out)
		if got := string(out.SetUdfValue[c.key]); got != c.want {
			t.Errorf("%s = %v: returned %s, want %s", c.key, c.good, got, c.want)
		}
		e.do(set, map[string]any{"u": id, "d": map[string]any{c.key: c.bad}}).wantErr("INVALID_INPUT", "data."+c.key)
		// The bad value changed nothing.
		var after struct{ UdfValue map[string]json.RawMessage }
		e.do(`query($u: ID!) { udfValue(userId: $u) }`, map[string]any{"u": id}).ok(&after)
		if got := string(after.UdfValue[c.key]); got != c.want {
			t.Errorf("%s after a bad write = %s, want %s", c.key, got, c.want)
		}
	}
	e.do(set, map[string]any{"u": id, "d": map[string]any{"undefined": 1}}).wantErr("INVALID_INPUT", "data.undefined")
	e.do(set, map[string]any{"u": id, "d": []any{1}}).wantErr("INVALID_INPUT", "data")
	e.do(set, map[string]any{"u": "nobody", "d": map[string]any{"age": 1}}).wantErr("NOT_FOUND", "userId")

	// Values come back typed, also through User.customData.
	var u struct {
		User struct{ CustomData map[string]any }
	}
	e.do(`query($u: ID!) { user(id: $u) { customData } }`, map[string]any{"u": id}).ok(&u)
	if _, ok := u.User.CustomData["age"].(float64); !ok {
		t.Errorf("age is %T, want a JSON number", u.User.CustomData["age"])
	}
	if _, ok := u.User.CustomData["vip"].(bool); !ok {
		t.Errorf("vip is %T, want a JSON boolean", u.User.CustomData["vip"])
	}
	if _, ok := u.User.CustomData["prefs"].(map[string]any); !ok {
		t.Errorf("prefs is %T, want an object", u.User.CustomData["prefs"])
	}

	// A null removes a key; removeUdfValue removes one too.
	var r struct{ SetUdfValue, RemoveUdfValue map[string]any }
	e.do(set, map[string]any{"u": id, "d": map[string]any{"vip": nil}}).ok(&r)
	if _, ok := r.SetUdfValue["vip"]; ok {
		t.Error("null did not remove vip")
	}
	e.do(`mutation($u: ID!) { removeUdfValue(userId: $u, key: "school") }`, map[string]any{"u": id}).ok(&r)
	if _, ok := r.RemoveUdfValue["school"]; ok || r.RemoveUdfValue["age"] == nil {
		t.Errorf("removeUdfValue left %v", r.RemoveUdfValue)
	}
	e.do(`mutation($u: ID!) { removeUdfValue(userId: $u, key: "nope") }`, map[string]any{"u": id}).wantErr("INVALID_INPUT", "key")
}

func TestUdfDefinitions(t *testing.T) {
	e := newEnv(t)
	defineFields(e)
	var list struct {
		Udf []struct{ Key, DataType string }
	}
	e.do(`{ udf(targetType: USER) { key dataType label } }`, nil).ok(&list)
	if len(list.Udf) != 5 || list.Udf[0].Key != "age" {
		t.Errorf("udf = %+v", list.Udf)
	}
	for _, bad := range []string{"", " ", "1abc", "a-b", "a b", "x" + string(make([]byte, 70))} {
		e.do(`mutation($k: String!) { setUdf(targetType: USER, key: $k, dataType: STRING) { key } }`, map[string]any{"k": bad}).wantErr("INVALID_INPUT", "key")
	}
	id := e.createUser(map[string]any{"username": "a", "customData": map[string]any{"age": 30}})
	// The type of a field with values cannot change; without values it can.
	e.do(`mutation { setUdf(targetType: USER, key: "age", dataType: STRING) { key } }`, nil).wantErr("INVALID_INPUT", "dataType")
	e.do(`mutation { setUdf(targetType: USER, key: "vip", dataType: STRING, label: "VIP") { key dataType label } }`, nil).ok(nil)
	// Removing a field removes its values.
	e.do(`mutation { removeUdf(targetType: USER, key: "age") }`, nil).ok(nil)
	e.do(`mutation { removeUdf(targetType: USER, key: "age") }`, nil).wantErr("NOT_FOUND", "key")
	var v struct{ UdfValue map[string]any }
	e.do(`query($u: ID!) { udfValue(userId: $u) }`, map[string]any{"u": id}).ok(&v)
	if len(v.UdfValue) != 0 {
		t.Errorf("values outlived their field: %v", v.UdfValue)
	}
	e.do(`{ udfValue(userId: "nobody") }`, nil).wantErr("NOT_FOUND", "userId")
}

func TestUdfBatchIsAllOrNothing(t *testing.T) {
	e := newEnv(t)
	defineFields(e)
	a := e.createUser(map[string]any{"username": "a"})
	b := e.createUser(map[string]any{"username": "b"})
	batch := `mutation($in: [SetUdfValueBatchInput!]!) { setUdfValueBatch(input: $in) { userId data } }`
	r := e.do(batch, map[string]any{"in": []map[string]any{
		{"userId": a, "data": map[string]any{"age": 1}},
		{"userId": b, "data": map[string]any{"age": "old"}},
	}})
	r.wantErr("INVALID_INPUT", "input.1.data.age")
	if r.Errors[0].Extensions["index"] != 1.0 {
		t.Errorf("index = %v", r.Errors[0].Extensions["index"])
	}
	e.do(batch, map[string]any{"in": []map[string]any{
		{"userId": a, "data": map[string]any{"age": 1}},
		{"userId": "ghost", "data": map[string]any{"age": 2}},
	}}).wantErr("NOT_FOUND", "input.1.userId")
	var got struct {
		UdfValueBatch []struct {
			UserID string
			Data   map[string]any
		}
	}
	e.do(`query($ids: [ID!]!) { udfValueBatch(userIds: $ids) { userId data } }`, map[string]any{"ids": []string{b, a}}).ok(&got)
	if len(got.UdfValueBatch) != 2 || got.UdfValueBatch[0].UserID != b || len(got.UdfValueBatch[1].Data) != 0 {
		t.Errorf("a failed batch wrote: %+v", got.UdfValueBatch)
	}
	var ok struct {
		SetUdfValueBatch []struct {
			UserID string
			Data   map[string]any
		}
	}
	e.do(batch, map[string]any{"in": []map[string]any{
		{"userId": a, "data": map[string]any{"age": 1, "school": "MIT"}},
		{"userId": b, "data": map[string]any{"vip": true}},
	}}).ok(&ok)
	if ok.SetUdfValueBatch[0].Data["school"] != "MIT" || ok.SetUdfValueBatch[1].Data["vip"] != true {
		t.Errorf("batch result %+v", ok.SetUdfValueBatch)
	}
	e.do(`query($ids: [ID!]!) { udfValueBatch(userIds: $ids) { userId } }`, map[string]any{"ids": []string{a, "ghost"}}).wantErr("NOT_FOUND", "userIds.1")
}

func TestCustomDataWithCreateAndUpdate(t *testing.T) {
	e := newEnv(t)
	defineFields(e)
	e.do(`mutation { createUser(userInfo: {username: "a", customData: {age: "x"}}) { id } }`, nil).wantErr("INVALID_INPUT", "userInfo.customData.age")
	e.do(`mutation { createUser(userInfo: {username: "a", customData: {nope: 1}}) { id } }`, nil).wantErr("INVALID_INPUT", "userInfo.customData.nope")
	if n := e.userCount(); n != 0 {
		t.Fatalf("a create with bad custom data left %d users", n)
	}
	var c struct {
		CreateUser struct {
			ID         string
			CustomData map[string]any
		}
	}
	e.do(`mutation { createUser(userInfo: {username: "a", customData: {age: 30, school: "MIT"}}) { id customData } }`, nil).ok(&c)
	if c.CreateUser.CustomData["age"] != 30.0 {
		t.Errorf("created with %v", c.CreateUser.CustomData)
	}
	id := c.CreateUser.ID
	upd := `mutation($id: ID!, $in: UpdateUserInput!) { updateUser(id: $id, input: $in) { nickname customData } }`
	e.do(upd, map[string]any{"id": id, "in": map[string]any{"nickname": "n", "customData": map[string]any{"vip": "no"}}}).wantErr("INVALID_INPUT", "input.customData.vip")
	var u struct {
		UpdateUser struct {
			Nickname   *string
			CustomData map[string]any
		}
	}
	e.do(`query($id: ID!) { updateUser: user(id: $id) { nickname customData } }`, map[string]any{"id": id}).ok(&u)
	if u.UpdateUser.Nickname != nil {
		t.Error("a rejected update changed the nickname")
	}
	u.UpdateUser.CustomData = nil // json.Unmarshal merges into a non-nil map
	e.do(upd, map[string]any{"id": id, "in": map[string]any{"customData": map[string]any{"vip": true, "school": nil}}}).ok(&u)
	if u.UpdateUser.CustomData["vip"] != true || u.UpdateUser.CustomData["school"] != nil || u.UpdateUser.CustomData["age"] != 30.0 {
		t.Errorf("merged custom data = %v", u.UpdateUser.CustomData)
	}
	u.UpdateUser.CustomData = nil
	e.do(upd, map[string]any{"id": id, "in": map[string]any{"customData": nil}}).ok(&u)
	if len(u.UpdateUser.CustomData) != 0 {
		t.Errorf("customData: null left %v", u.UpdateUser.CustomData)
	}
}

func TestCustomDataIsPoolScopedAndGoesWithTheUser(t *testing.T) {
	e := newEnv(t)
	defineFields(e)
	id := e.createUser(map[string]any{"username": "a", "customData": map[string]any{"age": 30}})
	p, _, _ := e.store.CreatePool(context.Background(), "other")
	tok, _ := e.signer.AdminToken(p.ID, 0)
	var defs struct{ Udf []struct{ Key string } }
	e.doAs(tok.Token, `{ udf(targetType: USER) { key } }`, nil).ok(&defs)
	if len(defs.Udf) != 0 {
		t.Errorf("pool B sees pool A's fields: %v", defs.Udf)
	}
	e.doAs(tok.Token, `query($u: ID!) { udfValue(userId: $u) }`, map[string]any{"u": id}).wantErr("NOT_FOUND", "userId")
	e.doAs(tok.Token, `mutation($u: ID!) { setUdfValue(userId: $u, data: {age: 1}) }`, map[string]any{"u": id}).wantErr("INVALID_INPUT", "data.age")
	e.do(`mutation($id: ID!) { deleteUser(id: $id) }`, map[string]any{"id": id}).ok(nil)
	if n := e.rows("user_udf_values"); n != 0 {
		t.Errorf("%d custom values outlived their user", n)
	}
}

func TestCustomDataOfAPageIsOneStatement(t *testing.T) {
	e := newEnv(t)
	defineFields(e)
	for i := range 30 {
		e.createUser(map[string]any{"externalId": string(rune('a'+i%26)) + string(rune('0'+i/26)), "customData": map[string]any{"age": i}})
	}
	count := func(n int) int64 {
		e.stmts.Reset()
		e.do(`query($n: Int) { users(limit: $n) { list { id customData } } }`, map[string]any{"n": n}).ok(nil)
		return e.stmts.Count()
	}
	// No totalCount is asked for, so no count is run.
	if a, b := count(5), count(30); a != 2 || b != 2 {
		t.Errorf("custom data of a page: %d statements for 5 users, %d for 30; want 2 (page, custom data)", a, b)
	}
}
