package woocommerce

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/convert"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/orders/orderstest"
	"github.com/aimbridge/aimbridge/etl/report"
)

// Every variant SKU the convert pipeline gives WooCommerce for the AIM
// sample, sold in an order — through the REST API and through the C/O/C
// export's packed cell — comes back as exactly the AIM SKU and serial it
// was made from.
func TestOrdersRoundTrip(t *testing.T) {
	conv := orderstest.Convert(t, convert.Target{Platform: Platform, Writer: newWriter(t, nil)})

	aim := orderstest.SampleUnits(t) // what AIM had; refused rows never reach the store

	// What WooCommerce got: the rows a customer can buy, variations and
	// simple products (a variable parent is not for sale itself).
	parts, _ := filepath.Glob(filepath.Join(conv, "woocommerce", "products-*.csv"))
	if len(parts) == 0 {
		t.Fatal("convert wrote no WooCommerce product file")
	}
	var variants []map[string]string
	for _, p := range parts {
		for _, r := range byName(parse(t, readDir(t, filepath.Dir(p))[filepath.Base(p)])) {
			if r["Type"] == "variation" || r["Type"] == "simple" {
				variants = append(variants, r)
			}
		}
	}

	// Each variant sold once, in its own order.
	var rest []string
	var coc []map[string]string
	for i, v := range variants {
		line, _ := json.Marshal(map[string]any{"id": i + 1, "name": v["Name"], "sku": v["SKU"], "quantity": 1, "subtotal": "1.00", "price": 1})
		rest = append(rest, fmt.Sprintf(`{"id":%d,"number":"R%04d","status":"processing","currency":"USD","date_created_gmt":"2024-03-05T00:42:08","total":"1.00","line_items":[%s]}`, 9000+i, i+1, line))
		coc = append(coc, cocRow(fmt.Sprint(9000+i), "processing", "2024-03-04 10:15:32", "1.00",
			map[string]string{"line_items": fmt.Sprintf("name:%s|sku:%s|quantity:1|total:1.00|refunded:0.00|refunded_qty:0|meta:|tax:0.00", v["Name"], v["SKU"])}))
	}
	inputs := map[string]string{
		"orders.json":               "[" + strings.Join(rest, ",\n") + "]",
		"customer-order-export.csv": table(t, header(t, "coc-default-v3-header.csv"), coc...),
	}
	for name, content := range inputs {
		t.Run(name, func(t *testing.T) {
			sum, lines, ex := runOrders(t, orders.Job{Inputs: []string{tempOrders(t, name, content)}})
			if sum.ExitCode != report.ExitOK || sum.LinesWritten != len(variants) {
				t.Fatalf("exit %d, %d lines written of %d variants\n%s", sum.ExitCode, sum.LinesWritten, len(variants), ex)
			}
			left := map[[2]string]bool{}
			for k := range aim {
				left[k] = true
			}
			serialized := 0
			for i, l := range lines {
				v := variants[i]
				pair := [2]string{l["AIMSku"], l["Serial"]}
				if !left[pair] {
					t.Errorf("%s sold as %q/%q, which is not an AIM SKU and serial of the sample (or sold twice)", v["SKU"], pair[0], pair[1])
				}
				if l["WebSku"] != v["SKU"] {
					t.Errorf("WebSku %q, sold %q", l["WebSku"], v["SKU"])
				}
				if l["Serial"] != "" {
					serialized++
					if l["Serial"] != v["Attribute 1 value(s)"] {
						t.Errorf("%s: serial %q but the variation's attribute value is %q", v["SKU"], l["Serial"], v["Attribute 1 value(s)"])
					}
				}
				delete(left, pair) // each unit sells once
			}
			t.Logf("%d variant SKUs sold, %d of them serialized", len(lines), serialized)
			if serialized == 0 || serialized == len(lines) {
				t.Errorf("%d of %d lines serialized: the sample should have both kinds", serialized, len(lines))
			}
		})
	}
}
