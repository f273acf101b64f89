// Package woocommerce owns everything aimbridge knows about WooCommerce.
// The products files write the CSV that WooCommerce's built-in importer
// (Products › Import) takes: one variable product per serialized AIM SKU
// with one variation per serial, and simple products for the rest.
package woocommerce

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/etl/sku"
	"github.com/aimbridge/aimbridge/etl/templates"
	"github.com/aimbridge/aimbridge/etl/weight"
)

// serialAttr is the one attribute a serialized product has. It is a
// local attribute (global 0) on the parent and on every variation alike:
// WooCommerce 11.1 refuses a variation whose attribute name or global flag
// differs from its parent's, and a global attribute would create a
// taxonomy term per serial that outlives the guitar.
const serialAttr = "Serial Number"

// The output files. Parts are always numbered, even when there is one, so
// the names staff import never change as the catalog grows past max-size.
const (
	createPattern = "products-create-%03d.csv"
	updatePattern = "products-update-%03d.csv"
)

// Rules are WooCommerce's limits on a variant SKU: the SKU columns are
// varchar(100), and local attribute values are stored joined with |, so
// a serial holding | would come back as two values.
var Rules = sku.Rules{Platform: "WooCommerce", MaxLen: 100, Forbidden: "|"}

// Platform describes WooCommerce to the command line.
var Platform = platform.Platform{
	Name:  "woocommerce",
	Title: "WooCommerce",
	Settings: []platform.Setting{
		// PHP ships with upload_max_filesize = 2M and many shared hosts keep
		// it; the import screen shows the store's real limit.
		{Name: "max-size", Default: "2MB", Usage: "split products-create.csv and products-update.csv into numbered parts under this size: the host's upload limit shown on WooCommerce's import screen"},
		{Name: "weight-unit", Default: "lbs", Usage: "the store's weight unit (Settings › Products): lbs, oz, kg or g"},
		{Name: "dimension-unit", Default: "in", Usage: "the store's dimension unit (Settings › Products): in, yd, mm, cm or m"},
		{Name: "existing", Default: "", Usage: "CSV exported from the store (Products › Export, with variations) whose SKU column lists what the store already has; those SKUs go to products-update, the rest to products-create. Leave empty on a first run"},
	},
	Templates: "woocommerce.yaml",
	New:       New,
	Orders:    OrderFormats,
}

var templateFields = []string{"name", "short_description", "description", "categories", "tags", "visibility", "published"}

// weightUnits are the unit names WooCommerce's settings offer; they also
// name the Weight column.
var weightUnits = map[string]bool{"lbs": true, "oz": true, "kg": true, "g": true}

var dimensionUnits = map[string]bool{"in": true, "yd": true, "mm": true, "cm": true, "m": true}

// The values WooCommerce takes in Published and Visibility in catalog;
// anything else makes it fail or draft the row.
var (
	publishedValues  = map[string]bool{"1": true, "0": true, "-1": true}
	visibilityValues = map[string]bool{"visible": true, "catalog": true, "search": true, "hidden": true}
)

type writer struct {
	t        *templates.Set
	max      int64
	unit     string      // as the store names it: also names the Weight column
	wunit    weight.Unit // unit, parsed
	create   layout
	update   layout
	existing map[string]bool // folded SKUs the store already has; nil on a first run
}

// New builds a WooCommerce writer.
func New(cfg platform.Config) (platform.Writer, error) {
	max, err := sink.ParseSize(cfg.Settings["max-size"])
	if err != nil {
		return nil, fmt.Errorf("woocommerce: max-size: %w", err)
	}
	unit, dim := cfg.Settings["weight-unit"], cfg.Settings["dimension-unit"]
	if !weightUnits[unit] {
		return nil, fmt.Errorf("woocommerce: weight-unit %q: use lbs, oz, kg or g, as the store's settings say", unit)
	}
	if !dimensionUnits[dim] {
		return nil, fmt.Errorf("woocommerce: dimension-unit %q: use in, yd, mm, cm or m, as the store's settings say", dim)
	}
	t, err := templates.Parse("woocommerce.yaml", cfg.Templates, templateFields)
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"name", "published", "visibility"} {
		if strings.TrimSpace(t.Source(f)) == "" {
			return nil, fmt.Errorf("woocommerce.yaml: fields.%s must not be empty; WooCommerce needs a value for every product", f)
		}
	}
	wunit, err := weight.ParseUnit(unit)
	if err != nil {
		return nil, fmt.Errorf("woocommerce: weight-unit: %w", err)
	}
	w := &writer{t: t, max: max, unit: unit, wunit: wunit}
	if path := cfg.Settings["existing"]; path != "" {
		if w.existing, err = readExisting(path); err != nil {
			return nil, fmt.Errorf("woocommerce: existing: %w", err)
		}
	}
	var all, upd []int
	for c := range nCols {
		all = append(all, c)
		// An empty template hands the column to the store: leaving it
		// out of the update file keeps what staff typed there.
		if f := fieldOf[c]; f != "" && strings.TrimSpace(t.Source(f)) == "" {
			continue
		}
		if updated[c] {
			upd = append(upd, c)
		}
	}
	w.create, w.update = newLayout(all, unit, dim), newLayout(upd, unit, dim)
	return w, nil
}

func (w *writer) Write(products []*inventory.Product, dir string, b *sink.Batch) (platform.Result, error) {
	var res platform.Result
	create := b.NewParts(dir, createPattern, w.max, w.create.header)
	update := b.NewParts(dir, updatePattern, w.max, w.update.header)
	// The import screens take one file each; numbers appear only when a
	// file had to be split under the size limit.
	create.Single, update.Single = "products-create.csv", "products-update.csv"
	taken := map[string]string{} // folded product SKU → the SKU written
	var cr, up [][]string
	for _, p := range products {
		rows, variants, err := w.product(p, taken, &res)
		if err != nil {
			return res, err
		}
		if rows == nil {
			continue
		}
		// A row goes where the importer will act on it: SKUs the store has
		// are skipped with "update existing" off, new ones with it on.
		cr, up = cr[:0], up[:0]
		for i := range rows {
			if w.existing[fold(rows[i][cSKU])] {
				up = append(up, w.update.render(&rows[i]))
			} else {
				cr = append(cr, w.create.render(&rows[i]))
			}
		}
		if len(cr) > 0 {
			if err := create.WriteGroup(p.SKU, cr); err != nil {
				return res, err
			}
		}
		if len(up) > 0 {
			if err := update.WriteGroup(p.SKU, up); err != nil {
				return res, err
			}
		}
		res.Count(p, variants)
	}
	for _, parts := range []*sink.Parts{create, update} {
		if err := parts.Close(); err != nil {
			return res, err
		}
		for _, k := range parts.Oversize {
			res.Notes = append(res.Notes, fmt.Sprintf("SKU %s alone is larger than the %d-byte file limit; it has a file of its own", k, w.max))
		}
	}
	if w.existing == nil {
		res.Notes = append(res.Notes, "no export of the store's products given (existing setting): everything is in products-create, as on a first run")
	}
	res.Notes = append(res.Notes, fmt.Sprintf("import products-update.csv with \"Update existing products\" ticked, then products-create.csv with it unticked (new serials of an existing product need its updated parent row first); a file over %d bytes is split into numbered parts (-001, -002…), never inside a product", w.max))
	if err := b.RemoveStale(dir, "products-create*.csv"); err != nil {
		return res, err
	}
	return res, b.RemoveStale(dir, "products-update*.csv")
}

// product checks p against WooCommerce's rules and lays out its rows: a
// simple row, or a variable parent followed by one variation per serial.
func (w *writer) product(p *inventory.Product, taken map[string]string, res *platform.Result) ([]row, []inventory.Variant, error) {
	vals, err := w.values(p)
	if err != nil {
		return nil, nil, err
	}
	if vals[cName] == "" {
		res.Refuse(p, "description", "", "WooCommerce needs a name; the name template gave an empty one")
		return nil, nil, nil
	}
	if err := skuProblem(p); err != nil {
		res.Refuse(p, "sku", p.SKU, err.Error())
		return nil, nil, nil
	}
	key := fold(p.SKU)
	if other, dup := taken[key]; dup {
		res.Refuse(p, "sku", p.SKU, fmt.Sprintf("WooCommerce compares SKUs without regard to case, so this is the SKU %s again", other))
		return nil, nil, nil
	}
	if !p.Serialized {
		if len(p.Variants) != 1 {
			return nil, nil, fmt.Errorf("woocommerce: non-serialized SKU %s has %d rows; the catalog allows one", p.SKU, len(p.Variants))
		}
		taken[key] = p.SKU
		return []row{w.simple(p, vals, p.Variants[0])}, p.Variants, nil
	}
	var variants []inventory.Variant
	serials := map[string]string{}
	for _, v := range p.Variants {
		if err := serialProblem(p, v); err != nil {
			res.RefuseVariant(p, v, "serial", v.Serial, err.Error())
			continue
		}
		if other, dup := serials[fold(v.Serial)]; dup {
			res.RefuseVariant(p, v, "serial", v.Serial, fmt.Sprintf("WooCommerce compares SKUs without regard to case, so this is the serial %s of SKU %s again", other, p.SKU))
			continue
		}
		serials[fold(v.Serial)] = v.Serial
		variants = append(variants, v)
	}
	if len(variants) == 0 {
		return nil, nil, nil
	}
	taken[key] = p.SKU
	rows := make([]row, 0, 1+len(variants))
	rows = append(rows, w.parent(p, vals, variants))
	for _, v := range variants {
		rows = append(rows, w.variation(p, vals, v))
	}
	return rows, variants, nil
}

// values renders the store's templates. Categories and tags are comma
// lists, so they are rendered over a copy of p whose commas are escaped:
// the commas the template writes separate values, the ones AIM's text
// carries do not.
func (w *writer) values(p *inventory.Product) (*row, error) {
	var vals row
	escaped := escapedProduct(p)
	for c, f := range fieldOf {
		if f == "" {
			continue
		}
		src := p
		if c == cCategories || c == cTags {
			src = escaped
		}
		v, err := w.t.Render(f, src)
		if err != nil {
			return nil, err
		}
		vals[c] = v
	}
	if !publishedValues[vals[cPublished]] {
		return nil, fmt.Errorf("woocommerce.yaml: published gives %q for SKU %s; use 1 (published), 0 (private) or -1 (draft)", vals[cPublished], p.SKU)
	}
	if !visibilityValues[vals[cVisibility]] {
		return nil, fmt.Errorf("woocommerce.yaml: visibility gives %q for SKU %s; use visible, catalog, search or hidden", vals[cVisibility], p.SKU)
	}
	return &vals, nil
}

// base fills what every row of a product shares.
func base(vals *row, typ, sku string) row {
	var r row
	r[cType], r[cSKU] = typ, sku
	r[cPublished], r[cFeatured], r[cVisibility] = vals[cPublished], "0", vals[cVisibility]
	r[cTaxStatus], r[cBackorders] = "taxable", "0"
	return r
}

// content fills the product-level text a parent or simple row carries.
func content(r *row, p *inventory.Product, vals *row) {
	r[cName], r[cShortDesc], r[cDesc] = vals[cName], vals[cShortDesc], vals[cDesc]
	r[cCategories], r[cTags] = vals[cCategories], vals[cTags]
	r[cImages] = list(p.Images)
	r[cReviews] = "1"
}

func (w *writer) simple(p *inventory.Product, vals *row, v inventory.Variant) row {
	r := base(vals, "simple", p.SKU)
	content(&r, p, vals)
	r[cInStock] = "1"
	if v.Qty <= 0 {
		r[cInStock] = "0"
	}
	r[cStock], r[cSoldIndividually] = strconv.Itoa(v.Qty), "0"
	r[cWeight] = w.weight(v.Grams)
	r[cRegularPrice], r[cSalePrice] = prices(v.Prices)
	return r
}

// parent is the variable product: no price or stock of its own (each
// serial has them), and the list of every serial it offers.
func (w *writer) parent(p *inventory.Product, vals *row, variants []inventory.Variant) row {
	r := base(vals, "variable", p.SKU)
	content(&r, p, vals)
	r[cInStock], r[cSoldIndividually] = "1", "1"
	r[cWeight] = w.weight(variants[0].Grams)
	serials := make([]string, len(variants))
	for i, v := range variants {
		serials[i] = v.Serial
	}
	r[cAttrName], r[cAttrValues], r[cAttrVisible], r[cAttrGlobal] = serialAttr, list(serials), "1", "0"
	return r
}

// variation is one serial. Description, categories, tags and images are
// left to the parent: a variation's description would show the parent's
// text a second time under the serial picker, and a variation without an
// image shows the parent's.
func (w *writer) variation(p *inventory.Product, vals *row, v inventory.Variant) row {
	r := base(vals, "variation", p.VariantSKU(v))
	r[cName] = vals[cName] + " - " + v.Serial
	r[cPublished] = "1" // an in-stock serial is always selectable; the parent decides publication
	r[cInStock], r[cStock], r[cSoldIndividually], r[cReviews] = "1", "1", "0", "0"
	r[cWeight] = w.weight(v.Grams)
	r[cRegularPrice], r[cSalePrice] = prices(v.Prices)
	r[cParent] = p.SKU
	r[cAttrName], r[cAttrValues], r[cAttrGlobal] = serialAttr, escapeList(v.Serial), "0"
	return r
}

func (w *writer) weight(grams int64) string {
	if grams <= 0 {
		return ""
	}
	return w.wunit.Of(grams).String()
}

// prices gives the regular and the sale price. WooCommerce has no
// compare-at price, so MSRP is not written; a sale price only counts
// below the regular one.
func prices(p inventory.Prices) (regular, sale string) {
	return p.Price, p.SaleBelow()
}

// escapeList escapes a value for one of the importer's comma lists
// (attribute values, categories, tags, images), which it splits on every
// comma not written \,.
func escapeList(s string) string { return strings.ReplaceAll(s, ",", `\,`) }

// list writes values as the exporter does: "a, b, c".
func list(values []string) string {
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(escapeList(v))
	}
	return b.String()
}

func escapedProduct(p *inventory.Product) *inventory.Product {
	q := *p
	q.SKU, q.Description, q.Brand, q.Model = escapeList(p.SKU), escapeList(p.Description), escapeList(p.Brand), escapeList(p.Model)
	q.Category, q.Subcategory, q.WebDescription = escapeList(p.Category), escapeList(p.Subcategory), escapeList(p.WebDescription)
	if len(p.Variants) > 0 {
		q.Variants = []inventory.Variant{{Condition: escapeList(p.Condition())}}
	}
	return &q
}

// fold is how WooCommerce's database compares SKUs: without regard to
// case (MySQL's default collations).
func fold(s string) string { return strings.ToLower(s) }

var (
	// wc_clean (WordPress's sanitize_text_field) runs over SKUs and
	// attribute values on import; whatever it changes no longer matches
	// AIM, and an order for it could not be traced back.
	octet      = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)
	whitespace = regexp.MustCompile(`[\t\r\n]|  `)
	// The Parent column reads id:123 as a product ID, not a SKU.
	idRef = regexp.MustCompile(`^id:\d+$`)
)

func cleanProblem(s string) string {
	switch {
	case strings.Contains(s, "<"):
		return `contains "<", which WooCommerce strips as the start of an HTML tag`
	case octet.MatchString(s):
		return fmt.Sprintf("contains %q, which WooCommerce deletes as a URL-encoded byte", octet.FindString(s))
	case whitespace.MatchString(s):
		return "contains a tab, a line break or two spaces in a row, which WooCommerce collapses into one space"
	}
	return ""
}

func skuProblem(p *inventory.Product) error {
	if err := Rules.Check(p.SKU, ""); err != nil {
		return err
	}
	if reason := cleanProblem(p.SKU); reason != "" {
		return &sku.Error{Value: p.SKU, Reason: "SKU " + reason}
	}
	if p.Serialized && idRef.MatchString(p.SKU) {
		return &sku.Error{Value: p.SKU, Reason: "WooCommerce's Parent column reads this SKU as a product ID"}
	}
	return nil
}

func serialProblem(p *inventory.Product, v inventory.Variant) error {
	if err := Rules.Check(p.VariantSKU(v), v.Serial); err != nil {
		return err
	}
	reason := cleanProblem(v.Serial)
	switch {
	case reason != "":
	case strings.HasSuffix(v.Serial, `\`):
		reason = `ends with "\", which would join it to the next serial in WooCommerce's value list`
	case strings.Contains(v.Serial, "::separator::"):
		reason = `contains "::separator::", which WooCommerce's value lists turn into a comma`
	default:
		return nil
	}
	return &sku.Error{Value: v.Serial, Reason: "serial " + reason}
}
