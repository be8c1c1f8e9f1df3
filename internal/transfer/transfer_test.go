package transfer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/crypto/bcrypt"

	"usergraph/db"
	"usergraph/internal/dbtest"
	"usergraph/internal/password"
	"usergraph/internal/transfer"
	"usergraph/internal/transfer/transfertest"
	"usergraph/model"
)

func ptr[T any](v T) *T { return &v }

func ignore(int, int, float64) {}

// seed fills a pool with what an export carries: a namespace, custom
// fields, a group, roles, and users with every kind of attachment,
// including a bcrypt hash imported from elsewhere.
func seed(t *testing.T, s *db.Store, poolID string) {
	t.Helper()
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateNamespace(ctx, poolID, "app", model.NamespaceInput{Name: graphql.OmittableOf(ptr("App"))}))
	must(s.SetUdf(ctx, poolID, model.UdfDefinition{TargetType: model.UdfTargetUser, Key: "age", DataType: model.UdfNumber, Label: ptr("Age")}))
	must(s.SetUdf(ctx, poolID, model.UdfDefinition{TargetType: model.UdfTargetUser, Key: "since", DataType: model.UdfDatetime}))
	must(s.SetUdf(ctx, poolID, model.UdfDefinition{TargetType: model.UdfTargetGroup, Key: "tier", DataType: model.UdfNumber}))
	must(s.CreateGroup(ctx, poolID, model.GroupInput{Code: graphql.OmittableOf(ptr("dev")), Name: graphql.OmittableOf(ptr("Developers"))}))
	must(s.SetGroupCustomData(ctx, poolID, "dev", map[string]any{"tier": 2}))
	must(s.CreateRole(ctx, poolID, "", model.RoleInput{Code: graphql.OmittableOf(ptr("admin"))}))
	must(s.CreateRole(ctx, poolID, "app", model.RoleInput{Code: graphql.OmittableOf(ptr("editor")), Description: graphql.OmittableOf(ptr("Edits"))}))
	must(s.AddGroupRoles(ctx, poolID, "dev", "app", []string{"editor"}))
	must(s.CreateGroup(ctx, poolID, model.GroupInput{Code: graphql.OmittableOf(ptr("backend")), Parent: graphql.OmittableOf(ptr("dev"))}))
	bc, _ := bcrypt.GenerateFromPassword([]byte("from-auth0"), bcrypt.MinCost)
	ins := []*model.UserInput{
		{Username: graphql.OmittableOf(ptr("ada")), Email: graphql.OmittableOf(ptr("ada@example.com")), Password: graphql.OmittableOf(ptr("correct-horse-battery")),
			Nickname: graphql.OmittableOf(ptr("Countess")), Gender: graphql.OmittableOf(ptr(model.GenderFemale)), LoginsCount: graphql.OmittableOf(ptr(7)),
			Identities: graphql.OmittableOf([]*model.IdentityInput{{Provider: "github", Type: "oauth", UserIDInIdp: "42"}}),
			CustomData: graphql.OmittableOf[any](map[string]any{"age": 36, "since": "1843-01-01T00:00:00Z"}),
			Groups:     []string{"dev"}, Roles: []model.RoleRef{{Code: "admin"}, {Code: "editor", Namespace: ptr("app")}}},
		{Phone: graphql.OmittableOf(ptr("+15551234567")), PasswordHash: string(bc), Status: graphql.OmittableOf(ptr(model.StatusSuspended))},
		{ExternalID: graphql.OmittableOf(ptr("ext-3")), Hidden: graphql.OmittableOf(ptr(true))},
	}
	must(s.CreateUsers(ctx, poolID, ins, db.BatchOptions{Atomic: true}))
}

// newPool opens a store with a default pool and a second, empty one.
func newPool(t *testing.T) (*db.Store, string, string) {
	t.Helper()
	d, _ := dbtest.Open(t)
	s := db.NewStore(d, password.NewHasher())
	ctx := context.Background()
	a, _, err := s.EnsureDefaultPool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := s.CreatePool(ctx, "target")
	if err != nil {
		t.Fatal(err)
	}
	return s, a.ID, b.ID
}

// TestRoundTrip exports a pool, imports it into an empty one, and exports
// that: the two exports agree line by line but for ids and update times,
// and a password imported as a bcrypt hash still verifies.
func TestRoundTrip(t *testing.T) {
	s, a, b := newPool(t)
	seed(t, s, a)
	ctx := context.Background()
	var first bytes.Buffer
	if n, err := transfer.Export(ctx, s, a, &first); err != nil || n != 3 {
		t.Fatalf("export: %d users, %v", n, err)
	}
	var progress []string
	rep, err := transfer.Import(ctx, s, b, bytes.NewReader(first.Bytes()), func(done, total int, _ float64) {
		progress = append(progress, fmt.Sprintf("%d/%d", done, total))
	})
	if err != nil || rep.Users != 3 || rep.Definitions != 8 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	if strings.Join(progress, " ") != "3/3" {
		t.Errorf("progress: %q", progress)
	}
	var second bytes.Buffer
	if _, err := transfer.Export(ctx, s, b, &second); err != nil {
		t.Fatal(err)
	}
	transfertest.Same(t, second.String(), first.String())
	for _, field := range []string{`"passwordHash":"$2a$`, `"passwordHash":"$argon2id$`, `"groups":["dev"]`, `"customData":{"age":36`,
		`"roles":[{"code":"admin","namespace":"default"},{"code":"editor","namespace":"app"}]`, `"userIdInIdp":"42"`, `"kind":"udf"`, `"code":"dev","name":"Developers","description":null,"parentId":null,"createdAt"`, `"parent":"dev"`, `"customData":{"tier":2}`, `"roles":[{"code":"editor","namespace":"app"}]}`} {
		if !strings.Contains(second.String(), field) {
			t.Errorf("the export lacks %s", field)
		}
	}
	phone, err := s.FindUser(ctx, b, model.UserKey{Field: "phone", Value: "+15551234567"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.VerifyPassword(ctx, b, phone.ID, "from-auth0"); err != nil || !ok {
		t.Errorf("the imported bcrypt password: %v %v", ok, err)
	}

	// Importing the same file again: every user's identifiers are taken,
	// so the import is refused before it writes anything, each line named.
	_, err = transfer.Import(ctx, s, b, bytes.NewReader(first.Bytes()), ignore)
	var bad *transfer.Invalid
	if !errors.As(err, &bad) || bad.Lines[0].Code != "ALREADY_EXISTS" || bad.Lines[0].Line != 9 {
		t.Errorf("importing twice: %v", err)
	}
	// A dry run says the same, and what it would create.
	plan, err := transfer.DryRun(ctx, s, b, bytes.NewReader(first.Bytes()))
	if err != nil || plan.Accepted || plan.Users != 3 || plan.Definitions != 0 || len(plan.Refused) == 0 || plan.Refused[0].Line != 9 {
		t.Errorf("dry run of a second import: %+v %v", plan, err)
	}
	freshPool, _, err := s.CreatePool(ctx, "fresh")
	if err != nil {
		t.Fatal(err)
	}
	fresh := freshPool.ID
	plan, err = transfer.DryRun(ctx, s, fresh, bytes.NewReader(first.Bytes()))
	if err != nil || !plan.Accepted || plan.Users != 3 || plan.Definitions != 8 || len(plan.Refused) != 0 {
		t.Errorf("dry run into an empty pool: %+v %v", plan, err)
	}
	if _, n, _ := s.ListUsers(ctx, fresh, model.Page{Page: 1, Limit: 10}, model.DefaultUserSort, nil, nil); n != 0 {
		t.Errorf("a dry run wrote %d users", n)
	}
	if _, n, _ := s.ListUsers(ctx, b, model.Page{Page: 1, Limit: 10}, model.DefaultUserSort, nil, nil); n != 3 {
		t.Errorf("after the refused import the pool has %d users", n)
	}
}

// TestImportChecksEveryLineFirst: a file with bad lines is refused whole,
// each bad line named with its field, and nothing is written.
func TestImportChecksEveryLineFirst(t *testing.T) {
	s, _, b := newPool(t)
	lines := []string{
		`{"kind":"group","code":"ops"}`,
		`{"kind":"user","username":"ok","groups":["ops"]}`,
		`{"kind":"user","email":"not-an-email"}`,
		`not json`,
		`{"kind":"user","username":"ok"}`,
		`{"kind":"user","username":"x","groups":["nope"]}`,
		`{"kind":"user","username":"y","passwordHash":"$md5$abc"}`,
		`{"kind":"user","username":"z","customData":{"undefined":1}}`,
		`{"kind":"user","nickname":"no identifier"}`,
		`{"kind":"user","username":"w","loginsCount":"many"}`,
		`{"kind":"planet","code":"mars"}`,
		``,
		`{"kind":"role","namespace":"nowhere","code":"r"}`,
		`{"kind":"group","code":"g2","customData":{"tier":1}}`,
	}
	_, err := transfer.Import(context.Background(), s, b, strings.NewReader(strings.Join(lines, "\n")), ignore)
	var bad *transfer.Invalid
	if !errors.As(err, &bad) {
		t.Fatalf("want *transfer.Invalid, got %v", err)
	}
	var got []string
	for _, l := range bad.Lines {
		got = append(got, fmt.Sprintf("%d %s %s", l.Line, l.Field, l.Code))
	}
	want := []string{
		"3 email INVALID_INPUT", "4  INVALID_INPUT", "5 username ALREADY_EXISTS", "6 groups.0 NOT_FOUND",
		"7 passwordHash INVALID_INPUT", "8 customData.undefined INVALID_INPUT", "9  INVALID_INPUT",
		"10 loginsCount INVALID_INPUT", "11 kind INVALID_INPUT", "13 namespace NOT_FOUND", "14 customData.tier INVALID_INPUT",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bad lines:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ctx := context.Background()
	if _, n, _ := s.ListUsers(ctx, b, model.Page{Page: 1, Limit: 10}, model.DefaultUserSort, nil, nil); n != 0 {
		t.Errorf("a refused import wrote %d users", n)
	}
	if _, n, _ := s.ListGroups(ctx, b, nil, model.Page{Page: 1, Limit: 10}); n != 0 {
		t.Errorf("a refused import wrote %d groups", n)
	}
	huge := `{"kind":"user","nickname":"` + strings.Repeat("x", 1<<20) + `"}`
	if _, err := transfer.Import(ctx, s, b, strings.NewReader(huge), ignore); !isCode(err, model.CodeInvalidInput) {
		t.Errorf("a line over 1 MiB: %v, want INVALID_INPUT", err)
	}
	if msg, _ := json.Marshal(bad.Lines[0]); !strings.Contains(string(msg), `"line":3`) {
		t.Errorf("a bad line as JSON: %s", msg)
	}
}

func isCode(err error, code model.Code) bool {
	me, ok := model.AsError(err)
	return ok && me.Code == code
}
