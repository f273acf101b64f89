// Package inventory is aimbridge's canonical inventory model: checked AIM
// rows, and the catalog they group into, one product per AIM SKU with one
// variant per serial. Platform writers read only this.
package inventory

import (
	"fmt"
	"strconv"
	"strings"

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

// FromValues builds an Item from a mapped row. weightUnit is the mapping's
// unit for the weight field.
func FromValues(src Source, v mapping.Values, weightUnit string) (Item, error) {
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
	it.MSRP = optDecimal(v["msrp"])
	it.Sale = optDecimal(v["sale_price"])
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
		if weightUnit == "" {
			weightUnit = "lb" // AIM is a US system: pounds unless told
		}
		u, err := weight.ParseUnit(weightUnit)
		if err != nil {
			return it, &FieldError{"weight", w, "in the mapping: " + err.Error()}
		}
		it.Grams = u.Grams(decimal.RequireFromString(w))
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

func optDecimal(s string) decimal.NullDecimal {
	if s == "" {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(decimal.RequireFromString(s))
}
