// Package bigcommerce owns everything aimbridge knows about BigCommerce:
// the product CSV its importer takes (modern Item format, or the legacy
// Item Type Bulk Edit template), written one product per AIM SKU with one
// variant per serial.
package bigcommerce

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/etl/sku"
	"github.com/aimbridge/aimbridge/etl/templates"
	"github.com/aimbridge/aimbridge/etl/weight"
	"golang.org/x/text/cases"
)

const (
	// MaxVariants is BigCommerce's per-product variant (SKU) limit.
	MaxVariants = 600
	maxName     = 255
	maxImageURL = 1024
	// serialOption is the variant option every serial is a value of.
	serialOption = "Serial Number"
)

// Rules are BigCommerce's limits on a variant SKU in the modern format:
// the Options cell is Type=…|Name=…|Value=…, so a serial cannot hold | or =.
var Rules = sku.Rules{Platform: "BigCommerce", MaxLen: 255, Forbidden: "|="}

// LegacyRules are the limits in the legacy format, whose option cell is
// [S]Name=Value,[S]Name=Value: a comma breaks it too.
var LegacyRules = sku.Rules{Platform: "BigCommerce", MaxLen: 255, Forbidden: "|=,"}

// Platform describes BigCommerce to the command line.
var Platform = platform.Platform{
	Name:  "bigcommerce",
	Title: "BigCommerce",
	Settings: []platform.Setting{
		{Name: "format", Default: "modern", Usage: "product CSV format: modern (Item column) or legacy (Item Type, the Bulk Edit template)"},
		{Name: "max-size", Default: "20MB", Usage: "split products-NNN.csv files under this size"},
		{Name: "weight-unit", Default: "lb", Usage: "the store's weight unit (Settings › Physical and dimensional): lb, oz, kg or g"},
	},
	Templates: "bigcommerce.yaml",
	New:       New,
	Orders:    OrderFormats,
}

var templateFields = []string{"name", "description", "brand", "categories", "visible", "condition", "show_condition", "mpn", "page_title", "meta_description", "search_keywords", "product_url", "image_description"}

// templateColumn is the column each template feeds, for leaving out the
// columns of empty templates in the modern format.
var templateColumn = map[string]int{
	"name": cName, "description": cDescription, "brand": cBrand, "categories": cCategories,
	"visible": cVisible, "condition": cCondition, "show_condition": cShowCondition, "mpn": cMPN,
	"page_title": cPageTitle, "meta_description": cMetaDesc, "search_keywords": cKeywords,
	"product_url": cURL, "image_description": cImageDesc,
}

type writer struct {
	legacy bool
	rules  sku.Rules
	modern *layout // the legacy layout depends on the catalog's image count
	max    int64
	t      *templates.Set
	unit   weight.Unit
}

// New builds a BigCommerce writer.
func New(cfg platform.Config) (platform.Writer, error) {
	w := &writer{rules: Rules}
	switch cfg.Settings["format"] {
	case "modern":
	case "legacy":
		w.legacy, w.rules = true, LegacyRules
	default:
		return nil, fmt.Errorf("bigcommerce: format %q: use modern or legacy", cfg.Settings["format"])
	}
	var err error
	if w.unit, err = bcWeightUnit(cfg.Settings["weight-unit"]); err != nil {
		return nil, err
	}
	if w.max, err = sink.ParseSize(cfg.Settings["max-size"]); err != nil {
		return nil, fmt.Errorf("bigcommerce: max-size: %w", err)
	}
	if w.t, err = templates.Parse("bigcommerce.yaml", cfg.Templates, templateFields); err != nil {
		return nil, err
	}
	if w.t.Source("name") == "" {
		return nil, errors.New("bigcommerce.yaml: the name template is empty; BigCommerce needs a product name")
	}
	var omit [nCols]bool
	for f, c := range templateColumn {
		omit[c] = w.t.Source(f) == ""
	}
	w.modern = newModern(omit)
	return w, nil
}

// run is one Write: the file's layout and what it has written so far.
type run struct {
	*writer
	l     *layout
	res   platform.Result
	caser cases.Caser
	skus  map[string]string // folded SKU → the SKU written
	names map[string]string // folded product name → its SKU
	// Serials of one SKU mostly share a weight: format it once.
	weights map[int64]string
	// legacy: SKUs whose serials weigh differently; the product row carries one weight
	mixedWeights []string
}

func (w *writer) newRun() *run {
	return &run{writer: w, l: w.modern, caser: cases.Fold(), skus: map[string]string{}, names: map[string]string{},
		weights: map[int64]string{}}
}

func (w *writer) Write(products []*inventory.Product, dir string, b *sink.Batch) (platform.Result, error) {
	r := w.newRun()
	if w.legacy {
		images := 0
		for _, p := range products {
			images = max(images, len(p.Images))
		}
		r.l = newLegacy(images)
	}
	parts := b.NewParts(dir, "products-%03d.csv", w.max, r.l.header)
	for _, p := range products {
		rows, variants, err := r.product(p)
		if err != nil {
			return r.res, err
		}
		if rows == nil {
			continue
		}
		out := make([][]string, len(rows))
		for i := range rows {
			out[i] = r.l.render(&rows[i])
		}
		if err := parts.WriteGroup(p.SKU, out); err != nil {
			return r.res, err
		}
		r.res.Count(p, variants)
	}
	if err := parts.Close(); err != nil {
		return r.res, err
	}
	r.notes(parts.Oversize)
	return r.res, b.RemoveStale(dir, "products-*.csv")
}

func (r *run) notes(oversize []string) {
	n := &r.res.Notes
	*n = append(*n, "BigCommerce's CSV import cannot add variants to, or remove them from, a product that already has variants: these files create products (a first publication); for SKUs already in the store, new and sold serials need the v3 catalog API")
	if r.legacy {
		*n = append(*n, "legacy format: import with the product import (Bulk Edit re-import), not the SKU import, which cannot create variants")
		if len(r.mixedWeights) > 0 {
			*n = append(*n, fmt.Sprintf("legacy format carries one weight per product; the first serial's weight was used for SKUs whose serials differ: %s", strings.Join(r.mixedWeights, ", ")))
		}
	}
	for _, k := range oversize {
		*n = append(*n, fmt.Sprintf("SKU %s alone is larger than the %d-byte file limit; it has a file of its own", k, r.max))
	}
}

// product checks one product against BigCommerce's rules and lays out its
// rows. A refused product or variant is recorded in r.res; nil rows means
// nothing of the product is written.
func (r *run) product(p *inventory.Product) ([]row, []inventory.Variant, error) {
	vals := map[string]string{}
	for _, f := range templateFields {
		v, err := r.t.Render(f, p)
		if err != nil {
			return nil, nil, err
		}
		vals[f] = v
	}
	res := &r.res
	name := vals["name"]
	if name == "" {
		res.Refuse(p, "description", "", "BigCommerce needs a product name; the name template gave an empty one")
		return nil, nil, nil
	}
	if n := utf8.RuneCountInString(name); n > maxName {
		res.Refuse(p, "description", name, fmt.Sprintf("BigCommerce product names are at most %d characters; this one has %d", maxName, n))
		return nil, nil, nil
	}
	if other, taken := r.names[r.fold(name)]; taken {
		res.Refuse(p, "description", name, fmt.Sprintf("BigCommerce product names must be unique (ignoring case); SKU %s already has this name; change the name template in bigcommerce.yaml", other))
		return nil, nil, nil
	}
	if err := r.rules.Check(p.SKU, ""); err != nil {
		res.Refuse(p, "sku", p.SKU, err.Error())
		return nil, nil, nil
	}
	if earlier, taken := r.skus[r.fold(p.SKU)]; taken {
		res.Refuse(p, "sku", p.SKU, fmt.Sprintf("BigCommerce SKUs are unique ignoring case; SKU %s was written earlier", earlier))
		return nil, nil, nil
	}
	for _, img := range p.Images {
		if n := utf8.RuneCountInString(img); n > maxImageURL {
			res.Refuse(p, "image_url", img, fmt.Sprintf("BigCommerce takes image URLs of at most %d characters; this one has %d", maxImageURL, n))
			return nil, nil, nil
		}
	}
	cond, ok := condition(vals["condition"])
	if !ok {
		res.Refuse(p, "condition", vals["condition"], "BigCommerce's product condition is New, Used or Refurbished; change the condition template in bigcommerce.yaml")
		return nil, nil, nil
	}
	vals["condition"] = cond
	for _, f := range []string{"visible", "show_condition"} {
		if _, err := parseBool(vals[f]); err != nil && vals[f] != "" {
			return nil, nil, fmt.Errorf("bigcommerce.yaml: fields.%s for SKU %s: %w", f, p.SKU, err)
		}
	}
	if url := vals["product_url"]; url != "" {
		vals["product_url"] = "/" + strings.Trim(url, "/") + "/"
	}

	sell, err := r.variants(p)
	if err != nil || len(sell.variants) == 0 {
		return nil, nil, err
	}
	variants := sell.variants
	if len(variants) > MaxVariants {
		left := *p
		left.Variants = variants // the rows not already refused one by one
		res.Refuse(&left, "serial", strconv.Itoa(len(variants)), fmt.Sprintf("%d serials; BigCommerce allows at most %d variants per product", len(variants), MaxVariants))
		return nil, nil, nil
	}
	r.names[r.fold(name)] = p.SKU
	r.skus[r.fold(p.SKU)] = p.SKU
	maps.Copy(r.skus, sell.folded)
	if r.legacy {
		return r.legacyRows(p, vals, sell), variants, nil
	}
	return r.modernRows(p, vals, sell), variants, nil
}

// sellable is what BigCommerce takes of a product: its variants, their
// SKUs, and those SKUs folded for the uniqueness check.
type sellable struct {
	variants []inventory.Variant
	skus     []string
	folded   map[string]string
}

// variants keeps the serials BigCommerce can take, refusing the others one
// by one.
func (r *run) variants(p *inventory.Product) (sellable, error) {
	if !p.Serialized {
		if len(p.Variants) != 1 {
			return sellable{}, fmt.Errorf("bigcommerce: internal error: non-serialized SKU %s has %d stock lines", p.SKU, len(p.Variants))
		}
		return sellable{variants: p.Variants, skus: []string{p.SKU}}, nil
	}
	s := sellable{variants: make([]inventory.Variant, 0, len(p.Variants)), skus: make([]string, 0, len(p.Variants)), folded: map[string]string{}}
	for _, v := range p.Variants {
		vs := p.VariantSKU(v)
		if err := r.rules.Check(vs, v.Serial); err != nil {
			col, val := "serial", v.Serial
			if e := (*sku.Error)(nil); errors.As(err, &e) && e.Value == vs {
				col, val = "sku", vs
			}
			reason := err.Error()
			if r.legacy {
				reason += " (legacy Item Type format)"
			}
			r.res.RefuseVariant(p, v, col, val, reason)
			continue
		}
		k := r.fold(vs)
		earlier, taken := r.skus[k]
		if !taken {
			earlier, taken = s.folded[k]
		}
		if taken {
			r.res.RefuseVariant(p, v, "serial", v.Serial, fmt.Sprintf("BigCommerce SKUs are unique ignoring case; %s is the same SKU as %s, written earlier", vs, earlier))
			continue
		}
		if first := s.variants; r.legacy && len(first) > 0 && v.Prices != first[0].Prices {
			r.res.RefuseVariant(p, v, "price", v.Prices.Price, fmt.Sprintf("the legacy BigCommerce format gives every serial its product's prices (price %s, MSRP %s, sale %s from serial %s) and this serial's differ; use the modern format",
				first[0].Prices.Price, orNone(first[0].Prices.MSRP), orNone(first[0].Prices.Sale), first[0].Serial))
			continue
		}
		s.folded[k] = vs
		s.variants, s.skus = append(s.variants, v), append(s.skus, vs)
	}
	return s, nil
}

// fold is the key SKUs and names are compared by, ignoring case.
func (r *run) fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return r.caser.String(s)
		}
	}
	return strings.ToLower(s)
}

// modernRows: the Product row, its Variant rows directly under it, then one
// Image row per image.
func (r *run) modernRows(p *inventory.Product, vals map[string]string, sell sellable) []row {
	rows := make([]row, 0, 1+len(sell.variants)+len(p.Images))
	pr := r.productRow(p, vals, sell.variants[0])
	pr.v[cItem], pr.v[cType] = "Product", "physical"
	pr.v[cVisible], pr.v[cShowCondition] = trueFalse(vals["visible"]), trueFalse(vals["show_condition"])
	rows = append(rows, pr)
	if p.Serialized {
		for i, v := range sell.variants {
			var vr row
			vr.v[cItem], vr.v[cSKU] = "Variant", sell.skus[i]
			vr.v[cOptions] = "Type=Dropdown|Name=" + serialOption + "|Value=" + v.Serial
			vr.v[cStock], vr.v[cUPC], vr.v[cWeight] = strconv.Itoa(v.Qty), v.UPC, r.weight(v.Grams)
			vr.v[cPrice], vr.v[cRetail], vr.v[cSale] = r.prices(v.Prices)
			rows = append(rows, vr)
		}
	}
	for i, img := range p.Images {
		var ir row
		ir.v[cItem], ir.v[cImageURL], ir.v[cImageThumb] = "Image", img, strings.ToUpper(strconv.FormatBool(i == 0))
		ir.v[cImageSort], ir.v[cImageDesc] = strconv.Itoa(i), vals["image_description"]
		rows = append(rows, ir)
	}
	return rows
}

// legacyRows: the Product row with its images in numbered columns, then
// one SKU row per serial. SKU rows carry only stock and codes; prices and
// weight are the product's.
func (r *run) legacyRows(p *inventory.Product, vals map[string]string, sell sellable) []row {
	variants := sell.variants
	rows := make([]row, 0, 1+len(variants))
	pr := r.productRow(p, vals, variants[0])
	pr.v[cItem], pr.v[cType] = "Product", "P"
	pr.v[cVisible], pr.v[cShowCondition] = yesNo(vals["visible"]), yesNo(vals["show_condition"])
	pr.v[cAllowPurchases], pr.v[cFreeShipping] = "Y", "N"
	pr.v[cTracking] = "by product"
	pr.images, pr.v[cImageDesc] = p.Images, vals["image_description"]
	rows = append(rows, pr)
	if !p.Serialized {
		return rows
	}
	rows[0].v[cTracking] = "by option"
	for _, v := range variants {
		if v.Grams != variants[0].Grams {
			r.mixedWeights = append(r.mixedWeights, p.SKU)
			break
		}
	}
	for i, v := range variants {
		var vr row
		vr.v[cItem], vr.v[cName], vr.v[cSKU] = "SKU", "[S]"+serialOption+"="+v.Serial, sell.skus[i]
		vr.v[cStock], vr.v[cUPC] = strconv.Itoa(v.Qty), v.UPC
		rows = append(rows, vr)
	}
	return rows
}

// productRow fills what both formats' product rows share. first is the
// product's first serial (or its only stock line): a serialized product's
// price and weight are its first unit's.
func (r *run) productRow(p *inventory.Product, vals map[string]string, first inventory.Variant) row {
	var pr row
	pr.v[cName], pr.v[cSKU] = vals["name"], p.SKU
	pr.v[cTracking], pr.v[cStock] = "product", strconv.Itoa(first.Qty)
	if p.Serialized {
		// Stock lives on the variants; the product row's count is 0 as in
		// BigCommerce's own variant examples.
		pr.v[cTracking], pr.v[cStock] = "variant", "0"
	} else {
		pr.v[cUPC] = first.UPC
	}
	pr.v[cPrice], pr.v[cRetail], pr.v[cSale] = r.prices(first.Prices)
	pr.v[cWeight] = r.weight(first.Grams)
	pr.v[cBrand], pr.v[cCategories], pr.v[cDescription] = vals["brand"], vals["categories"], vals["description"]
	pr.v[cPageTitle], pr.v[cURL], pr.v[cMetaDesc] = vals["page_title"], vals["product_url"], vals["meta_description"]
	pr.v[cKeywords], pr.v[cMPN], pr.v[cCondition] = vals["search_keywords"], vals["mpn"], vals["condition"]
	return pr
}

// prices gives Price, Retail Price and Sale Price as plain decimals. Price
// is AIM's regular price; an MSRP counts only above it and a sale price
// only below it (BigCommerce charges the sale price whenever one is set);
// 0.00 means none, as BigCommerce stores it.
func (r *run) prices(p inventory.Prices) (price, retail, sale string) {
	return p.Price, cmp.Or(p.MSRPAbove(), "0.00"), cmp.Or(p.SaleBelow(), "0.00")
}

// weight is grams in the store's unit. BigCommerce requires a weight on
// physical products; an unknown weight is written as 0.
func (r *run) weight(grams int64) string {
	if s, ok := r.weights[grams]; ok {
		return s
	}
	s := r.unit.Of(grams).String()
	r.weights[grams] = s
	return s
}

func condition(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "", "new":
		return "New", true
	case "used":
		return "Used", true
	case "refurbished":
		return "Refurbished", true
	}
	return "", false
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1":
		return true, nil
	case "false", "no", "n", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}

// trueFalse and yesNo write a checked template boolean in each format's
// spelling; an empty template leaves the value empty.
func trueFalse(s string) string {
	if s == "" {
		return ""
	}
	b, _ := parseBool(s)
	return strings.ToUpper(strconv.FormatBool(b))
}

func yesNo(s string) string {
	if s == "" {
		return ""
	}
	b, _ := parseBool(s)
	return yn(b)
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// bcWeightUnit takes the unit names BigCommerce's settings show.
func bcWeightUnit(s string) (weight.Unit, error) {
	switch s {
	case "lb", "oz", "kg", "g":
		return weight.ParseUnit(s)
	}
	return weight.Unit{}, fmt.Errorf("bigcommerce: weight-unit %q: use lb, oz, kg or g", s)
}
