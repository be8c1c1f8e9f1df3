package db

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"usergraph/model"
)

// CreateResource declares a resource in a namespace.
func (s *Store) CreateResource(ctx context.Context, poolID, ns, code string, typ model.ResourceType, desc *string, actions []*model.ResourceAction) (*model.Resource, error) {
	code, err := model.ValidResourceCode("code", code)
	if err != nil {
		return nil, err
	}
	if err := validDescription(desc); err != nil {
		return nil, err
	}
	if actions, err = model.ValidActions("actions", actions); err != nil {
		return nil, err
	}
	if actions == nil {
		actions = []*model.ResourceAction{}
	}
	now := s.now()
	r := &model.Resource{ID: newID(), PoolID: poolID, Code: code, Type: typ, Description: desc,
		Actions: actions, CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx *gorm.DB) error {
		n, err := namespaceByCode(tx, poolID, ns)
		if err != nil {
			return err
		}
		r.NamespaceID, r.Namespace = n.ID, n.Code
		recordDiff(tx, poolID, model.AuditResource, r.ID, nil, r)
		return tx.Omit(clause.Associations).Create(r).Error
	})
	if errors.Is(err, model.ErrAlreadyExists) {
		return nil, model.AlreadyExists("code", "namespace %q already has a resource %q", r.Namespace, code)
	}
	return r, err
}

func validDescription(d *string) error {
	if d != nil {
		return model.CheckText("description", *d, model.MaxDescriptionLength)
	}
	return nil
}

// UpdateResource changes a resource's type, description or actions. A new
// type is copied onto its grants, which are filtered by type.
func (s *Store) UpdateResource(ctx context.Context, poolID, ns, code string, in model.ResourceUpdate) (*model.Resource, error) {
	if err := validDescription(in.Description.Value()); err != nil {
		return nil, model.WithPrefix(err, "input")
	}
	actions, setActions := in.Actions.ValueOK()
	if setActions {
		var err error
		if actions, err = model.ValidActions("actions", actions); err != nil {
			return nil, model.WithPrefix(err, "input")
		}
	}
	var r *model.Resource
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if r, err = resourceByCode(tx, poolID, ns, code, "code"); err != nil {
			return err
		}
		before := model.Snapshot(r)
		changed := []string{"UpdatedAt"}
		if t, ok := in.Type.ValueOK(); ok {
			if t == nil {
				return model.Invalid("input.type", "cannot be null")
			}
			r.Type, changed = *t, append(changed, "Type")
			if err := tx.Model(&model.Grant{}).Where("resource_id = ?", r.ID).Update("resource_type", r.Type).Error; err != nil {
				return err
			}
		}
		if d, ok := in.Description.ValueOK(); ok {
			r.Description, changed = d, append(changed, "Description")
		}
		if setActions {
			if actions == nil {
				actions = []*model.ResourceAction{}
			}
			r.Actions, changed = actions, append(changed, "Actions")
		}
		r.UpdatedAt = s.now()
		recordDiff(tx, poolID, model.AuditResource, r.ID, before, r)
		return tx.Model(r).Omit(clause.Associations).Select(changed).Updates(r).Error
	})
	return r, err
}

// DeleteResource deletes a resource and, through foreign keys, its grants.
func (s *Store) DeleteResource(ctx context.Context, poolID, ns, code string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		r, err := resourceByCode(tx, poolID, ns, code, "code")
		if err != nil {
			return err
		}
		recordDiff(tx, poolID, model.AuditResource, r.ID, r, nil)
		return tx.Delete(&model.Resource{}, "id = ?", r.ID).Error
	})
}

// Resource returns a resource by namespace and code.
func (s *Store) Resource(ctx context.Context, poolID, ns, code string) (*model.Resource, error) {
	return resourceByCode(s.read(ctx), poolID, ns, code, "code")
}

// ListResources returns a page of a namespace's resources, optionally of
// one type, newest first.
func (s *Store) ListResources(ctx context.Context, poolID, ns string, typ *model.ResourceType, p model.Page) ([]*model.Resource, int64, error) {
	n, err := namespaceByCode(s.read(ctx), poolID, ns)
	if err != nil {
		return nil, 0, err
	}
	q := s.read(ctx).Where("pool_id = ? AND namespace_id = ?", poolID, n.ID)
	if typ != nil {
		q = q.Where("type = ?", *typ)
	}
	return listPage[model.Resource](q, p, resourcesOrder)
}

func resourceByCode(tx *gorm.DB, poolID, ns, code, field string) (*model.Resource, error) {
	n, err := namespaceByCode(tx, poolID, ns)
	if err != nil {
		return nil, err
	}
	var r model.Resource
	err = tx.Where("pool_id = ? AND namespace_id = ? AND code = ?", poolID, n.ID, code).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, model.NotFoundOf("resource", field, "no resource %q in namespace %q", code, n.Code)
	}
	return &r, translate(err)
}

// AuthorizeResource grants actions on a resource (code, code:id or code:*)
// to users, roles (of the same namespace) and groups, in one transaction.
// Granting is idempotent and actions merge with those already granted.
// Every target must exist and every action be declared (or a wildcard), or
// nothing changes.
func (s *Store) AuthorizeResource(ctx context.Context, poolID, ns, resource string, typ *model.ResourceType, targets []*model.GrantTarget) error {
	return s.changeGrants(ctx, poolID, ns, resource, typ, targets, true)
}

// RevokeResource takes granted actions back; a grant left with no action
// is deleted. Revoking what was never granted is a no-op.
func (s *Store) RevokeResource(ctx context.Context, poolID, ns, resource string, typ *model.ResourceType, targets []*model.GrantTarget) error {
	return s.changeGrants(ctx, poolID, ns, resource, typ, targets, false)
}

func (s *Store) changeGrants(ctx context.Context, poolID, ns, resource string, typ *model.ResourceType, targets []*model.GrantTarget, grant bool) error {
	if err := checkGrantShape(resource, targets); err != nil {
		return err
	}
	now := s.now()
	return s.write(ctx, func(tx *gorm.DB) error {
		c, err := checkGrantChange(tx, poolID, ns, resource, typ, targets)
		if err != nil {
			return err
		}
		for _, t := range c.targets {
			g, actions := t.grant, t.actions
			var existing model.Grant
			err = tx.Where("resource_id = ? AND resource_code = ? AND target_key = ?", g.ResourceID, resource, g.TargetKey).Take(&existing).Error
			found := err == nil
			if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
			err = nil
			var before, after []string
			switch {
			case grant && !found:
				g.ID, g.Actions, g.CreatedAt, g.UpdatedAt = newID(), actions, now, now
				after = actions
				err = tx.Omit(clause.Associations).Create(g).Error
			case grant:
				before, after = existing.Actions, union(existing.Actions, actions)
				err = tx.Model(&existing).Omit(clause.Associations).Select("Actions", "UpdatedAt").Updates(&model.Grant{Actions: after, UpdatedAt: now}).Error
			case found:
				before = existing.Actions
				after = slices.DeleteFunc(slices.Clone(existing.Actions), func(a string) bool { return slices.Contains(actions, a) })
				if len(after) == 0 {
					err = tx.Delete(&model.Grant{}, "id = ?", existing.ID).Error
				} else {
					err = tx.Model(&existing).Omit(clause.Associations).Select("Actions", "UpdatedAt").Updates(&model.Grant{Actions: after, UpdatedAt: now}).Error
				}
			}
			if err != nil {
				return err
			}
			recordGrant(tx, g, before, after)
		}
		return nil
	})
}

// checkGrantShape checks what a grant or revoke says of itself, before any
// statement: the resource as grants name it, 1 to MaxBatch targets.
func checkGrantShape(resource string, targets []*model.GrantTarget) error {
	if _, _, err := model.SplitGrantResource("resource", resource); err != nil {
		return err
	}
	if len(targets) == 0 || len(targets) > model.MaxBatch {
		return model.Invalid("opts", "give 1 to %d targets", model.MaxBatch)
	}
	return nil
}

// grantChange is a grant or revoke checked against the pool (authorize
// and revoke, and their previews, check it here): the resource, and for
// each target the grant it names (without id or actions) and its actions.
type grantChange struct {
	resource *model.Resource
	targets  []grantTarget
}

type grantTarget struct {
	grant   *model.Grant
	actions []string
}

// checkGrantChange checks a grant or revoke against the pool: the
// resource exists (of the type given, if any), every action is declared
// or a wildcard, every target exists.
func checkGrantChange(tx *gorm.DB, poolID, ns, resource string, typ *model.ResourceType, targets []*model.GrantTarget) (*grantChange, error) {
	base, _, _ := model.SplitGrantResource("resource", resource)
	r, err := resourceByCode(tx, poolID, ns, base, "resource")
	if err != nil {
		return nil, err
	}
	if typ != nil && *typ != r.Type {
		return nil, model.Invalid("resourceType", "resource %q is of type %s, not %s", r.Code, r.Type, *typ)
	}
	c := &grantChange{resource: r}
	for i, t := range targets {
		field := "opts." + itoa(i)
		actions, err := model.CheckGrantActions(field+".actions", r, t.Actions)
		if err != nil {
			return nil, err
		}
		g := &model.Grant{PoolID: poolID, ResourceID: r.ID, ResourceCode: resource, ResourceType: r.Type,
			Namespace: r.Namespace, TargetType: t.TargetType}
		if err := resolveTarget(tx, poolID, r.Namespace, t, g, field+".targetIdentifier"); err != nil {
			return nil, err
		}
		c.targets = append(c.targets, grantTarget{g, actions})
	}
	return c, nil
}

// recordGrant records a change of the actions granted on g's resource to
// g's target, on the target: "grants.<namespace>/<resource>".
func recordGrant(tx *gorm.DB, g *model.Grant, before, after []string) {
	if slices.Equal(before, after) {
		return
	}
	typ := map[model.TargetType]model.AuditObjectType{model.TargetUser: model.AuditUser, model.TargetRole: model.AuditRole, model.TargetGroup: model.AuditGroup}[g.TargetType]
	recordChanges(tx, g.PoolID, typ, *firstSet(g.UserID, g.RoleID, g.GroupID),
		model.Change{Field: "grants." + g.Namespace + "/" + g.ResourceCode, Before: listOrNil(before), After: listOrNil(after)})
}

// resolveTarget finds a grant's target (a user by id, a role of the
// resource's namespace or a group by code) and sets it on g.
func resolveTarget(tx *gorm.DB, poolID, ns string, t *model.GrantTarget, g *model.Grant, field string) error {
	switch t.TargetType {
	case model.TargetUser:
		if err := requireUser(tx, poolID, t.TargetIdentifier); err != nil {
			return model.WithField(err, field)
		}
		g.UserID = &t.TargetIdentifier
	case model.TargetRole:
		r, err := roleKind.byCode(tx, poolID, ns, t.TargetIdentifier, field)
		if err != nil {
			return err
		}
		g.RoleID = &r.ID
	case model.TargetGroup:
		gr, err := groupKind.byCode(tx, poolID, "", t.TargetIdentifier, field)
		if err != nil {
			return err
		}
		g.GroupID = &gr.ID
	default:
		return model.Invalid(field, "unknown target type %q", t.TargetType)
	}
	g.TargetKey = string(t.TargetType) + ":" + *firstSet(g.UserID, g.RoleID, g.GroupID)
	return nil
}

// firstSet returns the first non-nil pointer.
func firstSet(ps ...*string) *string {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
