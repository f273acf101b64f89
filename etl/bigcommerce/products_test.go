package bigcommerce

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/convert"
	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/mappings"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func config(format, maxSize string, tpl []byte) platform.Config {
	return platform.Config{
		Settings:  map[string]string{"format": format, "max-size": maxSize, "weight-unit": "lb"},
		Templates: tpl,
	}
}

// unit is one AIM row; opts adjust it.
func unit(skuText, serial, desc, price string, opts ...func(*inventory.Item)) inventory.Item {
	it := inventory.Item{
		SKU: skuText, Serial: serial, Description: desc, Price: decimal.RequireFromString(price),
		Condition: "New", WebEnabled: true, HasQty: serial == "", Qty: 0,
	}
	if serial == "" {
		it.Qty = 1
	}
	for _, o := range opts {
		o(&it)
	}
	return it
}

func catalog(t testing.TB, items ...inventory.Item) []*inventory.Product {
	t.Helper()
	c := inventory.NewCatalog()
	for i, it := range items {
		it.Source = inventory.Source{File: "inventory.csv", Line: i + 2, Raw: it.SKU + "," + it.Serial}
		if out, prob := c.Add(it); out != inventory.Used {
			t.Fatalf("line %d: %v", i+2, prob)
		}
	}
	return c.Products()
}

// write runs a writer into a fresh folder and returns the folder.
func write(t testing.TB, w platform.Writer, products []*inventory.Product) (string, platform.Result) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bigcommerce")
	var b sink.Batch
	res, err := w.Write(products, dir, &b)
	if err != nil {
		b.Abort()
		t.Fatal(err)
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return dir, res
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// records reads one file into maps by header name.
func records(t *testing.T, path string) []map[string]string {
	recs := readCSV(t, path)
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

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	path = filepath.Join("testdata", "golden", path)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			g, w := "", ""
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got %q\nwant %q", path, i+1, g, w)
			}
		}
	}
}

// describe renders a result for a golden file: counts, refusals, notes.
func describe(res platform.Result) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "products %d, variants %d, simple products %d, rows written %d\n", res.Products, res.Variants, res.SimpleProducts, res.RowsWritten)
	for _, r := range res.Refused {
		var lines []string
		for _, s := range r.Rows {
			lines = append(lines, s.String())
		}
		fmt.Fprintf(&b, "refused SKU %s serial %q column %s value %q rows %s\n  %s\n", r.SKU, r.Serial, r.Column, r.Value, strings.Join(lines, " "), r.Reason)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	return []byte(b.String())
}

// literalCatalog is a small store: the example Stratocaster with three
// serials, a non-serialized item, a used guitar, the W7 serials, SKUs and
// serials that differ only in case, a repeated description, and serials of
// one SKU with different prices and weights.
func literalCatalog(t testing.TB) []*inventory.Product {
	strat := func(it *inventory.Item) {
		it.Brand, it.Model, it.Category, it.Subcategory = "Fender", "0113942700", "Guitars", "Electric Guitars"
		it.MSRP = decimal.NewNullDecimal(decimal.RequireFromString("1899.99"))
		it.UPC, it.Grams = "885978575466", 3674
		it.WebDescription = "V-Mod II pickups, \"Deep C\" neck.\nMolded case included."
		it.Images = []string{"https://cdn.example.com/aim/0113942719-front.jpg", "https://cdn.example.com/aim/0113942719-back.jpg"}
	}
	stratDesc := "Fender American Professional II Stratocaster, Rosewood, 3-Color Sunburst"
	strings_ := func(it *inventory.Item) {
		it.Brand, it.Category, it.Subcategory, it.Qty, it.Grams = "Ernie Ball", "Accessories", "Strings", 48, 45
		it.Sale = decimal.NewNullDecimal(decimal.RequireFromString("6.99"))
		it.UPC, it.Images = "749480222150", []string{"https://cdn.example.com/aim/P02221.jpg"}
	}
	used := func(it *inventory.Item) {
		it.Brand, it.Category, it.Condition, it.Grams = "Fender", "Used", "Used", 3629
		it.MSRP = decimal.NewNullDecimal(decimal.RequireFromString("499.00")) // below the price: not shown
		it.Sale = decimal.NewNullDecimal(decimal.RequireFromString("599.00")) // above the price: not a sale
	}
	ibanez := func(it *inventory.Item) { it.Brand, it.Grams = "Ibanez", 3402 }
	martin := func(grams int64) func(*inventory.Item) {
		return func(it *inventory.Item) { it.Brand, it.Grams = "Martin", grams }
	}
	qty := func(n int) func(*inventory.Item) { return func(it *inventory.Item) { it.Qty = n } }
	return catalog(t,
		unit("0113942719", "US210033734", stratDesc, "1699.99", strat),
		unit("P02221", "", "Ernie Ball Regular Slinky Strings, 10-46", "7.99", strings_),
		unit("0113942719", "US210100599", stratDesc, "1699.99", strat),
		unit("U0144502500", "MX19012345", "Used Fender Player Stratocaster", "549.99", used),
		unit("RG550DY", "US2100,33734", "Ibanez RG550 Genesis", "999.99", ibanez),
		unit("RG550DY", "US2100=33734", "Ibanez RG550 Genesis", "999.99", ibanez),
		unit("RG550DY", "F2214567", "Ibanez RG550 Genesis", "999.99", ibanez),
		unit("0113942719", "US21032314", stratDesc, "1699.99", strat),
		unit("ab100", "", "Pick tin, small", "4.99", qty(3)),
		unit("AB100", "", "Pick tin, large", "5.99", qty(2)),
		unit("CU44VS", "ctig047781", "PRS SE Custom 24", "899.00"),
		unit("CU44VS", "CTIG047781", "PRS SE Custom 24", "899.00"),
		unit("0113942720", "US210044444", stratDesc, "1699.99", strat),
		unit("D28STD", "2720017", "Martin D-28 Standard", "3799.00", martin(2812)),
		unit("D28STD", "2720018", "Martin D-28 Standard", "3599.00", martin(2812)),
		unit("214CE", "2108143102", "Taylor 214ce", "1299.00", martin(2495)),
		unit("214CE", "2108143103", "Taylor 214ce", "1299.00", martin(2500)),
	)
}

func TestGoldenLiteral(t *testing.T) {
	for _, format := range []string{"modern", "legacy"} {
		t.Run(format, func(t *testing.T) {
			dir, res := write(t, defaultWriter(t, format), literalCatalog(t))
			files, _ := filepath.Glob(filepath.Join(dir, "products-*.csv"))
			if len(files) != 1 {
				t.Fatalf("files %q", files)
			}
			got, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "literal-"+format+"/products-001.csv", got)
			golden(t, "literal-"+format+"/result.txt", describe(res))
			checkBalanced(t, literalCatalog(t), res)
		})
	}
}

// checkBalanced: every input row is written or refused, once.
func checkBalanced(t *testing.T, products []*inventory.Product, res platform.Result) {
	t.Helper()
	rows := 0
	for _, p := range products {
		rows += len(p.Variants)
	}
	refused := map[inventory.Source]bool{}
	for _, r := range res.Refused {
		for _, s := range r.Rows {
			if refused[s] {
				t.Errorf("%s refused twice", s)
			}
			refused[s] = true
		}
	}
	if res.RowsWritten+len(refused) != rows {
		t.Errorf("%d rows: %d written + %d refused", rows, res.RowsWritten, len(refused))
	}
}

// TestExampleLayout: 0113942719 with three serials is one Product row
// with its three Variant (or legacy SKU) rows directly under it.
func TestExampleLayout(t *testing.T) {
	serials := []string{"US210033734", "US210100599", "US21032314"}
	var items []inventory.Item
	for _, s := range serials {
		items = append(items, unit("0113942719", s, "Fender Player Strat", "999.00", func(it *inventory.Item) {
			it.Grams = 3629
			it.Images = []string{"https://cdn.example.com/0113942719-front.jpg"}
		}))
	}
	for _, tc := range []struct {
		format, item, product, variant, skuCol, tracking string
	}{
		{"modern", "Item", "Product", "Variant", "SKU", "variant"},
		{"legacy", "Item Type", "Product", "SKU", "Product Code/SKU", "by option"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			dir, _ := write(t, defaultWriter(t, tc.format), catalog(t, items...))
			recs := records(t, filepath.Join(dir, "products-001.csv"))
			if recs[0][tc.item] != tc.product || recs[0][tc.skuCol] != "0113942719" {
				t.Fatalf("first row %v", recs[0])
			}
			if tc.format == "modern" && recs[0]["Inventory Tracking"] != tc.tracking {
				t.Errorf("tracking %q", recs[0]["Inventory Tracking"])
			}
			if tc.format == "legacy" && recs[0]["Track Inventory"] != tc.tracking {
				t.Errorf("tracking %q", recs[0]["Track Inventory"])
			}
			for i, s := range serials {
				r := recs[1+i]
				if r[tc.item] != tc.variant || r[tc.skuCol] != "0113942719|||"+s {
					t.Errorf("row %d: %s %s", i+2, r[tc.item], r[tc.skuCol])
				}
				opt := r["Options"]
				if tc.format == "legacy" {
					opt = r["Product Name"]
				}
				want := map[string]string{"modern": "Type=Dropdown|Name=Serial Number|Value=" + s, "legacy": "[S]Serial Number=" + s}[tc.format]
				if opt != want {
					t.Errorf("row %d option %q, want %q", i+2, opt, want)
				}
			}
			if tc.format == "modern" {
				if len(recs) != 5 || recs[4]["Item"] != "Image" || recs[4]["Image is Thumbnail"] != "TRUE" {
					t.Errorf("image row: %v", recs[len(recs)-1])
				}
			} else if len(recs) != 4 || recs[0]["Product Image File - 1"] != "https://cdn.example.com/0113942719-front.jpg" {
				t.Errorf("legacy rows %d, image %q", len(recs), recs[0]["Product Image File - 1"])
			}
		})
	}
}

// W3: 601 serials are refused with the count, never truncated to 600.
func TestW3TooManyVariants(t *testing.T) {
	many := func(n int, extra ...inventory.Item) []*inventory.Product {
		var items []inventory.Item
		for i := range n {
			items = append(items, unit("0113942719", fmt.Sprintf("US%07d", i), "Fender Player Strat", "999.00"))
		}
		return catalog(t, append(items, extra...)...)
	}
	for _, format := range []string{"modern", "legacy"} {
		t.Run(format, func(t *testing.T) {
			products := many(601)
			dir, res := write(t, defaultWriter(t, format), products)
			if res.Products != 0 || len(res.Refused) != 1 {
				t.Fatalf("products %d, refusals %d", res.Products, len(res.Refused))
			}
			r := res.Refused[0]
			if r.Serial != "" || r.Value != "601" || len(r.Rows) != 601 || !strings.Contains(r.Reason, "601 serials") || !strings.Contains(r.Reason, "BigCommerce allows at most 600") {
				t.Errorf("refusal %q value %q rows %d", r.Reason, r.Value, len(r.Rows))
			}
			if recs := readCSV(t, filepath.Join(dir, "products-001.csv")); len(recs) != 1 {
				t.Errorf("%d rows written, want the header only", len(recs)-1)
			}
			checkBalanced(t, products, res)

			// 600 written at the limit.
			products = many(600)
			_, res = write(t, defaultWriter(t, format), products)
			if res.Variants != 600 || len(res.Refused) != 0 {
				t.Errorf("600 serials: %d variants, %d refusals", res.Variants, len(res.Refused))
			}

			// 602 serials of which two are refused one by one: 600 remain and are written.
			products = many(600, unit("0113942719", "BAD=1", "x", "999.00"), unit("0113942719", "BAD=2", "x", "999.00"))
			_, res = write(t, defaultWriter(t, format), products)
			if res.Variants != 600 || len(res.Refused) != 2 {
				t.Errorf("602 with 2 bad: %d variants, %d refusals", res.Variants, len(res.Refused))
			}
			checkBalanced(t, products, res)

			// 603 serials of which two are refused: the other 601 are refused together.
			products = many(601, unit("0113942719", "BAD=1", "x", "999.00"), unit("0113942719", "BAD=2", "x", "999.00"))
			_, res = write(t, defaultWriter(t, format), products)
			if res.Products != 0 || len(res.Refused) != 3 || len(res.Refused[2].Rows) != 601 {
				t.Errorf("603 with 2 bad: %d products, refusals %d", res.Products, len(res.Refused))
			}
			checkBalanced(t, products, res)
		})
	}
}

// W6: text with commas, quotes and a line break reads back identically.
func TestW6Quoting(t *testing.T) {
	tpl := []byte(`fields:
  name: "{{.Description}}"
  description: "{{.WebDescription}}"
  brand: "{{.Brand}}"
  categories: "{{.Category}}"
  visible: "true"
  condition: "{{.Condition}}"
  show_condition: "false"
  mpn: "{{.Model}}"
  page_title: "{{.Description}}"
  meta_description: ""
  search_keywords: ""
  product_url: ""
  image_description: "{{.Description}}"
`)
	name := `Marshall DSL40CR 1x12" Combo, "Classic Gold"`
	web := "Two channels, each with two modes.\nSays \"loud\", means it,\nand \"\" twice."
	products := catalog(t, unit("DSL40CR", "M2021340567", name, "899.99", func(it *inventory.Item) {
		it.WebDescription, it.Brand, it.Category = web, "Marshall, Ltd.", "Amps, \"tube\""
		it.Images = []string{"https://cdn.example.com/a,b.jpg"}
	}))
	for _, format := range []string{"modern", "legacy"} {
		t.Run(format, func(t *testing.T) {
			w, err := New(config(format, "20MB", tpl))
			if err != nil {
				t.Fatal(err)
			}
			dir, _ := write(t, w, products)
			recs := records(t, filepath.Join(dir, "products-001.csv"))
			names := map[string][]string{
				"modern": {"Name", "Description", "Brand", "Categories", "Page Title"},
				"legacy": {"Product Name", "Product Description", "Brand Name", "Category", "Page Title"},
			}[format]
			for i, want := range []string{name, web, "Marshall, Ltd.", "Amps, \"tube\"", name} {
				if got := recs[0][names[i]]; got != want {
					t.Errorf("%s reads back %q, want %q", names[i], got, want)
				}
			}
			img, desc := recs[len(recs)-1]["Image URL (Import)"], recs[len(recs)-1]["Image Description"]
			if format == "legacy" {
				img, desc = recs[0]["Product Image File - 1"], recs[0]["Product Image Description - 1"]
			}
			if img != "https://cdn.example.com/a,b.jpg" || desc != name {
				t.Errorf("image %q, description %q", img, desc)
			}
		})
	}
}

// W7: a comma in a serial fits the modern Options cell but not the legacy
// option name; = fits neither. Each refusal names BigCommerce and the
// character; only that serial is refused.
func TestW7SerialCharacters(t *testing.T) {
	products := catalog(t,
		unit("RG550DY", "US2100,33734", "Ibanez RG550", "999.99"),
		unit("RG550DY", "US2100=33734", "Ibanez RG550", "999.99"),
		unit("RG550DY", "F2214567", "Ibanez RG550", "999.99"),
	)
	for _, tc := range []struct {
		format  string
		refused []string
	}{
		{"modern", []string{"US2100=33734"}},
		{"legacy", []string{"US2100,33734", "US2100=33734"}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			_, res := write(t, defaultWriter(t, tc.format), products)
			var got []string
			for _, r := range res.Refused {
				got = append(got, r.Serial)
				char := string(r.Serial[6])
				if r.Column != "serial" || r.Value != r.Serial || !strings.Contains(r.Reason, "BigCommerce") || !strings.Contains(r.Reason, "'"+char+"'") {
					t.Errorf("refusal of %s: column %s value %q reason %q", r.Serial, r.Column, r.Value, r.Reason)
				}
			}
			if !slices.Equal(got, tc.refused) {
				t.Errorf("refused %q, want %q", got, tc.refused)
			}
			if res.Products != 1 || res.Variants != 3-len(tc.refused) {
				t.Errorf("%d products, %d variants", res.Products, res.Variants)
			}
		})
	}
	if err := Rules.Check("RG550DY|||US2100,33734", "US2100,33734"); err != nil {
		t.Errorf("modern rules refuse a comma: %v", err)
	}
	for _, r := range []struct {
		name  string
		rules interface{ Check(string, string) error }
	}{{"modern", Rules}, {"legacy", LegacyRules}} {
		if err := r.rules.Check("RG550DY|||US2100=33734", "US2100=33734"); err == nil || !strings.Contains(err.Error(), "'='") {
			t.Errorf("%s rules on =: %v", r.name, err)
		}
	}
}

// SKUs are unique ignoring case across the whole file, all parts included.
func TestSKUCaseCollisions(t *testing.T) {
	products := catalog(t,
		unit("ab100", "", "Pick tin, small", "4.99"),
		unit("CU44VS", "ctig047781", "PRS SE Custom 24", "899.00"),
		unit("CU44VS", "CTIG047781", "PRS SE Custom 24", "899.00"),
		unit("AB100", "", "Pick tin, large", "5.99"),
		unit("Straße1", "", "Strap, long", "19.99"),
		unit("STRASSE1", "", "Strap, short", "19.99"),
	)
	for _, format := range []string{"modern", "legacy"} {
		t.Run(format, func(t *testing.T) {
			// A tiny size limit puts every product in a file of its own.
			w, err := New(config(format, "10B", defaultTemplates(t)))
			if err != nil {
				t.Fatal(err)
			}
			_, res := write(t, w, products)
			want := []struct{ sku, serial, earlier string }{
				{"CU44VS", "CTIG047781", "CU44VS|||ctig047781"},
				{"AB100", "", "ab100"},
				{"STRASSE1", "", "Straße1"},
			}
			if len(res.Refused) != len(want) {
				t.Fatalf("refusals %+v", res.Refused)
			}
			for i, r := range res.Refused {
				if r.SKU != want[i].sku || r.Serial != want[i].serial || !strings.Contains(r.Reason, want[i].earlier) || !strings.Contains(r.Reason, "BigCommerce SKUs are unique ignoring case") {
					t.Errorf("refusal %d: %s %q %q", i, r.SKU, r.Serial, r.Reason)
				}
			}
			if res.Products != 3 {
				t.Errorf("%d products written", res.Products)
			}
			checkBalanced(t, products, res)
		})
	}
}

func defaultTemplates(t testing.TB) []byte {
	tpl, err := mappings.Default("bigcommerce.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// Splitting keeps each product's rows in one file, under the size limit.
func TestSplitOnProductBoundaries(t *testing.T) {
	var items []inventory.Item
	for p := range 12 {
		for s := range 4 {
			items = append(items, unit(fmt.Sprintf("SKU%02d", p), fmt.Sprintf("S%02d%02d", p, s), fmt.Sprintf("Guitar %02d", p), "100.00",
				func(it *inventory.Item) { it.Images = []string{"https://cdn.example.com/x.jpg"} }))
		}
	}
	products := catalog(t, items...)
	for _, format := range []string{"modern", "legacy"} {
		t.Run(format, func(t *testing.T) {
			one, _ := write(t, defaultWriter(t, format), products)
			whole := readCSV(t, filepath.Join(one, "products-001.csv"))

			w, err := New(config(format, "2KB", defaultTemplates(t)))
			if err != nil {
				t.Fatal(err)
			}
			dir, res := write(t, w, products)
			files, _ := filepath.Glob(filepath.Join(dir, "products-*.csv"))
			if len(files) < 3 {
				t.Fatalf("%d files", len(files))
			}
			var joined [][]string
			for _, f := range files {
				if st, _ := os.Stat(f); st.Size() > 2000 {
					t.Errorf("%s is %d bytes", f, st.Size())
				}
				recs := readCSV(t, f)
				if !slices.Equal(recs[0], whole[0]) {
					t.Errorf("%s header differs", f)
				}
				if recs[1][0] != "Product" {
					t.Errorf("%s starts with a %s row", f, recs[1][0])
				}
				joined = append(joined, recs[1:]...)
			}
			if !slices.EqualFunc(joined, whole[1:], slices.Equal) {
				t.Error("the parts together differ from the single file")
			}
			if len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "cannot add variants") {
				t.Errorf("notes %q", res.Notes)
			}
		})
	}
}

// The example weight 8.1 lb arrives as 3674 g and goes out in the store's unit.
func TestWeightUnits(t *testing.T) {
	for unit, want := range map[string]string{"lb": "8.1", "oz": "129.6", "kg": "3.674", "g": "3674"} {
		u, err := bcWeightUnit(unit)
		if err != nil {
			t.Fatal(err)
		}
		if got := (&writer{unit: u}).newRun().weight(3674); got != want {
			t.Errorf("%s: %s, want %s", unit, got, want)
		}
	}
	lb, _ := bcWeightUnit("lb")
	if got := (&writer{unit: lb}).newRun().weight(0); got != "0" {
		t.Errorf("unknown weight %q", got)
	}
}

func TestSettings(t *testing.T) {
	tpl := defaultTemplates(t)
	for _, bad := range []platform.Config{
		config("v2", "20MB", tpl),
		config("modern", "big", tpl),
		{Settings: map[string]string{"format": "modern", "max-size": "20MB", "weight-unit": "stone"}, Templates: tpl},
		config("modern", "20MB", []byte("fields:\n  name: \"\"\n")),
	} {
		if _, err := New(bad); err == nil {
			t.Errorf("%v accepted", bad.Settings)
		}
	}
	for _, s := range Platform.Settings {
		if s.Name == "max-size" && s.Default != "20MB" {
			t.Errorf("max-size default %s", s.Default)
		}
	}
}

// The sample AIM export through the real pipeline, BigCommerce only.
func TestGoldenSample(t *testing.T) {
	sample := filepath.Join("..", "..", "samples", "aim", "inventory.csv")
	if _, err := os.Stat(sample); err != nil {
		t.Skip("no sample inventory")
	}
	m, err := inventory.LoadMapping("")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"modern", "legacy"} {
		t.Run(format, func(t *testing.T) {
			out := t.TempDir()
			sum, err := convert.Run(convert.Job{Inputs: []string{sample}, Out: out, Mapping: m,
				Targets: []convert.Target{{Platform: Platform, Writer: defaultWriter(t, format)}}})
			if err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(out, "bigcommerce", "products-*.csv"))
			for _, f := range files {
				got, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, "sample-"+format+"/"+filepath.Base(f), got)
				readCSV(t, f) // parses back
			}
			ps := sum.Platforms["bigcommerce"]
			golden(t, "sample-"+format+"/result.txt", describe(ps.Result))
			if ps.RowsWritten+ps.RowsRefused != sum.RowsUsed {
				t.Errorf("rows used %d: written %d + refused %d", sum.RowsUsed, ps.RowsWritten, ps.RowsRefused)
			}
		})
	}
}

// BenchmarkWrite: 2,000 serialized products of 5 serials each.
func BenchmarkWrite(b *testing.B) {
	c := inventory.NewCatalog()
	for p := range 2000 {
		for s := range 5 {
			it := unit(fmt.Sprintf("%010d", p), fmt.Sprintf("US%06d%02d", p, s), fmt.Sprintf("Guitar model %d, sunburst", p), "1299.99",
				func(it *inventory.Item) {
					it.Brand, it.Category, it.Subcategory, it.Grams = "Fender", "Guitars", "Electric Guitars", 3674
					it.WebDescription = "Alder body, maple neck.\nCase included."
					it.Images = []string{"https://cdn.example.com/aim/guitar.jpg"}
				})
			it.Source = inventory.Source{File: "bench.csv", Line: p*5 + s + 2}
			c.Add(it)
		}
	}
	products := c.Products()
	for _, format := range []string{"modern", "legacy"} {
		b.Run(format, func(b *testing.B) {
			w := defaultWriter(b, format)
			dir := b.TempDir()
			b.ReportAllocs()
			for b.Loop() {
				var batch sink.Batch
				if _, err := w.Write(products, dir, &batch); err != nil {
					b.Fatal(err)
				}
				batch.Abort()
			}
		})
	}
}
