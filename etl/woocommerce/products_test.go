package woocommerce

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/convert"
	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/mappings"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from this run's output")

func settings(extra map[string]string) map[string]string {
	s := map[string]string{"max-size": "2MB", "weight-unit": "lbs", "dimension-unit": "in", "existing": ""}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

func newWriter(t testing.TB, extra map[string]string) platform.Writer {
	t.Helper()
	tpl, err := mappings.Default("woocommerce.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(platform.Config{Settings: settings(extra), Templates: tpl})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func serialized(sku, desc string, serials ...string) *inventory.Product {
	p := &inventory.Product{SKU: sku, Serialized: true, Description: desc, Brand: "Fender", Category: "Guitars",
		Subcategory: "Electric Guitars", Images: []string{"https://cdn.example.com/aim/" + sku + ".jpg"}}
	for i, s := range serials {
		p.Variants = append(p.Variants, inventory.Variant{Source: inventory.Source{File: "inv.csv", Line: i + 2},
			Serial: s, Qty: 1, Condition: "New", Prices: inventory.Prices{Price: "1699.99", MSRP: "1899.99"}, Grams: 3674})
	}
	return p
}

func simple(sku, desc string, qty int) *inventory.Product {
	return &inventory.Product{SKU: sku, Description: desc, Brand: "Ernie Ball", Category: "Accessories", Subcategory: "Strings",
		Variants: []inventory.Variant{{Source: inventory.Source{File: "inv.csv", Line: 90}, Qty: qty, Condition: "New",
			Prices: inventory.Prices{Price: "7.99", Sale: "6.49"}, Grams: 45}}}
}

// write runs w into a fresh folder and returns the raw bytes of every file.
func write(t testing.TB, w platform.Writer, products ...*inventory.Product) (platform.Result, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	var b sink.Batch
	res, err := w.Write(products, dir, &b)
	if err != nil {
		b.Abort()
		t.Fatal(err)
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return res, readDir(t, dir)
}

func readDir(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(m)] = data
	}
	return files
}

// parse reads a written file back the way any RFC 4180 reader would.
func parse(t testing.TB, data []byte) [][]string {
	t.Helper()
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Error("file starts with a BOM")
	}
	if bytes.Contains(data, []byte("\r\n")) {
		t.Error("file has CRLF line ends")
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// byName turns data rows into maps keyed by header.
func byName(recs [][]string) []map[string]string {
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// golden compares files with testdata/golden/<name>, or rewrites them
// with -update.
func golden(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	dir := filepath.Join("testdata", "golden", name)
	if *update {
		os.RemoveAll(dir)
		os.MkdirAll(dir, 0o755)
		for f, data := range files {
			if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := readDir(t, dir)
	if len(want) == 0 {
		t.Fatalf("no golden files in %s (run go test ./etl/woocommerce -update and review them)", dir)
	}
	for f, w := range want {
		if !bytes.Equal(files[f], w) {
			t.Errorf("%s/%s differs from the golden file (run with -update and review the diff)", dir, f)
		}
	}
	for f := range files {
		if _, ok := want[f]; !ok {
			t.Errorf("%s written but not in %s", f, dir)
		}
	}
}

// Header facts carried from WooCommerce: exporter-header.txt is the
// current exporter's default column list (formats/woocommerce.md §1.1,
// lbs/in store, first attribute group); sample-header.txt is the header
// line of the 51-column sample files in WooCommerce's repository.
func TestHeaderFacts(t *testing.T) {
	w := newWriter(t, nil).(*writer)
	exporter := readLines(t, "testdata/exporter-header.txt")
	if exporter[0] != "ID" || !reflect.DeepEqual(w.create.header, exporter[1:]) {
		t.Errorf("create header\n %q\nwant the exporter's order without ID\n %q", w.create.header, exporter[1:])
	}

	sample := readLines(t, "testdata/sample-header.txt")
	if len(sample) != 51 {
		t.Fatalf("sample header has %d columns", len(sample))
	}
	var shared, extra []string
	for _, h := range w.create.header {
		if slices.Contains(sample, h) {
			shared = append(shared, h)
		} else {
			extra = append(extra, h)
		}
	}
	want := []string{"GTIN, UPC, EAN, or ISBN", "Low stock amount", "Attribute 1 default"}
	if !reflect.DeepEqual(extra, want) {
		t.Errorf("columns not in the sample files: %q, want only the exporter's newer %q", extra, want)
	}
	var inSample []string
	for _, h := range sample {
		if slices.Contains(shared, h) {
			inSample = append(inSample, h)
		}
	}
	if !reflect.DeepEqual(shared, inSample) {
		t.Errorf("shared columns in another order than the sample's:\n %q\n %q", shared, inSample)
	}

	// The update file keeps the same order and only the columns aimbridge fills.
	wantUpdate := []string{"Type", "SKU", "Name", "Published", "Visibility in catalog", "Description",
		"In stock?", "Stock", "Weight (lbs)", "Sale price", "Regular price", "Categories", "Tags", "Images", "Parent",
		"Attribute 1 name", "Attribute 1 value(s)", "Attribute 1 visible", "Attribute 1 global"}
	if !reflect.DeepEqual(w.update.header, wantUpdate) {
		t.Errorf("update header %q", w.update.header)
	}
	for _, h := range [][]string{w.create.header, w.update.header} {
		if slices.Contains(h, "ID") {
			t.Error("an ID column")
		}
	}
}

func TestUnitsNameTheirColumns(t *testing.T) {
	w := newWriter(t, map[string]string{"weight-unit": "kg", "dimension-unit": "cm"}).(*writer)
	h := strings.Join(w.create.header, "|")
	if !strings.Contains(h, "|Weight (kg)|Length (cm)|Width (cm)|Height (cm)|") {
		t.Errorf("header %s", h)
	}
	_, files := write(t, w, simple("P02221", "Strings", 3))
	if r := byName(parse(t, files["products-create.csv"]))[0]; r["Weight (kg)"] != "0.045" {
		t.Errorf("weight %q", r["Weight (kg)"])
	}
}

func exampleCatalog() []*inventory.Product {
	strat := serialized("0113942719", "Fender American Professional II Stratocaster, Rosewood Fingerboard, 3-Color Sunburst",
		"US210033734", "US210100599", "US21032314")
	strat.WebDescription = "V-Mod II single-coil pickups, \"Deep C\" neck.\nMolded hardshell case included."
	strat.Variants[2].Prices = inventory.Prices{Price: "1699.99", Sale: "1599.00"}
	used := serialized("U0144502500", "Used Fender Player Stratocaster", "MX19012345")
	used.Category, used.Subcategory = "Used", "Used Electric Guitars"
	used.Variants[0].Condition = "Used"
	used.Variants[0].Prices = inventory.Prices{Price: "549.99"}
	used.Images = nil
	return []*inventory.Product{strat, simple("P02221", "Ernie Ball Regular Slinky Nickel Wound Electric Strings, 10-46", 48), used,
		simple("C1", "Shubb C1 Standard Capo, Nickel", 0)}
}

// A first run: everything is created; the update file has its header only.
func TestGoldenLiteral(t *testing.T) {
	res, files := write(t, newWriter(t, nil), exampleCatalog()...)
	golden(t, "literal", files)
	if recs := parse(t, files["products-update.csv"]); len(recs) != 1 {
		t.Errorf("update file has %d lines on a first run, want the header only", len(recs))
	}
	if res.Products != 4 || res.Variants != 4 || res.SimpleProducts != 2 || res.RowsWritten != 6 {
		t.Errorf("result %+v", res)
	}
}

// With the store's export, rows for SKUs the store has (compared without
// regard to case) go to the update file, new serials of an existing
// product and new products to the create file.
func TestGoldenExisting(t *testing.T) {
	w := newWriter(t, map[string]string{"existing": "testdata/existing.csv"})
	res, files := write(t, w, exampleCatalog()...)
	golden(t, "existing", files)
	skus := func(name string) []string {
		var s []string
		for _, r := range byName(parse(t, files[name])) {
			s = append(s, r["SKU"])
		}
		return s
	}
	if got, want := skus("products-update.csv"), []string{"0113942719", "0113942719|||US210033734", "P02221"}; !reflect.DeepEqual(got, want) {
		t.Errorf("update SKUs %q, want %q", got, want)
	}
	if got, want := skus("products-create.csv"), []string{"0113942719|||US210100599", "0113942719|||US21032314", "U0144502500", "U0144502500|||MX19012345", "C1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("create SKUs %q, want %q", got, want)
	}
	if res.RowsWritten != 6 || slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "first run") }) {
		t.Errorf("result %+v", res)
	}
}

// The AIM sample through the whole pipeline, WooCommerce only.
func TestGoldenSample(t *testing.T) {
	m, err := inventory.LoadMapping("")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	sum, err := convert.Run(convert.Job{Inputs: []string{"../../samples/aim/inventory.csv"}, Out: out, Mapping: m,
		Targets: []convert.Target{{Platform: Platform, Writer: newWriter(t, nil)}}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	files := readDir(t, filepath.Join(out, "woocommerce"))
	golden(t, "sample", files)
	ps := sum.Platforms["woocommerce"]
	if ps.RowsRefused != 0 || ps.RowsWritten != sum.RowsUsed {
		t.Errorf("woocommerce wrote %d and refused %d of %d rows", ps.RowsWritten, ps.RowsRefused, sum.RowsUsed)
	}
	rows := byName(parse(t, files["products-create.csv"]))
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[strings.ToLower(r["SKU"])] {
			t.Errorf("SKU %s twice", r["SKU"])
		}
		seen[strings.ToLower(r["SKU"])] = true
		if r["Type"] == "variation" && !seen[strings.ToLower(r["Parent"])] {
			t.Errorf("variation %s before its parent %s", r["SKU"], r["Parent"])
		}
	}
	if len(rows) != sum.SerializedProducts+sum.Variants+sum.SimpleProducts {
		t.Errorf("%d rows for %d serialized products, %d variants and %d simple products", len(rows), sum.SerializedProducts, sum.Variants, sum.SimpleProducts)
	}
}

// W4: the example SKU as a variable parent with its three serials.
func TestW4VariableLayout(t *testing.T) {
	_, files := write(t, newWriter(t, nil), serialized("0113942719", "Fender Player Strat", "US210033734", "US210100599", "US21032314"))
	recs := parse(t, files["products-create.csv"])
	if slices.Contains(recs[0], "ID") {
		t.Error("an ID column")
	}
	rows := byName(recs)
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	p := rows[0]
	if p["Type"] != "variable" || p["SKU"] != "0113942719" || p["Parent"] != "" || p["Regular price"] != "" || p["Stock"] != "" {
		t.Errorf("parent %v", p)
	}
	if p["Attribute 1 value(s)"] != "US210033734, US210100599, US21032314" || p["Attribute 1 visible"] != "1" {
		t.Errorf("parent values %q", p["Attribute 1 value(s)"])
	}
	skus := map[string]bool{p["SKU"]: true}
	for i, serial := range []string{"US210033734", "US210100599", "US21032314"} {
		v := rows[i+1]
		want := map[string]string{"Type": "variation", "SKU": "0113942719|||" + serial, "Parent": "0113942719",
			"Attribute 1 value(s)": serial, "Stock": "1", "In stock?": "1", "Regular price": "1699.99", "Backorders allowed?": "0"}
		for k, w := range want {
			if v[k] != w {
				t.Errorf("variation %d: %s = %q, want %q", i+1, k, v[k], w)
			}
		}
		if skus[v["SKU"]] {
			t.Errorf("SKU %s twice", v["SKU"])
		}
		skus[v["SKU"]] = true
	}
	for i, r := range rows {
		if r["Attribute 1 name"] != "Serial Number" || r["Attribute 1 global"] != "0" {
			t.Errorf("row %d: attribute %q global %q; parent and variations must agree", i+1, r["Attribute 1 name"], r["Attribute 1 global"])
		}
	}
}

// W6: commas, quotes and a line break read back unchanged.
func TestW6Quoting(t *testing.T) {
	p := serialized("0113942719", "Fender 12\" Combo, Tweed", "US1")
	p.WebDescription = "Alder body, \"C\" neck\nMaple fingerboard"
	q := simple("P02221", "Strings, \"Regular\" 10-46", 1)
	_, files := write(t, newWriter(t, nil), p, q)
	rows := byName(parse(t, files["products-create.csv"]))
	if rows[0]["Name"] != "Fender 12\" Combo, Tweed" || rows[0]["Description"] != p.WebDescription {
		t.Errorf("parent name %q description %q", rows[0]["Name"], rows[0]["Description"])
	}
	if rows[1]["Name"] != "Fender 12\" Combo, Tweed - US1" {
		t.Errorf("variation name %q", rows[1]["Name"])
	}
	if rows[2]["Name"] != q.Description || rows[2]["Description"] != q.Description {
		t.Errorf("simple %q %q", rows[2]["Name"], rows[2]["Description"])
	}
}

// W7: a comma inside a serial is escaped as \, wherever the importer
// splits on commas, and the SKU keeps it as it is.
func TestW7CommaInSerial(t *testing.T) {
	p := serialized("0113942719", "Strat", "US2100,33734", "US210100599")
	p.Category = "Guitars, Basses"
	res, files := write(t, newWriter(t, nil), p)
	if len(res.Refused) != 0 {
		t.Fatalf("refused %+v", res.Refused)
	}
	rows := byName(parse(t, files["products-create.csv"]))
	if got := rows[0]["Attribute 1 value(s)"]; got != `US2100\,33734, US210100599` {
		t.Errorf("parent values %q", got)
	}
	if rows[1]["Attribute 1 value(s)"] != `US2100\,33734` || rows[1]["SKU"] != "0113942719|||US2100,33734" {
		t.Errorf("variation %q %q", rows[1]["Attribute 1 value(s)"], rows[1]["SKU"])
	}
	if rows[0]["Categories"] != `Guitars\, Basses > Electric Guitars` {
		t.Errorf("categories %q", rows[0]["Categories"])
	}
}

// Serials and SKUs WooCommerce would change or misread are refused for
// WooCommerce only, naming the character; the rest of the product stays.
func TestRefusals(t *testing.T) {
	long := strings.Repeat("S", 100-len("0113942719|||")+1)
	cases := []struct {
		serial, reason string
	}{
		{"US21|0033734", `'|'`},
		{long, "at most 100 characters in a SKU; this one has 101"},
		{"US<b>1", `"<"`},
		{"US%2F1", `"%2F"`},
		{"US  1", "two spaces"},
		{`US1\`, `ends with "\"`},
		{"us210033734", "serial US210033734 of SKU 0113942719 again"},
	}
	for _, c := range cases {
		t.Run(c.serial, func(t *testing.T) {
			res, files := write(t, newWriter(t, nil), serialized("0113942719", "Strat", "US210033734", c.serial))
			if len(res.Refused) != 1 || res.Refused[0].Serial != c.serial || !strings.Contains(res.Refused[0].Reason, c.reason) {
				t.Fatalf("refusals %+v, want one naming %s", res.Refused, c.reason)
			}
			if len(res.Refused[0].Rows) != 1 || res.Variants != 1 || res.RowsWritten != 1 {
				t.Errorf("result %+v", res)
			}
			rows := byName(parse(t, files["products-create.csv"]))
			if len(rows) != 2 || rows[0]["Attribute 1 value(s)"] != "US210033734" {
				t.Errorf("rows %v", rows)
			}
		})
	}
	// The maximum still fits.
	fits := long[1:]
	if res, _ := write(t, newWriter(t, nil), serialized("0113942719", "Strat", fits)); len(res.Refused) != 0 {
		t.Errorf("a 100-character SKU refused: %+v", res.Refused)
	}
}

func TestProductRefusals(t *testing.T) {
	noName := simple("P1", "", 1)
	res, files := write(t, newWriter(t, nil),
		simple("AB-1", "x", 1), simple("ab-1", "y", 1), // the same SKU to WooCommerce
		serialized("id:42", "Strat", "S1"), // Parent would read as a product ID
		simple("A  B", "z", 1), noName)
	var got []string
	for _, r := range res.Refused {
		got = append(got, r.SKU)
	}
	if !reflect.DeepEqual(got, []string{"ab-1", "id:42", "A  B", "P1"}) {
		t.Errorf("refused %q", got)
	}
	if rows := byName(parse(t, files["products-create.csv"])); len(rows) != 1 || rows[0]["SKU"] != "AB-1" {
		t.Errorf("rows %v", rows)
	}
	if res.RowsWritten+len(got) != 5 {
		t.Errorf("rows written %d", res.RowsWritten)
	}
}

// A parent and its variations never span files; parts are numbered in
// both files, and stale parts of a bigger earlier run are removed.
func TestSplitsOnProductBoundaries(t *testing.T) {
	var ps []*inventory.Product
	for i := range 30 {
		ps = append(ps, serialized(fmt.Sprintf("SKU%03d", i), "Fender Player Stratocaster", "A1", "B2", "C3"))
	}
	w := newWriter(t, map[string]string{"max-size": "6KB"})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "products-create-099.csv"), []byte("stale"), 0o644)
	var b sink.Batch
	if _, err := w.Write(ps, dir, &b); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	files := readDir(t, dir)
	if _, ok := files["products-create-099.csv"]; ok {
		t.Error("stale part kept")
	}
	if _, ok := files["products-update.csv"]; !ok || len(files) < 3 {
		t.Fatalf("files %v", slices.Sorted(maps.Keys(files)))
	}
	where := map[string]string{}
	for name, data := range files {
		if len(data) > 6000 {
			t.Errorf("%s has %d bytes", name, len(data))
		}
		for _, r := range byName(parse(t, data)) {
			product := r["SKU"]
			if r["Parent"] != "" {
				product = r["Parent"]
			}
			if prev, ok := where[product]; ok && prev != name {
				t.Errorf("product %s split across %s and %s", product, prev, name)
			}
			where[product] = name
		}
	}
	if len(where) != 30 {
		t.Errorf("%d products written", len(where))
	}
}

// An empty text template hands the column to the store: it leaves the
// update file, so staff edits survive.
func TestEmptyTemplateLeavesUpdateFile(t *testing.T) {
	tpl, _ := mappings.Default("woocommerce.yaml")
	tpl = bytes.Replace(tpl, []byte(`tags: "{{join \", \" .Brand .Condition}}"`), []byte(`tags: ""`), 1)
	w, err := New(platform.Config{Settings: settings(nil), Templates: tpl})
	if err != nil {
		t.Fatal(err)
	}
	h := w.(*writer)
	if slices.Contains(h.update.header, "Tags") || !slices.Contains(h.create.header, "Tags") {
		t.Errorf("update %q", h.update.header)
	}
}

func TestSettingsRefused(t *testing.T) {
	tpl, _ := mappings.Default("woocommerce.yaml")
	for _, s := range []map[string]string{
		{"max-size": "big"}, {"weight-unit": "pounds"}, {"dimension-unit": "ft"},
		{"existing": "testdata/no-such-file.csv"}, {"existing": "testdata/exporter-header.txt"},
	} {
		if _, err := New(platform.Config{Settings: settings(s), Templates: tpl}); err == nil {
			t.Errorf("%v accepted", s)
		}
	}
	for _, bad := range []struct{ from, to string }{
		{`name: "{{.Description}}"`, `name: ""`},
		{`published: "1"`, `published: ""`},
	} {
		y := bytes.Replace(tpl, []byte(bad.from), []byte(bad.to), 1)
		if _, err := New(platform.Config{Settings: settings(nil), Templates: y}); err == nil {
			t.Errorf("%s accepted", bad.to)
		}
	}
	// A value WooCommerce would refuse stops the run before anything is written.
	y := bytes.Replace(tpl, []byte(`visibility: "visible"`), []byte(`visibility: "shown"`), 1)
	w, err := New(platform.Config{Settings: settings(nil), Templates: y})
	if err != nil {
		t.Fatal(err)
	}
	var b sink.Batch
	defer b.Abort()
	if _, err := w.Write([]*inventory.Product{simple("P1", "x", 1)}, t.TempDir(), &b); err == nil || !strings.Contains(err.Error(), `"shown"`) {
		t.Errorf("visibility shown: %v", err)
	}
}

func BenchmarkWrite(b *testing.B) {
	var ps []*inventory.Product
	for i := range 2000 {
		ps = append(ps, serialized(fmt.Sprintf("%010d", i), "Fender Player Stratocaster, Maple", "US1", "US2", "US3", "US4", "US5"))
	}
	w := newWriter(b, nil)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		var bt sink.Batch
		if _, err := w.Write(ps, dir, &bt); err != nil {
			b.Fatal(err)
		}
		bt.Abort()
	}
	b.ReportMetric(float64(len(ps)*5*b.N)/b.Elapsed().Seconds(), "variants/s")
}
