package woocommerce

import "testing"

// Whatever a line_items cell holds, the key-anchored parser answers
// without a panic.
func FuzzLineItems(f *testing.F) {
	f.Add(`name:Fender Strat|sku:0113942719|||US210033734|quantity:1|total:1499.00|refunded:0.00|refunded_qty:0|meta:Serial Number=US210033734|tax:0.00;name:Picks|sku:012345|quantity:2|total:5.98|refunded:0.00|refunded_qty:0|meta:|tax:0.00`)
	f.Add(`id:1|name:a\|b\;c\:d|sku:x`)
	f.Add(`;;;|||:::`)
	f.Fuzz(func(t *testing.T, cell string) {
		parseLineItems(cell)
	})
}
