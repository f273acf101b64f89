package mapping

import (
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/tabular"
)

var known = []string{"sku", "serial", "price", "qty", "condition", "web"}

const testMapping = `
fields:
  sku: {from: [SKU, "Item #"], required: true, pad_to: 0}
  serial: {from: [Serial, "Serial #", Serial No]}
  price: {from: [Retail, Price], required: true, type: decimal}
  qty: {from: [Qty], type: integer}
  condition: {from: [Condition, Code], map: {N: New, U: Used}}
  web: {from: [Web], type: bool, default: "true"}
`

func parse(t *testing.T, y string) *Mapping {
	t.Helper()
	m, err := Parse("test.yaml", []byte(y), known)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNormalize(t *testing.T) {
	for _, h := range []string{"Serial #", "serial_no.", " SERIAL  NO ", "\uFEFFSerial No", "Serial-No"} {
		if n := Normalize(h); n != "serialno" && n != "serial" {
			t.Errorf("Normalize(%q) = %q", h, n)
		}
	}
}

func TestBindAndApply(t *testing.T) {
	m := parse(t, testMapping)
	b, err := m.Bind("in.csv", 1, []string{"Item #", "serial no", "Retail", "Qty", "Code", "Notes"})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Unknown) != 1 || b.Unknown[0] != "Notes" {
		t.Errorf("unknown headers %q", b.Unknown)
	}
	v, err := b.Apply(tabular.Row{File: "in.csv", Line: 2, Cells: []string{"0113942719", "US210033734", "1299", "1", "u", "x"}})
	if err != nil {
		t.Fatal(err)
	}
	want := Values{"sku": "0113942719", "serial": "US210033734", "price": "1299", "qty": "1", "condition": "Used", "web": "true"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %q, want %q", k, v[k], w)
		}
	}
}

// I1: a missing required header prints every header seen, quoted, so a
// BOM or a stray space shows.
func TestMissingRequiredHeader(t *testing.T) {
	m := parse(t, testMapping)
	_, err := m.Bind("in.csv", 1, []string{"\u200bSKU", "Serial", "Qty "})
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	for _, want := range []string{"in.csv:1", "missing required header", "price", `"\u200bSKU"`, `"Qty "`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestDuplicateHeaders(t *testing.T) {
	m := parse(t, testMapping)
	if _, err := m.Bind("in.csv", 1, []string{"SKU", "Retail", "sku"}); err == nil || !strings.Contains(err.Error(), "duplicate header") {
		t.Errorf("duplicate header: %v", err)
	}
	if _, err := m.Bind("in.csv", 1, []string{"SKU", "Retail", "Price"}); err == nil || !strings.Contains(err.Error(), "matches both") {
		t.Errorf("two headers for one field: %v", err)
	}
}

// I10: a padded row that lacks a required value is refused for that reason.
func TestRequiredValueEmpty(t *testing.T) {
	m := parse(t, testMapping)
	b, _ := m.Bind("in.xlsx", 1, []string{"SKU", "Serial", "Condition", "Notes", "Price"})
	_, err := b.Apply(tabular.Row{File: "in.xlsx", Line: 2, Cells: []string{"0113942719", "US210033734", "", "", ""}})
	re, ok := err.(*tabular.RowError)
	if !ok || re.Column != "Price" || re.Reason != "required value is empty" || re.Line != 2 {
		t.Fatalf("%#v", err)
	}
}

// I3, I4: money follows the field's locale; without one a grouped amount
// is refused, not guessed.
func TestDecimalLocale(t *testing.T) {
	m := parse(t, testMapping)
	b, _ := m.Bind("in.csv", 1, []string{"SKU", "Price"})
	_, err := b.Apply(tabular.Row{Line: 3, Cells: []string{"0113942720", "1,299"}})
	if re, ok := err.(*tabular.RowError); !ok || re.Column != "Price" || !strings.Contains(re.Reason, "ambiguous") {
		t.Fatalf("%v", err)
	}
	_, err = b.Apply(tabular.Row{Line: 2, Cells: []string{"0113942719", "1.299,00"}})
	if err == nil {
		t.Fatal("1.299,00 accepted without locale")
	}
	de := parse(t, strings.Replace(testMapping, "type: decimal}", "type: decimal, locale: de-DE}", 1))
	b, _ = de.Bind("in.csv", 1, []string{"SKU", "Price"})
	v, err := b.Apply(tabular.Row{Line: 2, Cells: []string{"0113942719", "1.299,00"}})
	if err != nil || v["price"] != "1299" {
		t.Fatalf("de-DE: %v %v", v, err)
	}
	us := parse(t, strings.Replace(testMapping, "type: decimal}", "type: decimal, locale: en-US}", 1))
	b, _ = us.Bind("in.csv", 1, []string{"SKU", "Price"})
	v, err = b.Apply(tabular.Row{Line: 2, Cells: []string{"0113942719", "$1,299.00"}})
	if err != nil || v["price"] != "1299" {
		t.Fatalf("en-US: %v %v", v, err)
	}
}

// I5, I6: zero-padding is opt-in and counted.
func TestPadTo(t *testing.T) {
	m := parse(t, strings.Replace(testMapping, "pad_to: 0", "pad_to: 10", 1))
	b, _ := m.Bind("in.csv", 1, []string{"SKU", "Price"})
	v, _ := b.Apply(tabular.Row{Cells: []string{"113942719", "1"}})
	w, _ := b.Apply(tabular.Row{Cells: []string{"AB123", "1"}})
	if v["sku"] != "0113942719" || w["sku"] != "AB123" || b.Padded != 1 {
		t.Fatalf("%v %v padded=%d", v, w, b.Padded)
	}
	m = parse(t, testMapping)
	b, _ = m.Bind("in.csv", 1, []string{"SKU", "Price"})
	v, _ = b.Apply(tabular.Row{Cells: []string{"113942719", "1"}})
	if v["sku"] != "113942719" || b.Padded != 0 {
		t.Fatalf("no pad configured: %v", v)
	}
}

func TestParseStrict(t *testing.T) {
	for _, y := range []string{
		"fields:\n  nope: {from: [X]}\n",
		"fields:\n  sku: {from: [SKU], typo: 1}\n",
		"fields:\n  sku: {from: [SKU], type: float}\n",
		"fields:\n  sku: {from: []}\n",
		"fields:\n  price: {from: [P], type: decimal, locale: xx-YY}\n",
	} {
		if _, err := Parse("bad.yaml", []byte(y), known); err == nil {
			t.Errorf("accepted %q", y)
		}
	}
}
