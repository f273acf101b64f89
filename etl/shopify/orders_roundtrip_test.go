package shopify

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aimbridge/aimbridge/etl/convert"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/orders/orderstest"
	"github.com/aimbridge/aimbridge/etl/report"
)

func readCSV(t testing.TB, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		r := map[string]string{}
		for i, h := range recs[0] {
			r[h] = rec[i]
		}
		rows = append(rows, r)
	}
	return rows
}

// Every variant SKU the convert pipeline gives Shopify for the AIM sample,
// sold in an order, comes back as exactly the AIM SKU and serial it was
// made from.
func TestOrdersRoundTrip(t *testing.T) {
	conv := orderstest.Convert(t, convert.Target{Platform: Platform, Writer: newWriter(t, nil)})

	aim := orderstest.SampleUnits(t) // what AIM had; refused rows never reach the store

	// What Shopify got: one variant SKU per row that has one.
	parts, _ := filepath.Glob(filepath.Join(conv, "shopify", "products-*.csv"))
	if len(parts) == 0 {
		t.Fatal("convert wrote no Shopify product file")
	}
	var variants []map[string]string
	for _, p := range parts {
		for _, r := range readCSV(t, p) {
			if r["SKU"] != "" {
				variants = append(variants, r)
			}
		}
	}

	// Each variant sold once, in its own order.
	h := header79(t)
	var rows []map[string]string
	for i, v := range variants {
		rows = append(rows, item(firstRow(fmt.Sprintf("#R%04d", i+1), "2024-03-04 10:15:32 -0500", map[string]string{"Total": "1.00"}),
			"1", v["Title"], "1.00", v["SKU"]))
	}
	out := t.TempDir()
	sum, err := orders.Run(orders.Job{Inputs: []string{tempFile(t, "orders_export.csv", export(t, h, rows...))}, Out: out, Formats: OrderFormats})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ExitCode != report.ExitOK || sum.LinesWritten != len(variants) {
		t.Fatalf("exit %d, %d lines written of %d variants", sum.ExitCode, sum.LinesWritten, len(variants))
	}
	lines := readCSV(t, filepath.Join(out, "aim-orders.csv"))
	serialized := 0
	for i, l := range lines {
		v := variants[i]
		pair := [2]string{l["AIMSku"], l["Serial"]}
		if !aim[pair] {
			t.Errorf("%s sold as %q/%q, which is not an AIM SKU and serial of the sample", v["SKU"], pair[0], pair[1])
		}
		if l["WebSku"] != v["SKU"] {
			t.Errorf("WebSku %q, sold %q", l["WebSku"], v["SKU"])
		}
		if l["Serial"] != "" {
			serialized++
			if l["Serial"] != v["Option1 value"] {
				t.Errorf("%s: serial %q but the variant's option value is %q", v["SKU"], l["Serial"], v["Option1 value"])
			}
		}
		delete(aim, pair) // each unit sells once
	}
	t.Logf("%d variant SKUs sold, %d of them serialized", len(lines), serialized)
	if serialized == 0 || serialized == len(lines) {
		t.Errorf("%d of %d lines serialized: the sample should have both kinds", serialized, len(lines))
	}
}
