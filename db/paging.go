package db

import (
	"gorm.io/gorm"

	"usergraph/db/query"
	"usergraph/model"
)

// listPage, pageRows and countRows are query's, with the driver's errors
// translated into the model's (translate), as every Store method answers.

func listPage[T any](q *gorm.DB, p model.Page, o query.Ordering, cols ...string) ([]*T, int64, error) {
	list, total, err := query.ListPage[T](q, p, o, cols...)
	return list, total, translate(err)
}

func pageRows[T any](q *gorm.DB, p model.Page, order string, cols ...string) ([]*T, error) {
	list, err := query.PageRows[T](q, p, order, cols...)
	return list, translate(err)
}

func countRows(q *gorm.DB, p model.Page) (int64, error) {
	n, err := query.CountRows(q, p)
	return n, translate(err)
}
