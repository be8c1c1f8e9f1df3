package db

import (
	"fmt"
	"reflect"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// scanRows reads the rows of a statement into new values of T, a model
// struct of plain columns, with database/sql rather than gorm's Scan: for
// the headline page's groups and roles (a hundred rows of three columns,
// twice a request) gorm's per-statement and per-row reflection cost about
// as much as the driver's reads. Each column the statement names is read
// into T's field of that column; a column T lacks is read into the next of
// extra(v), which gives pointers for the row's other columns (a member id).
// emit receives each value once its row is read.
func scanRows[T any](q *gorm.DB, extra func(v *T) []any, emit func(v *T)) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	fields := columnFields[T]()
	index := make([][]int, len(names)) // nil: an extra column
	extras := 0
	for i, n := range names {
		if f, ok := fields[n]; ok {
			index[i] = f
		} else {
			extras++
		}
	}
	dests := make([]any, len(names))
	for rows.Next() {
		v := new(T)
		rv := reflect.ValueOf(v).Elem()
		more := extra(v)
		if len(more) != extras {
			return fmt.Errorf("scanRows: %d columns not of %T, %d destinations", extras, v, len(more))
		}
		k := 0
		for i, f := range index {
			if f == nil {
				dests[i], k = more[k], k+1
			} else {
				dests[i] = rv.FieldByIndex(f).Addr().Interface()
			}
		}
		if err := rows.Scan(dests...); err != nil {
			return err
		}
		emit(v)
	}
	return rows.Err()
}

// columnFields maps T's columns to the index of their field, as gorm maps
// them (column names, column tags). Relations and serialized fields have
// none: a statement reading them is not scanned here.
func columnFields[T any]() map[string][]int {
	t := reflect.TypeFor[T]()
	if m, ok := fieldIndexes.Load(t); ok {
		return m.(map[string][]int)
	}
	s, err := schema.Parse(reflect.New(t).Interface(), &schemaCache, schema.NamingStrategy{})
	if err != nil {
		panic(fmt.Sprintf("columnFields %v: %v", t, err))
	}
	m := make(map[string][]int, len(s.Fields))
	for _, f := range s.Fields {
		if f.DBName != "" && f.Serializer == nil && len(f.StructField.Index) == 1 {
			m[f.DBName] = f.StructField.Index
		}
	}
	fieldIndexes.Store(t, m)
	return m
}

var (
	fieldIndexes sync.Map // reflect.Type → map[string][]int
	schemaCache  sync.Map // gorm's parsed schemas, for columnFields
)
