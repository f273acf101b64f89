package inventory

import (
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/mapping"
	"github.com/aimbridge/aimbridge/mappings"
)

func TestDefaultMappingChecks(t *testing.T) {
	m, err := LoadMapping("")
	if err != nil {
		t.Fatal(err)
	}
	if m.WeightUnit.String() != "lb" {
		t.Errorf("weight unit %s", m.WeightUnit)
	}
}

// A slip in a user's copy of the mapping stops the run before any row,
// instead of refusing every row or crashing on one.
func TestCheckRefusesUnfitMappings(t *testing.T) {
	data, _ := mappings.Default("aim-inventory.yaml")
	for name, c := range map[string]struct{ from, to, want string }{
		"msrp as text":  {"    from: [MSRP, List, List Price]\n    type: decimal", "    from: [MSRP, List, List Price]\n    type: text", "field msrp must have type decimal"},
		"stone":         {"unit: lb", "unit: stone", `weight unit "stone"`},
		"no price":      {"  price:\n", "  not_price_any_more:\n", ""},
		"qty as bool":   {"    from: [Qty, Quantity, On Hand, QOH, Qty On Hand]\n    type: integer", "    from: [Qty, Quantity, On Hand, QOH, Qty On Hand]\n    type: bool", "field qty must have type integer"},
		"sku as number": {"    required: true\n    type: text\n    pad_to", "    required: true\n    type: integer\n    pad_to", "field sku must have type text"},
	} {
		y := strings.Replace(string(data), c.from, c.to, 1)
		if y == string(data) {
			t.Fatalf("%s: the edit did not apply", name)
		}
		m, err := mapping.Parse("mine.yaml", []byte(y), Fields)
		if err == nil {
			_, err = Check(m)
		}
		if err == nil || (c.want != "" && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
