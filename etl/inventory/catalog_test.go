package inventory

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func item(line int, sku, serial string, qty int, hasQty bool) Item {
	return Item{Source: Source{File: "inv.csv", Line: line}, SKU: sku, Serial: serial, Description: "Fender Player Strat",
		Price: decimal.RequireFromString("999"), Qty: qty, HasQty: hasQty, WebEnabled: true}
}

func TestGroupingKeepsFirstSeenOrder(t *testing.T) {
	c := NewCatalog()
	for _, it := range []Item{
		item(2, "0113942719", "US210033734", 1, true),
		item(3, "P02221", "", 48, true),
		item(4, "0113942719", "US210100599", 0, false), // blank quantity on a serial means 1
		item(5, "0113942719", "US21032314", 1, true),
	} {
		if out, p := c.Add(it); out != Used {
			t.Fatalf("line %d: %v %+v", it.Line, out, p)
		}
	}
	ps := c.Products()
	if len(ps) != 2 || ps[0].SKU != "0113942719" || ps[1].SKU != "P02221" {
		t.Fatalf("%+v", ps)
	}
	var skus []string
	for _, v := range ps[0].Variants {
		skus = append(skus, ps[0].VariantSKU(v))
		if v.Qty != 1 {
			t.Errorf("qty %d", v.Qty)
		}
	}
	if got := strings.Join(skus, " "); got != "0113942719|||US210033734 0113942719|||US210100599 0113942719|||US21032314" {
		t.Errorf("variants %s", got)
	}
	if ps[1].Serialized || ps[1].VariantSKU(ps[1].Variants[0]) != "P02221" || ps[1].Variants[0].Qty != 48 {
		t.Errorf("simple %+v", ps[1])
	}
}

func TestRowRules(t *testing.T) {
	cases := []struct {
		name    string
		first   Item
		next    Item
		outcome Outcome
		column  string
		reason  string
	}{
		// I15
		{"duplicate serial", item(2, "0113942719", "US210033734", 1, true), item(3, "0113942719", "US210033734", 1, true), Rejected, "serial", "duplicate serial for SKU 0113942719; first at inv.csv:2"},
		{"serial under two SKUs", item(2, "0113942719", "US210033734", 1, true), item(3, "0113942720", "US210033734", 1, true), Rejected, "serial", "already belongs to SKU 0113942719 (inv.csv:2)"},
		// I16
		{"serial with qty 0", item(2, "A", "S1", 1, true), item(3, "A", "S2", 0, true), Skipped, "qty", "not in stock"},
		{"serial with qty 2", item(2, "A", "S1", 1, true), item(3, "A", "S2", 2, true), Rejected, "qty", "must have quantity 1"},
		{"serial row under a simple SKU", item(2, "A", "", 3, true), item(3, "A", "S2", 1, true), Rejected, "serial", "listed without a serial at inv.csv:2"},
		{"simple row under a serialized SKU", item(2, "A", "S1", 1, true), item(3, "A", "", 3, true), Rejected, "serial", "is serialized"},
		{"simple SKU twice", item(2, "A", "", 1, true), item(3, "A", "", 3, true), Rejected, "sku", "already listed at inv.csv:2"},
		{"simple without qty", item(2, "B", "", 1, true), item(3, "A", "", 0, false), Rejected, "qty", "needs a quantity"},
		{"negative qty", item(2, "B", "", 1, true), item(3, "A", "", -1, true), Rejected, "qty", "negative"},
		{"formula serial", item(2, "B", "", 1, true), item(3, "A", "=HYPERLINK()", 1, true), Rejected, "serial", "formula"},
		{"pipe in SKU", item(2, "B", "", 1, true), item(3, "0123|456", "", 1, true), Rejected, "sku", "stray |"},
		{"pipes in serial", item(2, "B", "", 1, true), item(3, "A", "X|||Y", 1, true), Rejected, "serial", "second |||"},
		{"not web-enabled", item(2, "B", "", 1, true), func() Item { i := item(3, "A", "", 1, true); i.WebEnabled = false; return i }(), Skipped, "web_enabled", "not web-enabled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cat := NewCatalog()
			if out, p := cat.Add(c.first); out != Used {
				t.Fatalf("first: %v %+v", out, p)
			}
			out, p := cat.Add(c.next)
			if out != c.outcome || p == nil || p.Column != c.column || !strings.Contains(p.Reason, c.reason) || p.Line != c.next.Line {
				t.Fatalf("got %v %+v; want %v %s %q", out, p, c.outcome, c.column, c.reason)
			}
		})
	}
}

func TestConflictingProductValuesWarn(t *testing.T) {
	c := NewCatalog()
	a := item(2, "A", "S1", 1, true)
	b := item(3, "A", "S2", 1, true)
	b.Description = "Fender Player Stratocaster"
	c.Add(a)
	if out, _ := c.Add(b); out != Used {
		t.Fatal("a differing description must not reject the unit")
	}
	if len(c.Warnings) != 1 || c.Warnings[0].Column != "description" || !strings.Contains(c.Warnings[0].Reason, "inv.csv:2") {
		t.Fatalf("%+v", c.Warnings)
	}
	if c.Products()[0].Description != "Fender Player Strat" {
		t.Error("the first row's value must be kept")
	}
}

func TestLineBreakInDescriptionWarns(t *testing.T) {
	c := NewCatalog()
	it := item(2, "A2", "S2", 1, true)
	it.Description = "Cable, 10 ft,20.00,1\nA3,S3,Celestion speaker 12"
	c.Add(it)
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].Reason, "quote") {
		t.Fatalf("%+v", c.Warnings)
	}
}
