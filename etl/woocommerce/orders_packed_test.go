package woocommerce

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The packed line_items cell is split on its keys, never on bare | or ;
// (formats/woocommerce.md §2.2, cases O3).
func TestParseLineItems(t *testing.T) {
	type item = map[string]string
	for _, tc := range []struct {
		name, cell string
		want       []item
		err        string
	}{{
		name: "O3",
		cell: `name:Fender Strat|sku:0113942719|||US210033734|quantity:1|total:1499.00|refunded:0.00|refunded_qty:0|meta:Serial Number=US210033734|tax:0.00;name:Picks|sku:012345|quantity:2|total:5.98|refunded:0.00|refunded_qty:0|meta:|tax:0.00`,
		want: []item{
			{"name": "Fender Strat", "sku": "0113942719|||US210033734", "quantity": "1", "total": "1499.00", "refunded": "0.00", "refunded_qty": "0", "meta": "Serial Number=US210033734", "tax": "0.00"},
			{"name": "Picks", "sku": "012345", "quantity": "2", "total": "5.98", "refunded": "0.00", "refunded_qty": "0", "meta": "", "tax": "0.00"},
		},
	}, {
		name: "a name with ; and |, meta with = and ,",
		cell: `name:Slinky; 3 Pack | Nickel|sku:P02221|quantity:3|total:23.97|meta:Serial Number=Z8J1234, Finish=Black|tax:1.44;name:Katana|sku:KTN50MK2|||Z8J1234|quantity:1|total:259.99`,
		want: []item{
			{"name": "Slinky; 3 Pack | Nickel", "sku": "P02221", "quantity": "3", "total": "23.97", "meta": "Serial Number=Z8J1234, Finish=Black", "tax": "1.44"},
			{"name": "Katana", "sku": "KTN50MK2|||Z8J1234", "quantity": "1", "total": "259.99"},
		},
	}, {
		name: "a serial that ends in pipes and a value with a colon",
		cell: `name:Case: hard|sku:ABC|||X1|quantity:1|total:10.00`,
		want: []item{{"name": "Case: hard", "sku": "ABC|||X1", "quantity": "1", "total": "10.00"}},
	}, {
		name: "v4 keys, escaped separators",
		cell: `id:48111|name:Strat\: 3-Color\; Sunburst|product_id:318|sku:0113942719\|\|\|US210100599|quantity:1|subtotal:1699.99|subtotal_tax:112.62|total:1699.99|total_tax:112.62|refunded:0.00|refunded_qty:0|meta:Serial Number=US210100599;id:48112|name:Picks|product_id:90|sku:0885978|quantity:2|subtotal:11.98|subtotal_tax:0.79|total:11.98|total_tax:0.79|refunded:0.00|refunded_qty:0|meta:`,
		want: []item{
			{"id": "48111", "name": "Strat: 3-Color; Sunburst", "product_id": "318", "sku": "0113942719|||US210100599", "quantity": "1", "subtotal": "1699.99",
				"subtotal_tax": "112.62", "total": "1699.99", "total_tax": "112.62", "refunded": "0.00", "refunded_qty": "0", "meta": "Serial Number=US210100599"},
			{"id": "48112", "name": "Picks", "product_id": "90", "sku": "0885978", "quantity": "2", "subtotal": "11.98", "subtotal_tax": "0.79",
				"total": "11.98", "total_tax": "0.79", "refunded": "0.00", "refunded_qty": "0", "meta": ""},
		},
	}, {
		name: "missing keys: no sku, no quantity",
		cell: `name:Custom setup|total:60.00;name:Strings|sku:|quantity:1|total:7.99`,
		want: []item{{"name": "Custom setup", "total": "60.00"}, {"name": "Strings", "sku": "", "quantity": "1", "total": "7.99"}},
	}, {
		name: "a ; before a key that cannot start an item stays in the value",
		cell: `name:Pick;sku:tin|sku:0885978|quantity:1|total:5.99`,
		want: []item{{"name": "Pick;sku:tin", "sku": "0885978", "quantity": "1", "total": "5.99"}},
	}, {
		name: "an unknown key is part of the value",
		cell: `name:Strat|color:red|sku:A1|quantity:1|total:1.00`,
		want: []item{{"name": "Strat|color:red", "sku": "A1", "quantity": "1", "total": "1.00"}},
	}, {
		name: "empty cell",
		cell: "  ",
	}, {
		name: "a name that contains a key cannot be split with certainty",
		cell: `name:Odd|quantity:2 pack|sku:A1|quantity:1|total:1.00`,
		err:  "item 1 has quantity: twice, so the cell cannot be split with certainty",
	}, {
		name: "not a packed cell",
		cell: `Fender Strat x1`,
		err:  "the cell does not start with a key such as name: or id:",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseLineItems(tc.cell)
			if fmt.Sprint(err) != fmt.Sprint(errOrNil(tc.err)) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func errOrNil(s string) error {
	if s == "" {
		return nil
	}
	return fmt.Errorf("%s", s)
}

// The parser is never a strings.Split on |: a serial full of pipes and
// one item per key survive any count of items.
func TestParseLineItemsMany(t *testing.T) {
	var parts []string
	for i := range 50 {
		parts = append(parts, fmt.Sprintf("name:Guitar %d; left|handed|sku:0113942719|||US2%08d|quantity:1|total:1.00|meta:Serial Number=US2%08d", i, i, i))
	}
	items, err := parseLineItems(strings.Join(parts, ";"))
	if err != nil || len(items) != 50 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	for i, it := range items {
		if it["sku"] != fmt.Sprintf("0113942719|||US2%08d", i) || it["name"] != fmt.Sprintf("Guitar %d; left|handed", i) {
			t.Errorf("item %d: %q", i, it)
		}
	}
}
