package graph_test

import (
	"context"
	"strings"
	"testing"
)

// TestNewFieldsArePoolScoped: the audit trail, archive, verifyPassword,
// group roles, the group tree, group custom data and exports of one pool
// are out of another pool's reach, and oversized audit filters are
// refused.
func TestNewFieldsArePoolScoped(t *testing.T) {
	e := newEnv(t)
	e.do(`mutation { createGroup(code: "eng") { code } createRole(code: "admin") { code } setUdf(targetType: GROUP, key: "tier", dataType: NUMBER) { key } }`, nil).ok(nil)
	alice := e.createUser(map[string]any{"username": "alice", "password": "correct-horse-battery"})
	p, _, err := e.store.CreatePool(context.Background(), "other")
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := e.signer.AdminToken(p.ID, 0)
	b := tok.Token
	vars := map[string]any{"id": alice}

	var audit struct {
		AuditLog struct {
			TotalCount int
			List       []struct{ ObjectID string }
		}
	}
	e.doAs(b, `query($id: ID!) { auditLog(filter: {objectId: $id}) { totalCount list { objectId } } }`, vars).ok(&audit)
	if audit.AuditLog.TotalCount != 0 {
		t.Errorf("pool B reads pool A's audit records: %+v", audit)
	}
	e.doAs(b, `{ auditLog { totalCount list { objectId } } }`, nil).ok(&audit)
	if audit.AuditLog.TotalCount != 1 || audit.AuditLog.List[0].ObjectID != p.ID { // B's own creation
		t.Errorf("pool B's audit log: %+v", audit)
	}
	e.doAs(b, `mutation($id: ID!) { archiveUser(id: $id) { id } }`, vars).wantErr("NOT_FOUND", "id")
	e.doAs(b, `mutation($id: ID!) { restoreUsers(ids: [$id]) { id } }`, vars).wantErr("NOT_FOUND", "ids.0")
	e.doAs(b, `mutation($id: ID!) { verifyPassword(userId: $id, password: "correct-horse-battery") }`, vars).wantErr("NOT_FOUND", "userId")
	e.doAs(b, `mutation { addGroupRoles(code: "eng", roles: ["admin"]) { code } }`, nil).wantErr("NOT_FOUND", "code")
	e.doAs(b, `mutation { createGroup(code: "x", parent: "eng") { code } }`, nil).wantErr("NOT_FOUND", "parent")
	e.doAs(b, `mutation { setGroupUdfValue(code: "eng", data: {tier: 1}) }`, nil).wantErr("NOT_FOUND", "code")
	e.doAs(b, `{ groups(customData: [{key: "tier", eq: 1}]) { totalCount } }`, nil).wantErr("INVALID_INPUT", "customData.0.key")

	e.do(`mutation($id: ID!) { archiveUser(id: $id) { id } }`, vars).ok(nil)
	var archived struct{ ArchivedUsers struct{ TotalCount int } }
	e.doAs(b, `{ archivedUsers { totalCount } }`, nil).ok(&archived)
	if archived.ArchivedUsers.TotalCount != 0 {
		t.Errorf("pool B lists pool A's archived users: %+v", archived)
	}
	if body := e.transfer("GET", "/export", b, "").Body.String(); strings.Contains(body, "alice") || strings.Contains(body, `"eng"`) {
		t.Errorf("pool B's export holds pool A's records: %s", body)
	}

	// Oversized filters are refused by field, before any statement.
	long := strings.Repeat("x", 256)
	for _, f := range []string{"actor", "objectId", "operation"} {
		e.do(`query($f: AuditFilter) { auditLog(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{f: long}}).wantErr("INVALID_INPUT", "filter."+f)
	}
	e.do(`query($a: String) { users(after: $a) { totalCount } }`, map[string]any{"a": strings.Repeat("A", 100_000)}).wantErr("INVALID_INPUT", "after")
}
