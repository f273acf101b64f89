package bigcommerce

import (
	"strconv"
	"strings"
	"testing"
)

// pd writes one product the way the Default export does.
func pd(id, qty, sku, name, weight, variation, unit, total string) string {
	return "Product ID: " + id + ", Product Qty: " + qty + ", Product SKU: " + sku + ", Product Name: " + name +
		", Product Weight: " + weight + ", Product Variation Details: " + variation +
		", Product Unit Price: " + unit + ", Product Total Price: " + total
}

func TestParseProductDetails(t *testing.T) {
	type want struct{ id, qty, sku, name, variation, unit, total string }
	for _, tc := range []struct {
		name string
		cell string
		want []want
		errs []string // "product N: reason substring"
	}{
		{
			name: "O2",
			cell: "Product ID: 88, Product Qty: 1, Product SKU: 0113942719|||US210033734, Product Name: Fender Strat, Product Weight: 8.0000, Product Variation Details: Serial Number: US210033734, Product Unit Price: 1499.00, Product Total Price: 1499.00|Product ID: 12, Product Qty: 2, Product SKU: 012345, Product Name: Picks, 12 pack, Product Weight: 0.1000, Product Variation Details: , Product Unit Price: 2.99, Product Total Price: 5.98",
			want: []want{
				{"88", "1", "0113942719|||US210033734", "Fender Strat", "Serial Number: US210033734", "1499.00", "1499.00"},
				{"12", "2", "012345", "Picks, 12 pack", "", "2.99", "5.98"},
			},
		},
		{
			name: "variation details with commas and colons",
			cell: pd("88", "1", "0113942719|||US210033734", "Fender Strat", "8.0000", "Serial: US210033734, Finish: Sunburst, Handedness: Left", "1499.0000", "1499.0000"),
			want: []want{{"88", "1", "0113942719|||US210033734", "Fender Strat", "Serial: US210033734, Finish: Sunburst, Handedness: Left", "1499.0000", "1499.0000"}},
		},
		{
			// ", Product Qty:" inside the name comes after the SKU, where a quantity cannot be.
			name: "name with label-like text that reads one way",
			cell: pd("7", "3", "418P73", "Dunlop Tortex, Product Qty: 12 picks", "0.0500", "", "5.99", "17.97"),
			want: []want{{"7", "3", "418P73", "Dunlop Tortex, Product Qty: 12 picks", "", "5.99", "17.97"}},
		},
		{
			// A weight is a number, so the first ", Product Weight:" cannot be the real one.
			name: "name holding a weight label and a number",
			cell: pd("7", "1", "X1", "Gig bag, Product Weight: 3 lb", "1.5000", "", "49.00", "49.00"),
			want: []want{{"7", "1", "X1", "Gig bag, Product Weight: 3 lb", "", "49.00", "49.00"}},
		},
		{
			name: "variation holding a price label",
			cell: pd("7", "1", "X1", "Strap", "0.2000", "Length: long, Product Unit Price: 5.00", "19.99", "19.99"),
			want: []want{{"7", "1", "X1", "Strap", "Length: long, Product Unit Price: 5.00", "19.99", "19.99"}},
		},
		{
			// The SKU may end at either ", Product Name:": held, not guessed.
			name: "name holding the name label",
			cell: pd("12", "2", "012345", "Pick tin, Product Name: Blue", "0.1000", "", "2.99", "5.98"),
			errs: []string{`product 1: it can be read in more than one way: ", Product Name:" appear more than once`},
		},
		{
			// Name and variation are both text: the name could swallow weight and variation.
			name: "name swallowing weight and variation",
			cell: pd("12", "1", "012345", "Bundle, Product Weight: 1.0000, Product Variation Details: Red", "2.0000", "Blue", "9.99", "9.99"),
			errs: []string{`product 1: it can be read in more than one way: ", Product Weight:" and ", Product Variation Details:" appear more than once`},
		},
		{
			name: "SKU ending in ||| is kept whole",
			cell: pd("88", "1", "0113942719|||", "Fender Strat", "8.0000", "", "1499.00", "1499.00") + "|" + pd("89", "1", "A|||B", "Other", "1.0000", "", "1.00", "1.00"),
			want: []want{
				{"88", "1", "0113942719|||", "Fender Strat", "", "1499.00", "1499.00"},
				{"89", "1", "A|||B", "Other", "", "1.00", "1.00"},
			},
		},
		{
			name: "spaces and line breaks around the separator, no space after commas",
			cell: "Product ID: 1,Product Qty: 1,Product SKU: A|||S1,Product Name: One,Product Weight: 1,Product Variation Details:,Product Unit Price: 1.00,Product Total Price: 1.00 |\r\n Product ID: 2, Product Qty: 1, Product SKU: B, Product Name: Two, Product Weight: 1, Product Variation Details: , Product Unit Price: 2.00, Product Total Price: 2.00",
			want: []want{
				{"1", "1", "A|||S1", "One", "", "1.00", "1.00"},
				{"2", "1", "B", "Two", "", "2.00", "2.00"},
			},
		},
		{
			name: "empty SKU and empty name",
			cell: pd("5", "1", "", "", "", "", "10.00", "10.00"),
			want: []want{{"5", "1", "", "", "", "10.00", "10.00"}},
		},
		{
			name: "empty cell",
			cell: "  ",
		},
		{
			name: "not Product Details at all",
			cell: "Fender Strat x1",
			errs: []string{`product 1: it does not start with "Product ID:"`},
		},
		{
			// A product starts only at the start of the cell or after a |.
			name: "text before Product ID",
			cell: "x " + pd("1", "1", "A", "One", "1", "", "1.00", "1.00"),
			errs: []string{`product 1: it does not start with "Product ID:"`},
		},
		{
			name: "text before the first product",
			cell: "x|" + pd("1", "1", "A", "One", "1", "", "1.00", "1.00"),
			want: []want{{"1", "1", "A", "One", "", "1.00", "1.00"}},
			errs: []string{`product 1: text before the first "Product ID:"`},
		},
		{
			name: "a label missing",
			cell: strings.Replace(pd("1", "1", "A", "One", "1", "", "1.00", "1.00"), ", Product Weight: 1", "", 1),
			errs: []string{`product 1: no "Product Weight:" label`},
		},
		{
			name: "labels out of order",
			cell: "Product ID: 1, Product SKU: A, Product Qty: 1, Product Name: One, Product Weight: 1, Product Variation Details: , Product Unit Price: 1.00, Product Total Price: 1.00",
			errs: []string{"product 1: the labels Product ID, Product Qty, Product SKU, Product Name, Product Weight, Product Variation Details, Product Unit Price, Product Total Price are not all there"},
		},
		{
			// "|Product ID:" always starts a product, so a name holding it breaks both halves.
			name: "name holding a product separator",
			cell: pd("1", "1", "A", "One|Product ID: 2", "1", "", "1.00", "1.00") + "|" + pd("3", "1", "C", "Three", "1", "", "3.00", "3.00"),
			want: []want{{"3", "1", "C", "Three", "", "3.00", "3.00"}},
			errs: []string{`product 1: no "Product Weight:" label`, `product 2: no "Product Qty:" label`},
		},
		{
			name: "cut short inside the second product",
			cell: pd("1", "1", "A", "One", "1", "", "1.00", "1.00") + "|Product ID: 2, Product Qty: 1, Product SKU: B, Product Na",
			want: []want{{"1", "1", "A", "One", "", "1.00", "1.00"}},
			errs: []string{`product 2: no "Product Name:" label`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, errs := parseProductDetails(tc.cell)
			var got []want
			for _, p := range ps {
				f := p.Fields
				got = append(got, want{f[pdID], f[pdQty], f[pdSKU], f[pdName], f[pdVariation], f[pdUnitPrice], f[pdTotalPrice]})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("products %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("product %d:\n got %q\nwant %q", i+1, got[i], tc.want[i])
				}
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("errors %v, want %q", errs, tc.errs)
			}
			for i, e := range errs {
				if g := "product " + strconv.Itoa(e.Product) + ": " + e.Reason; !strings.HasPrefix(g, tc.errs[i]) {
					t.Errorf("error %d: %q, want it to start %q", i, g, tc.errs[i])
				}
			}
		})
	}
}
