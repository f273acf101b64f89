package magento

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/orders/orderstest"
	"github.com/aimbridge/aimbridge/etl/report"
)

// Every SKU a Magento customer can buy from the catalog the product writer
// makes of the AIM sample, sold in an order as Magento records it, comes
// back as exactly the AIM SKU and serial it was made from.
func TestOrdersRoundTrip(t *testing.T) {
	conv := runSample(t)

	aim := orderstest.SampleUnits(t) // what AIM had; refused rows never reach the store

	// What a customer can buy: each serial child the link plan attaches
	// to its configurable, and each standalone simple product. A
	// configurable's own SKU is never an order item's.
	linked := map[string]bool{}
	for _, children := range conv.links(t) {
		for _, c := range children {
			linked[c] = true
		}
	}
	type sellable struct{ sku, serial string }
	var sold []sellable
	col := func(c string) int { return slices.Index(header[:], c) }
	for _, r := range conv.rows() {
		if r[col("product_type")] != "simple" {
			continue
		}
		serial := ""
		for _, pair := range strings.Split(r[col("additional_attributes")], ",") {
			if v, ok := strings.CutPrefix(pair, "serial_number="); ok {
				serial = v
			}
		}
		if (serial != "") != linked[r[col("sku")]] {
			t.Errorf("%s: serial_number %q, linked to a configurable: %v", r[col("sku")], serial, linked[r[col("sku")]])
		}
		sold = append(sold, sellable{sku: r[col("sku")], serial: serial})
	}
	if len(sold) == 0 {
		t.Fatal("convert wrote no Magento products")
	}

	// Each sold once in its own order: a serial as a configurable parent
	// item carrying the child's SKU plus its child item, the rest as a
	// simple item.
	var os []string
	for i, s := range sold {
		id := fmt.Sprint(1000 + 2*i)
		items := []string{mItemJSON(id, "simple", s.sku, "1", "1")}
		if s.serial != "" {
			items = []string{mItemJSON(id, "configurable", s.sku, "1", "1"),
				mItemJSON(fmt.Sprint(1001+2*i), "simple", s.sku, "0", "1", `"parent_item_id":`+id)}
		}
		os = append(os, mOrderJSON(fmt.Sprintf("%09d", i+1), fmt.Sprintf(`"entity_id":%d,"grand_total":1`, i+1), items...))
	}
	res := runOrders(t, orders.Job{Inputs: []string{orderFile(t, "orders.json", searchResponse(os...))}})
	if res.sum.ExitCode != report.ExitOK || res.sum.LinesWritten != len(sold) || len(res.aim) != len(sold) {
		t.Fatalf("exit %d, %d lines written of %d sold\n%s", res.sum.ExitCode, res.sum.LinesWritten, len(sold), res.exceptions)
	}
	serialized := 0
	for i, l := range res.aim {
		s := sold[i]
		pair := [2]string{l["AIMSku"], l["Serial"]}
		if !aim[pair] {
			t.Errorf("%s sold as %q/%q, which is not an AIM SKU and serial of the sample", s.sku, pair[0], pair[1])
		}
		if l["WebSku"] != s.sku || l["Serial"] != s.serial {
			t.Errorf("WebSku %q serial %q, sold %q with serial_number %q", l["WebSku"], l["Serial"], s.sku, s.serial)
		}
		if l["Serial"] != "" {
			serialized++
		}
		delete(aim, pair) // each unit sells once
	}
	t.Logf("%d Magento SKUs sold, %d of them serialized", len(res.aim), serialized)
	if serialized == 0 || serialized == len(res.aim) {
		t.Errorf("%d of %d lines serialized: the sample should have both kinds", serialized, len(res.aim))
	}
}
