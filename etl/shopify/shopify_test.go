package shopify

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/mappings"
)

func newWriter(t testing.TB, settings map[string]string) platform.Writer {
	t.Helper()
	tpl, err := mappings.Default("shopify.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := platform.Config{Settings: map[string]string{"headers": "current", "max-size": "15MB"}, Templates: tpl}
	for k, v := range settings {
		cfg.Settings[k] = v
	}
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func serialized(sku, desc string, serials ...string) *inventory.Product {
	p := &inventory.Product{SKU: sku, Serialized: true, Description: desc, Brand: "Fender", Category: "Guitars",
		Images: []string{"https://cdn.example.com/" + sku + ".jpg"}}
	for i, s := range serials {
		p.Variants = append(p.Variants, inventory.Variant{Source: inventory.Source{File: "inv.csv", Line: i + 2},
			Serial: s, Qty: 1, Condition: "New", Prices: inventory.Prices{Price: "1699.99", MSRP: "1899.99"}, Grams: 3674})
	}
	return p
}

func simple(sku, desc string, qty int) *inventory.Product {
	return &inventory.Product{SKU: sku, Description: desc, Variants: []inventory.Variant{{Qty: qty, Prices: inventory.Prices{Price: "7.99"}}}}
}

// write runs w and returns every file it wrote, parsed back with encoding/csv.
func write(t testing.TB, w platform.Writer, products ...*inventory.Product) (platform.Result, map[string][][]string, error) {
	t.Helper()
	dir := t.TempDir()
	var b sink.Batch
	res, err := w.Write(products, dir, &b)
	if err != nil {
		b.Abort()
		return res, nil, err
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	files := map[string][][]string{}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	for _, m := range matches {
		data, _ := os.ReadFile(m)
		if strings.HasPrefix(string(data), "\xEF\xBB\xBF") {
			t.Errorf("%s starts with a BOM", m)
		}
		recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		files[filepath.Base(m)] = recs
	}
	return res, files, nil
}

func col(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	panic("no column " + name)
}

func readLines(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// Header facts carried from Shopify's own files: the pre-2023 header of
// its sample apparel.csv and the current template's 57 columns.
func TestHeadersMatchShopify(t *testing.T) {
	if !reflect.DeepEqual(legacyHeader, readLines(t, "testdata/legacy-header.txt")) {
		t.Error("legacy header differs from Shopify's sample file")
	}
	if !reflect.DeepEqual(currentHeader, readLines(t, "testdata/current-header.txt")) {
		t.Error("current header differs from Shopify's template")
	}
}

// The example SKU: one product, three variants, option name on the first row only.
func TestSerializedLayout(t *testing.T) {
	for _, dialect := range []string{"current", "legacy"} {
		t.Run(dialect, func(t *testing.T) {
			_, files, err := write(t, newWriter(t, map[string]string{"headers": dialect}),
				serialized("0113942719", "Fender American Professional II Stratocaster", "US210033734", "US210100599", "US21032314"),
				simple("P02221", "Ernie Ball Regular Slinky, 10-46", 48))
			if err != nil {
				t.Fatal(err)
			}
			recs := files["products-001.csv"]
			h := recs[0]
			d := dialects[dialect]
			name := func(c int) int { return col(h, d.names[c]) }
			if len(recs) != 5 {
				t.Fatalf("%d lines", len(recs))
			}
			want := [][]string{
				{"0113942719", "Fender American Professional II Stratocaster", "Serial Number", "US210033734", "0113942719|||US210033734", "1"},
				{"0113942719", "", "", "US210100599", "0113942719|||US210100599", "1"},
				{"0113942719", "", "", "US21032314", "0113942719|||US21032314", "1"},
				{"p02221", "Ernie Ball Regular Slinky, 10-46", "Title", "Default Title", "P02221", "48"},
			}
			for i, w := range want {
				r := recs[i+1]
				got := []string{r[name(cHandle)], r[name(cTitle)], r[name(cOpt1Name)], r[name(cOpt1Value)], r[name(cSKU)], r[name(cQty)]}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("row %d: %q, want %q", i+1, got, w)
				}
				if r[name(cPolicy)] != "deny" || r[name(cTracker)] != "shopify" {
					t.Errorf("row %d: inventory not tracked/denied", i+1)
				}
			}
		})
	}
}

// W1: handles come from the SKU, stay when the title changes, and never collide.
func TestHandles(t *testing.T) {
	w := newWriter(t, nil)
	_, files, err := write(t, w, serialized("0113942719", "Fender Player Strat", "A1"), serialized("0113942720", "Fender Player Strat", "B1"))
	if err != nil {
		t.Fatal(err)
	}
	recs := files["products-001.csv"]
	if recs[1][1] != "0113942719" || recs[2][1] != "0113942720" {
		t.Fatalf("handles %q %q", recs[1][1], recs[2][1])
	}
	_, again, _ := write(t, w, serialized("0113942719", "Fender Player Stratocaster (renamed)", "A1"))
	if again["products-001.csv"][1][1] != "0113942719" {
		t.Error("handle changed with the title")
	}
	_, files, err = write(t, w, simple("AB-1", "x", 1), simple("ab.1", "y", 1), simple("日本", "z", 1))
	if err != nil {
		t.Fatal(err)
	}
	recs = files["products-001.csv"]
	if recs[1][1] != "ab-1" || recs[2][1] == "ab-1" || !strings.HasPrefix(recs[2][1], "ab-1-") || !strings.HasPrefix(recs[3][1], "sku-") {
		t.Fatalf("handles %q %q %q", recs[1][1], recs[2][1], recs[3][1])
	}
	// A store template that drops what makes SKUs distinct fails the run.
	tpl, _ := mappings.Default("shopify.yaml")
	same := strings.Replace(string(tpl), `handle: "{{.SKU}}"`, `handle: "guitar{{if .SKU}}{{end}}"`, 1)
	w2, err := New(platform.Config{Settings: map[string]string{"headers": "current", "max-size": "15MB"}, Templates: []byte(same)})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = write(t, w2, simple("A1", "x", 1), simple("A2", "y", 1))
	if err == nil || !strings.Contains(err.Error(), "A1") || !strings.Contains(err.Error(), "A2") {
		t.Fatalf("colliding handles: %v", err)
	}
}

// W2: one serial is still an option value, never Default Title.
func TestSingleSerialKeepsOption(t *testing.T) {
	_, files, _ := write(t, newWriter(t, nil), serialized("0113942719", "Strat", "US210033734"))
	r := files["products-001.csv"][1]
	if r[col(currentHeader, "Option1 name")] != "Serial Number" || r[col(currentHeader, "Option1 value")] != "US210033734" {
		t.Errorf("%q", r)
	}
}

// Shopify allows 2,048 variants: more is refused with the count, never truncated.
func TestVariantLimit(t *testing.T) {
	many := func(n int) *inventory.Product {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprintf("SN%05d", i)
		}
		return serialized("0113942719", "Strat", s...)
	}
	res, files, _ := write(t, newWriter(t, nil), many(MaxVariants))
	if len(files["products-001.csv"]) != MaxVariants+1 || res.Variants != MaxVariants {
		t.Errorf("2048 variants: %d rows", len(files["products-001.csv"]))
	}
	res, files, _ = write(t, newWriter(t, nil), many(MaxVariants+1))
	if len(res.Refused) != 1 || !strings.Contains(res.Refused[0].Reason, "2049 serials") || len(res.Refused[0].Rows) != MaxVariants+1 {
		t.Errorf("refusal %+v", res.Refused)
	}
	if len(files["products-001.csv"]) != 1 {
		t.Error("a refused product must not be written at all")
	}
	// A serial refused on its own is not counted again with its product.
	p := many(MaxVariants + 1)
	p.Variants = append(p.Variants, inventory.Variant{Serial: strings.Repeat("X", 260)})
	res, _, _ = write(t, newWriter(t, nil), p)
	rows := 0
	for _, r := range res.Refused {
		rows += len(r.Rows)
	}
	if len(res.Refused) != 2 || rows != MaxVariants+2 {
		t.Errorf("%d refusals covering %d rows, want 2 covering %d", len(res.Refused), rows, MaxVariants+2)
	}
}

// W6 and I13: commas, quotes and line breaks survive; the HTML description
// shows the break as <br>.
func TestQuoting(t *testing.T) {
	p := serialized("0113942719", "Fender 12\" Combo, Tweed", "US1")
	p.WebDescription = "Alder body\nMaple neck, \"C\" shape & more"
	_, files, _ := write(t, newWriter(t, nil), p)
	r := files["products-001.csv"][1]
	if r[0] != "Fender 12\" Combo, Tweed" {
		t.Errorf("title %q", r[0])
	}
	if got := r[col(currentHeader, "Description")]; got != "Alder body<br>Maple neck, &#34;C&#34; shape &amp; more" {
		t.Errorf("description %q", got)
	}
}

func TestSplitsOnProductBoundaries(t *testing.T) {
	var ps []*inventory.Product
	for i := range 30 {
		ps = append(ps, serialized(fmt.Sprintf("SKU%03d", i), "Strat", "A", "B", "C"))
	}
	_, files, err := write(t, newWriter(t, map[string]string{"max-size": "6KB"}), ps...)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("%d files", len(files))
	}
	where := map[string]string{}
	for name, recs := range files {
		for _, r := range recs[1:] {
			if prev, ok := where[r[1]]; ok && prev != name {
				t.Errorf("product %s split across %s and %s", r[1], prev, name)
			}
			where[r[1]] = name
		}
	}
	if len(where) != 30 {
		t.Errorf("%d products written", len(where))
	}
}

func TestSettingsRefused(t *testing.T) {
	tpl, _ := mappings.Default("shopify.yaml")
	for _, s := range []map[string]string{{"headers": "2019", "max-size": "15MB"}, {"headers": "current", "max-size": "big"}} {
		if _, err := New(platform.Config{Settings: s, Templates: tpl}); err == nil {
			t.Errorf("%v accepted", s)
		}
	}
	bad := strings.Replace(string(tpl), `handle: "{{.SKU}}"`, `handle: "{{.Description}}"`, 1)
	if _, err := New(platform.Config{Settings: map[string]string{"headers": "current", "max-size": "15MB"}, Templates: []byte(bad)}); err == nil {
		t.Error("a handle template without .SKU accepted")
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
