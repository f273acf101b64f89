package bigcommerce

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/aimbridge/aimbridge/etl/orders"
)

const v2Sample = "testdata/orders/v2-orders.json"

func TestV2Detect(t *testing.T) {
	if f, err := orders.Detect(v2Sample, OrderFormats); err != nil || f.Name != "bigcommerce-v2-json" {
		t.Fatalf("Detect = %q, %v", f.Name, err)
	}
	for name, head := range map[string]string{
		"WooCommerce REST":                  `[{"id":727,"number":"727","status":"processing","date_created_gmt":"2024-03-04T15:15:32","billing":{"first_name":"Dana"},"line_items":[]}]`,
		"Magento":                           `{"items":[{"entity_id":1,"increment_id":"000000001","status":"pending","billing_address":{"firstname":"Dana"},"items":[]}]}`,
		"Magento with a status_id-like key": `[{"increment_id":"1","status_id":2,"billing_address":{}}]`,
	} {
		if isV2JSON(orders.Head{JSON: true, Bytes: []byte(head)}) {
			t.Errorf("%s taken for a BigCommerce V2 response", name)
		}
	}
}

func readV2(t *testing.T, path string, cfg orders.Config) []*orders.Order {
	t.Helper()
	r, err := OpenV2Orders(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []*orders.Order
	for {
		o, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
}

func TestV2Orders(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	got := readV2(t, v2Sample, orders.Config{Location: ny})
	if len(got) != 6 {
		t.Fatalf("%d orders", len(got))
	}
	o := got[0]
	g := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s %s|%v|%s|%s|%s|%s|%s", o.Src, o.Number, o.WebID, o.Date, o.Placed.Format(time.RFC3339), o.Email, o.Phone,
		o.FirstName, o.LastName, o.State, o.Currency, o.Shipping, o.Tax, o.Total, o.Discount)
	if w := "v2-orders.json|301|301|2024-03-11|2024-03-12T03:30:00Z|Dana@Example.com|201-555-0110|Dana Whitfield|open|USD|0|113.42|1825.39|0"; g != w {
		t.Errorf("order\n got %s\nwant %s", g, w)
	}
	if g, w := fmt.Sprintf("%+v|%+v", o.Bill, o.Ship), "{Name:Dana Whitfield Company: Address1:412 Garden St Address2:Apt 3 City:Hoboken State:NJ PostalCode:07030 Country:US}|"+
		"{Name:Sam Okafor Company: Address1:25 Mass Ave Address2: City:Cambridge State:MA PostalCode:02139 Country:US}"; g != w {
		t.Errorf("addresses\n got %s\nwant %s", g, w)
	}
	var lines []string
	for _, l := range o.Lines {
		lines = append(lines, fmt.Sprintf("%s %s %d-%d %s", l.WebLineID, l.WebSKU, l.Qty, l.Refunded, l.UnitPrice))
	}
	if g, w := strings.Join(lines, ", "), "901 0113942719|||US210033734 1-0 1699.99, 902 0885978 2-0 5.99"; g != w || len(o.Problems) != 0 || len(o.Warnings) != 0 {
		t.Errorf("lines %s, want %s; problems %+v, warnings %q", g, w, o.Problems, o.Warnings)
	}

	// Units refunded per line leave the order open with net quantities.
	if o := got[1]; o.State != orders.Open || o.Lines[0].Refunded != 1 || o.Shipping.String() != "14.95" || o.Ship.Country != "CA" || o.Bill.Country != "CA" ||
		len(o.Warnings) != 1 || o.Warnings[0] != "status Partially Refunded (status_id 14); the units refunded per line (quantity_refunded) are taken off their lines" {
		t.Errorf("302: %v %+v %q", o.State, o.Lines, o.Warnings)
	}
	if o := got[2]; len(o.Problems) != 1 || o.Problems[0].Reason != orders.ReasonUnsupported || !strings.Contains(o.Problems[0].Detail, "include=consignments.line_items") {
		t.Errorf("303 (products only linked): %+v", o.Problems)
	}
	if o := got[3]; o.State != orders.Cancelled || o.StateDetail != "status Cancelled (status_id 5)" {
		t.Errorf("304: %v %q", o.State, o.StateDetail)
	}
	if o := got[4]; len(o.Lines) != 1 || o.Lines[0].UnitPrice.String() != "63.4" || o.Lines[0].WebSKU != "H01/42209" || len(o.Problems) != 0 || o.Bill.Country != "US" {
		t.Errorf("305 (pickup consignment, numbers): %+v %+v", o.Lines, o.Problems)
	}
	var reasons []string
	for _, p := range got[5].Problems {
		reasons = append(reasons, p.Reason+" "+p.Column)
	}
	if g := strings.Join(reasons, "; "); g != "bad-value billing_address.country; unsupported is_bundled_product" {
		t.Errorf("306: %s", g)
	}

	sum, aim, ex := aimLines(t, orders.Job{Inputs: []string{v2Sample}, Reader: orders.Config{Location: ny}},
		"OrderNumber", "OrderDate", "AIMSku", "Serial", "Qty", "UnitPrice", "WebLineId", "OrderTimestamp")
	want := []string{
		"301|2024-03-11|0113942719|US210033734|1|1699.99|901|2024-03-12T03:30:00Z",
		"301|2024-03-11|0885978||2|5.99|902|2024-03-12T03:30:00Z",
		"302|2024-03-14|P02221||2|7.99|911|2024-03-14T15:00:00Z",
		"302|2024-03-14|KG6B||1|21.95|912|2024-03-14T15:00:00Z",
		"305|2024-03-16|H01/42209||1|63.40|951|2024-03-16T18:00:00Z",
	}
	if strings.Join(aim, "\n") != strings.Join(want, "\n") || sum.OrdersHeld != 2 || sum.OrdersSkipped != 1 {
		t.Errorf("AIM lines:\n%s\nwant\n%s\n%+v\n%s", strings.Join(aim, "\n"), strings.Join(want, "\n"), sum, ex)
	}
}

// A Refunded order keeps the units its lines do not say went back.
func TestV2Refunds(t *testing.T) {
	order := func(status string, refunded ...int) string {
		var ps []string
		for i, n := range refunded {
			ps = append(ps, fmt.Sprintf(`{"id": %d, "sku": "S%d", "price_ex_tax": "1.0000", "quantity": 2, "quantity_refunded": %d}`, i+1, i+1, n))
		}
		return `{"id": 1, "date_created": "Sat, 16 Mar 2024 18:00:00 +0000", "status_id": ` + status + `, "total_inc_tax": "4.0000",
			"billing_address": {}, "products": [` + strings.Join(ps, ",") + `]}`
	}
	for _, tc := range []struct {
		status   string
		refunded []int
		want     orders.State
	}{
		{"4", []int{2, 2}, orders.Refunded},
		{"4", []int{0, 0}, orders.Refunded},
		{"4", []int{2, 0}, orders.Open},
		{"14", []int{1, 0}, orders.Open},
		{"14", []int{0, 0}, orders.PartiallyRefunded},
		{"14", []int{2, 2}, orders.Open},
	} {
		got := readV2(t, tempFile(t, "o.json", order(tc.status, tc.refunded...)), orders.Config{})
		if got[0].State != tc.want {
			t.Errorf("status_id %s, refunded %v: %v, want %v", tc.status, tc.refunded, got[0].State, tc.want)
		}
	}
}

// One order saved from GET /v2/orders/{id}; broken JSON stops the run.
func TestV2SingleAndBroken(t *testing.T) {
	one := tempFile(t, "order-305.json", "\uFEFF "+`{"id": 305, "date_created": "Sat, 16 Mar 2024 18:00:00 +0000", "status_id": 11, "total_inc_tax": "1.0000",
		"billing_address": {"first_name": "Ana"}, "products": [{"id": 1, "sku": "C1", "price_ex_tax": "1.0000", "quantity": 1}]}`)
	got := readV2(t, one, orders.Config{})
	if len(got) != 1 || got[0].Number != "305" || got[0].Date != "2024-03-16" || len(got[0].Lines) != 1 {
		t.Errorf("single order: %+v", got)
	}

	broken := tempFile(t, "broken.json", `[{"id": 1, "status_id": 11, "billing_address": {}, "products": [`)
	r, err := OpenV2Orders(broken, orders.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Next(); err == nil || !strings.HasPrefix(err.Error(), "broken.json (byte ") {
		t.Errorf("broken JSON: %v", err)
	}
	out := t.TempDir()
	if _, err := orders.Run(orders.Job{Inputs: []string{broken}, Out: out, Formats: OrderFormats}); err == nil {
		t.Error("a broken file did not stop the run")
	}
	if _, err := os.Stat(filepath.Join(out, "aim-orders.csv")); err == nil {
		t.Error("wrote an AIM file")
	}
}
