// Package magento owns everything aimbridge knows about Magento 2 / Adobe
// Commerce: the catalog import CSV its admin importer takes (System › Data
// Transfer › Import, entity Products) and link-plan.json, the REST calls
// that attach each serial to its configurable product, which the CSV
// cannot do for SKUs containing |.
package magento

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/etl/sku"
	"github.com/aimbridge/aimbridge/etl/templates"
	"github.com/aimbridge/aimbridge/etl/weight"
	"github.com/shopspring/decimal"
)

// Rules are Magento's limits on a SKU: 64 characters. No serial character
// is refused on its own: the serial travels in additional_attributes,
// whose only trap is a comma followed later by = (checkPairValue), which a
// character set cannot express; configurable_variations, the cell that
// cannot carry |, is left empty (formats/magento.md §1.2a, §3).
var Rules = sku.Rules{Platform: "Magento", MaxLen: 64}

// Platform describes Magento to the command line.
var Platform = platform.Platform{
	Name:  "magento",
	Title: "Magento 2",
	Settings: []platform.Setting{
		{Name: "max-size", Default: "2MB", Usage: "split products-NNN.csv files under this size (PHP's default upload limit is 2MB)"},
	},
	Templates: "magento.yaml",
	New:       New,
	Orders:    OrderFormats,
}

const (
	partPattern = "products-%03d.csv"
	planFile    = "link-plan.json"
	hidden      = "Not Visible Individually"
	// emptyValue in a cell makes the importer blank the stored value
	// (Import::DEFAULT_EMPTY_ATTRIBUTE_VALUE_CONSTANT), so a serial or
	// brand cannot be exactly this.
	emptyValue = "__EMPTY__VALUE__"
)

// Templates rendered per product, and those that must be fixed values
// because the whole run (and the link plan) shares them.
var (
	productFields = []string{"url_key", "name", "description", "short_description", "categories", "attribute_set",
		"websites", "tax_class", "visibility", "brand", "meta_title", "meta_description"}
	fixedFields    = []string{"serial_attribute", "serial_label", "brand_attribute", "weight_unit"}
	templateFields = append(append([]string{}, productFields...), fixedFields...)
)

var (
	visibilities  = map[string]bool{hidden: true, "Catalog": true, "Search": true, "Catalog, Search": true}
	attributeCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,59}$`)
)

type writer struct {
	max        int64
	t          *templates.Set
	serialAttr string
	serialName string
	brandAttr  string
	weightUnit string
	unit       weight.Unit // weightUnit, parsed
}

// New builds a Magento writer.
func New(cfg platform.Config) (platform.Writer, error) {
	max, err := sink.ParseSize(cfg.Settings["max-size"])
	if err != nil {
		return nil, fmt.Errorf("magento: max-size: %w", err)
	}
	t, err := templates.Parse("magento.yaml", cfg.Templates, templateFields)
	if err != nil {
		return nil, err
	}
	// url_key is what the importer checks for duplicates and what store
	// URLs are built from: following the name would move every renamed
	// product to a new URL.
	if !strings.Contains(t.Source("url_key"), ".SKU") {
		return nil, fmt.Errorf("magento.yaml: the url_key template must use .SKU so URL keys stay stable when names change")
	}
	fixed := map[string]string{}
	for _, f := range fixedFields {
		if strings.Contains(t.Source(f), "{{") {
			return nil, fmt.Errorf("magento.yaml: fields.%s must be a fixed value, not a template", f)
		}
		if fixed[f], err = t.Render(f, &inventory.Product{}); err != nil {
			return nil, err
		}
	}
	w := &writer{max: max, t: t, serialAttr: fixed["serial_attribute"], serialName: fixed["serial_label"],
		brandAttr: fixed["brand_attribute"], weightUnit: fixed["weight_unit"]}
	switch {
	case !attributeCode.MatchString(w.serialAttr):
		return nil, fmt.Errorf("magento.yaml: serial_attribute %q is not an attribute code (a-z, 0-9, _; a letter first)", w.serialAttr)
	case w.serialName == "":
		return nil, fmt.Errorf("magento.yaml: serial_label is empty")
	case w.brandAttr != "" && !attributeCode.MatchString(w.brandAttr):
		return nil, fmt.Errorf("magento.yaml: brand_attribute %q is not an attribute code (a-z, 0-9, _; a letter first)", w.brandAttr)
	case w.brandAttr == w.serialAttr:
		return nil, fmt.Errorf("magento.yaml: brand_attribute and serial_attribute are both %q", w.serialAttr)
	case w.weightUnit != "lbs" && w.weightUnit != "kgs":
		return nil, fmt.Errorf("magento.yaml: weight_unit %q: use lbs or kgs, as set in the store's locale options", w.weightUnit)
	}
	w.unit, _ = weight.ParseUnit(w.weightUnit)
	return w, nil
}

// taken remembers what a run has written, as Magento compares it: SKUs
// and option labels ignoring case, URL keys exactly (they are lower case).
type taken struct {
	skus, urlKeys, serials map[string]string // key → the SKU that holds it
}

func fold(s string) string { return strings.ToLower(s) }

func (w *writer) Write(products []*inventory.Product, dir string, b *sink.Batch) (platform.Result, error) {
	var res platform.Result
	parts := b.NewParts(dir, partPattern, w.max, header[:])
	plan := newPlanner(w.serialAttr, w.serialName)
	seen := &taken{skus: map[string]string{}, urlKeys: map[string]string{}, serials: map[string]string{}}
	for _, p := range products {
		rows, variants, err := w.product(p, seen, &res)
		if err != nil {
			return res, err
		}
		if rows == nil {
			continue
		}
		out := make([][]string, len(rows))
		for i := range rows {
			out[i] = rows[i][:]
		}
		if err := parts.WriteGroup(p.SKU, out); err != nil {
			return res, err
		}
		res.Count(p, variants)
		if p.Serialized {
			children, serials := make([]string, len(variants)), make([]string, len(variants))
			for i, v := range variants {
				children[i], serials[i] = p.VariantSKU(v), v.Serial
			}
			plan.add(p.SKU, children, serials)
			if strings.ContainsAny(p.SKU, "/\\") {
				res.Notes = append(res.Notes, fmt.Sprintf("SKU %s contains a slash; some web servers refuse it in a REST path even as %%2F, so its link-plan calls may need to be made by hand", p.SKU))
			}
		}
	}
	if err := parts.Close(); err != nil {
		return res, err
	}
	files := make([]string, parts.Count())
	for i := range files {
		files[i] = fmt.Sprintf(partPattern, i+1)
	}
	if err := plan.write(b, filepath.Join(dir, planFile), files); err != nil {
		return res, err
	}
	for _, k := range parts.Oversize {
		res.Notes = append(res.Notes, fmt.Sprintf("SKU %s alone is larger than the %d-byte file limit; it has a file of its own", k, w.max))
	}
	if len(plan.products) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("create the %d serial options in %s before importing (Add/Update, multiple value separator \",\", fields enclosure off), then run its link calls: the CSV does not link serials to their products",
			plan.options(), planFile))
	}
	return res, b.RemoveStale(dir, "products-*.csv")
}

// product lays out one product's rows: a non-serialized item is one
// visible simple row; a serialized one is a hidden simple row per serial
// followed by its configurable row (children first, as in Magento's own
// configurable fixture), with configurable_variations left empty. It
// returns no rows when the product is refused.
func (w *writer) product(p *inventory.Product, seen *taken, res *platform.Result) ([]row, []inventory.Variant, error) {
	vals := make(map[string]string, len(productFields))
	for _, f := range productFields {
		v, err := w.t.Render(f, p)
		if err != nil {
			return nil, nil, err
		}
		vals[f] = v
	}
	if !visibilities[vals["visibility"]] {
		return nil, nil, fmt.Errorf("magento.yaml: visibility %q for SKU %s: use Catalog, Search, \"Catalog, Search\" or %s", vals["visibility"], p.SKU, hidden)
	}
	key := templates.Slug(vals["url_key"])
	switch {
	case key == "":
		res.Refuse(p, "sku", p.SKU, "the url_key template gives no letters or digits for this SKU")
		return nil, nil, nil
	case vals["name"] == "":
		res.Refuse(p, "description", "", "Magento needs a product name; the name template gave an empty one")
		return nil, nil, nil
	case vals["attribute_set"] == "":
		res.Refuse(p, "sku", p.SKU, "Magento needs an attribute set; the attribute_set template gave an empty one")
		return nil, nil, nil
	}
	if err := Rules.Check(p.SKU, ""); err != nil {
		res.Refuse(p, "sku", p.SKU, err.Error())
		return nil, nil, nil
	}
	if other, ok := seen.skus[fold(p.SKU)]; ok {
		res.Refuse(p, "sku", p.SKU, fmt.Sprintf("Magento matches SKUs ignoring case, and SKU %s is already written", other))
		return nil, nil, nil
	}
	if other, ok := seen.urlKeys[key]; ok {
		res.Refuse(p, "sku", p.SKU, fmt.Sprintf("url_key %q is already SKU %s's; change the url_key template in magento.yaml", key, other))
		return nil, nil, nil
	}
	var brandPair string
	if w.brandAttr != "" && vals["brand"] != "" {
		if why := checkPairValue(vals["brand"]); why != "" {
			res.Refuse(p, "brand", vals["brand"], "brand "+why)
			return nil, nil, nil
		}
		brandPair = w.brandAttr + "=" + vals["brand"]
	}

	var r row
	r[cSKU], r[cAttrSet], r[cCategories], r[cWebsites] = p.SKU, vals["attribute_set"], vals["categories"], vals["websites"]
	r[cName], r[cDescription], r[cShortDescription] = vals["name"], vals["description"], vals["short_description"]
	r[cOnline], r[cTaxClass], r[cVisibility], r[cURLKey] = "1", vals["tax_class"], vals["visibility"], key
	r[cMetaTitle], r[cMetaDescription], r[cAdditional] = vals["meta_title"], vals["meta_description"], brandPair
	if len(p.Images) > 0 {
		r[cBaseImage], r[cSmallImage], r[cThumbnail] = p.Images[0], p.Images[0], p.Images[0]
		r[cMoreImages] = strings.Join(p.Images[1:], ",") // image_url was split on commas, so none is left inside a URL
	}

	if !p.Serialized {
		v := p.Variants[0]
		r[cType] = "simple"
		w.sellable(&r, v)
		r[cQty], r[cInStock] = strconv.Itoa(v.Qty), "0"
		if v.Qty > 0 {
			r[cInStock] = "1"
		}
		seen.skus[fold(p.SKU)], seen.urlKeys[key] = p.SKU, p.SKU
		return []row{r}, p.Variants, nil
	}
	return w.configurable(p, r, vals, brandPair, seen, res)
}

// configurable lays out a serialized product: the hidden child rows of
// the serials Magento can take, then the configurable row r. Serials are
// checked against this product's earlier ones as well as the run's, and
// only entered in seen once the product is written.
func (w *writer) configurable(p *inventory.Product, r row, vals map[string]string, brandPair string, seen *taken, res *platform.Result) ([]row, []inventory.Variant, error) {
	key := r[cURLKey]
	mine := &taken{skus: map[string]string{}, urlKeys: map[string]string{key: p.SKU}, serials: map[string]string{}}
	variants := make([]inventory.Variant, 0, len(p.Variants))
	rows := make([]row, 0, len(p.Variants)+1)
	lowest := decimal.Decimal{}
	for _, v := range p.Variants {
		child := p.VariantSKU(v)
		ck := key + "-" + serialSlug(v.Serial)
		refuse := func(reason string) { res.RefuseVariant(p, v, "serial", v.Serial, reason) }
		if err := Rules.Check(child, v.Serial); err != nil {
			refuse(err.Error())
			continue
		}
		if why := checkPairValue(v.Serial); why != "" {
			refuse("serial " + why)
			continue
		}
		if other, ok := lookup(fold(v.Serial), seen.serials, mine.serials); ok {
			refuse(fmt.Sprintf("Magento matches %s options ignoring case, and serial %s is already written", w.serialAttr, other))
			continue
		}
		if other, ok := lookup(fold(child), seen.skus, mine.skus); ok {
			refuse(fmt.Sprintf("Magento matches SKUs ignoring case, and SKU %s is already written", other))
			continue
		}
		if other, ok := lookup(ck, seen.urlKeys, mine.urlKeys); ok {
			refuse(fmt.Sprintf("url_key %q is already SKU %s's; change the url_key template in magento.yaml", ck, other))
			continue
		}
		mine.serials[fold(v.Serial)], mine.skus[fold(child)], mine.urlKeys[ck] = v.Serial, child, child

		var c row
		c[cSKU], c[cAttrSet], c[cType], c[cWebsites] = child, vals["attribute_set"], "simple", vals["websites"]
		c[cName], c[cOnline], c[cTaxClass], c[cVisibility] = vals["name"]+" - "+v.Serial, "1", vals["tax_class"], hidden
		c[cURLKey], c[cQty], c[cInStock] = ck, "1", "1"
		c[cAdditional] = w.serialAttr + "=" + v.Serial
		if brandPair != "" {
			c[cAdditional] += "," + brandPair
		}
		w.sellable(&c, v)
		if price := decimal.RequireFromString(v.Prices.Price); len(rows) == 0 || price.LessThan(lowest) {
			lowest = price
		}
		rows = append(rows, c)
		variants = append(variants, v)
	}
	if len(variants) == 0 {
		return nil, nil, nil
	}
	// A new configurable row needs a price even though its children's
	// prices are the ones shown; the lowest is what Magento shows "from".
	r[cType], r[cPrice], r[cQty], r[cInStock] = "configurable", lowest.StringFixed(2), "0", "1"
	for k, v := range mine.skus {
		seen.skus[k] = v
	}
	for k, v := range mine.urlKeys {
		seen.urlKeys[k] = v
	}
	for k, v := range mine.serials {
		seen.serials[k] = v
	}
	seen.skus[fold(p.SKU)] = p.SKU
	return append(rows, r), variants, nil
}

// sellable fills the price and weight columns of a simple row.
func (w *writer) sellable(r *row, v inventory.Variant) {
	r[cPrice] = v.Prices.Price
	r[cSpecialPrice] = v.Prices.SaleBelow()
	r[cMSRP] = v.Prices.MSRP
	if v.Grams > 0 {
		r[cWeight] = w.weight(v.Grams)
	}
}

// weight gives grams in the store's unit: kilograms to the gram, pounds
// to the hundredth, always with all their decimals as Magento exports them.
func (w *writer) weight(grams int64) string {
	return w.unit.Of(grams).StringFixed(w.unit.Places())
}

func lookup(k string, maps ...map[string]string) (string, bool) {
	for _, m := range maps {
		if v, ok := m[k]; ok {
			return v, true
		}
	}
	return "", false
}

// checkPairValue says why v cannot be a value in additional_attributes,
// or "". Without "Fields enclosure" the importer splits the cell on commas
// and starts a new code=value pair at any piece holding =, so a comma
// followed later by = would cut the value short and invent an attribute
// (Product::parseAttributesWithoutWrappedValues). A comma alone, or =
// alone, is kept.
func checkPairValue(v string) string {
	if v == emptyValue {
		return fmt.Sprintf("is %s, which Magento's importer reads as \"blank this value\"", emptyValue)
	}
	if i := strings.IndexByte(v, ','); i >= 0 && strings.Contains(v[i:], "=") {
		return "contains \",\" followed by \"=\", which Magento's additional_attributes reads as the start of another attribute"
	}
	return ""
}

// serialSlug is the serial's part of a child's url_key. Slugging folds
// every character but letters and digits into -, so when the serial has
// any other, a short hash of the exact serial keeps US2100,33734 and
// US2100=33734 apart; the key depends only on the SKU, never on which
// other serials the run has.
func serialSlug(serial string) string {
	s := templates.Slug(serial)
	for i := 0; i < len(serial); i++ {
		c := serial[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			sum := sha256.Sum256([]byte(serial))
			return strings.Trim(s+"-"+hex.EncodeToString(sum[:4]), "-")
		}
	}
	return s
}
