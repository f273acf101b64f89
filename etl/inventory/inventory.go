// Package inventory is aimbridge's canonical inventory model: checked AIM
// rows, and the catalog they group into, one product per AIM SKU with one
// variant per serial. Platform writers read only this.
package inventory

import (
	"os"

	"fmt"
	"strconv"
	"strings"

	"github.com/aimbridge/aimbridge/mappings"

	"github.com/aimbridge/aimbridge/etl/mapping"
	"github.com/aimbridge/aimbridge/etl/weight"
	"github.com/shopspring/decimal"
)

// Fields are the canonical field names a mapping may bind (formats/aim.md §3).
var Fields = []string{
	"sku", "serial", "description", "brand", "model", "category", "subcategory",
	"price", "msrp", "sale_price", "qty", "condition", "location", "upc", "weight",
	"web_description", "image_url", "web_enabled",
}

// RequiredFields must be present in every inventory mapping.
var RequiredFields = []string{"sku", "description", "price"}

// Source is where a row came from.
type Source struct {
	File string
	Line int
	Raw  string
}

func (s Source) String() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// Item is one checked inventory row.
type Item struct {
	Source
	SKU, Serial    string
	Description    string
	Brand, Model   string
	Category       string
	Subcategory    string
	Price          decimal.Decimal
	MSRP, Sale     decimal.NullDecimal
	Qty            int
	HasQty         bool
	Condition      string
	Location       string
	UPC            string
	Grams          int64 // 0 when unknown
	WebDescription string
	Images         []string
	WebEnabled     bool
}

// Checked is a mapping fit for inventory: it binds every required field,
// gives each field the type the model reads it as, and names a known
// weight unit. Checking once, before any row, turns a slip in a user's
// copy of the mapping into one clear error instead of every row refused.
type Checked struct {
	*mapping.Mapping
	WeightUnit weight.Unit
}

// fieldTypes are the types the model needs; fields not listed are text.
var fieldTypes = map[string]mapping.Type{
	"price": mapping.Decimal, "msrp": mapping.Decimal, "sale_price": mapping.Decimal,
	"weight": mapping.Decimal, "qty": mapping.Integer, "web_enabled": mapping.Bool,
}

// Check checks m for inventory use.
func Check(m *mapping.Mapping) (*Checked, error) {
	for _, f := range RequiredFields {
		if _, ok := m.Fields[f]; !ok {
			return nil, fmt.Errorf("mapping %s has no %q field; every AIM export needs %s", m.Name, f, strings.Join(RequiredFields, ", "))
		}
	}
	for name, f := range m.Fields {
		want, ok := fieldTypes[name]
		if !ok {
			want = mapping.Text
		}
		if f.Type != want {
			return nil, fmt.Errorf("mapping %s: field %s must have type %s (it has %s)", m.Name, name, want, f.Type)
		}
	}
	unit := m.Fields["weight"].Unit
	if unit == "" {
		unit = "lb" // AIM is a US system: pounds unless told
	}
	u, err := weight.ParseUnit(unit)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: field weight: %v", m.Name, err)
	}
	return &Checked{Mapping: m, WeightUnit: u}, nil
}

// FromValues builds an Item from a row mapped with a checked mapping;
// weightUnit is that mapping's.
func FromValues(src Source, v mapping.Values, weightUnit weight.Unit) (Item, error) {
	it := Item{
		Source: src, SKU: v["sku"], Serial: v["serial"], Description: v["description"],
		Brand: v["brand"], Model: v["model"], Category: v["category"], Subcategory: v["subcategory"],
		Condition: v["condition"], Location: v["location"], UPC: v["upc"],
		WebDescription: v["web_description"], WebEnabled: v["web_enabled"] != "false",
	}
	var err error
	if it.Price, err = decimal.NewFromString(v["price"]); err != nil {
		return it, &FieldError{"price", v["price"], err.Error()}
	}
	if !it.Price.IsPositive() {
		return it, &FieldError{"price", v["price"], "a zero or negative price would put the item on sale for nothing"}
	}
	if it.MSRP, err = optDecimal("msrp", v["msrp"]); err != nil {
		return it, err
	}
	if it.Sale, err = optDecimal("sale_price", v["sale_price"]); err != nil {
		return it, err
	}
	for _, f := range []struct {
		name string
		d    decimal.NullDecimal
	}{{"price", decimal.NewNullDecimal(it.Price)}, {"msrp", it.MSRP}, {"sale_price", it.Sale}} {
		switch {
		case !f.d.Valid:
		case f.d.Decimal.IsNegative():
			return it, &FieldError{f.name, v[f.name], "negative amount"}
		case !f.d.Decimal.Equal(f.d.Decimal.Round(2)):
			return it, &FieldError{f.name, v[f.name], "more than two decimal places; rounding a price is the store's decision, not aimbridge's"}
		case f.d.Decimal.GreaterThan(maxAmount):
			return it, &FieldError{f.name, v[f.name], "implausibly large amount"}
		}
	}
	if q, ok := v["qty"]; ok {
		n, err := strconv.Atoi(q)
		if err != nil {
			return it, &FieldError{"qty", q, err.Error()}
		}
		it.Qty, it.HasQty = n, true
	}
	if w, ok := v["weight"]; ok {
		d, err := decimal.NewFromString(w)
		if err != nil {
			return it, &FieldError{"weight", w, err.Error()}
		}
		it.Grams = weightUnit.Grams(d)
	}
	// URLs never contain a bare comma, semicolon or line break; a space
	// may be a badly encoded file name, so it does not split.
	for _, u := range strings.FieldsFunc(v["image_url"], func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		if u = strings.TrimSpace(u); u != "" {
			it.Images = append(it.Images, u)
		}
	}
	return it, nil
}

var maxAmount = decimal.NewFromInt(10_000_000)

// FieldError is a value the mapping accepted but the inventory model cannot use.
type FieldError struct {
	Field, Value, Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

func optDecimal(field, s string) (decimal.NullDecimal, error) {
	if s == "" {
		return decimal.NullDecimal{}, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.NullDecimal{}, &FieldError{field, s, err.Error()}
	}
	return decimal.NewNullDecimal(d), nil
}

// LoadMapping reads and checks the inventory mapping at path, or the
// built-in mappings/aim-inventory.yaml when path is empty.
func LoadMapping(path string) (*Checked, error) {
	name, data, err := "aim-inventory.yaml (built in)", []byte(nil), error(nil)
	if path == "" {
		data, err = mappings.Default("aim-inventory.yaml")
	} else {
		name = path
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	m, err := mapping.Parse(name, data, Fields)
	if err != nil {
		return nil, err
	}
	return Check(m)
}
