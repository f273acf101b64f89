package bigcommerce

import "testing"

// Whatever staff paste into Product Details, the parser answers without
// a panic and gives the same answer twice.
func FuzzProductDetails(f *testing.F) {
	f.Add("Product ID: 88, Product Qty: 1, Product SKU: 0113942719|||US210033734, Product Name: Fender Strat, Product Weight: 8.0000, Product Variation Details: Serial Number: US210033734, Product Unit Price: 1499.00, Product Total Price: 1499.00|Product ID: 12, Product Qty: 2, Product SKU: 012345, Product Name: Picks, 12 pack, Product Weight: 0.1000, Product Variation Details: , Product Unit Price: 2.99, Product Total Price: 5.98")
	f.Add("Product ID: 1, Product Qty: 1, Product SKU: A, Product Name: x, Product Name: y, Product SKU: z, Product Weight: 1, Product Variation Details: , Product Unit Price: 1, Product Total Price: 1")
	f.Add("|||")
	f.Fuzz(func(t *testing.T, cell string) {
		a, errsA := parseProductDetails(cell)
		b, errsB := parseProductDetails(cell)
		if len(a) != len(b) || len(errsA) != len(errsB) {
			t.Fatalf("two parses differ: %d/%d products, %d/%d errors", len(a), len(b), len(errsA), len(errsB))
		}
	})
}
