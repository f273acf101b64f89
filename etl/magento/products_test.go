package magento

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
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

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func newWriter(t testing.TB, settings map[string]string, edits ...string) platform.Writer {
	t.Helper()
	w, err := build(settings, edits...)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// build makes a writer from the default magento.yaml with edits applied
// as old, new pairs.
func build(settings map[string]string, edits ...string) (platform.Writer, error) {
	tpl, err := mappings.Default("magento.yaml")
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(edits); i += 2 {
		if !bytes.Contains(tpl, []byte(edits[i])) {
			return nil, fmt.Errorf("edit %q does not apply", edits[i])
		}
		tpl = bytes.Replace(tpl, []byte(edits[i]), []byte(edits[i+1]), 1)
	}
	cfg := platform.Config{Settings: map[string]string{"max-size": "2MB"}, Templates: tpl}
	for k, v := range settings {
		cfg.Settings[k] = v
	}
	return New(cfg)
}

func serialized(sku, desc string, serials ...string) *inventory.Product {
	p := &inventory.Product{SKU: sku, Serialized: true, Description: desc, Brand: "Fender", Category: "Guitars",
		Subcategory: "Electric Guitars", Images: []string{"https://cdn.example.com/" + sku + ".jpg"}}
	for i, s := range serials {
		p.Variants = append(p.Variants, inventory.Variant{Source: inventory.Source{File: "inv.csv", Line: i + 2},
			Serial: s, Qty: 1, Condition: "New", Prices: inventory.Prices{Price: "1699.99", MSRP: "1899.99"}, Grams: 3674})
	}
	return p
}

func simple(sku, desc string, qty int) *inventory.Product {
	return &inventory.Product{SKU: sku, Description: desc, Category: "Accessories",
		Variants: []inventory.Variant{{Source: inventory.Source{File: "inv.csv", Line: 99}, Qty: qty, Prices: inventory.Prices{Price: "7.99"}}}}
}

// output is what one Write committed.
type output struct {
	res   platform.Result
	dir   string
	files map[string][][]string // products-NNN.csv parsed back with encoding/csv
	plan  Plan
	raw   map[string][]byte // every file by base name
}

func write(t testing.TB, w platform.Writer, products ...*inventory.Product) (output, error) {
	t.Helper()
	out := output{dir: t.TempDir(), files: map[string][][]string{}, raw: map[string][]byte{}}
	var b sink.Batch
	var err error
	out.res, err = w.Write(products, out.dir, &b)
	if err != nil {
		b.Abort()
		return out, err
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	// Every input row is written or refused, once.
	rows, refused := 0, 0
	for _, p := range products {
		rows += len(p.Variants)
	}
	for _, r := range out.res.Refused {
		refused += len(r.Rows)
	}
	if out.res.RowsWritten+refused != rows {
		t.Errorf("%d rows in, %d written + %d refused", rows, out.res.RowsWritten, refused)
	}
	out.read(t)
	return out, nil
}

func (o *output) read(t testing.TB) {
	t.Helper()
	entries, err := os.ReadDir(o.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(o.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		o.raw[e.Name()] = data
		switch {
		case e.Name() == planFile:
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&o.plan); err != nil {
				t.Fatalf("%s: %v", planFile, err)
			}
		case strings.HasSuffix(e.Name(), ".csv"):
			if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
				t.Errorf("%s starts with a BOM", e.Name())
			}
			recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			if !reflect.DeepEqual(recs[0], header[:]) {
				t.Errorf("%s: header %q", e.Name(), recs[0])
			}
			o.files[e.Name()] = recs
		}
	}
}

// rows returns every data row of every part, in file order.
func (o *output) rows() [][]string {
	var names []string
	for n := range o.files {
		names = append(names, n)
	}
	slices.Sort(names)
	var all [][]string
	for _, n := range names {
		all = append(all, o.files[n][1:]...)
	}
	return all
}

// links returns parent → child SKUs as the plan's link_child calls give them.
func (o *output) links(t testing.TB) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for _, p := range o.plan.Products {
		for _, c := range p.Calls {
			if c.Kind != "link_child" {
				continue
			}
			if c.Path != "/V1/configurable-products/"+p.SKU+"/child" || c.Method != "POST" {
				t.Errorf("link call %s %s", c.Method, c.Path)
			}
			body := c.Body.(map[string]any)
			got[p.SKU] = append(got[p.SKU], body["childSku"].(string))
		}
	}
	return got
}

func pick(r []string, cols ...int) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = r[c]
	}
	return out
}

// W5: a hidden simple row per serial, then the configurable row with an
// empty configurable_variations, and a link plan with two child links.
func TestSerializedLayoutW5(t *testing.T) {
	o, err := write(t, newWriter(t, nil), serialized("0113942719", "Fender American Professional II Stratocaster", "US210033734", "US210100599"))
	if err != nil {
		t.Fatal(err)
	}
	cols := []int{cSKU, cStoreView, cType, cVisibility, cURLKey, cAdditional, cQty, cInStock, cVariations}
	want := [][]string{
		{"0113942719|||US210033734", "", "simple", "Not Visible Individually", "0113942719-us210033734", "serial_number=US210033734", "1", "1", ""},
		{"0113942719|||US210100599", "", "simple", "Not Visible Individually", "0113942719-us210100599", "serial_number=US210100599", "1", "1", ""},
		{"0113942719", "", "configurable", "Catalog, Search", "0113942719", "", "0", "1", ""},
	}
	rows := o.rows()
	if len(rows) != len(want) {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	for i, w := range want {
		if got := pick(rows[i], cols...); !reflect.DeepEqual(got, w) {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, got, w)
		}
	}
	if got := o.links(t); !reflect.DeepEqual(got, map[string][]string{"0113942719": {"0113942719|||US210033734", "0113942719|||US210100599"}}) {
		t.Errorf("links %q", got)
	}
	if o.res.Products != 1 || o.res.Variants != 2 || o.res.RowsWritten != 2 || len(o.res.Refused) != 0 {
		t.Errorf("result %+v", o.res)
	}
}

// The example SKU with its three serials: the plan links exactly those
// three children to 0113942719, after creating exactly those options.
func TestExampleSKULinksThreeSerials(t *testing.T) {
	serials := []string{"US210033734", "US210100599", "US21032314"}
	o, err := write(t, newWriter(t, nil), serialized("0113942719", "Strat", serials...), simple("P02221", "Strings", 48))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"0113942719": {"0113942719|||US210033734", "0113942719|||US210100599", "0113942719|||US21032314"}}
	if got := o.links(t); !reflect.DeepEqual(got, want) {
		t.Errorf("links %q", got)
	}
	var labels []string
	for _, op := range o.plan.AttributeOptions {
		labels = append(labels, op.Label)
	}
	if !reflect.DeepEqual(labels, serials) {
		t.Errorf("options %q", labels)
	}
	if len(o.plan.Products) != 1 || len(o.plan.Products[0].Calls) != 4 || o.plan.Products[0].Calls[0].Kind != "declare_option" {
		t.Errorf("calls %+v", o.plan.Products)
	}
}

// Non-serialized items are one visible simple row with their quantity.
func TestSimpleRows(t *testing.T) {
	p := simple("P02221", "Ernie Ball Regular Slinky", 48)
	p.Variants[0].Prices = inventory.Prices{Price: "7.99", MSRP: "9.99", Sale: "6.49"}
	o, err := write(t, newWriter(t, nil), p, simple("P02222", "Out of stock", 0))
	if err != nil {
		t.Fatal(err)
	}
	cols := []int{cSKU, cType, cVisibility, cPrice, cSpecialPrice, cMSRP, cQty, cInStock, cURLKey, cCategories, cVariations}
	want := [][]string{
		{"P02221", "simple", "Catalog, Search", "7.99", "6.49", "9.99", "48", "1", "p02221", "Default Category/Accessories", ""},
		{"P02222", "simple", "Catalog, Search", "7.99", "", "", "0", "0", "p02222", "Default Category/Accessories", ""},
	}
	if got := [][]string{pick(o.rows()[0], cols...), pick(o.rows()[1], cols...)}; !reflect.DeepEqual(got, want) {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
	if len(o.plan.Products) != 0 || len(o.plan.AttributeOptions) != 0 || !reflect.DeepEqual(o.plan.ImportFiles, []string{"products-001.csv"}) {
		t.Errorf("plan for simple products only: %+v", o.plan)
	}
}

// The serial is option value, additional_attributes value and part of the
// SKU, never anything in configurable_variations: Magento splits that cell
// on | with no escape, so a written ||| would leave every serial unlinked.
func TestNoPipesInConfigurableVariations(t *testing.T) {
	check := func(t *testing.T, raw map[string][]byte) {
		n := 0
		for name, data := range raw {
			if !strings.HasSuffix(name, ".csv") {
				continue
			}
			recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			i := slices.Index(recs[0], "configurable_variations")
			if i < 0 {
				t.Fatalf("%s has no configurable_variations column", name)
			}
			for _, r := range recs[1:] {
				n++
				if strings.Contains(r[i], "|||") {
					t.Errorf("%s: configurable_variations %q", name, r[i])
				}
			}
		}
		if n == 0 {
			t.Error("no rows checked")
		}
	}
	t.Run("literal", func(t *testing.T) {
		o, err := write(t, newWriter(t, map[string]string{"max-size": "2KB"}), literalCatalog()...)
		if err != nil {
			t.Fatal(err)
		}
		check(t, o.raw)
	})
	t.Run("sample", func(t *testing.T) {
		check(t, runSample(t).raw)
	})
}

// W6: commas, quotes and a line break read back to the same text.
func TestQuotingW6(t *testing.T) {
	text := "Fender 12\" Combo, Tweed\nwith \"cover\", footswitch"
	p := serialized("0113942719", text, "US1")
	p.WebDescription = "Alder body\r\nMaple neck, \"C\" shape & more"
	o, err := write(t, newWriter(t, nil), p)
	if err != nil {
		t.Fatal(err)
	}
	rows := o.rows()
	if got := rows[1][cName]; got != text {
		t.Errorf("name %q", got)
	}
	if got := rows[0][cName]; got != text+" - US1" {
		t.Errorf("child name %q", got)
	}
	if got := rows[1][cDescription]; got != "Alder body<br>Maple neck, &#34;C&#34; shape &amp; more" {
		t.Errorf("description %q", got)
	}
}

// SKUs over 64 characters are refused for Magento with their length; the
// rest of the product goes on.
func TestSKULength(t *testing.T) {
	long := strings.Repeat("S", 51)
	o, err := write(t, newWriter(t, nil),
		serialized("0113942719", "Strat", long, long+"X"),
		simple(strings.Repeat("A", 65), "Too long", 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.res.Refused) != 2 {
		t.Fatalf("refused %+v", o.res.Refused)
	}
	if r := o.res.Refused[0]; r.Serial != long+"X" || !strings.Contains(r.Reason, "Magento allows at most 64 characters") || !strings.Contains(r.Reason, "has 65") {
		t.Errorf("child refusal %+v", r)
	}
	if r := o.res.Refused[1]; r.Serial != "" || r.SKU != strings.Repeat("A", 65) || !strings.Contains(r.Reason, "has 65") {
		t.Errorf("product refusal %+v", r)
	}
	if got := o.links(t)["0113942719"]; !reflect.DeepEqual(got, []string{"0113942719|||" + long}) {
		t.Errorf("links %q", got)
	}
	if o.res.RowsWritten != 1 {
		t.Errorf("rows written %d", o.res.RowsWritten)
	}
}

// Magento matches SKUs and dropdown labels ignoring case: the later of two
// that differ only in case is refused, naming the first.
func TestCaseInsensitiveDuplicates(t *testing.T) {
	o, err := write(t, newWriter(t, nil),
		simple("ab100", "a", 1), simple("AB100", "b", 1),
		serialized("0113942719", "Strat", "US1", "us1"),
		serialized("0113942720", "Strat", "Us1", "US2"))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ sku, serial, mention string }{
		{"AB100", "", "SKU ab100"}, {"0113942719", "us1", "serial US1"}, {"0113942720", "Us1", "serial US1"},
	}
	if len(o.res.Refused) != len(want) {
		t.Fatalf("refused %+v", o.res.Refused)
	}
	for i, w := range want {
		r := o.res.Refused[i]
		if r.SKU != w.sku || r.Serial != w.serial || !strings.Contains(r.Reason, w.mention) || !strings.Contains(r.Reason, "ignoring case") {
			t.Errorf("refusal %d: %+v", i, r)
		}
	}
	if got := o.links(t); !reflect.DeepEqual(got, map[string][]string{"0113942719": {"0113942719|||US1"}, "0113942720": {"0113942720|||US2"}}) {
		t.Errorf("links %q", got)
	}
}

// W7 and section 1.2a: a comma alone or = alone is safe in
// additional_attributes and the link plan; a comma followed by = is not,
// and is refused for Magento naming both characters. Each child still
// gets its own url_key.
func TestSerialCharacters(t *testing.T) {
	o, err := write(t, newWriter(t, nil), serialized("0113942719", "Strat",
		"US2100,33734", "US2100=33734", "US21,00=33", "A=B,C", "__EMPTY__VALUE__", "US2100/33734"))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.res.Refused) != 2 {
		t.Fatalf("refused %+v", o.res.Refused)
	}
	if r := o.res.Refused[0]; r.Serial != "US21,00=33" || !strings.Contains(r.Reason, `"," followed by "="`) {
		t.Errorf("%+v", r)
	}
	if r := o.res.Refused[1]; r.Serial != "__EMPTY__VALUE__" {
		t.Errorf("%+v", r)
	}
	rows := o.rows()
	var keys, attrs []string
	for _, r := range rows[:len(rows)-1] {
		keys = append(keys, r[cURLKey])
		attrs = append(attrs, r[cAdditional])
	}
	if !reflect.DeepEqual(attrs, []string{"serial_number=US2100,33734", "serial_number=US2100=33734", "serial_number=A=B,C", "serial_number=US2100/33734"}) {
		t.Errorf("additional_attributes %q", attrs)
	}
	for i, k := range keys {
		if slices.Index(keys, k) != i || !strings.HasPrefix(k, "0113942719-us2100") && !strings.HasPrefix(k, "0113942719-a-b-c") {
			t.Errorf("url keys %q", keys)
		}
	}
	// The key depends on the serial alone, not on which others the run has.
	alone, _ := write(t, newWriter(t, nil), serialized("0113942719", "Strat", "US2100=33734"))
	if alone.rows()[0][cURLKey] != keys[1] {
		t.Errorf("url_key %q alone, %q among others", alone.rows()[0][cURLKey], keys[1])
	}
}

// W1 for Magento: url keys come from the SKU, survive a rename, and the
// later of two SKUs with the same key is refused rather than imported
// over the first.
func TestURLKeys(t *testing.T) {
	w := newWriter(t, nil)
	o, _ := write(t, w, serialized("0113942719", "Fender Player Strat", "A1"), serialized("0113942720", "Fender Player Strat", "B1"))
	rows := o.rows()
	if rows[1][cURLKey] != "0113942719" || rows[3][cURLKey] != "0113942720" {
		t.Errorf("keys %q %q", rows[1][cURLKey], rows[3][cURLKey])
	}
	again, _ := write(t, w, serialized("0113942719", "Fender Player Stratocaster (renamed)", "A1"))
	if again.rows()[1][cURLKey] != "0113942719" {
		t.Error("url_key changed with the name")
	}
	o, _ = write(t, w, simple("AB-1", "x", 1), simple("ab.1", "y", 1), simple("0113942719-a1", "z", 1), serialized("0113942719", "Strat", "A1"))
	if len(o.res.Refused) != 2 || o.res.Refused[0].SKU != "ab.1" || !strings.Contains(o.res.Refused[0].Reason, "AB-1") ||
		o.res.Refused[1].Serial != "A1" || !strings.Contains(o.res.Refused[1].Reason, "0113942719-a1") {
		t.Errorf("refused %+v", o.res.Refused)
	}
	if _, err := build(nil, `url_key: "{{.SKU}}"`, `url_key: "{{.Description}}"`); err == nil {
		t.Error("a url_key template without .SKU accepted")
	}
}

// A product never spans two files, children come before their
// configurable row, and the plan lists the parts in order.
func TestSplitsOnProductBoundaries(t *testing.T) {
	o, err := write(t, newWriter(t, map[string]string{"max-size": "6KB"}), many(30, 3)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.files) < 2 {
		t.Fatalf("%d files", len(o.files))
	}
	var names []string
	for name, recs := range o.files {
		names = append(names, name)
		if len(o.raw[name]) > 6000 {
			t.Errorf("%s is %d bytes", name, len(o.raw[name]))
		}
		pending := map[string]int{}
		for _, r := range recs[1:] {
			parent, _, isChild := strings.Cut(r[cSKU], "|||")
			if isChild {
				pending[parent]++
				continue
			}
			if r[cType] != "configurable" || pending[parent] != 3 {
				t.Errorf("%s: %s after %d children", name, parent, pending[parent])
			}
			delete(pending, parent)
		}
		if len(pending) > 0 {
			t.Errorf("%s: children without their configurable row: %v", name, pending)
		}
	}
	slices.Sort(names)
	if !reflect.DeepEqual(o.plan.ImportFiles, names) {
		t.Errorf("import_files %q, files %q", o.plan.ImportFiles, names)
	}
	if len(o.plan.Products) != 30 || o.res.Variants != 90 {
		t.Errorf("%d products planned, %d variants", len(o.plan.Products), o.res.Variants)
	}
}

// A smaller second run leaves no stale part behind.
func TestRemovesStaleParts(t *testing.T) {
	w := newWriter(t, map[string]string{"max-size": "6KB"})
	o, _ := write(t, w, many(30, 3)...)
	if len(o.files) < 2 {
		t.Fatalf("%d files", len(o.files))
	}
	var b sink.Batch
	if _, err := w.Write(many(1, 3), o.dir, &b); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(o.dir, "products-*.csv"))
	if len(matches) != 1 {
		t.Errorf("files after the smaller run: %q", matches)
	}
}

func TestSettingsRefused(t *testing.T) {
	for name, edits := range map[string][]string{
		"max-size":           nil,
		"serial code":        {`serial_attribute: "serial_number"`, `serial_attribute: "Serial Number"`},
		"serial template":    {`serial_attribute: "serial_number"`, `serial_attribute: "{{.Brand}}"`},
		"empty label":        {`serial_label: "Serial Number"`, `serial_label: ""`},
		"brand code":         {`brand_attribute: ""`, `brand_attribute: "brand name"`},
		"brand is serial":    {`brand_attribute: ""`, `brand_attribute: "serial_number"`},
		"weight unit":        {`weight_unit: "lbs"`, `weight_unit: "lb"`},
		"unknown field":      {`meta_title: ""`, `meta_titel: ""`},
		"missing visibility": {`visibility: "Catalog, Search"`, ``},
	} {
		settings := map[string]string{}
		if name == "max-size" {
			settings["max-size"] = "big"
		}
		if _, err := build(settings, edits...); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	w := newWriter(t, nil, `visibility: "Catalog, Search"`, `visibility: "Everywhere"`)
	if _, err := write(t, w, simple("A", "a", 1)); err == nil || !strings.Contains(err.Error(), "Everywhere") {
		t.Errorf("visibility: %v", err)
	}
}

// The brand goes into additional_attributes only when the store names an
// attribute for it, on the product and on each serial.
func TestBrandAttribute(t *testing.T) {
	w := newWriter(t, nil, `brand_attribute: ""`, `brand_attribute: "manufacturer"`)
	bad := simple("B1", "Bad brand", 1)
	bad.Brand = "Acme, Inc=Ltd"
	o, err := write(t, w, serialized("0113942719", "Strat", "US1"), bad)
	if err != nil {
		t.Fatal(err)
	}
	rows := o.rows()
	if rows[0][cAdditional] != "serial_number=US1,manufacturer=Fender" || rows[1][cAdditional] != "manufacturer=Fender" {
		t.Errorf("additional_attributes %q / %q", rows[0][cAdditional], rows[1][cAdditional])
	}
	if len(o.res.Refused) != 1 || o.res.Refused[0].Column != "brand" {
		t.Errorf("refused %+v", o.res.Refused)
	}
}

// Prices, weights and images on the rows that carry them.
func TestPricesWeightsImages(t *testing.T) {
	p := serialized("0113942719", "Strat", "US1", "US2")
	p.Variants[1].Prices = inventory.Prices{Price: "1599.00", Sale: "1499.00"}
	p.Images = []string{"https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg", "https://cdn.example.com/c.jpg"}
	o, _ := write(t, newWriter(t, nil), p)
	rows := o.rows()
	cols := []int{cPrice, cSpecialPrice, cMSRP, cWeight, cBaseImage, cMoreImages}
	want := [][]string{
		{"1699.99", "", "1899.99", "8.10", "", ""},
		{"1599.00", "1499.00", "", "8.10", "", ""},
		{"1599.00", "", "", "", "https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg,https://cdn.example.com/c.jpg"},
	}
	for i, w := range want {
		if got := pick(rows[i], cols...); !reflect.DeepEqual(got, w) {
			t.Errorf("row %d: %q, want %q", i+1, got, w)
		}
	}
	kg, _ := write(t, newWriter(t, nil, `weight_unit: "lbs"`, `weight_unit: "kgs"`), p)
	if got := kg.rows()[0][cWeight]; got != "3.674" {
		t.Errorf("kgs weight %q", got)
	}
}

// many makes n serialized products of k serials each; serials are unique
// across the catalog, as the catalog guarantees.
func many(n, k int) []*inventory.Product {
	ps := make([]*inventory.Product, n)
	for i := range ps {
		serials := make([]string, k)
		for j := range serials {
			serials[j] = fmt.Sprintf("US%06d%02d", i, j)
		}
		ps[i] = serialized(fmt.Sprintf("%010d", i), "Fender Player Stratocaster, Maple", serials...)
	}
	return ps
}

func literalCatalog() []*inventory.Product {
	strat := serialized("0113942719", "Fender American Professional II Stratocaster, Rosewood Fingerboard, 3-Color Sunburst",
		"US210033734", "US210100599", "US21032314")
	strat.WebDescription = "V-Mod II single-coil pickups, Deep C neck.\nMolded \"hardshell\" case included."
	strings_ := simple("P02221", "Ernie Ball Regular Slinky Nickel Wound Electric Strings, 10-46", 48)
	strings_.Brand, strings_.Subcategory = "Ernie Ball", "Strings"
	strings_.Variants[0].Prices = inventory.Prices{Price: "7.99", MSRP: "9.99", Sale: "6.99"}
	amp := serialized("DSL40CR", "Marshall DSL40CR 40W 1x12\" Tube Combo Amp", "M2021340567")
	amp.Brand, amp.Category, amp.Subcategory, amp.Images = "Marshall", "Amplifiers", "", nil
	return []*inventory.Product{strat, strings_, amp}
}

// golden compares the files in dir with testdata/golden/<name>, or
// rewrites them with -update.
func golden(t *testing.T, name string, raw map[string][]byte) {
	t.Helper()
	dir := filepath.Join("testdata", "golden", name)
	if *update {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for n, data := range raw {
			if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(raw) {
		t.Errorf("%d golden files, %d written", len(entries), len(raw))
	}
	for _, e := range entries {
		want, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if got, ok := raw[e.Name()]; !ok || !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test -update and check the diff by eye)", e.Name(), filepath.Join(dir, e.Name()))
		}
	}
}

func TestGoldenLiteral(t *testing.T) {
	o, err := write(t, newWriter(t, nil), literalCatalog()...)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "literal", o.raw)
	// Same input, same bytes.
	again, _ := write(t, newWriter(t, nil), literalCatalog()...)
	for n, data := range o.raw {
		if !bytes.Equal(data, again.raw[n]) {
			t.Errorf("%s differs between two runs", n)
		}
	}
}

// runSample converts samples/aim/inventory.csv for Magento alone through
// the real pipeline.
func runSample(t *testing.T) output {
	t.Helper()
	m, err := inventory.LoadMapping("")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	sum, err := convert.Run(convert.Job{Inputs: []string{"../../samples/aim/inventory.csv"}, Out: out, Mapping: m,
		Targets: []convert.Target{{Platform: Platform, Writer: newWriter(t, nil)}}})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Balanced {
		t.Error("summary does not balance")
	}
	o := output{dir: filepath.Join(out, "magento"), files: map[string][][]string{}, raw: map[string][]byte{}}
	o.read(t)
	return o
}

func TestGoldenSample(t *testing.T) {
	o := runSample(t)
	golden(t, "sample", o.raw)
	want := []string{"0113942719|||US210033734", "0113942719|||US210100599", "0113942719|||US21032314"}
	if got := o.links(t)["0113942719"]; !reflect.DeepEqual(got, want) {
		t.Errorf("sample links for 0113942719: %q", got)
	}
}

func BenchmarkWrite(b *testing.B) {
	ps := many(2000, 5)
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
