package transfer

import (
	"github.com/99designs/gqlgen/graphql"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"usergraph/db"
	"usergraph/model"
)

// checker checks an import's lines before anything is written: against
// the pool as it is and against the definitions the file itself makes.
type checker struct {
	bad        []LineError
	namespaces map[string]bool
	groups     map[string]bool
	roles      map[[2]string]bool                 // namespace, code
	udfs       map[[2]string]*model.UdfDefinition // target, key
	userDefs   map[string]*model.UdfDefinition    // USER fields by key, for custom data
	unique     map[string]map[string]int          // identifier field → value → line
	defs       []definition                       // the file's new definitions, in order
	groupRoles []groupRolesLine                   // roles the file gives groups, checked once roles are known
	parents    []groupParentLine                  // parents the file gives groups, set once every group exists
	lineNo     int                                // the line being checked
}

// groupParentLine is the parent a group line gives its group.
type groupParentLine struct {
	line         int
	code, parent string
}

// groupRolesLine is the roles a group line gives its group.
type groupRolesLine struct {
	line  int
	code  string
	roles []model.RoleRef
}

// checkGroupRoles checks, once every line is read, that the roles group
// lines name exist in the pool or the file (a role line may follow its
// group's).
func (c *checker) checkGroupRoles() {
	for _, p := range c.parents {
		if !c.groups[p.parent] {
			c.fail(p.line, model.NotFound("parent", "no group %q in the pool or the file", p.parent))
		}
	}
	for _, g := range c.groupRoles {
		for i, r := range g.roles {
			ns := model.NamespaceOrDefault(deref(r.Namespace))
			if !c.roles[[2]string{ns, r.Code}] {
				c.fail(g.line, model.NotFound(fmt.Sprintf("roles.%d", i), "no role %q in namespace %q in the pool or the file", r.Code, ns))
				break
			}
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// definition is a definition line the pool lacks, to create.
type definition struct {
	kind string
	raw  []byte
}

func newChecker(ctx context.Context, s *db.Store, poolID string) (*checker, error) {
	c := &checker{namespaces: map[string]bool{}, groups: map[string]bool{}, roles: map[[2]string]bool{},
		udfs: map[[2]string]*model.UdfDefinition{}, userDefs: map[string]*model.UdfDefinition{}, unique: map[string]map[string]int{}}
	namespaces, err := all(func(p model.Page) ([]*model.Namespace, int64, error) { return s.ListNamespaces(ctx, poolID, p) })
	if err != nil {
		return nil, err
	}
	for _, n := range namespaces {
		c.namespaces[n.Code] = true
	}
	groups, err := all(func(p model.Page) ([]*model.Group, int64, error) { return s.ListGroups(ctx, poolID, nil, p) })
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		c.groups[g.Code] = true
	}
	roles, err := all(func(p model.Page) ([]*model.Role, int64, error) { return s.ListRoles(ctx, poolID, "", nil, p) })
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		c.roles[[2]string{r.Namespace, r.Code}] = true
	}
	for _, target := range []model.UdfTargetType{model.UdfTargetUser, model.UdfTargetRole, model.UdfTargetGroup} {
		defs, err := s.ListUdf(ctx, poolID, target)
		if err != nil {
			return nil, err
		}
		for _, d := range defs {
			c.udfs[[2]string{string(target), d.Key}] = d
			if target == model.UdfTargetUser {
				c.userDefs[d.Key] = d
			}
		}
	}
	return c, nil
}

// fail records a bad line (the first maxReported of them).
func (c *checker) fail(line int, err error) {
	if len(c.bad) >= maxReported {
		return
	}
	le := LineError{Line: line, Code: string(model.CodeInvalidInput), Message: err.Error()}
	var te *json.UnmarshalTypeError
	if me, ok := model.AsError(err); ok {
		le.Field, le.Code, le.Message = me.Field, string(me.Code), me.Message
	} else if errors.As(err, &te) {
		le.Field, le.Message = jsonField(te.Field), fmt.Sprintf("want %s, got a JSON %s", te.Type, te.Value)
	}
	c.bad = append(c.bad, le)
}

// jsonField is a decoding error's field as the line names it: without the
// Go names of embedded structs (UserInput.loginsCount is loginsCount).
func jsonField(path string) string {
	parts := strings.Split(path, ".")
	for len(parts) > 1 && parts[0] != "" && unicode.IsUpper(rune(parts[0][0])) {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

// check checks one line.
func (c *checker) check(n int, kind string, raw []byte) {
	c.lineNo = n
	var err error
	switch kind {
	case KindUser:
		err = c.checkUser(n, raw)
	case KindNamespace:
		err = c.checkNamespace(raw)
	case KindUdf:
		err = c.checkUdf(raw)
	case KindGroup:
		err = c.checkGroup(raw)
	case KindRole:
		err = c.checkRole(raw)
	default:
		if !json.Valid(raw) {
			err = errors.New("not a JSON object")
		} else {
			err = model.Invalid("kind", "unknown kind %q: want namespace, udf, group, role or user", kind)
		}
	}
	if err != nil {
		c.fail(n, err)
	}
}

// uniqueFields are the identifiers two users of a pool may not share.
var uniqueFields = []string{"username", "email", "phone", "externalId"}

func (c *checker) checkUser(n int, raw []byte) error {
	var u userIn
	if err := json.Unmarshal(raw, &u); err != nil {
		return err
	}
	in := u.input()
	if err := db.CheckNewUser(in); err != nil {
		return err
	}
	if data, set := in.CustomData.ValueOK(); set && data != nil {
		if _, err := model.CheckCustomData(data, c.userDefs); err != nil {
			return model.WithPrefix(err, "customData")
		}
	}
	for i, g := range in.Groups {
		if !c.groups[g] {
			return model.NotFound(fmt.Sprintf("groups.%d", i), "no group %q in the pool or the file", g)
		}
	}
	for i, r := range in.Roles {
		ns := model.DefaultNamespace
		if r.Namespace != nil {
			ns = *r.Namespace
		}
		if !c.roles[[2]string{ns, r.Code}] {
			return model.NotFound(fmt.Sprintf("roles.%d", i), "no role %q in namespace %q in the pool or the file", r.Code, ns)
		}
	}
	values := map[string]*string{"username": in.Username.Value(), "email": in.Email.Value(), "phone": in.Phone.Value(), "externalId": in.ExternalID.Value()}
	for _, f := range uniqueFields {
		v := values[f]
		if v == nil || *v == "" {
			continue
		}
		if c.unique[f] == nil {
			c.unique[f] = map[string]int{}
		}
		if first, ok := c.unique[f][*v]; ok {
			return model.AlreadyExists(f, "line %d has this %s too", first, f)
		}
		c.unique[f][*v] = n
	}
	return nil
}

// checkTaken refuses the user lines whose identifiers a user of the pool
// already holds, so that an import stops before it writes rather than at
// the batch that meets one.
func (c *checker) checkTaken(ctx context.Context, s *db.Store, poolID string) error {
	for _, f := range uniqueFields {
		values := make([]string, 0, len(c.unique[f]))
		for v := range c.unique[f] {
			values = append(values, v)
		}
		slices.Sort(values)
		taken, err := s.TakenIdentifiers(ctx, poolID, f, values)
		if err != nil {
			return err
		}
		for _, v := range values {
			if taken[v] {
				c.bad = append(c.bad, LineError{Line: c.unique[f][v], Field: f, Code: string(model.CodeAlreadyExists),
					Message: fmt.Sprintf("a user of the pool already has this %s", f)})
			}
		}
	}
	return nil
}

type namespaceIn struct {
	Code string `json:"code"`
	model.NamespaceInput
}

func (c *checker) checkNamespace(raw []byte) error {
	var in namespaceIn
	if err := json.Unmarshal(raw, &in); err != nil {
		return err
	}
	code, err := model.ValidCode("code", in.Code)
	if err != nil {
		return err
	}
	if _, err := in.Apply(&model.Namespace{}); err != nil {
		return err
	}
	c.define(KindNamespace, raw, !c.namespaces[code])
	c.namespaces[code] = true
	return nil
}

func (c *checker) checkUdf(raw []byte) error {
	var d model.UdfDefinition
	if err := json.Unmarshal(raw, &d); err != nil {
		return err
	}
	if !slices.Contains([]model.UdfTargetType{model.UdfTargetUser, model.UdfTargetRole, model.UdfTargetGroup}, d.TargetType) {
		return model.Invalid("targetType", "want USER, ROLE or GROUP")
	}
	if !slices.Contains([]model.UdfDataType{model.UdfString, model.UdfNumber, model.UdfBoolean, model.UdfDatetime, model.UdfObject}, d.DataType) {
		return model.Invalid("dataType", "want STRING, NUMBER, BOOLEAN, DATETIME or OBJECT")
	}
	key, err := model.ValidUdfKey("key", d.Key)
	if err != nil {
		return err
	}
	if err := d.Check(); err != nil {
		return err
	}
	k := [2]string{string(d.TargetType), key}
	if have, ok := c.udfs[k]; ok {
		if have.DataType != d.DataType {
			return model.Invalid("dataType", "custom field %q is %s here, not %s", key, have.DataType, d.DataType)
		}
		return nil
	}
	c.define(KindUdf, raw, true)
	d.Key = key
	c.udfs[k] = &d
	if d.TargetType == model.UdfTargetUser {
		c.userDefs[key] = &d
	}
	return nil
}

// groupIn is a group line: the group, its custom data and its roles.
type groupIn struct {
	model.GroupInput
	CustomData any             `json:"customData"`
	Roles      []model.RoleRef `json:"roles"`
}

// checkCustomData checks a group's or role's custom data against the
// target's custom fields, the pool's and the file's.
func (c *checker) checkCustomData(target model.UdfTargetType, data any) error {
	if data == nil {
		return nil
	}
	defs := map[string]*model.UdfDefinition{}
	for k, d := range c.udfs {
		if k[0] == string(target) {
			defs[k[1]] = d
		}
	}
	_, err := model.CheckCustomData(data, defs)
	return model.WithPrefix(err, "customData")
}

func (c *checker) checkGroup(raw []byte) error {
	var in groupIn
	if err := json.Unmarshal(raw, &in); err != nil {
		return err
	}
	if err := c.checkCustomData(model.UdfTargetGroup, in.CustomData); err != nil {
		return err
	}
	code, _ := in.Code.ValueOK()
	if code == nil {
		return model.Invalid("code", "a group needs a code")
	}
	if _, err := in.Apply(&model.Group{}); err != nil {
		return err
	}
	missing := !c.groups[*code]
	c.define(KindGroup, raw, missing)
	c.groups[*code] = true
	if p, set := in.Parent.ValueOK(); set && p != nil && missing {
		c.parents = append(c.parents, groupParentLine{line: c.lineNo, code: *code, parent: *p})
	}
	if len(in.Roles) > 0 && missing { // a group the pool has is kept as it is
		c.groupRoles = append(c.groupRoles, groupRolesLine{line: c.lineNo, code: *code, roles: in.Roles})
	}
	return nil
}

type roleIn struct {
	Namespace string `json:"namespace"`
	model.RoleInput
	CustomData any `json:"customData"`
}

func (c *checker) checkRole(raw []byte) error {
	var in roleIn
	if err := json.Unmarshal(raw, &in); err != nil {
		return err
	}
	if err := c.checkCustomData(model.UdfTargetRole, in.CustomData); err != nil {
		return err
	}
	ns := model.NamespaceOrDefault(in.Namespace)
	if !c.namespaces[ns] {
		return model.NotFound("namespace", "no namespace %q in the pool or the file", ns)
	}
	code, _ := in.Code.ValueOK()
	if code == nil {
		return model.Invalid("code", "a role needs a code")
	}
	if _, err := in.Apply(&model.Role{}); err != nil {
		return err
	}
	k := [2]string{ns, *code}
	c.define(KindRole, raw, !c.roles[k])
	c.roles[k] = true
	return nil
}

// define keeps a definition line to create, when the pool lacks it.
func (c *checker) define(kind string, raw []byte, missing bool) {
	if missing {
		c.defs = append(c.defs, definition{kind, slices.Clone(raw)})
	}
}

// createDefinitions creates the definitions the file adds, in its order,
// and returns how many.
func (c *checker) createDefinitions(ctx context.Context, s *db.Store, poolID string) (int, error) {
	for _, d := range c.defs {
		var err error
		switch d.kind {
		case KindNamespace:
			var in namespaceIn
			_ = json.Unmarshal(d.raw, &in)
			_, err = s.CreateNamespace(ctx, poolID, in.Code, in.NamespaceInput)
		case KindUdf:
			var def model.UdfDefinition
			_ = json.Unmarshal(d.raw, &def)
			_, err = s.SetUdf(ctx, poolID, def)
		case KindGroup:
			var in groupIn
			_ = json.Unmarshal(d.raw, &in)
			in.Parent = graphql.Omittable[*string]{} // set below, once every group exists
			var g *model.Group
			if g, err = s.CreateGroup(ctx, poolID, in.GroupInput); err == nil && in.CustomData != nil {
				_, err = s.SetGroupCustomData(ctx, poolID, g.Code, in.CustomData)
			}
		case KindRole:
			var in roleIn
			_ = json.Unmarshal(d.raw, &in)
			var r *model.Role
			if r, err = s.CreateRole(ctx, poolID, in.Namespace, in.RoleInput); err == nil && in.CustomData != nil {
				_, err = s.SetRoleCustomData(ctx, poolID, r.Namespace, r.Code, in.CustomData)
			}
		}
		if err != nil {
			return 0, fmt.Errorf("creating a %s: %w", d.kind, err)
		}
	}
	for _, p := range c.parents {
		parent := p.parent
		if _, err := s.UpdateGroup(ctx, poolID, p.code, model.GroupInput{Parent: graphql.OmittableOf(&parent)}); err != nil {
			return 0, fmt.Errorf("line %d: placing group %q under %q: %w", p.line, p.code, p.parent, err)
		}
	}
	// Roles are given to groups once both exist: the file lists groups
	// before roles.
	for _, g := range c.groupRoles {
		byNamespace := map[string][]string{}
		for _, r := range g.roles {
			ns := model.NamespaceOrDefault(deref(r.Namespace))
			byNamespace[ns] = append(byNamespace[ns], r.Code)
		}
		for ns, codes := range byNamespace {
			if _, err := s.AddGroupRoles(ctx, poolID, g.code, ns, codes); err != nil {
				return 0, fmt.Errorf("giving group %q its roles: %w", g.code, err)
			}
		}
	}
	return len(c.defs), nil
}
