package query

import (
	"gorm.io/gorm"

	"usergraph/model"
)

// Every listing pages the same way: a bounded count and one page in a
// stable order, reading only the columns asked for. Errors are the
// driver's: the caller translates them (db's translate).

// ListPage counts the rows q selects (up to p.CountStop(), when bounded;
// not at all when p.NoCount) and returns one page of them in the order o,
// after p.After when set, reading only cols when given. The orders it is
// given have no NULLs.
func ListPage[T any](q *gorm.DB, p model.Page, o Ordering, cols ...string) ([]*T, int64, error) {
	q = q.Session(&gorm.Session{}) // reusable for both statements
	var total int64
	if !p.NoCount {
		var err error
		if total, err = CountRows(q.Model(new(T)), p); err != nil {
			return nil, 0, err
		}
	}
	if p.After != nil {
		cond, args := o.After(p.After, true)
		q = q.Where(cond, args...)
	}
	list, err := PageRows[T](q, p, o.SQL(), cols...)
	return list, total, err
}

// PageRows returns one page of the rows q selects, in order, reading only
// cols when given.
func PageRows[T any](q *gorm.DB, p model.Page, order string, cols ...string) ([]*T, error) {
	if len(cols) > 0 {
		q = q.Select(cols)
	}
	list, err := Find[T](q.Order(order).Offset(p.Offset()).Limit(p.Fetch()))
	if err != nil {
		return nil, err
	}
	return list, ChargeTx(q, len(list))
}

// CountRows counts the rows q matches, stopping at p.CountStop() when it
// is bounded: the inner LIMIT ends the index walk there.
func CountRows(q *gorm.DB, p model.Page) (int64, error) {
	var n int64
	var err error
	if stop := p.CountStop(); stop > 0 {
		sub := q.Select("1").Limit(int(stop))
		err = q.Session(&gorm.Session{NewDB: true}).Table("(?) AS matches", sub).Count(&n).Error
	} else {
		err = q.Count(&n).Error
	}
	return n, err
}

// Qualified names cols (nil: all) as columns of the users table under the
// name table, for statements that join it to another.
func Qualified(table string, cols []string) []string {
	if len(cols) == 0 {
		return []string{table + ".*"}
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = table + "." + c
	}
	return out
}
