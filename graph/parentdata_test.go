package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestGroupAndRoleCustomData: groups and roles hold values of their own
// custom fields, set and removed as a user's are, read in one statement
// for a whole list, filtered on, audited, and deleted with their record.
func TestGroupAndRoleCustomData(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation {
		a: setUdf(targetType: GROUP, key: "tier", dataType: NUMBER) { key }
		b: setUdf(targetType: GROUP, key: "region", dataType: STRING) { key }
		c: setUdf(targetType: ROLE, key: "level", dataType: STRING) { key }
		d: setUdf(targetType: USER, key: "age", dataType: NUMBER) { key }
	}`, nil).ok(nil)
	for _, g := range []string{"gold", "silver", "bronze"} {
		e.do(`mutation($c: String!) { createGroup(code: $c) { code } }`, map[string]any{"c": g}).ok(nil)
	}
	e.do(`mutation { createRole(code: "admin") { code } }`, nil).ok(nil)

	var set struct{ SetGroupUdfValue map[string]any }
	e.do(`mutation { setGroupUdfValue(code: "gold", data: {tier: 1, region: "eu"}) }`, nil).ok(&set)
	if set.SetGroupUdfValue["tier"] != 1.0 || set.SetGroupUdfValue["region"] != "eu" {
		t.Errorf("setGroupUdfValue: %v", set.SetGroupUdfValue)
	}
	e.do(`mutation { setGroupUdfValue(code: "silver", data: {tier: 2}) }`, nil).ok(nil)
	e.do(`mutation { setRoleUdfValue(code: "admin", data: {level: "high"}) }`, nil).ok(nil)

	// Bad input changes nothing and names its field.
	e.do(`mutation { setGroupUdfValue(code: "gold", data: {tier: "one"}) }`, nil).wantErr("INVALID_INPUT", "data.tier")
	e.do(`mutation { setGroupUdfValue(code: "gold", data: {age: 3}) }`, nil).wantErr("INVALID_INPUT", "data.age") // a USER field
	e.do(`mutation { setGroupUdfValue(code: "nope", data: {tier: 1}) }`, nil).wantErr("NOT_FOUND", "code")
	e.do(`mutation { removeRoleUdfValue(code: "admin", key: "tier") }`, nil).wantErr("INVALID_INPUT", "key")
	e.do(`mutation($d: JSON!) { setGroupUdfValue(code: "gold", data: $d) }`, map[string]any{"d": map[string]any{"region": strings.Repeat("x", 17<<10)}}).wantErr("INVALID_INPUT", "data.region")

	var list struct {
		Groups struct {
			TotalCount int
			List       []struct {
				Code       string
				CustomData map[string]any
			}
		}
	}
	e.stmts.Reset()
	e.do(`{ groups { totalCount list { code customData } } }`, nil).ok(&list)
	if n := e.stmts.Count(); n != 3 { // count, page, custom data
		t.Errorf("groups { customData }: %d statements, want 3", n)
	}
	got := map[string]string{}
	for _, g := range list.Groups.List {
		b, _ := json.Marshal(g.CustomData)
		got[g.Code] = string(b)
	}
	if got["gold"] != `{"region":"eu","tier":1}` || got["silver"] != `{"tier":2}` || got["bronze"] != `{}` {
		t.Errorf("groups' custom data: %v", got)
	}
	e.do(`{ groups(customData: [{key: "tier", lte: 1}]) { totalCount list { code } } }`, nil).ok(&list)
	if list.Groups.TotalCount != 1 || list.Groups.List[0].Code != "gold" {
		t.Errorf("groups with tier <= 1: %+v", list.Groups)
	}
	e.do(`{ groups(customData: [{key: "region", eq: "eu"}, {key: "tier", gte: 2}]) { totalCount } }`, nil).ok(&list)
	if list.Groups.TotalCount != 0 {
		t.Errorf("groups in eu with tier >= 2: %d", list.Groups.TotalCount)
	}
	e.do(`{ groups(customData: [{key: "level", eq: "x"}]) { totalCount } }`, nil).wantErr("INVALID_INPUT", "customData.0.key")
	var roles struct {
		Roles struct {
			List []struct{ CustomData map[string]any }
		}
	}
	e.do(`{ roles(customData: [{key: "level", eq: "high"}]) { list { customData } } }`, nil).ok(&roles)
	if len(roles.Roles.List) != 1 || roles.Roles.List[0].CustomData["level"] != "high" {
		t.Errorf("roles at level high: %+v", roles.Roles)
	}

	var removed struct{ RemoveGroupUdfValue map[string]any }
	e.do(`mutation { removeGroupUdfValue(code: "gold", key: "tier") }`, nil).ok(&removed)
	if len(removed.RemoveGroupUdfValue) != 1 || removed.RemoveGroupUdfValue["region"] != "eu" {
		t.Errorf("after removing tier: %v", removed.RemoveGroupUdfValue)
	}
	recs, _, _ := e.audit(map[string]any{"objectType": "GROUP", "operation": "setGroupUdfValue"})
	if len(recs) != 2 || recs[1].change("customData.tier") != `null -> 1` || recs[1].change("customData.region") != `null -> "eu"` {
		t.Errorf("audit of setGroupUdfValue: %+v", recs)
	}
	e.do(`mutation { deleteGroups(codes: ["gold"]) }`, nil).ok(nil)
	if n := e.rows("group_udf_values"); n != 1 { // silver's
		t.Errorf("%d group values left after deleting gold, want 1", n)
	}
}
