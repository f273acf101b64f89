package shopify

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/orders/orderstest"
	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/tabular"
)

var update = flag.Bool("update", false, "rewrite samples/expected/orders/shopify from the current code")

// header79 is the order export header of formats/shopify.md §2.1.
func header79(t testing.TB) []string {
	data, err := os.ReadFile("testdata/orders/header-79.csv")
	if err != nil {
		t.Fatal(err)
	}
	h := strings.Split(strings.TrimSpace(string(data)), ",")
	if len(h) != 79 {
		t.Fatalf("header-79.csv has %d columns", len(h))
	}
	return h
}

// export lays rows out under header; each row names only its non-empty cells.
func export(t testing.TB, header []string, rows ...map[string]string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(header)
	for _, r := range rows {
		rec := make([]string, len(header))
		for i, h := range header {
			rec[i] = r[h]
		}
		for k := range r {
			if !contains(header, k) {
				t.Fatalf("fixture names column %q the header lacks", k)
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return b.String()
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func tempFile(t testing.TB, name, content string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readAll reads every order of a file; unreadable records come back apart.
func readAll(t *testing.T, path string, cfg orders.Config) ([]*orders.Order, []*tabular.RowError) {
	t.Helper()
	r, err := OpenOrders(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, bad, err := orderstest.Drain(r)
	if err != nil {
		t.Fatal(err)
	}
	return got, bad
}

func firstRow(name, created string, extra map[string]string) map[string]string {
	r := map[string]string{"Name": name, "Email": "dana@example.com", "Financial Status": "paid", "Currency": "USD",
		"Subtotal": "1711.97", "Shipping": "0.00", "Taxes": "0.00", "Total": "1711.97", "Discount Amount": "0.00",
		"Created at": created, "Billing Name": "Dana Whitfield", "Billing Address1": "412 Garden St", "Billing City": "Hoboken",
		"Billing Zip": "'07030", "Billing Province": "NJ", "Billing Country": "US", "Shipping Name": "Dana Whitfield",
		"Shipping Address1": "412 Garden St", "Shipping City": "Hoboken", "Shipping Zip": "'07030", "Shipping Province": "NJ",
		"Shipping Country": "US", "Payment Method": "Shopify Payments", "Id": "5623419879551"}
	for k, v := range extra {
		r[k] = v
	}
	return r
}

func item(r map[string]string, qty, name, price, sku string) map[string]string {
	if r == nil {
		r = map[string]string{}
	}
	r["Lineitem quantity"], r["Lineitem name"], r["Lineitem price"], r["Lineitem sku"] = qty, name, price, sku
	return r
}

// O1: two rows of #1001; row 2 has no Financial Status and is still paid.
func TestOrdersO1(t *testing.T) {
	h := header79(t)
	p := tempFile(t, "orders_export.csv", export(t, h,
		item(firstRow("#1001", "2024-03-04 10:15:32 -0500", map[string]string{"Shipping Zip": "'07030"}), "1", "Fender Strat - US210033734", "1699.99", "0113942719|||US210033734"),
		item(map[string]string{"Name": "#1001", "Email": "dana@example.com"}, "2", "Accessory", "5.99", "0991234567")))
	got, bad := readAll(t, p, orders.Config{})
	if len(got) != 1 || len(bad) != 0 {
		t.Fatalf("%d orders, %d bad records", len(got), len(bad))
	}
	o := got[0]
	if o.State != orders.Open || o.Number != "#1001" || o.WebID != "5623419879551" || o.Ship.PostalCode != "07030" || o.Bill.PostalCode != "07030" {
		t.Errorf("order %+v", o)
	}
	if len(o.Lines) != 2 || o.Lines[0].WebSKU != "0113942719|||US210033734" || o.Lines[1].WebSKU != "0991234567" || o.Lines[1].Qty != 2 ||
		o.Lines[0].Src.Line != 2 || o.Lines[1].Src.Line != 3 {
		t.Errorf("lines %+v", o.Lines)
	}

	out := t.TempDir()
	sum, err := orders.Run(orders.Job{Inputs: []string{p}, Out: out, Formats: OrderFormats})
	if err != nil {
		t.Fatal(err)
	}
	aim, _ := os.ReadFile(filepath.Join(out, "aim-orders.csv"))
	recs, _ := csv.NewReader(bytes.NewReader(aim)).ReadAll()
	pick := func(rec []string, keys ...string) string {
		var vs []string
		for _, k := range keys {
			for i, h := range recs[0] {
				if h == k {
					vs = append(vs, rec[i])
				}
			}
		}
		return strings.Join(vs, "|")
	}
	want := []string{
		"#1001|1|0113942719|US210033734|1|1699.99|1699.99|07030|0113942719|||US210033734",
		"#1001|2|0991234567||2|5.99|11.98|07030|0991234567",
	}
	if len(recs) != 3 || sum.ExitCode != report.ExitOK {
		t.Fatalf("AIM file:\n%s\nexit %d", aim, sum.ExitCode)
	}
	for i, w := range want {
		if g := pick(recs[i+1], "OrderNumber", "LineNumber", "AIMSku", "Serial", "Qty", "UnitPrice", "ExtPrice", "ShipPostalCode", "WebSku"); g != w {
			t.Errorf("line %d: %s\nwant    %s", i+1, g, w)
		}
	}
}

// Header names drift between export vintages (formats/shopify.md §2.2).
func TestOrdersHeaderDrift(t *testing.T) {
	h := []string{"Name", "Phone", "EMAIL", "Financial-Status", "Currency", "Total", "Created at", "Lineitem quantity", "Lineitem name",
		"Lineitem price", "Lineitem compare-at price", "Lineitem SKU", "Billing Zip", "Canceled at", "Payment Reference (deprecated)", "Refunded Amount"}
	p := tempFile(t, "drift.csv", "\uFEFF"+export(t, h,
		map[string]string{"Name": "#2001", "Phone": "'+1 201 555 0110", "EMAIL": "x@example.com", "Financial-Status": "paid", "Currency": "USD",
			"Total": "10.00", "Created at": "2024-03-04 10:15:32 -0500", "Lineitem quantity": "1", "Lineitem name": "Picks",
			"Lineitem price": "10.00", "Lineitem SKU": "'0885978", "Billing Zip": "'07030"},
		map[string]string{"Name": "#2002", "Financial-Status": "refunded", "Currency": "USD", "Total": "10.00", "Created at": "2024-03-04 11:00:00 -0500",
			"Lineitem quantity": "1", "Lineitem price": "10.00", "Lineitem SKU": "0885978", "Canceled at": "2024-03-05 09:00:00 -0500"}))
	f, err := orders.Detect(p, OrderFormats)
	if err != nil || f.Name != "shopify-csv" {
		t.Fatalf("Detect = %v, %v", f.Name, err)
	}
	got, _ := readAll(t, p, orders.Config{})
	if len(got) != 2 {
		t.Fatalf("%d orders", len(got))
	}
	a, b := got[0], got[1]
	if a.Phone != "'+1 201 555 0110" || a.Email != "x@example.com" || a.Lines[0].WebSKU != "0885978" || a.Bill.PostalCode != "07030" || a.State != orders.Open {
		t.Errorf("first order %+v", a)
	}
	if b.State != orders.Cancelled || b.StateDetail != "Cancelled at 2024-03-05 09:00:00 -0500" {
		t.Errorf("Canceled at: %v %q", b.State, b.StateDetail)
	}
}

func TestOrdersNeedColumns(t *testing.T) {
	p := tempFile(t, "short.csv", "Name,Lineitem sku,Lineitem quantity\n#1,A,1\n")
	_, err := OpenOrders(p, orders.Config{})
	if err == nil || err.Error() != "short.csv: a Shopify order export needs the column(s) Lineitem price, Created at" {
		t.Errorf("error %v", err)
	}
}

// O7: a price re-saved by a European Excel is read only with a locale.
func TestOrdersMoneyLocale(t *testing.T) {
	h := header79(t)
	content := export(t, h, item(firstRow("#1001", "2024-03-04 10:15:32 -0500", map[string]string{"Total": "1.499,00", "Subtotal": "1.499,00", "Taxes": "0,00", "Shipping": "0,00", "Discount Amount": "0,00"}),
		"1", "Strat", "1.499,00", "0113942719|||US210033734"))
	content = strings.ReplaceAll(content, ",", ";") // the EU re-save uses ; between fields
	content = strings.ReplaceAll(content, `"1.499;00"`, "1.499,00")
	content = strings.ReplaceAll(content, `"0;00"`, "0,00")
	p := tempFile(t, "eu.csv", content)

	got, _ := readAll(t, p, orders.Config{})
	var rs []string
	for _, pr := range got[0].Problems {
		rs = append(rs, pr.Reason+" "+pr.Column+" "+pr.Value)
	}
	if want := "bad-amount Shipping 0,00;bad-amount Taxes 0,00;bad-amount Discount Amount 0,00;bad-amount Total 1.499,00;bad-amount Lineitem price 1.499,00"; strings.Join(rs, ";") != want {
		t.Errorf("without a locale: %q\nwant %q", strings.Join(rs, ";"), want)
	}
	if !strings.Contains(got[0].Problems[4].Detail, "ambiguous without a locale") {
		t.Errorf("detail %q", got[0].Problems[4].Detail)
	}

	got, _ = readAll(t, p, orders.Config{Locale: "de-DE"})
	o := got[0]
	if len(o.Problems) != 0 || o.Lines[0].UnitPrice.String() != "1499" || o.Total.String() != "1499" {
		t.Errorf("with de-DE: problems %v, price %s, total %s", o.Problems, o.Lines[0].UnitPrice, o.Total)
	}
}

// O8: the order date is the store's calendar date, the timestamp keeps its offset.
func TestOrdersDates(t *testing.T) {
	h := header79(t)
	p := tempFile(t, "dates.csv", export(t, h,
		item(firstRow("#1", "2024-03-10 23:30:00 -0500", nil), "1", "A", "1.00", "A1"),
		item(firstRow("#2", "2024-03-11 00:30:00 -0400", nil), "1", "A", "1.00", "A1"),
		item(firstRow("#3", "03/11/2024 00:30", nil), "1", "A", "1.00", "A1"),
		item(firstRow("#4", "", nil), "1", "A", "1.00", "A1")))
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := readAll(t, p, orders.Config{Location: ny})
	if o := got[0]; o.Date != "2024-03-10" || o.Placed.Format(time.RFC3339) != "2024-03-10T23:30:00-05:00" {
		t.Errorf("#1: %s %s", o.Date, o.Placed.Format(time.RFC3339))
	}
	if w := got[0].Warnings; len(w) != 1 || w[0] != "Created at 2024-03-10 23:30:00 -0500 has a different offset from America/New_York at that moment (-0400); the date is taken as the export wrote it" {
		t.Errorf("#1 warnings %q", w)
	}
	if o := got[1]; o.Date != "2024-03-11" || len(o.Warnings) != 0 {
		t.Errorf("#2: %s %q", o.Date, o.Warnings)
	}
	for _, o := range got[2:] {
		if len(o.Problems) != 1 || o.Problems[0].Reason != orders.ReasonBadDate || o.Date != "" {
			t.Errorf("%s: %+v", o.Number, o.Problems)
		}
	}
}

func TestOrdersStates(t *testing.T) {
	h := header79(t)
	for _, tc := range []struct {
		fin, cancelled, refunded string
		state                    orders.State
		detail                   string
		held                     bool // not settled: held back
	}{
		{fin: "paid", state: orders.Open},
		{fin: "pending", state: orders.Open, held: true},
		{fin: "expired", state: orders.Open, held: true},
		{fin: "partially_paid", state: orders.Open, held: true},
		{fin: "", state: orders.Open, held: true},
		{fin: "weird", state: orders.Open, held: true},
		{fin: "authorized", state: orders.Open},
		{fin: "voided", state: orders.Cancelled, detail: "Financial Status voided"},
		{fin: "refunded", cancelled: "2024-03-08 16:02:45 -0500", refunded: "10.00", state: orders.Cancelled, detail: "Cancelled at 2024-03-08 16:02:45 -0500"},
		{fin: "refunded", refunded: "10.00", state: orders.Refunded, detail: "Financial Status refunded"},
		{fin: "partially_refunded", refunded: "2.50", state: orders.PartiallyRefunded, detail: "Financial Status partially_refunded, Refunded Amount 2.50"},
		{fin: "paid", refunded: "2.50", state: orders.PartiallyRefunded, detail: `Refunded Amount 2.50 with Financial Status "paid"`},
	} {
		p := tempFile(t, "s.csv", export(t, h, item(firstRow("#1", "2024-03-04 10:15:32 -0500",
			map[string]string{"Financial Status": tc.fin, "Cancelled at": tc.cancelled, "Refunded Amount": tc.refunded}), "1", "A", "10.00", "A1")))
		got, _ := readAll(t, p, orders.Config{})
		held := len(got[0].Problems) == 1 && got[0].Problems[0].Reason == orders.ReasonNotSettled
		if got[0].State != tc.state || got[0].StateDetail != tc.detail || held != tc.held {
			t.Errorf("%s/%s/%s: %v %q held %v, want %v %q held %v", tc.fin, tc.cancelled, tc.refunded, got[0].State, got[0].StateDetail, held, tc.state, tc.detail, tc.held)
		}
	}
}

func TestOrdersRowsDisagree(t *testing.T) {
	h := header79(t)
	p := tempFile(t, "d.csv", export(t, h,
		item(firstRow("#1", "2024-03-04 10:15:32 -0500", nil), "1", "A", "1.00", "A1"),
		item(map[string]string{"Name": "#1", "Email": "other@example.com", "Currency": "USD"}, "1", "B", "1.00", "B1")))
	got, _ := readAll(t, p, orders.Config{})
	if w := got[0].Warnings; len(w) != 1 || w[0] != `rows disagree on Email: "dana@example.com" (line 2) and "other@example.com" (line 3); the first is used` {
		t.Errorf("warnings %q", w)
	}
}

// A Name that comes back after another order: two exports pasted together.
func TestOrdersNameReappears(t *testing.T) {
	h := header79(t)
	a := item(firstRow("#1001", "2024-03-04 10:15:32 -0500", nil), "1", "Strat", "1699.99", "0113942719|||US210033734")
	b := item(firstRow("#1002", "2024-03-05 10:15:32 -0500", map[string]string{"Total": "7.99"}), "1", "Strings", "7.99", "P02221")
	run := func(rows ...map[string]string) (*orders.Summary, string) {
		out := t.TempDir()
		sum, err := orders.Run(orders.Job{Inputs: []string{tempFile(t, "x.csv", export(t, h, rows...))}, Out: out, Formats: OrderFormats})
		if err != nil {
			t.Fatal(err)
		}
		ex, _ := os.ReadFile(filepath.Join(out, "exceptions.csv"))
		return sum, string(ex)
	}
	a["Total"] = "1699.99"
	sum, ex := run(a, b, a)
	if sum.OrdersWritten != 2 || sum.SkippedReasons[orders.ReasonRepeatedOrder] != 1 ||
		!strings.Contains(ex, "shopify,#1001,,,repeated-order,the same order as at x.csv:2 (overlapping exports?); taken once,skipped,x.csv,4,,\n") {
		t.Errorf("identical copy: %+v\n%s", sum, ex)
	}
	changed := map[string]string{}
	for k, v := range a {
		changed[k] = v
	}
	changed["Financial Status"] = "partially_refunded"
	sum, ex = run(a, b, changed)
	if sum.OrdersWritten != 1 || sum.HeldReasons[orders.ReasonDuplicateOrder] != 2 ||
		!strings.Contains(ex, "order #1001 appears 2 times with different contents (first at x.csv:2)") {
		t.Errorf("changed copy: %+v\n%s", sum, ex)
	}
}

// A row that cannot be read holds back the orders it may belong to.
func TestOrdersUnreadableRows(t *testing.T) {
	h := header79(t)
	good := export(t, h,
		item(firstRow("#1", "2024-03-04 10:15:32 -0500", map[string]string{"Total": "1.00"}), "1", "A", "1.00", "A1"),
		item(map[string]string{"Name": "#1"}, "1", "B", "0.00", "B1"),
		item(firstRow("#2", "2024-03-04 11:15:32 -0500", map[string]string{"Total": "1.00"}), "1", "A", "1.00", "A2"),
		item(firstRow("#3", "2024-03-04 12:15:32 -0500", map[string]string{"Total": "1.00"}), "1", "A", "1.00", "A3"),
		item(firstRow("", "2024-03-04 13:15:32 -0500", map[string]string{"Total": "1.00"}), "1", "A", "1.00", "A4"),
		item(firstRow("#4", "2024-03-04 14:15:32 -0500", map[string]string{"Total": "1.00"}), "1", "A", "1.00", "A5"))
	lines := strings.SplitAfter(good, "\n")
	// Line 3 (#1's second row) loses its last fields; line 6 has no Name.
	lines[2] = "#1,cut short\n"
	p := tempFile(t, "x.csv", strings.Join(lines, ""))
	got, bad := readAll(t, p, orders.Config{})
	if len(bad) != 2 || bad[0].Line != 3 || bad[1].Line != 6 || bad[1].Column != "Name" {
		t.Fatalf("bad records %+v", bad)
	}
	held := map[string]string{}
	for _, o := range got {
		held[o.Number] = fmt.Sprint(len(o.Problems))
	}
	if want := map[string]string{"#1": "1", "#2": "1", "#3": "1", "#4": "1"}; fmt.Sprint(held) != fmt.Sprint(want) {
		t.Errorf("problems per order %v, want %v", held, want)
	}
	if d := got[0].Problems[0].Detail; d != "line 3 could not be read (record has 2 fields, the header has 79; it ends before this column) and may belong to this order" {
		t.Errorf("detail %q", d)
	}

	out := t.TempDir()
	sum, err := orders.Run(orders.Job{Inputs: []string{p}, Out: out, Formats: OrderFormats})
	if err != nil {
		t.Fatal(err)
	}
	if sum.RecordsRefused != 2 || sum.OrdersHeld != 4 || sum.OrdersWritten != 0 || sum.ExitCode != report.ExitNothing {
		t.Errorf("summary %+v", sum)
	}
}

// Staff open the export in Excel and save it as XLSX: same orders.
func TestOrdersXLSXResave(t *testing.T) {
	csvPath := filepath.Join("..", "..", "samples", "orders", "shopify-orders.csv")
	xlsxPath := orderstest.Resave(t, csvPath)
	if fm, err := orders.Detect(xlsxPath, OrderFormats); err != nil || fm.Name != "shopify-csv" {
		t.Fatalf("Detect = %v, %v", fm.Name, err)
	}
	fromCSV, _ := readAll(t, csvPath, orders.Config{})
	fromXLSX, _ := readAll(t, xlsxPath, orders.Config{})
	if len(fromCSV) != len(fromXLSX) {
		t.Fatalf("%d orders from CSV, %d from XLSX", len(fromCSV), len(fromXLSX))
	}
	for i := range fromCSV {
		a, b := *fromCSV[i], *fromXLSX[i]
		a.Src, b.Src = orders.Source{}, orders.Source{}
		a.Lines, b.Lines = nil, nil
		a.Problems, b.Problems = nil, nil
		if fmt.Sprint(a) != fmt.Sprint(b) || len(fromCSV[i].Lines) != len(fromXLSX[i].Lines) {
			t.Errorf("order %d differs:\n%v\n%v", i, a, b)
			continue
		}
		for j := range fromCSV[i].Lines {
			la, lb := fromCSV[i].Lines[j], fromXLSX[i].Lines[j]
			la.Src, lb.Src = orders.Source{}, orders.Source{}
			if fmt.Sprint(la) != fmt.Sprint(lb) {
				t.Errorf("order %d line %d:\n%v\n%v", i, j, la, lb)
			}
		}
	}
}

// The sample export gives exactly the files under samples/expected/orders/shopify.
func TestOrdersSampleGolden(t *testing.T) {
	layout, err := orders.LoadLayout("")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	sum, err := orders.Run(orders.Job{Inputs: []string{filepath.Join("..", "..", "samples", "orders", "shopify-orders.csv")}, Out: out,
		Formats: OrderFormats, Layout: layout, Reader: orders.Config{Location: ny}, Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ExitCode != report.ExitPartial || sum.OrdersWritten != 5 || sum.OrdersHeld != 2 || sum.OrdersSkipped != 1 || !sum.Balanced {
		t.Errorf("summary: exit %d, %d written, %d held, %d skipped", sum.ExitCode, sum.OrdersWritten, sum.OrdersHeld, sum.OrdersSkipped)
	}
	golden := filepath.Join("..", "..", "samples", "expected", "orders", "shopify")
	orderstest.Golden(t, out, golden, *update)
}

// BenchmarkShopifyOrders reads a 5,000-order, 10,000-row export of the
// full 79 columns.
func BenchmarkShopifyOrders(b *testing.B) {
	h := header79(b)
	var rows []map[string]string
	for i := range 5000 {
		name := fmt.Sprintf("#%d", 10000+i)
		rows = append(rows, item(firstRow(name, "2024-03-04 10:15:32 -0500", map[string]string{"Total": "1711.97", "Taxes": "113.42", "Tax 1 Name": "NJ State Tax 6.625%", "Tax 1 Value": "113.42"}),
			"1", "Fender American Professional II Stratocaster, Rosewood Fingerboard - US210033734", "1699.99", fmt.Sprintf("0113942719|||US%09d", i)))
		for j := range i % 3 {
			rows = append(rows, item(map[string]string{"Name": name, "Email": "dana@example.com"}, "2", "Fender 351 Shape Premium Celluloid Picks, Medium, 12-Pack", "5.99", fmt.Sprintf("08859%02d", j)))
		}
	}
	p := tempFile(b, "bench.csv", export(b, h, rows...))
	orderstest.Bench(b, p, OpenOrders, 5000)
}
