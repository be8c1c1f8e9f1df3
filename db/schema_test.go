package db_test

import (
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/model"
)

// tableModels are the GORM models with a table of their own.
var tableModels = []any{
	&model.UserPool{}, &model.APIKey{}, &model.User{}, &model.Identity{}, &model.Group{}, &model.GroupMember{},
	&model.Namespace{}, &model.Role{}, &model.RoleMember{}, &model.GroupRole{}, &model.GroupClosure{},
	&model.UdfDefinition{}, &model.UserUdfValue{}, &model.GroupUdfValue{}, &model.RoleUdfValue{},
	&model.Resource{}, &model.Grant{}, &model.AuditRecord{}, &model.Webhook{}, &model.WebhookDelivery{}, &model.OperatorSignIn{},
}

// TestModelsMatchTheMigrations: every column a model reads and writes
// exists once the migrations ran, and every index listings name (by
// INDEXED BY on SQLite) too. A model field added without its migration
// fails here, not in production.
func TestModelsMatchTheMigrations(t *testing.T) {
	d, _ := dbtest.Open(t)
	raw := dbtest.Raw(t, d)
	m := raw.Migrator()
	for _, mod := range tableModels {
		stmt, err := schema.Parse(mod, &sync.Map{}, raw.NamingStrategy)
		if err != nil {
			t.Fatal(err)
		}
		if !m.HasTable(stmt.Table) {
			t.Errorf("no table %s", stmt.Table)
			continue
		}
		for _, f := range stmt.Fields {
			if f.DBName != "" && !m.HasColumn(stmt.Table, f.DBName) {
				t.Errorf("%s.%s: the model has it, the migrations do not", stmt.Table, f.DBName)
			}
		}
	}
	for _, name := range db.UserIndexNames() {
		if !m.HasIndex("users", name) {
			t.Errorf("index %s: listings name it, the migrations do not make it", name)
		}
	}
}
