package db

import (
	"errors"

	"gorm.io/gorm"

	"usergraph/db/postgres"
	"usergraph/db/query"
	"usergraph/db/sqlite"
	"usergraph/model"
)

// uniqueFields names, for each unique index, the input field a client must
// change. SQLite reports the violated columns and PostgreSQL the index name;
// both are looked up here so the two engines give the same error.
var uniqueFields = []struct{ index, table, column, field string }{
	{"ux_users_username", "users", "username", "username"},
	{"ux_users_email", "users", "email", "email"},
	{"ux_users_phone", "users", "phone", "phone"},
	{"ux_users_external_id", "users", "external_id", "externalId"},
	{"ux_identities_idp", "identities", "user_id_in_idp", "identities"},
}

// violation is a constraint error as an engine reports it: a unique
// violation with a test of which index (or table and column) it names, or
// a foreign key violation.
// violations classify each engine's constraint errors (db/sqlite,
// db/postgres). Both are tried: the error's type tells its engine.
var violations = []func(error) (query.Violation, bool){sqlite.Violation, postgres.Violation}

// translate turns a driver error into the model error a client can act on.
// Errors it does not recognise pass through unchanged (and become INTERNAL).
func translate(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := model.AsError(err); ok {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return model.NotFound("", "not found")
	}
	for _, classify := range violations {
		v, ok := classify(err)
		switch {
		case !ok:
			continue
		case v.ForeignKey:
			return model.NotFound("", "a referenced record does not exist")
		}
		for _, u := range uniqueFields {
			if v.Unique(u.index, u.table, u.column) {
				return model.AlreadyExists(u.field, "another record of this user pool has the same %s", u.field)
			}
		}
		return model.AlreadyExists("", "the record already exists")
	}
	return err
}

// isConstraintError reports errors that translate maps to a client error, so
// the SQL logger does not report them as failures.
func isConstraintError(err error) bool {
	_, ok := model.AsError(translate(err))
	return ok
}
