package authing

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"usergraph/internal/authing/exec"
)

// TestEveryObjectListIsPriced: every field that can return a list of
// objects — a list, or a Paginated* page — has a price in complexity(), at
// any depth, so no such field is priced as a single item. The pages' own
// list fields are priced by the field that returns the page.
func TestEveryObjectListIsPriced(t *testing.T) {
	s := exec.NewExecutableSchema(exec.Config{}).Schema()
	c := reflect.ValueOf(complexity())
	alwaysEmpty := map[string]bool{"User.departments": true} // there are no departments
	checked := 0
	for _, def := range s.Types {
		if def.Kind != ast.Object || def.BuiltIn || strings.HasPrefix(def.Name, "__") || strings.HasPrefix(def.Name, "Paginated") {
			continue
		}
		for _, f := range def.Fields {
			target := s.Types[f.Type.Name()]
			objects := target != nil && target.Kind == ast.Object
			if strings.HasPrefix(f.Name, "__") || !objects || (f.Type.Elem == nil && !strings.HasPrefix(target.Name, "Paginated")) {
				continue
			}
			checked++
			price := c.FieldByName(def.Name).FieldByName(strings.ToUpper(f.Name[:1]) + f.Name[1:])
			if !alwaysEmpty[def.Name+"."+f.Name] && (!price.IsValid() || price.IsNil()) {
				t.Errorf("%s.%s returns %s but has no price", def.Name, f.Name, f.Type)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d list fields checked: the test would prove nothing", checked)
	}
}
