package bigcommerce

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

	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/orders/orderstest"
	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/tabular"
)

// header56 is the Default order export header of formats/bigcommerce.md §6.1.
func header56(t testing.TB) []string {
	data, err := os.ReadFile("testdata/orders/header-56.csv")
	if err != nil {
		t.Fatal(err)
	}
	h := strings.Split(strings.TrimSpace(string(data)), ",")
	if len(h) != 56 {
		t.Fatalf("header-56.csv has %d columns", len(h))
	}
	return h
}

// orderExport lays rows out under header; each row names only its non-empty cells.
func orderExport(t testing.TB, header []string, rows ...map[string]string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(header)
	for _, r := range rows {
		rec := make([]string, len(header))
		for i, h := range header {
			rec[i] = r[h]
		}
		for k := range r {
			found := false
			for _, h := range header {
				found = found || h == k
			}
			if !found {
				t.Fatalf("fixture names column %q the header lacks", k)
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return b.String()
}

func tempFile(t testing.TB, name, content string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readOrders reads every order of a file; unreadable records come back apart.
func readOrders(t *testing.T, path string, format orders.Format) ([]*orders.Order, []*tabular.RowError) {
	t.Helper()
	r, err := format.Open(path, orders.Config{})
	if err != nil {
		t.Fatal(err)
	}
	got, bad, err := orderstest.Drain(r)
	if err != nil {
		t.Fatal(err)
	}
	return got, bad
}

var defaultFormat = DefaultExportFormat(DatesUnset)

// bcOrder is one row of the Default export; details is the Product
// Details cell, extra overrides any column.
func bcOrder(id, date, details string, extra map[string]string) map[string]string {
	r := map[string]string{"Order ID": id, "Customer ID": "27", "Customer Name": "Dana Whitfield", "Customer Email": "dana@example.com",
		"Customer Phone": "201-555-0110", "Order Date": date, "Order Status": "Awaiting Fulfillment",
		"Subtotal (inc tax)": "1504.9800", "Subtotal (ex tax)": "1504.9800", "Tax Total": "0.0000",
		"Shipping Cost (inc tax)": "0.0000", "Shipping Cost (ex tax)": "0.0000", "Handling Cost (inc tax)": "0.0000", "Handling Cost (ex tax)": "0.0000",
		"Order Total (inc tax)": "1504.9800", "Order Total (ex tax)": "1504.9800", "Payment Method": "Credit Card", "Total Quantity": "",
		"Order Currency Code": "USD", "Billing First Name": "Dana", "Billing Last Name": "Whitfield", "Billing Street 1": "412 Garden St",
		"Billing Suburb": "Hoboken", "Billing State": "New Jersey", "Billing Zip": "07030", "Billing Country": "United States",
		"Billing Phone": "201-555-0110", "Billing Email": "dana@example.com",
		"Shipping First Name": "Dana", "Shipping Last Name": "Whitfield", "Shipping Street 1": "412 Garden St", "Shipping Suburb": "Hoboken",
		"Shipping State": "New Jersey", "Shipping Zip": "07030", "Shipping Country": "United States",
		"Product Details": details, "Refund Amount": "0.0000"}
	for k, v := range extra {
		r[k] = v
	}
	return r
}

// o2 is the Product Details cell of cases O2.
const o2 = "Product ID: 88, Product Qty: 1, Product SKU: 0113942719|||US210033734, Product Name: Fender Strat, Product Weight: 8.0000, Product Variation Details: Serial Number: US210033734, Product Unit Price: 1499.00, Product Total Price: 1499.00|Product ID: 12, Product Qty: 2, Product SKU: 012345, Product Name: Picks, 12 pack, Product Weight: 0.1000, Product Variation Details: , Product Unit Price: 2.99, Product Total Price: 5.98"

// aimLines runs the orders and picks columns of the AIM file, one string per line.
func aimLines(t *testing.T, job orders.Job, keys ...string) (*orders.Summary, []string, string) {
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
	var out []string
	for _, rec := range recs[1:] {
		var vs []string
		for _, k := range keys {
			for i, h := range recs[0] {
				if h == k {
					vs = append(vs, rec[i])
				}
			}
		}
		out = append(out, strings.Join(vs, "|"))
	}
	return sum, out, string(ex)
}

// O2: one row, two products packed in one cell.
func TestOrdersO2(t *testing.T) {
	p := tempFile(t, "orders.csv", orderExport(t, header56(t), bcOrder("101", "18/05/2022", o2, map[string]string{"Total Quantity": "3"})))
	got, bad := readOrders(t, p, defaultFormat)
	if len(got) != 1 || len(bad) != 0 {
		t.Fatalf("%d orders, %d bad records", len(got), len(bad))
	}
	o := got[0]
	if len(o.Problems) != 0 || len(o.Warnings) != 0 {
		t.Errorf("problems %+v, warnings %q", o.Problems, o.Warnings)
	}
	want := []string{
		"0113942719|||US210033734 1 1499 Fender Strat orders.csv:2",
		"012345 2 2.99 Picks, 12 pack orders.csv:2",
	}
	if len(o.Lines) != 2 {
		t.Fatalf("lines %+v", o.Lines)
	}
	for i, l := range o.Lines {
		if g := fmt.Sprintf("%s %d %s %s %s", l.WebSKU, l.Qty, l.UnitPrice, l.Description, l.Src); g != want[i] {
			t.Errorf("line %d: %s, want %s", i+1, g, want[i])
		}
	}

	sum, lines, _ := aimLines(t, orders.Job{Inputs: []string{p}}, "OrderNumber", "LineNumber", "AIMSku", "Serial", "Qty", "UnitPrice", "ExtPrice", "Description")
	wantAIM := []string{
		"101|1|0113942719|US210033734|1|1499.00|1499.00|Fender Strat",
		"101|2|012345||2|2.99|5.98|Picks, 12 pack",
	}
	if sum.ExitCode != report.ExitOK || strings.Join(lines, "\n") != strings.Join(wantAIM, "\n") {
		t.Errorf("exit %d, AIM lines:\n%s\nwant\n%s", sum.ExitCode, strings.Join(lines, "\n"), strings.Join(wantAIM, "\n"))
	}
}

// Every field the reader fills.
func TestOrdersFields(t *testing.T) {
	p := tempFile(t, "orders.csv", orderExport(t, header56(t), bcOrder("102", "05/18/2022", o2, map[string]string{
		"Customer Email": "", "Customer Phone": "", "Billing Company": "Whitfield Music", "Billing Street 2": "Apt 3",
		"Billing Zip": "'07030", "Shipping First Name": "Sam", "Shipping Last Name": "Okafor", "Shipping Company": "",
		"Shipping Street 1": "25 Mass Ave", "Shipping Street 2": "", "Shipping Suburb": "Cambridge", "Shipping State": "Massachusetts",
		"Shipping Zip": "02139", "Shipping Country": "USA", "Shipping Cost (ex tax)": "12.5000", "Handling Cost (ex tax)": "2.5000",
		"Tax Total": "99.7800", "Order Total (inc tax)": "1619.7600", "Payment Method": "PayPal", "Order Currency Code": "USD"})))
	got, _ := readOrders(t, p, defaultFormat)
	o := got[0]
	g := fmt.Sprintf("%s|%s|%s|%s|%s|%s %s|%v|%s|%s|%s|%s|%s|%s|%s", o.Src, o.Number, o.WebID, o.Date, o.Email, o.FirstName, o.LastName,
		o.Placed.IsZero(), o.Currency, o.PaymentMethod, o.Shipping, o.Tax, o.Total, o.Discount, o.State)
	if w := "orders.csv:2|102|102|2022-05-18|dana@example.com|Dana Whitfield|true|USD|PayPal|15|99.78|1619.76|0|open"; g != w {
		t.Errorf("order\n got %s\nwant %s", g, w)
	}
	if o.Phone != "201-555-0110" {
		t.Errorf("phone %q (falls back to Billing Phone)", o.Phone)
	}
	if g, w := fmt.Sprintf("%+v", o.Bill), "{Name:Dana Whitfield Company:Whitfield Music Address1:412 Garden St Address2:Apt 3 City:Hoboken State:NJ PostalCode:07030 Country:US}"; g != w {
		t.Errorf("bill\n got %s\nwant %s", g, w)
	}
	if g, w := fmt.Sprintf("%+v", o.Ship), "{Name:Sam Okafor Company: Address1:25 Mass Ave Address2: City:Cambridge State:MA PostalCode:02139 Country:US}"; g != w {
		t.Errorf("ship\n got %s\nwant %s", g, w)
	}
	if len(o.Problems) != 0 || len(o.Warnings) != 0 {
		t.Errorf("problems %+v, warnings %q", o.Problems, o.Warnings)
	}
}

// Detection by the two columns of formats/README.md rule 8, however the
// header is spelled, delimited or encoded.
func TestOrdersDetect(t *testing.T) {
	h := header56(t)
	full := tempFile(t, "orders-2024-03-18.csv", orderExport(t, h, bcOrder("1", "18/05/2022", o2, nil)))
	drift := tempFile(t, "drift.csv", "\uFEFForder id;ORDER DATE;order status;product details\n7;18/05/2022;Shipped;"+o2+"\n")
	for _, p := range []string{full, drift} {
		f, err := orders.Detect(p, OrderFormats)
		if err != nil || f.Name != "bigcommerce-csv" || f.Platform != Platform.Name {
			t.Errorf("%s: Detect = %q, %v", filepath.Base(p), f.Name, err)
		}
	}
	got, _ := readOrders(t, drift, defaultFormat)
	if len(got) != 1 || got[0].Number != "7" || len(got[0].Lines) != 2 || got[0].Date != "2022-05-18" {
		t.Errorf("drifted header: %+v", got)
	}

	shopify := tempFile(t, "orders_export.csv", "Name,Lineitem sku,Lineitem quantity\n#1,A,1\n")
	if _, err := orders.Detect(shopify, OrderFormats); err == nil || !strings.Contains(err.Error(), "a header with the columns Order ID, Product Details") {
		t.Errorf("a Shopify export: %v", err)
	}
	short := tempFile(t, "short.csv", "Order ID,Product Details\n1,x\n")
	if _, err := OpenOrders(short, orders.Config{}); err == nil || err.Error() != "short.csv: a BigCommerce order export needs the column(s) Order Date, Order Status" {
		t.Errorf("missing columns: %v", err)
	}
}

func TestParseOrderDate(t *testing.T) {
	for _, tc := range []struct {
		in     string
		order  DateOrder
		want   string
		reason string
	}{
		{in: "18/05/2022", want: "2022-05-18"},
		{in: "05/18/2022", want: "2022-05-18"},
		{in: "5/5/2022", want: "2022-05-05"},
		{in: "18.05.2022", want: "2022-05-18"},
		{in: "2022-05-06", want: "2022-05-06"},
		{in: "2022-05-06T00:00:00", want: "2022-05-06"},
		{in: "05/06/2022", reason: "05/06/2022 could be 2022-06-05 (dd/mm/yyyy) or 2022-05-06 (mm/dd/yyyy) and the store's date order is not set, so the order is held rather than guessed; set it with --date-order mdy (or dmy)"},
		{in: "05/06/2022", order: DayFirst, want: "2022-06-05"},
		{in: "05/06/2022", order: MonthFirst, want: "2022-05-06"},
		{in: "05/18/2022", order: DayFirst, reason: "not a dd/mm/yyyy date, which the store's date order is set to"},
		{in: "18/05/2022", order: MonthFirst, reason: "not a mm/dd/yyyy date, which the store's date order is set to"},
		{in: "31/02/2022", reason: "not a date in dd/mm/yyyy or mm/dd/yyyy"},
		{in: "18/05/22", reason: "expected a date such as 18/05/2022 (dd/mm/yyyy) or 05/18/2022 (mm/dd/yyyy)"},
		{in: "Thu, 20 Apr 2017 11:32:00 -0400", reason: "expected a date such as 18/05/2022 (dd/mm/yyyy) or 05/18/2022 (mm/dd/yyyy)"},
		{in: "", reason: "the order has no Order Date"},
	} {
		got, reason := parseOrderDate(tc.in, tc.order)
		if got != tc.want || reason != tc.reason {
			t.Errorf("%q (order %d): %q %q, want %q %q", tc.in, tc.order, got, reason, tc.want, tc.reason)
		}
	}
	for _, s := range []string{"", "dmy", "MDY", "dd/mm/yyyy"} {
		if _, err := ParseDateOrder(s); err != nil {
			t.Errorf("ParseDateOrder(%q): %v", s, err)
		}
	}
	if _, err := ParseDateOrder("ymd"); err == nil {
		t.Error("ParseDateOrder(ymd) accepted")
	}
}

// An ambiguous date holds its order unless the date order is set.
func TestOrdersAmbiguousDate(t *testing.T) {
	p := tempFile(t, "orders.csv", orderExport(t, header56(t), bcOrder("103", "03/05/2024", o2, nil)))
	sum, _, ex := aimLines(t, orders.Job{Inputs: []string{p}})
	if sum.OrdersHeld != 1 || !strings.Contains(ex, `bigcommerce,103,,,bad-date,"03/05/2024 could be 2024-05-03 (dd/mm/yyyy) or 2024-03-05 (mm/dd/yyyy) and the store's date order is not set, so the order is held rather than guessed; set it with --date-order mdy (or dmy)",held,orders.csv,2,Order Date,03/05/2024`+"\n") {
		t.Errorf("unset: %+v\n%s", sum, ex)
	}
	sum, lines, _ := aimLines(t, orders.Job{Inputs: []string{p}, Formats: []orders.Format{DefaultExportFormat(MonthFirst)}}, "OrderNumber", "OrderDate")
	if sum.OrdersWritten != 1 || lines[0] != "103|2024-03-05" {
		t.Errorf("month first: %+v %q", sum, lines)
	}

	// --date-order sets it for the run.
	cfg := orders.Config{DateOrder: "mdy"}
	if sum, lines, _ := aimLines(t, orders.Job{Inputs: []string{p}, Reader: cfg}, "OrderDate"); sum.OrdersWritten != 1 || lines[0] != "2024-03-05" {
		t.Errorf("--date-order mdy: %+v %q", sum, lines)
	}

	// Or a profile: --order-profile bigcommerce-csv=FILE.
	f, err := defaultFormat.Profile("store.yaml", []byte("# dd/mm/yyyy\ndate_order: dmy\n"))
	if err != nil || f.Name != "bigcommerce-csv" {
		t.Fatalf("profile: %q, %v", f.Name, err)
	}
	if _, lines, _ := aimLines(t, orders.Job{Inputs: []string{p}, Formats: []orders.Format{f}}, "OrderDate"); len(lines) != 2 || lines[0] != "2024-05-03" {
		t.Errorf("day first through the profile: %q", lines)
	}
	for in, want := range map[string]string{
		"":                   "store.yaml: date_order is missing: use mdy (mm/dd/yyyy) or dmy (dd/mm/yyyy)",
		"date_order: ymd\n":  `store.yaml: date order "ymd": use dmy (dd/mm/yyyy) or mdy (mm/dd/yyyy)`,
		"date_format: mdy\n": "store.yaml: yaml: unmarshal errors:\n  line 1: field date_format not found in type struct { DateOrder string \"yaml:\\\"date_order\\\"\" } (a BigCommerce order profile holds one setting, date_order: mdy or dmy)",
	} {
		if _, err := defaultFormat.Profile("store.yaml", []byte(in)); err == nil || err.Error() != want {
			t.Errorf("profile %q: %v\nwant %s", in, err, want)
		}
	}
}

// Money is exact: BigCommerce's 4-decimal amounts, a locale for re-saved
// files, and a line whose quantity times price is not its total.
func TestOrdersMoney(t *testing.T) {
	h := header56(t)
	four := pd("88", "1", "0113942719|||US210033734", "Fender Strat", "8.0000", "", "1499.9900", "1499.9900") + "|" +
		pd("12", "3", "012345", "Picks", "0.1000", "", "0.3300", "0.9900")
	mismatch := pd("12", "2", "012345", "Picks", "0.1000", "", "2.99", "5.99")
	cent := pd("12", "1", "012345", "Picks", "0.1000", "", "2.9950", "2.9950")
	eu := pd("88", "1", "0113942719|||US210033735", "Fender Strat", "8,0000", "", "1.499,00", "1.499,00")
	p := tempFile(t, "orders.csv", orderExport(t, h,
		bcOrder("201", "18/05/2022", four, map[string]string{"Order Total (inc tax)": "1500.9800", "Subtotal (ex tax)": "1500.9800"}),
		bcOrder("202", "18/05/2022", mismatch, map[string]string{"Order Total (inc tax)": "5.9900"}),
		bcOrder("203", "18/05/2022", cent, map[string]string{"Order Total (inc tax)": "2.9950"}),
		bcOrder("204", "18/05/2022", eu, euAmounts)))
	got, _ := readOrders(t, p, defaultFormat)
	if o := got[0]; o.Lines[0].UnitPrice.String() != "1499.99" || o.Lines[1].UnitPrice.String() != "0.33" || o.Total.String() != "1500.98" || len(o.Problems) != 0 {
		t.Errorf("4 decimals: %s %s %s %+v", o.Lines[0].UnitPrice, o.Lines[1].UnitPrice, o.Total, o.Problems)
	}
	if pr := got[1].Problems; len(pr) != 1 || pr[0].Reason != orders.ReasonBadAmount || pr[0].WebSKU != "012345" || pr[0].Column != "Product Details" ||
		pr[0].Detail != "product 1: Product Qty 2 × Product Unit Price 2.99 = 5.98, but Product Total Price is 5.99" {
		t.Errorf("qty × price: %+v", pr)
	}
	if pr := got[3].Problems; len(pr) != 9 || pr[3].Column != "Order Total (inc tax)" || pr[7].Value != "1.499,00" || !strings.Contains(pr[7].Detail, "ambiguous without a locale") ||
		!strings.HasPrefix(pr[8].Detail, "product 1 Product Total Price: ") {
		t.Errorf("EU amounts without a locale: %+v", pr)
	}

	sum, lines, ex := aimLines(t, orders.Job{Inputs: []string{p}}, "OrderNumber", "UnitPrice", "ExtPrice", "Total")
	if want := "201|1499.99|1499.99|1500.98\n201|0.33|0.99|1500.98"; strings.Join(lines, "\n") != want {
		t.Errorf("AIM lines:\n%s\nwant\n%s", strings.Join(lines, "\n"), want)
	}
	if sum.OrdersHeld != 3 || !strings.Contains(ex, "bigcommerce,203,,012345,bad-amount,the unit price has fractions of a cent") {
		t.Errorf("held %d\n%s", sum.OrdersHeld, ex)
	}

	p = tempFile(t, "eu.csv", orderExport(t, h, bcOrder("204", "18/05/2022", eu, euAmounts)))
	r, err := OpenOrders(p, orders.Config{Locale: "de-DE"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	o, err := r.Next()
	if err != nil || len(o.Problems) != 0 || o.Lines[0].UnitPrice.String() != "1499" || o.Total.String() != "1499" {
		t.Errorf("de-DE: %v %+v %s", err, o.Problems, o.Lines[0].UnitPrice)
	}
}

// euAmounts are an order's amounts as a German Excel re-saves them.
var euAmounts = map[string]string{"Order Total (inc tax)": "1.499,00", "Order Total (ex tax)": "1.499,00", "Subtotal (ex tax)": "1.499,00",
	"Subtotal (inc tax)": "1.499,00", "Tax Total": "0,00", "Shipping Cost (inc tax)": "0,00", "Shipping Cost (ex tax)": "0,00",
	"Handling Cost (inc tax)": "0,00", "Handling Cost (ex tax)": "0,00", "Refund Amount": "0,00"}

func TestOrdersStates(t *testing.T) {
	h := header56(t)
	for _, tc := range []struct {
		status, refund string
		state          orders.State
		detail         string
		held           string // reason
	}{
		{status: "Awaiting Payment", state: orders.Open},
		{status: "Awaiting Fulfillment", state: orders.Open},
		{status: "Awaiting Shipment", state: orders.Open},
		{status: "Awaiting Pickup", state: orders.Open},
		{status: "Partially Shipped", state: orders.Open},
		{status: "Shipped", state: orders.Open},
		{status: "completed", state: orders.Open},
		{status: "Manual Verification Required", state: orders.Open},
		{status: "Disputed", state: orders.Open},
		{status: "Pending", held: orders.ReasonNotSettled},
		{status: "Incomplete", held: orders.ReasonNotSettled},
		{status: "Cancelled", state: orders.Cancelled, detail: "Order Status Cancelled"},
		{status: "Canceled", state: orders.Cancelled, detail: "Order Status Canceled"},
		{status: "Declined", state: orders.Cancelled, detail: "Order Status Declined (the payment was declined; no sale took place)"},
		{status: "Refunded", refund: "1504.9800", state: orders.Refunded, detail: "Order Status Refunded"},
		{status: "Refunded", state: orders.Refunded, detail: "Order Status Refunded"},
		{status: "Refunded", refund: "5.9800", state: orders.PartiallyRefunded, detail: "Order Status Refunded, but Refund Amount 5.98 is less than Order Total 1504.98"},
		{status: "Partially Refunded", refund: "2.9900", state: orders.PartiallyRefunded, detail: "Order Status Partially Refunded, Refund Amount 2.99"},
		{status: "Partially  refunded", state: orders.PartiallyRefunded, detail: "Order Status Partially  refunded"},
		{status: "Shipped", refund: "2.9900", state: orders.PartiallyRefunded, detail: `Refund Amount 2.99 with Order Status "Shipped"`},
		{status: "Shipped - Awaiting Review", held: orders.ReasonNotSettled},
		{status: "", held: orders.ReasonNotSettled},
	} {
		p := tempFile(t, "s.csv", orderExport(t, h, bcOrder("1", "18/05/2022", o2, map[string]string{"Order Status": tc.status, "Refund Amount": tc.refund})))
		got, _ := readOrders(t, p, defaultFormat)
		o := got[0]
		held := ""
		if len(o.Problems) == 1 && o.Problems[0].Column == "Order Status" {
			held = o.Problems[0].Reason
		}
		if o.State != tc.state || o.StateDetail != tc.detail || held != tc.held || (tc.held == "" && len(o.Problems) != 0) {
			t.Errorf("%q/%q: %v %q %+v, want %v %q held %q", tc.status, tc.refund, o.State, o.StateDetail, o.Problems, tc.state, tc.detail, tc.held)
		}
	}
}

func TestOrdersCountries(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"United States", "US"}, {"united  states", "US"}, {"USA", "US"}, {"us", "US"}, {"Canada", "CA"},
		{"Puerto Rico", "PR"}, {"United Kingdom", "GB"}, {"Korea, Republic of", "KR"}, {"Mexico", "MX"},
	} {
		if got, ok := countryCode(tc.in); got != tc.want || !ok {
			t.Errorf("%q: %q %v, want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, in := range []string{"Freedonia", "XX", "U S"} {
		if got, ok := countryCode(in); ok {
			t.Errorf("%q: %q, want unknown", in, got)
		}
	}
	p := tempFile(t, "c.csv", orderExport(t, header56(t),
		bcOrder("1", "18/05/2022", o2, map[string]string{"Shipping Country": "Freedonia"}),
		bcOrder("2", "18/05/2022", o2, map[string]string{"Shipping Country": "", "Billing Country": ""})))
	got, _ := readOrders(t, p, defaultFormat)
	if pr := got[0].Problems; len(pr) != 1 || pr[0].Column != "Shipping Country" || pr[0].Value != "Freedonia" || got[0].Bill.Country != "US" {
		t.Errorf("unknown country: %+v", pr)
	}
	if o := got[1]; len(o.Problems) != 0 || o.Ship.Country != "" || o.Bill.Country != "" {
		t.Errorf("no country: %+v", o)
	}
}

// Empty, unreadable, ambiguous or cut-short Product Details hold the order.
func TestOrdersBadDetails(t *testing.T) {
	ambiguous := pd("12", "2", "012345", "Pick tin, Product Name: Blue", "0.1000", "", "2.99", "5.98")
	cut := o2[:strings.Index(o2, "|Product ID: 12")]
	noSerial := pd("88", "1", "0113942719|||", "Fender Strat", "8.0000", "", "1499.00", "1499.00")
	p := tempFile(t, "d.csv", orderExport(t, header56(t),
		bcOrder("301", "18/05/2022", "", nil),
		bcOrder("302", "18/05/2022", ambiguous, nil),
		bcOrder("303", "18/05/2022", cut, map[string]string{"Total Quantity": "3"}),
		bcOrder("304", "18/05/2022", noSerial, map[string]string{"Order Total (inc tax)": "1499.0000", "Subtotal (ex tax)": "1499.0000"}),
		bcOrder("305", "18/05/2022", "Fender Strat x1", nil)))
	sum, _, ex := aimLines(t, orders.Job{Inputs: []string{p}})
	want := []string{
		"bigcommerce,301,,,no-lines,the order has no product lines,held,d.csv,2,,",
		`bigcommerce,302,,,bad-value,"product 1 of Product Details cannot be read: it can be read in more than one way: "", Product Name:"" appear more than once, so a name, SKU or variation text holds a label and aimbridge cannot tell where it ends; enter the order by hand",held,d.csv,3,Product Details,"Product ID: 12, Product Qty: 2, Product SKU: 012345, Product Name: Pick tin, Product Name: Blue, Product Weight: 0.1000, Product Variation Details: , Product Unit Price: 2.99, Product Total Price: 5.98"`,
		"bigcommerce,302,,,no-lines,the order has no product lines,held,d.csv,3,,",
		"bigcommerce,303,,,bad-value,\"Product Details lists 1 units but Total Quantity is 3: the cell may have been cut short (a spreadsheet keeps at most 32,767 characters in a cell)\",held,d.csv,4,Total Quantity,3",
		"bigcommerce,304,,0113942719|||,bad-sku,",
		`bigcommerce,305,,,bad-value,"product 1 of Product Details cannot be read: it does not start with ""Product ID:""; enter the order by hand",held,d.csv,6,Product Details,Fender Strat x1`,
	}
	for _, w := range want {
		if !strings.Contains(ex, w) {
			t.Errorf("exceptions.csv lacks\n%s\n%s", w, ex)
		}
	}
	if sum.OrdersHeld != 5 || sum.OrdersWritten != 0 {
		t.Errorf("summary %+v", sum)
	}
}

// A record that cannot be read holds back the orders next to it.
func TestOrdersUnreadableRows(t *testing.T) {
	h := header56(t)
	good := orderExport(t, h,
		bcOrder("401", "18/05/2022", o2, nil),
		bcOrder("402", "18/05/2022", o2, nil),
		bcOrder("403", "18/05/2022", o2, nil),
		bcOrder("404", "18/05/2022", o2, nil),
		bcOrder("", "18/05/2022", o2, nil),
		bcOrder("405", "18/05/2022", o2, nil))
	lines := strings.SplitAfter(good, "\n")
	lines[2] = "402,cut short\n" // line 3
	p := tempFile(t, "x.csv", strings.Join(lines, ""))
	got, bad := readOrders(t, p, defaultFormat)
	if len(bad) != 2 || bad[0].Line != 3 || bad[1].Line != 6 || bad[1].Column != "Order ID" {
		t.Fatalf("bad records %+v", bad)
	}
	held := map[string]int{}
	for _, o := range got {
		held[o.Number] = len(o.Problems)
	}
	if want := map[string]int{"401": 1, "403": 1, "404": 1, "405": 1}; fmt.Sprint(held) != fmt.Sprint(want) {
		t.Errorf("problems per order %v, want %v", held, want)
	}
	if d := got[0].Problems[0].Detail; d != "line 3 could not be read (record has 2 fields, the header has 56; it ends before this column) and may belong to this order" {
		t.Errorf("detail %q", d)
	}

	// The reader hands out orders and records in file order.
	r, _ := OpenOrders(p, orders.Config{})
	defer r.Close()
	var seq []string
	for {
		o, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			seq = append(seq, fmt.Sprint("line ", re.Line))
			continue
		}
		seq = append(seq, o.Number)
	}
	if g := strings.Join(seq, ","); g != "401,line 3,403,404,line 6,405" {
		t.Errorf("sequence %s", g)
	}

	sum, _, _ := aimLines(t, orders.Job{Inputs: []string{p}})
	if sum.RecordsRefused != 2 || sum.OrdersHeld != 4 || sum.OrdersWritten != 0 {
		t.Errorf("summary %+v", sum)
	}
}

// Staff open the export in Excel and save it as XLSX: same orders.
func TestOrdersXLSXResave(t *testing.T) {
	csvPath := filepath.Join("..", "..", "samples", "orders", "bigcommerce-orders.csv")
	xlsxPath := orderstest.Resave(t, csvPath)
	if fm, err := orders.Detect(xlsxPath, OrderFormats); err != nil || fm.Name != "bigcommerce-csv" {
		t.Fatalf("Detect = %v, %v", fm.Name, err)
	}
	fromCSV, _ := readOrders(t, csvPath, defaultFormat)
	fromXLSX, _ := readOrders(t, xlsxPath, defaultFormat)
	if len(fromCSV) != len(fromXLSX) || len(fromCSV) == 0 {
		t.Fatalf("%d orders from CSV, %d from XLSX", len(fromCSV), len(fromXLSX))
	}
	for i := range fromCSV {
		a, b := *fromCSV[i], *fromXLSX[i]
		if a.Src.Line != b.Src.Line {
			t.Errorf("order %d: line %d in the CSV, row %d in the workbook", i, a.Src.Line, b.Src.Line)
		}
		a.Src, b.Src = orders.Source{}, orders.Source{}
		a.Lines, b.Lines = nil, nil
		if fmt.Sprint(a) != fmt.Sprint(stripFile(b)) || len(fromCSV[i].Lines) != len(fromXLSX[i].Lines) {
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

// stripFile renames the workbook in problems so they compare with the CSV's.
func stripFile(o orders.Order) orders.Order {
	ps := make([]orders.Problem, len(o.Problems))
	for i, p := range o.Problems {
		p.Src.File = "bigcommerce-orders.csv"
		ps[i] = p
	}
	o.Problems = ps
	return o
}

// The sample export gives exactly the files under samples/expected/orders/bigcommerce.
func TestOrdersSampleGolden(t *testing.T) {
	layout, err := orders.LoadLayout("")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	sum, err := orders.Run(orders.Job{Inputs: []string{filepath.Join("..", "..", "samples", "orders", "bigcommerce-orders.csv")}, Out: out,
		Formats: OrderFormats, Layout: layout, Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ExitCode != report.ExitPartial || sum.OrdersWritten != 3 || sum.OrdersHeld != 3 || sum.OrdersSkipped != 1 || !sum.Balanced {
		t.Errorf("summary: exit %d, %d written, %d held, %d skipped", sum.ExitCode, sum.OrdersWritten, sum.OrdersHeld, sum.OrdersSkipped)
	}
	golden := filepath.Join("..", "..", "samples", "expected", "orders", "bigcommerce")
	orderstest.Golden(t, out, golden, *update)
}

// BenchmarkBigCommerceOrders reads a 5,000-order export of the full 56
// columns, one to three products per order.
func BenchmarkBigCommerceOrders(b *testing.B) {
	h := header56(b)
	var rows []map[string]string
	for i := range 5000 {
		details := pd("88", "1", fmt.Sprintf("0113942719|||US%09d", i), "Fender American Professional II Stratocaster, Rosewood Fingerboard, 3-Color Sunburst",
			"8.1000", fmt.Sprintf("Serial Number: US%09d", i), "1699.9900", "1699.9900")
		for j := range i % 3 {
			details += "|" + pd(fmt.Sprint(140+j), "2", fmt.Sprintf("08859%02d", j), "Fender 351 Shape Premium Celluloid Picks, Medium, 12-Pack", "0.0500", "", "5.9900", "11.9800")
		}
		rows = append(rows, bcOrder(fmt.Sprint(10000+i), "18/05/2022", details, nil))
	}
	p := tempFile(b, "bench.csv", orderExport(b, h, rows...))
	orderstest.Bench(b, p, OpenOrders, 5000)
}
