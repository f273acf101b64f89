package bigcommerce

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/convert"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/orders/orderstest"
	"github.com/aimbridge/aimbridge/etl/report"
)

// offered is a SKU a BigCommerce shopper can buy, as the product writer
// made it, with the serial its option carries ("" for a simple product).
type offered struct{ sku, serial, name string }

// Every SKU the product writer gives BigCommerce for the AIM sample, in
// either CSV format, sold in an order comes back as exactly the AIM SKU
// and serial it was made from.
func TestOrdersRoundTrip(t *testing.T) {
	aim := orderstest.SampleUnits(t) // what AIM had; refused rows never reach the store

	for _, format := range []string{"modern", "legacy"} {
		t.Run(format, func(t *testing.T) {
			conv := orderstest.Convert(t, convert.Target{Platform: Platform, Writer: defaultWriter(t, format)})
			parts, _ := filepath.Glob(filepath.Join(conv, "bigcommerce", "products-*.csv"))
			if len(parts) == 0 {
				t.Fatal("convert wrote no BigCommerce product file")
			}
			var sold []offered
			for _, p := range parts {
				sold = append(sold, offeredSKUs(t, format, records(t, p))...)
			}

			// Each one sold once, in its own order, as the Default export writes it.
			var rows []map[string]string
			for i, s := range sold {
				variation := ""
				if s.serial != "" {
					variation = serialOption + ": " + s.serial
				}
				rows = append(rows, bcOrder(fmt.Sprint(5000+i), "18/05/2022", pd(fmt.Sprint(100+i), "1", s.sku, s.name, "1.0000", variation, "1.0000", "1.0000"),
					map[string]string{"Order Total (inc tax)": "1.0000", "Subtotal (ex tax)": "1.0000", "Total Quantity": "1"}))
			}
			sum, lines, ex := aimLines(t, orders.Job{Inputs: []string{tempFile(t, "orders.csv", orderExport(t, header56(t), rows...))}},
				"AIMSku", "Serial", "WebSku")
			if sum.ExitCode != report.ExitOK || len(lines) != len(sold) {
				t.Fatalf("exit %d, %d lines written of %d SKUs\n%s", sum.ExitCode, len(lines), len(sold), ex)
			}
			left := map[[2]string]bool{}
			for k := range aim {
				left[k] = true
			}
			serialized := 0
			for i, l := range lines {
				f := strings.SplitN(l, "|", 3)
				pair := [2]string{f[0], f[1]}
				if !left[pair] {
					t.Errorf("%s sold as %q/%q, which is not an AIM SKU and serial of the sample (or sold twice)", sold[i].sku, pair[0], pair[1])
				}
				if f[2] != sold[i].sku {
					t.Errorf("WebSku %q, sold %q", f[2], sold[i].sku)
				}
				if f[1] != sold[i].serial {
					t.Errorf("%s: serial %q but the variant's option value is %q", sold[i].sku, f[1], sold[i].serial)
				}
				if f[1] != "" {
					serialized++
				}
				delete(left, pair) // each unit sells once
			}
			t.Logf("%d SKUs sold, %d of them serialized", len(lines), serialized)
			if serialized == 0 || serialized == len(lines) {
				t.Errorf("%d of %d lines serialized: the sample should have both kinds", serialized, len(lines))
			}
		})
	}
}

// offeredSKUs picks the rows a shopper buys from: variant rows, and the
// product rows of products without variants.
func offeredSKUs(t *testing.T, format string, rows []map[string]string) []offered {
	var out []offered
	name := ""
	for _, r := range rows {
		switch {
		case format == "modern" && r["Item"] == "Product":
			name = r["Name"]
			if r["Inventory Tracking"] == "product" {
				out = append(out, offered{sku: r["SKU"], name: name})
			}
		case format == "modern" && r["Item"] == "Variant":
			_, serial, ok := strings.Cut(r["Options"], "|Value=")
			if !ok {
				t.Fatalf("variant %s: options %q", r["SKU"], r["Options"])
			}
			out = append(out, offered{sku: r["SKU"], serial: serial, name: name})
		case format == "legacy" && r["Item Type"] == "Product":
			name = r["Product Name"]
			if r["Track Inventory"] == "by product" {
				out = append(out, offered{sku: r["Product Code/SKU"], name: name})
			}
		case format == "legacy" && r["Item Type"] == "SKU":
			serial, ok := strings.CutPrefix(r["Product Name"], "[S]"+serialOption+"=")
			if !ok {
				t.Fatalf("SKU row %s: name %q", r["Product Code/SKU"], r["Product Name"])
			}
			out = append(out, offered{sku: r["Product Code/SKU"], serial: serial, name: name})
		}
	}
	return out
}
