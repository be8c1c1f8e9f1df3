// Package query holds what db's statements share whatever the entity and
// the engine: reading rows into model structs (Rows, Find), the orders of
// listings and their cursors (Ordering), and the meter that counts and
// bounds one request's database work (Meter).
package query

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// Rows reads the rows of a statement into new values of T, a model
// struct, with database/sql rather than gorm's Scan. gorm reflects over
// the destination per statement and per row, and for the headline reads
// (a user by id, a page, a page's groups and roles) that cost about as
// much as the driver's own reads. Each column the statement names is read into T's
// field of that column; the last columns T lacks are read into extra(v),
// pointers for the row's other columns (a member id). emit receives each
// value once its row is read.
func Rows[T any](q *gorm.DB, extra func(v *T) []any, emit func(v *T)) error {
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
	index := make([]columnField, len(names)) // a nil field index: an extra column
	extras := 0
	for i, n := range names {
		if f, ok := fields[n]; ok {
			index[i] = f
		} else {
			extras++
		}
	}
	dests := make([]any, len(names))
	var discard any
	for rows.Next() {
		v := new(T)
		rv := reflect.ValueOf(v).Elem()
		more := extra(v)
		if len(more) > extras {
			return fmt.Errorf("Rows: %d columns not of %T, %d destinations", extras, v, len(more))
		}
		// The extras are the statement's last columns that T lacks; any
		// before them (a column gorm's model does not know, such as a
		// search column of the engine's) are read and dropped, as gorm does.
		k := len(more) - extras
		for i, f := range index {
			switch {
			case f.index == nil && k < 0:
				dests[i], k = &discard, k+1
			case f.index == nil:
				dests[i], k = more[k], k+1
			case f.json:
				dests[i] = jsonColumn{rv.FieldByIndex(f.index).Addr().Interface()}
			default:
				dests[i] = rv.FieldByIndex(f.index).Addr().Interface()
			}
		}
		if err := rows.Scan(dests...); err != nil {
			return err
		}
		emit(v)
	}
	return rows.Err()
}

// columnField is where a column of T is read to: the field's index, and
// whether gorm stores it as JSON (serializer:json).
type columnField struct {
	index []int
	json  bool
}

// columnFields maps T's columns to their fields, as gorm maps them (column
// names, column tags, embedded structs). Relations have no column; a
// serializer other than JSON is refused, as it would be read wrongly.
func columnFields[T any]() map[string]columnField {
	t := reflect.TypeFor[T]()
	if m, ok := fieldIndexes.Load(t); ok {
		return m.(map[string]columnField)
	}
	s, err := schema.Parse(reflect.New(t).Interface(), &schemaCache, schema.NamingStrategy{})
	if err != nil {
		panic(fmt.Sprintf("columnFields %v: %v", t, err))
	}
	m := make(map[string]columnField, len(s.Fields))
	for _, f := range s.Fields {
		if f.DBName == "" {
			continue
		}
		c := columnField{index: f.StructField.Index}
		if slices.ContainsFunc(c.index, func(i int) bool { return i < 0 }) {
			panic(fmt.Sprintf("columnFields %v.%s: embedded through a pointer", t, f.Name))
		}
		if f.Serializer != nil {
			if f.TagSettings["SERIALIZER"] != "json" {
				panic(fmt.Sprintf("columnFields %v.%s: serializer %q", t, f.Name, f.TagSettings["SERIALIZER"]))
			}
			c.json = true
		}
		m[f.DBName] = c
	}
	fieldIndexes.Store(t, m)
	return m
}

// jsonColumn reads a JSON column into the value dst points to, as gorm's
// JSON serializer does: NULL or empty leaves it unset.
type jsonColumn struct{ dst any }

func (j jsonColumn) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("a JSON column holds %T", src)
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, j.dst)
}

// Find reads every row of q into new values of T (see Rows), from
// T's table unless q names one.
func Find[T any](q *gorm.DB) ([]*T, error) {
	if q.Statement.Table == "" && q.Statement.Model == nil {
		q = q.Model(new(T))
	}
	var out []*T
	err := Rows(q, func(*T) []any { return nil }, func(v *T) { out = append(out, v) })
	return out, err
}

var (
	fieldIndexes sync.Map // reflect.Type → map[string]columnField
	schemaCache  sync.Map // gorm's parsed schemas, for columnFields
)
