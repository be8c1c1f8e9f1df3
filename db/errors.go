package db

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"

	"usergraph/model"
)

// uniqueField names, for each unique index, the input field a client must
// change. SQLite reports the violated columns and PostgreSQL the index name;
// both are looked up here so the two engines give the same error.
var uniqueFields = []struct{ index, table, column, field string }{
	{"ux_users_username", "users", "username", "username"},
	{"ux_users_email", "users", "email", "email"},
	{"ux_users_phone", "users", "phone", "phone"},
	{"ux_users_external_id", "users", "external_id", "externalId"},
	{"ux_identities_idp", "identities", "user_id_in_idp", "identities"},
}

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
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return alreadyExists(func(index, table, column string) bool {
				return strings.HasSuffix(se.Error(), table+"."+column)
			})
		case sqlite3.ErrConstraintForeignKey:
			return model.NotFound("", "a referenced record does not exist")
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return alreadyExists(func(index, _, _ string) bool { return pe.ConstraintName == index })
		case "23503":
			return model.NotFound("", "a referenced record does not exist")
		}
	}
	return err
}

func alreadyExists(match func(index, table, column string) bool) error {
	for _, u := range uniqueFields {
		if match(u.index, u.table, u.column) {
			return model.AlreadyExists(u.field, "another record of this user pool has the same %s", u.field)
		}
	}
	return model.AlreadyExists("", "the record already exists")
}

// isConstraintError reports errors that translate maps to a client error, so
// the SQL logger does not report them as failures.
func isConstraintError(err error) bool {
	_, ok := model.AsError(translate(err))
	return ok
}
