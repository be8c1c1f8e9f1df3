package plan

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// level is one selection's objects at one position of the answer: every
// object the selection applies to there, whatever list or parent it sits
// in, so that each resolver field is called once for all of them.
type level struct {
	sel  *selection
	objs []any // nil for a null element of a list
	// up and upField say where the objects sit, for error paths: the
	// level above and the field they are values of (up's values place
	// each object under its parent: see values.first).
	up      *level
	upField int
	vals    []values // one per field of sel that has values (field.slot)
}

// values returns f's values at lv (nil for a stored scalar: it is read
// from its object when written).
func (f *field) values(lv *level) *values {
	if f.slot < 0 {
		return nil
	}
	return &lv.vals[f.slot]
}

// values is one field's values at a level: a resolver's results, an
// object field's objects.
type values struct {
	// results are a resolver field's results (a typed slice, see
	// Bound.Resolve); failed marks the objects whose field errored (the
	// error is reported, the value is null).
	results any
	failed  []bool
	// first and count place an object field's values in child: object i
	// holds child.objs[first[i]:first[i]+count[i]], or null when count[i]
	// is -1.
	first, count []int32
	child        *level
}

// run is one operation's execution.
type run struct {
	ctx context.Context
	rc  *graphql.OperationContext
	b   Bound
	w   *Writer
}

var writers = sync.Pool{New: func() any { return &Writer{buf: make([]byte, 0, 16<<10)} }}

// execute runs op and returns the data object.
func (x *Executor) execute(ctx context.Context, rc *graphql.OperationContext, op *operation) []byte {
	w := writers.Get().(*Writer)
	defer func() {
		w.buf = w.buf[:0]
		writers.Put(w)
	}()
	r := &run{ctx: ctx, rc: rc, b: x.fields.Bind(ctx), w: w}
	root := &level{sel: op.root, objs: []any{nil}}
	r.resolveRoot(ctx, root)
	if !r.object(root, 0) {
		w.Truncate(0)
		w.Null()
	}
	return append([]byte(nil), w.buf...)
}

// resolveRoot resolves the Query fields one after another, each under the
// operation's root field middleware (requireAdmin: authorization, the
// audit actor), as gqlgen's executor runs them, and each field's
// selection under the context the middleware passed on.
func (r *run) resolveRoot(ctx context.Context, lv *level) {
	lv.vals = make([]values, lv.sel.slots)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query"})
	for k, f := range lv.sel.fields {
		if f.typename {
			continue
		}
		rctx := graphql.WithRootFieldContext(ctx, &graphql.RootFieldContext{Object: f.collected.Name, Field: f.collected})
		ran := false
		r.rc.RootResolverMiddleware(rctx, func(ctx context.Context) graphql.Marshaler {
			ran = true
			r.resolveField(ctx, lv, k)
			return graphql.Null // the value is written later, from the plan
		})
		if !ran { // refused; the middleware reported why
			lv.vals[f.slot].failed = []bool{true}
		}
	}
}

// resolveLevel resolves every field of a level, and the levels below it.
func (r *run) resolveLevel(ctx context.Context, lv *level) {
	lv.vals = make([]values, lv.sel.slots)
	for k, f := range lv.sel.fields {
		if !f.typename {
			r.resolveField(ctx, lv, k)
		}
	}
}

// resolveField resolves field k of every object of lv: its resolver, once
// for them all, then, for an object field, the level of its values.
func (r *run) resolveField(ctx context.Context, lv *level, k int) {
	f := lv.sel.fields[k]
	v := f.values(lv)
	if f.info.Resolver {
		r.callResolver(ctx, lv, k)
	}
	if f.child == nil {
		return
	}
	child := &level{sel: f.child, up: lv, upField: k, objs: make([]any, 0, len(lv.objs))}
	v.first, v.count = make([]int32, len(lv.objs)), make([]int32, len(lv.objs))
	for i, obj := range lv.objs {
		if obj == nil && lv.up != nil || v.failed != nil && v.failed[i] {
			v.count[i] = -1
			continue
		}
		src, idx := v.source(f, obj, i)
		start := len(child.objs)
		var n int
		child.objs, n = r.b.Children(f.info.ID, src, idx, child.objs)
		v.first[i], v.count[i] = int32(start), int32(n)
	}
	v.child = child
	if len(child.objs) > 0 {
		r.resolveLevel(ctx, child)
	}
}

// callResolver calls field k's resolver for the objects of lv, and
// reports its errors at each object's path as gqlgen's executor does: a
// Query field's with the field's location; a batch field's per parent
// (graphql.BatchErrors) or, for one error, at every parent.
func (r *run) callResolver(ctx context.Context, lv *level, k int) {
	f := lv.sel.fields[k]
	v := f.values(lv)
	parents, at := lv.objs, []int(nil)
	if lv.up != nil && hasNil(parents) {
		parents, at = nil, make([]int, 0, len(lv.objs))
		for i, o := range lv.objs {
			if o != nil {
				parents, at = append(parents, o), append(at, i)
			}
		}
	}
	fc := &graphql.FieldContext{Parent: graphql.GetFieldContext(ctx), Object: lv.sel.typeName, Field: f.collected, IsMethod: true, IsResolver: true}
	fctx := graphql.WithFieldContext(ctx, fc)
	results, n, err := r.resolve(fctx, f.info.ID, fc, parents)
	if err == nil && n != len(parents) {
		err = fmt.Errorf("plan: %s.%s returned %d results for %d parents", lv.sel.typeName, f.collected.Name, n, len(parents))
	}
	if at != nil { // place the results by object, nil parents included
		of := make([]int, len(lv.objs))
		for j, i := range at {
			of[i] = j
		}
		results = spread{results: results, of: of}
	}
	v.results = results
	if err == nil {
		return
	}
	v.failed = make([]bool, len(lv.objs))
	var each []error
	var batch graphql.BatchErrors
	if errors.As(err, &batch) && len(batch.Errors()) == len(parents) && results != nil {
		each = batch.Errors()
	}
	for j := range parents {
		i := j
		if at != nil {
			i = at[j]
		}
		e := err
		if each != nil {
			if e = each[j]; e == nil {
				continue
			}
		}
		v.failed[i] = true
		path := append(r.path(lv, i), ast.PathName(f.collected.Alias))
		var argErr argumentError
		switch {
		case errors.As(e, &argErr): // as gqlgen's fieldContext functions report it
			graphql.AddError(fctx, onPath(path, argErr.error))
		case lv.up == nil: // a Query field: as graphql.ResolveField reports it
			graphql.AddError(fctx, graphql.AddFieldLocationToError(fctx, onPath(path, e)))
		default: // as graphql.AddBatchError reports it
			graphql.AddError(fctx, onPath(path, e))
		}
	}
}

// resolve runs a resolver, turning a panic into an error as gqlgen does
// (the server's recover function logs it and says what the client sees),
// which callResolver places at each parent's path.
func (r *run) resolve(ctx context.Context, id int, fc *graphql.FieldContext, parents []any) (results any, n int, err error) {
	defer func() {
		if p := recover(); p != nil {
			results, n, err = nil, 0, r.rc.RecoverFunc(ctx, p)
		}
	}()
	return r.b.Resolve(ctx, id, fc, parents)
}

// spread maps the objects of a level holding null list elements to the
// results of the resolver called for the others.
type spread struct {
	results any
	of      []int // the index in results of each object's result
}

// source is what Bound's Write and Children read field f of object i
// from, obj being the object: the object itself, or the resolver's
// results and the object's index in them.
func (v *values) source(f *field, obj any, i int) (any, int) {
	if !f.info.Resolver {
		return obj, i
	}
	if s, ok := v.results.(spread); ok {
		return s.results, s.of[i]
	}
	return v.results, i
}

func hasNil(objs []any) bool {
	for _, o := range objs {
		if o == nil {
			return true
		}
	}
	return false
}

// onPath is err at path, as gqlgen places a resolver's error: a GraphQL
// error without a path gets this one, anything else is wrapped.
func onPath(path ast.Path, err error) error {
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) {
		if gqlErr.Path == nil {
			cloned := *gqlErr
			cloned.Path = path
			return &cloned
		}
		return err
	}
	return gqlerror.WrapPath(path, err)
}

// path is where object i of lv sits in the answer: under the parent
// whose values hold it, at its index when they are a list. Worked out
// only for an error, so the levels keep no paths.
func (r *run) path(lv *level, i int) ast.Path {
	if lv.up == nil {
		return ast.Path{}
	}
	f := lv.up.sel.fields[lv.upField]
	v := f.values(lv.up)
	j := 0
	for j < len(v.first) && !(v.count[j] > 0 && int(v.first[j]) <= i && i < int(v.first[j]+v.count[j])) {
		j++
	}
	p := append(r.path(lv.up, j), ast.PathName(f.collected.Alias))
	if f.typ.Elem != nil {
		p = append(p, ast.PathIndex(i-int(v.first[j])))
	}
	return p
}

// object writes object i of lv, or reports false (writing nothing) when
// a non-null field of it is null: the object is then null, as the spec
// propagates nulls.
func (r *run) object(lv *level, i int) bool {
	w := r.w
	mark := w.Len()
	w.Byte('{')
	for k, f := range lv.sel.fields {
		if k > 0 {
			w.Byte(',')
		}
		w.Raw(f.key)
		at := w.Len()
		if !r.value(lv, k, i) {
			if f.typ != nil && f.typ.NonNull {
				w.Truncate(mark)
				return false
			}
			w.Truncate(at)
			w.Null()
		}
	}
	w.Byte('}')
	return true
}

// value writes field k of object i of lv, or reports false (writing
// nothing) when it is null where the schema forbids it, or its resolver
// failed.
func (r *run) value(lv *level, k, i int) bool {
	f := lv.sel.fields[k]
	v := f.values(lv)
	if f.typename {
		r.w.Raw(lv.sel.typeNameJSON)
		return true
	}
	if v != nil && v.failed != nil && v.failed[i] {
		return false
	}
	src, idx := v.source(f, lv.objs[i], i)
	if f.child == nil {
		if !r.b.Write(r.w, f.info.ID, src, idx) {
			r.invalidNull(lv, k, i, -1)
			return false
		}
		return true
	}
	n, first := int(v.count[i]), int(v.first[i])
	if n < 0 {
		if f.typ.NonNull {
			r.invalidNull(lv, k, i, -1)
			return false
		}
		r.w.Null()
		return true
	}
	if f.typ.Elem == nil {
		return r.object(v.child, first)
	}
	r.w.Byte('[')
	for e := range n {
		if e > 0 {
			r.w.Byte(',')
		}
		at := r.w.Len()
		if v.child.objs[first+e] == nil {
			if f.typ.Elem.NonNull {
				r.invalidNull(lv, k, i, e)
				return false
			}
			r.w.Null()
			continue
		}
		if !r.object(v.child, first+e) {
			if f.typ.Elem.NonNull {
				return false
			}
			r.w.Truncate(at)
			r.w.Null()
		}
	}
	r.w.Byte(']')
	return true
}

// invalidNull reports a null the schema forbids (a fault of the server,
// not the client's), at field k of object i, or at its element e (e >= 0).
func (r *run) invalidNull(lv *level, k, i, e int) {
	f := lv.sel.fields[k]
	path := append(r.path(lv, i), ast.PathName(f.collected.Alias))
	what := "field " + lv.sel.typeName + "." + f.collected.Name
	if e >= 0 {
		path = append(path, ast.PathIndex(e))
		what = "element of " + what
	}
	graphql.AddError(r.ctx, &gqlerror.Error{Message: "cannot return null for non-null " + what, Path: path})
}
