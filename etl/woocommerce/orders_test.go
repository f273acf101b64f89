package woocommerce

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/orders/orderstest"
	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/shopify"
	"github.com/aimbridge/aimbridge/etl/tabular"
	"github.com/aimbridge/aimbridge/mappings"
)

func tempOrders(t testing.TB, name, content string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// header reads one of the header fixtures under testdata/orders.
func header(t testing.TB, file string) []string {
	data, err := os.ReadFile(filepath.Join("testdata", "orders", file))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) != 1 {
		t.Fatalf("%s: %v", file, err)
	}
	return recs[0]
}

// table lays rows out under h; each row names only its non-empty cells.
func table(t testing.TB, h []string, rows ...map[string]string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(h)
	for _, r := range rows {
		rec := make([]string, len(h))
		for i, c := range h {
			rec[i] = r[c]
		}
		for k, v := range r {
			if v != "" && !strings.Contains(","+strings.Join(h, ",")+",", ","+k+",") {
				t.Fatalf("fixture names column %q the header lacks", k)
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return b.String()
}

func formatNamed(t testing.TB, name string) orders.Format {
	for _, f := range OrderFormats {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no format %s", name)
	return orders.Format{}
}

// readOrders reads every order of a file; unreadable records come back apart.
func readOrders(t testing.TB, f orders.Format, path string, cfg orders.Config) ([]*orders.Order, []*tabular.RowError) {
	t.Helper()
	r, err := f.Open(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, bad, err := orderstest.Drain(r)
	if err != nil {
		t.Fatal(err)
	}
	return got, bad
}

// runOrders runs the orders path over inputs and returns the summary, the
// AIM lines as maps and exceptions.csv.
func runOrders(t testing.TB, job orders.Job) (*orders.Summary, []map[string]string, string) {
	t.Helper()
	job.Out = t.TempDir()
	if job.Formats == nil {
		job.Formats = OrderFormats
	}
	sum, err := orders.Run(job)
	if err != nil {
		t.Fatal(err)
	}
	aim, _ := os.ReadFile(filepath.Join(job.Out, "aim-orders.csv"))
	ex, _ := os.ReadFile(filepath.Join(job.Out, "exceptions.csv"))
	recs, err := csv.NewReader(bytes.NewReader(aim)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		lines = append(lines, m)
	}
	return sum, lines, string(ex)
}

func pick(l map[string]string, keys ...string) string {
	vs := make([]string, len(keys))
	for i, k := range keys {
		vs[i] = l[k]
	}
	return strings.Join(vs, "|")
}

func problems(o *orders.Order) string {
	var ps []string
	for _, p := range o.Problems {
		ps = append(ps, p.Reason+" "+p.Column+"="+p.Value)
	}
	return strings.Join(ps, "; ")
}

const o3Cell = `name:Fender Strat|sku:0113942719|||US210033734|quantity:1|total:1499.00|refunded:0.00|refunded_qty:0|meta:Serial Number=US210033734|tax:0.00;name:Picks|sku:012345|quantity:2|total:5.98|refunded:0.00|refunded_qty:0|meta:|tax:0.00`

func cocRow(id, status, date, total string, extra map[string]string) map[string]string {
	r := map[string]string{"order_id": id, "order_number": id, "order_date": date, "status": status, "shipping_total": "0.00",
		"tax_total": "0.00", "discount_total": "0.00", "order_total": total, "refunded_total": "0.00", "order_currency": "USD",
		"payment_method": "stripe", "billing_first_name": "Dana", "billing_last_name": "Whitfield", "billing_email": "Dana@Example.com",
		"billing_phone": "(201) 555-0143", "billing_address_1": "412 Garden St", "billing_postcode": "07030", "billing_city": "Hoboken",
		"billing_state": "NJ", "billing_country": "US", "shipping_first_name": "Dana", "shipping_last_name": "Whitfield",
		"shipping_address_1": "412 Garden St", "shipping_postcode": "07030", "shipping_city": "Hoboken", "shipping_state": "NJ", "shipping_country": "US"}
	for k, v := range extra {
		r[k] = v
	}
	return r
}

// O3: the C/O/C Default export's packed line_items give two lines, the
// serial split from the AIM SKU.
func TestOrdersO3(t *testing.T) {
	p := tempOrders(t, "customer-order-export.csv", table(t, header(t, "coc-default-v3-header.csv"),
		cocRow("1001", "completed", "2024-03-04 10:15:32", "1504.98", map[string]string{"line_items": o3Cell})))
	f, err := orders.Detect(p, OrderFormats)
	if err != nil || f.Name != "woocommerce-coc-csv" {
		t.Fatalf("Detect = %s, %v", f.Name, err)
	}
	got, bad := readOrders(t, f, p, orders.Config{})
	if len(got) != 1 || len(bad) != 0 {
		t.Fatalf("%d orders, %d bad records", len(got), len(bad))
	}
	o := got[0]
	if o.Number != "1001" || o.WebID != "1001" || o.Date != "2024-03-04" || !o.Placed.IsZero() || o.State != orders.Open ||
		o.FirstName != "Dana" || o.Bill.Name != "Dana Whitfield" || o.Bill.PostalCode != "07030" || o.Email != "Dana@Example.com" ||
		o.Total.String() != "1504.98" || o.Src.Line != 2 || len(o.Problems) != 0 {
		t.Errorf("order %+v", o)
	}
	want := []string{"0113942719|||US210033734 Fender Strat 1 0 1499", "012345 Picks 2 0 2.99"}
	for i, l := range o.Lines {
		if g := fmt.Sprintf("%s %s %d %d %s", l.WebSKU, l.Description, l.Qty, l.Refunded, l.UnitPrice); i >= len(want) || g != want[i] || l.Src.Line != 2 {
			t.Errorf("line %d: %s (src %v)", i, g, l.Src)
		}
	}

	sum, lines, ex := runOrders(t, orders.Job{Inputs: []string{p}})
	if sum.ExitCode != report.ExitOK || len(lines) != 2 {
		t.Fatalf("exit %d, %d lines\n%s", sum.ExitCode, len(lines), ex)
	}
	for i, w := range []string{"1001|0113942719|US210033734|1|1499.00|woocommerce", "1001|012345||2|2.99|woocommerce"} {
		if g := pick(lines[i], "OrderNumber", "AIMSku", "Serial", "Qty", "UnitPrice", "Source"); g != w {
			t.Errorf("AIM line %d: %s, want %s", i+1, g, w)
		}
	}
}

const o5Order = `[{"id":727,"number":"1042","status":"processing","currency":"USD","date_created":"2024-03-04T19:42:08","date_created_gmt":"2024-03-05T00:42:08",
 "discount_total":"0.00","shipping_total":"0.00","total_tax":"0.00","total":"634.00","payment_method_title":"Credit Card",
 "billing":{"first_name":"Sam","last_name":"Lee","address_1":"1 Main St","city":"Newark","state":"NJ","postcode":"07102","country":"US","email":"sam@example.com","phone":"973-555-0100"},
 "shipping":{"first_name":"Sam","last_name":"Lee","address_1":"1 Main St","city":"Newark","state":"NJ","postcode":"07102","country":"US"},
 "line_items":[{"id":315,"name":"Gig Bag","product_id":0,"variation_id":0,"quantity":10.0,"sku":"H01/42209","price":63.4,"total":"634.00"}],
 "refunds":[]}]`

// O5: a REST line item keyed on sku, quantity 10.0 read as 10, the number
// price 63.4 read exactly.
func TestOrdersO5(t *testing.T) {
	p := tempOrders(t, "orders.json", o5Order)
	f, err := orders.Detect(p, OrderFormats)
	if err != nil || f.Name != "woocommerce-rest" {
		t.Fatalf("Detect = %s, %v", f.Name, err)
	}
	got, _ := readOrders(t, f, p, orders.Config{})
	l := got[0].Lines[0]
	if l.WebSKU != "H01/42209" || l.Qty != 10 || l.UnitPrice.String() != "63.4" || money.Format(l.UnitPrice) != "63.40" || l.WebLineID != "315" || len(got[0].Problems) != 0 {
		t.Errorf("line %+v, problems %v", l, got[0].Problems)
	}
	sum, lines, ex := runOrders(t, orders.Job{Inputs: []string{p}})
	if sum.ExitCode != report.ExitOK || len(lines) != 1 {
		t.Fatalf("exit %d\n%s", sum.ExitCode, ex)
	}
	if g := pick(lines[0], "OrderNumber", "WebOrderId", "WebLineId", "AIMSku", "Serial", "Qty", "UnitPrice", "ExtPrice"); g != "1042|727|315|H01/42209||10|63.40|634.00" {
		t.Errorf("AIM line %s", g)
	}
}

func restJSON(fields string, lines string) string {
	return `{"id":4811,"number":"2001","status":"completed","currency":"USD","date_created":"2024-03-04T19:42:08","date_created_gmt":"2024-03-05T00:42:08",` +
		`"total":"1.00","billing":{"first_name":"Elena","last_name":"Kovacs","email":"e@example.com","postcode":"07042"},"line_items":[` + lines + `]` + fields + `}`
}

const restLineJSON = `{"id":1,"name":"A","sku":"A1","quantity":1,"subtotal":"1.00","total":"1.00","price":1}`

func TestRESTOrders(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	la, _ := time.LoadLocation("America/Los_Angeles")
	f := formatNamed(t, "woocommerce-rest")
	p := tempOrders(t, "orders.json", "\uFEFF [\n"+strings.Join([]string{
		restJSON("", restLineJSON),
		restJSON(`,"number":"2002","date_created":null`, `{"id":2,"sku":"B1","quantity":1.5,"subtotal":"3.00"},{"id":3,"sku":"C1","quantity":"2","price":33.333333333333336}`),
		restJSON(`,"number":"2003","line_items":"broken"`, restLineJSON),
		restJSON(`,"number":"2004","status":"wc-processing","refunds":[{"id":9,"reason":"","total":"-0.50"}]`, restLineJSON),
		restJSON(`,"number":"2005","date_created_gmt":"03/05/2024"`, restLineJSON),
	}, ",\n")+"\n]\n")
	got, _ := readOrders(t, f, p, orders.Config{Location: ny})
	if len(got) != 5 {
		t.Fatalf("%d orders", len(got))
	}
	a := got[0]
	if a.Number != "2001" || a.WebID != "4811" || a.Date != "2024-03-04" || a.Placed.Format(time.RFC3339) != "2024-03-05T00:42:08Z" ||
		a.Src.String() != "orders.json" || a.Bill.Name != "Elena Kovacs" || a.Bill.PostalCode != "07042" || a.Email != "e@example.com" || len(a.Warnings) != 0 {
		t.Errorf("first order %+v", a)
	}
	if b := got[1]; problems(b) != "bad-quantity line_items[0].quantity=1.5" || b.Date != "2024-03-04" ||
		b.Lines[1].Qty != 2 || b.Lines[1].UnitPrice.String() != "33.333333333333336" {
		t.Errorf("second order: %s %s %+v", problems(b), b.Date, b.Lines)
	}
	if c := got[2]; problems(c) != "bad-value line_items=string" {
		t.Errorf("third order: %s", problems(c))
	}
	if d := got[3]; d.State != orders.PartiallyRefunded || d.StateDetail != "refunds total 0.50" {
		t.Errorf("fourth order: %v %q", d.State, d.StateDetail)
	}
	if e := got[4]; problems(e) != "bad-date date_created_gmt=03/05/2024" {
		t.Errorf("fifth order: %s", problems(e))
	}

	// Without --timezone the date is the site's own clock (date_created);
	// a --timezone that disagrees with it is reported.
	got, _ = readOrders(t, f, p, orders.Config{})
	if a := got[0]; a.Date != "2024-03-04" || len(a.Warnings) != 0 {
		t.Errorf("no timezone: %s %q", a.Date, a.Warnings)
	}
	if b := got[1]; b.Date != "2024-03-05" || len(b.Warnings) != 1 {
		t.Errorf("no timezone, no date_created: %s %q", b.Date, b.Warnings)
	}
	got, _ = readOrders(t, f, p, orders.Config{Location: la})
	if a := got[0]; a.Date != "2024-03-04" || len(a.Warnings) != 0 {
		t.Errorf("Los Angeles: %s %q", a.Date, a.Warnings)
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	got, _ = readOrders(t, f, p, orders.Config{Location: tokyo})
	if a := got[0]; a.Date != "2024-03-05" || len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], "is on another day") {
		t.Errorf("Tokyo: %s %q", a.Date, a.Warnings)
	}
}

// A saved single order (GET /orders/{id}) reads as one order; JSON that
// breaks off stops the run; a second document after the array too.
func TestRESTShapes(t *testing.T) {
	f := formatNamed(t, "woocommerce-rest")
	got, _ := readOrders(t, f, tempOrders(t, "one.json", restJSON("", restLineJSON)), orders.Config{})
	if len(got) != 1 || got[0].Number != "2001" {
		t.Errorf("single order: %d", len(got))
	}
	for name, content := range map[string]string{
		"cut.json":     "[" + restJSON("", restLineJSON)[:80],
		"two.json":     "[" + restJSON("", restLineJSON) + "]\n[" + restJSON("", restLineJSON) + "]",
		"missing.json": "[" + restJSON("", restLineJSON) + " " + restJSON("", restLineJSON) + "]",
	} {
		r, err := f.Open(tempOrders(t, name, content), orders.Config{})
		if err != nil {
			t.Fatal(err)
		}
		for err == nil {
			_, err = r.Next()
		}
		r.Close()
		if errors.Is(err, io.EOF) {
			t.Errorf("%s: read to the end without an error", name)
		}
	}
	if _, err := f.Open(tempOrders(t, "obj.json", `"orders"`), orders.Config{}); err == nil {
		t.Error("a JSON string opened as orders")
	}
}

// Each layout is recognised by its own format, and no two formats — of
// WooCommerce or of Shopify — match one file.
func TestOrdersDetect(t *testing.T) {
	samples := filepath.Join("..", "..", "samples", "orders")
	files := map[string]string{
		filepath.Join(samples, "woocommerce-orders.json"):                     "woocommerce-rest",
		filepath.Join(samples, "woocommerce-customer-order-export.csv"):       "woocommerce-coc-csv",
		filepath.Join(samples, "woocommerce-customer-order-export-items.csv"): "woocommerce-coc-items-csv",
		filepath.Join(samples, "woocommerce-advanced-order-export.csv"):       "woocommerce-aoe-csv",
		filepath.Join(samples, "shopify-orders.csv"):                          "shopify-csv",
	}
	for fixture, want := range map[string]string{
		"coc-default-v3-header.csv": "woocommerce-coc-csv",
		"coc-default-v4-header.csv": "woocommerce-coc-csv",
		"coc-items-v4-header.csv":   "woocommerce-coc-items-csv",
		"aoe-default-header.csv":    "woocommerce-aoe-csv",
		"aoe-older-header.csv":      "woocommerce-aoe-csv",
	} {
		files[tempOrders(t, fixture, table(t, header(t, fixture)))] = want
	}
	// C/O/C with both a packed cell and item columns is the item layout.
	both := append(header(t, "coc-items-v4-header.csv"), "line_items")
	files[tempOrders(t, "both.csv", table(t, both))] = "woocommerce-coc-items-csv"
	// Header drift: an XLSX re-save or a hand edit changes case and spacing.
	drift := strings.NewReplacer("Order Number", "ORDER NUMBER", "Item Cost", "item_cost").Replace(strings.Join(header(t, "aoe-default-header.csv"), ","))
	files[tempOrders(t, "drift.csv", "\uFEFF"+drift+"\n")] = "woocommerce-aoe-csv"

	all := append(append([]orders.Format(nil), OrderFormats...), shopify.OrderFormats...)
	for path, want := range files {
		f, err := orders.Detect(path, all)
		if err != nil || f.Name != want {
			t.Errorf("%s: Detect = %q, %v; want %s", filepath.Base(path), f.Name, err, want)
		}
		h, err := orders.ReadHead(path, all)
		if err != nil {
			t.Fatal(err)
		}
		var hits []string
		for _, f := range all {
			if f.Signature.Match(h) {
				hits = append(hits, f.Name)
			}
		}
		if len(hits) != 1 {
			t.Errorf("%s matches %v", filepath.Base(path), hits)
		}
	}

	for name, content := range map[string]string{
		"grid.csv":        "ID,Purchase Point,Purchase Date,Bill-to Name,Ship-to Name,Grand Total (Base),Grand Total (Purchased),Status,Action\n",
		"bigcommerce.csv": "Order ID,Customer ID,Customer Name,Order Date,Order Status,Order Total (inc tax),Product Details\n",
		"renamed.csv":     strings.Replace(strings.Join(header(t, "aoe-default-header.csv"), ","), "Item Cost", "Unit Price", 1) + "\n",
		"magento.json":    `{"items":[{"entity_id":1,"increment_id":"000000001","items":[]}],"total_count":1}`,
		"shopify.json":    `{"orders":[{"id":1,"name":"#1001","line_items":[]}]}`,
	} {
		_, err := orders.Detect(tempOrders(t, name, content), OrderFormats)
		if err == nil || !strings.Contains(err.Error(), "is not an order export aimbridge knows") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A store that renamed the plugin's columns gives its own profile; it
// reads the file the built-in one does not recognise.
func TestOrderProfile(t *testing.T) {
	data, err := mappings.Default("woocommerce-orders-advanced-order-export.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.NewReplacer(`"Item Cost"]`, `"Unit Price"]`, `"Item Cost"}`, `"Unit Price"}`,
		`{from: ["Order Status"]}`, `{from: ["Order Status"], map: {Shipped: completed}}`,
		`{from: ["Currency"], default: ""}`, `{from: ["Currency"], default: "USD"}`).Replace(string(data))
	f, err := ProfileFormat("our-export.yaml", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	h := header(t, "aoe-default-header.csv")
	for i := range h {
		if h[i] == "Item Cost" {
			h[i] = "Unit Price"
		}
	}
	p := tempOrders(t, "renamed.csv", table(t, h,
		map[string]string{"Order Number": "88", "Order Status": "Shipped", "Order Date": "2024-03-15 10:04", "SKU": "0113942719|||US210033734",
			"Item #": "1", "Item Name": "Strat", "Quantity (- Refund)": "1", "Unit Price": "1699.99", "Order Total Amount": "1699.99"}))
	if _, err := orders.Detect(p, OrderFormats); err == nil {
		t.Error("the built-in profile recognised a renamed export")
	}
	got, err := orders.Detect(p, []orders.Format{f})
	if err != nil || got.Name != "woocommerce-profile" {
		t.Fatalf("Detect = %s, %v", got.Name, err)
	}
	os, _ := readOrders(t, f, p, orders.Config{})
	o := os[0]
	if o.State != orders.Open || o.Currency != "USD" || o.Lines[0].UnitPrice.String() != "1699.99" || len(o.Problems) != 0 {
		t.Errorf("order %+v", o)
	}

	for _, tc := range []struct{ yaml, err string }{
		{"title: x\nkey: order_id\nsignature: [a]\ndate_formats: [x]\nfields:\n  colour: {from: [C]}\n", `unknown field "colour"`},
		{"title: x\nkey: order_id\nsignature: [a]\ndate_formats: [x]\nfields:\n  order_total: {from: [T], type: decimal}\n", "an order profile takes only from, required, map and default"},
		{"title: x\nkey: id\nsignature: [a]\n", `key "id"`},
		{"title: x\nkey: order_id\nsignature: [a]\ndate_formats: [x]\nfields:\n  order_id: {from: [ID]}\n  order_date: {from: [D]}\n  status: {from: [S]}\n", "field item_sku is needed"},
		{"title: x\nkye: order_id\n", "field kye not found"},
	} {
		if _, err := parseProfile("p.yaml", []byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: %v, want %q", tc.yaml, err, tc.err)
		}
	}
}

func itemRow(id, status, sku, qty, subtotal string, extra map[string]string) map[string]string {
	r := cocRow(id, status, "", "", extra)
	r["date"] = "2024-03-12 12:08:51"
	delete(r, "order_date")
	r["item_sku"], r["item_quantity"], r["item_subtotal"], r["item_total"] = sku, qty, subtotal, subtotal
	r["item_name"] = "Item " + sku
	for k, v := range extra {
		r[k] = v
	}
	return r
}

// Statuses: what is written, skipped and held (see status in orders.go).
func TestOrdersStatuses(t *testing.T) {
	h := header(t, "coc-items-v4-header.csv")
	f := formatNamed(t, "woocommerce-coc-items-csv")
	for _, tc := range []struct {
		status string
		state  orders.State
		detail string
		held   string
	}{
		{status: "completed"}, {status: "processing"}, {status: "on-hold"}, {status: "wc-completed"}, {status: "Completed"}, {status: "On hold"},
		{status: "cancelled", state: orders.Cancelled, detail: "status cancelled"},
		{status: "refunded", state: orders.Refunded, detail: "status refunded"},
		{status: "failed", state: orders.Cancelled, detail: "status failed (the payment failed; no sale took place)"},
		{status: "trash", state: orders.Cancelled, detail: "status trash (the order was deleted in WooCommerce)"},
		{status: "pending", held: "not-settled status=pending"},
		{status: "Pending payment", held: "not-settled status=Pending payment"},
		{status: "checkout-draft", held: "not-settled status=checkout-draft"},
		{status: "shipped", held: "not-settled status=shipped"},
		{status: "", held: "not-settled status="},
	} {
		p := tempOrders(t, "s.csv", table(t, h, itemRow("6301", tc.status, "A1", "1", "10.00", map[string]string{"order_total": "10.00"})))
		got, _ := readOrders(t, f, p, orders.Config{})
		if o := got[0]; o.State != tc.state || o.StateDetail != tc.detail || problems(o) != tc.held {
			t.Errorf("%q: %v %q %q, want %v %q %q", tc.status, o.State, o.StateDetail, problems(o), tc.state, tc.detail, tc.held)
		}
	}
}

// Refunds: units refunded per line come off their lines; money refunded
// without units leaves the order partly refunded (held by default).
func TestOrdersRefunds(t *testing.T) {
	h := header(t, "coc-items-v4-header.csv")
	f := formatNamed(t, "woocommerce-coc-items-csv")
	p := tempOrders(t, "r.csv", table(t, h,
		itemRow("1", "completed", "EXL110", "3", "20.97", map[string]string{"item_refunded_qty": "-1", "item_refunded": "6.99", "refunded_total": "7.41", "order_total": "769.97"}),
		itemRow("1", "completed", "USEDGIBSG|||ISI1042", "1", "749.00", map[string]string{"item_refunded_qty": "-1", "item_refunded": "749.00", "refunded_total": "7.41", "order_total": "769.97"}),
		itemRow("2", "completed", "EXL110", "3", "20.97", map[string]string{"refunded_total": "10.00", "order_total": "20.97"}),
		itemRow("3", "refunded", "EXL110", "3", "20.97", map[string]string{"item_refunded_qty": "-3", "refunded_total": "20.97", "order_total": "20.97"}),
		itemRow("4", "completed", "EXL110", "3", "20.97", map[string]string{"item_refunded_qty": "-4", "order_total": "20.97"})))
	got, _ := readOrders(t, f, p, orders.Config{})
	a := got[0]
	if a.State != orders.Open || a.Lines[0].Refunded != 1 || a.Lines[1].Refunded != 1 || a.Lines[0].UnitPrice.String() != "6.99" ||
		len(a.Warnings) != 1 || a.Warnings[0] != "refunded_total 7.41; the units refunded per line are taken off their lines" {
		t.Errorf("order 1: %v %+v %q", a.State, a.Lines, a.Warnings)
	}
	if b := got[1]; b.State != orders.PartiallyRefunded || b.StateDetail != "refunded_total 10.00" {
		t.Errorf("order 2: %v %q", b.State, b.StateDetail)
	}
	if c := got[2]; c.State != orders.Refunded {
		t.Errorf("order 3: %v", c.State)
	}

	sum, lines, ex := runOrders(t, orders.Job{Inputs: []string{p}})
	if len(lines) != 1 || pick(lines[0], "OrderNumber", "AIMSku", "Qty", "ExtPrice") != "1|EXL110|2|13.98" {
		t.Errorf("AIM lines %v", lines)
	}
	for _, w := range []string{
		"woocommerce,1,,USEDGIBSG|||ISI1042,refunded-line,all 1 units of this line were refunded or cancelled; nothing to sell,skipped,r.csv,3,,\n",
		"woocommerce,2,,,partial-refund,refunded_total 10.00; the export does not say which line was refunded",
		"woocommerce,3,,,refunded,status refunded,skipped,r.csv,5,,\n",
		"woocommerce,4,,EXL110,bad-quantity,4 units refunded of 3 ordered,held,r.csv,6,refunded quantity,4\n",
	} {
		if !strings.Contains(ex, w) {
			t.Errorf("exceptions lack %q:\n%s", w, ex)
		}
	}
	if sum.OrdersWritten != 1 || sum.OrdersHeld != 2 || sum.OrdersSkipped != 1 {
		t.Errorf("summary %+v", sum)
	}

	// Advanced Order Export with both quantities: the difference is refunded.
	ah := append(header(t, "aoe-default-header.csv"), "Quantity")
	row := map[string]string{"Order Number": "7", "Order Status": "Completed", "Order Date": "2024-03-15 10:04", "SKU": "KG6B", "Item #": "1",
		"Quantity": "3", "Quantity (- Refund)": "1", "Item Cost": "21.95", "Order Refund Amount": "43.90", "Order Total Amount": "65.85"}
	got, _ = readOrders(t, formatNamed(t, "woocommerce-aoe-csv"), tempOrders(t, "a.csv", table(t, ah, row)), orders.Config{})
	if o := got[0]; o.State != orders.Open || o.Lines[0].Qty != 3 || o.Lines[0].Refunded != 2 {
		t.Errorf("AOE: %v %+v", o.State, o.Lines)
	}
}

// Faults inside an order hold it back; a row that belongs to no order is
// refused and holds back the orders around it.
func TestOrdersBadValues(t *testing.T) {
	h := header(t, "coc-items-v4-header.csv")
	good := func(id, sku string) map[string]string {
		return itemRow(id, "completed", sku, "1", "10.00", map[string]string{"order_total": "10.00"})
	}
	p := tempOrders(t, "x.csv", table(t, h,
		good("1", "A1"),
		itemRow("", "completed", "B1", "1", "10.00", nil),
		good("2", "A2"),
		itemRow("3", "completed", "A3", "1.5", "1,299.00", map[string]string{"date": "03/12/2024", "order_total": "x"}),
		itemRow("4", "completed", "unknown_product", "1", "10.00", map[string]string{"order_total": "10.00"}),
		good("5", "A5")))
	got, bad := readOrders(t, formatNamed(t, "woocommerce-coc-items-csv"), p, orders.Config{})
	if len(bad) != 1 || bad[0].Line != 3 || bad[0].Column != "order_id" || bad[0].Reason != "the row has no order_id, so it belongs to no order" {
		t.Fatalf("bad records %+v", bad)
	}
	want := []string{
		"next-to-unreadable-record =",
		"next-to-unreadable-record =",
		"bad-amount order_total=x; bad-date date=03/12/2024; bad-quantity item_quantity=1.5; bad-amount item_subtotal=1,299.00",
		"bad-value item_sku=unknown_product",
		"",
	}
	for i, o := range got {
		if problems(o) != want[i] {
			t.Errorf("order %s: %s\nwant      %s", o.Number, problems(o), want[i])
		}
	}
	if d := got[2].Problems[1].Detail; d != "expected a date like 2024-03-04 10:15:32 or 2024-03-04 10:15 or 2024-03-04T10:15:32 (date_formats in the order profile)" {
		t.Errorf("date detail %q", d)
	}

	// The packed layout holds an order whose cell cannot be split.
	p = tempOrders(t, "p.csv", table(t, header(t, "coc-default-v4-header.csv"),
		cocRow("9", "completed", "", "1.00", map[string]string{"date": "2024-03-04 10:15:32", "line_items": "name:X|quantity:2 pack|sku:A|quantity:1|total:1.00"}),
		cocRow("10", "completed", "", "1.00", map[string]string{"date": "2024-03-04 10:15:32", "line_items": "name:X|sku:unknown_product|total:1.00"})))
	got, _ = readOrders(t, formatNamed(t, "woocommerce-coc-csv"), p, orders.Config{})
	if problems(got[0]) != "bad-value line_items=name:X|quantity:2 pack|sku:A|quantity:1|total:1.00" ||
		problems(got[1]) != "bad-value line_items (item 1, sku:)=unknown_product; bad-quantity line_items (item 1, quantity:)=" {
		t.Errorf("packed: %q / %q", problems(got[0]), problems(got[1]))
	}
}

// The sample exports give exactly the files under
// samples/expected/orders/woocommerce/<sample>/.
func TestOrdersSampleGolden(t *testing.T) {
	layout, err := orders.LoadLayout("")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sample                 string
		written, held, skipped int
	}{
		{"woocommerce-orders.json", 3, 3, 3},
		{"woocommerce-customer-order-export.csv", 4, 2, 1},
		{"woocommerce-customer-order-export-items.csv", 4, 1, 1},
		{"woocommerce-advanced-order-export.csv", 3, 2, 1},
	} {
		t.Run(tc.sample, func(t *testing.T) {
			out := t.TempDir()
			sum, err := orders.Run(orders.Job{Inputs: []string{filepath.Join("..", "..", "samples", "orders", tc.sample)}, Out: out,
				Formats: OrderFormats, Layout: layout, Reader: orders.Config{Location: ny}, Version: "dev"})
			if err != nil {
				t.Fatal(err)
			}
			if sum.ExitCode != report.ExitPartial || sum.OrdersWritten != tc.written || sum.OrdersHeld != tc.held || sum.OrdersSkipped != tc.skipped || !sum.Balanced {
				t.Errorf("summary: exit %d, %d written, %d held, %d skipped", sum.ExitCode, sum.OrdersWritten, sum.OrdersHeld, sum.OrdersSkipped)
			}
			golden := filepath.Join("..", "..", "samples", "expected", "orders", "woocommerce", strings.TrimSuffix(tc.sample, filepath.Ext(tc.sample)))
			orderstest.Golden(t, out, golden, *update)
		})
	}
}

// A response wrapped in another object is refused, not read as one
// nameless order that would hide the orders inside.
func TestRESTWrappedResponseRefused(t *testing.T) {
	p := tempOrders(t, "w.json", `{"orders":[{"id":1,"number":"3001","line_items":[],"date_created_gmt":"2024-01-01T00:00:00"}]}`)
	r, err := OpenRESTOrders(p, orders.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "not a WooCommerce order") {
		t.Fatalf("wrapped response: %v", err)
	}
}
