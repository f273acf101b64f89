// Package shopify owns everything aimbridge knows about Shopify: the
// product CSV its admin importer takes, written one product per AIM SKU
// with one variant per serial.
package shopify

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/etl/sku"
	"github.com/aimbridge/aimbridge/etl/templates"
)

const (
	// MaxVariants is Shopify's per-product variant limit since 2025-10.
	MaxVariants = 2048
	// warnVariants: apps on the legacy REST API misbehave above 100.
	warnVariants = 100
	serialOption = "Serial Number"
)

// Rules are Shopify's limits on a variant SKU. No Shopify CSV column
// splits on |, so no serial character is refused for syntax.
var Rules = sku.Rules{Platform: "Shopify", MaxLen: 255}

// Platform describes Shopify to the command line.
var Platform = platform.Platform{
	Name:  "shopify",
	Title: "Shopify",
	Settings: []platform.Setting{
		{Name: "headers", Default: "current", Usage: "product CSV header dialect: current or legacy (pre-2023 Handle/Variant SKU names)"},
		{Name: "max-size", Default: "15MB", Usage: "split products-NNN.csv files under this size"},
	},
	Templates: "shopify.yaml",
	New:       New,
	Orders:    OrderFormats,
}

var templateFields = []string{"handle", "title", "description", "vendor", "product_category", "type", "tags", "published", "status", "seo_title", "seo_description", "weight_unit"}

type writer struct {
	d       *dialect
	max     int64
	t       *templates.Set
	dialect string
}

// New builds a Shopify writer.
func New(cfg platform.Config) (platform.Writer, error) {
	d, ok := dialects[cfg.Settings["headers"]]
	if !ok {
		return nil, fmt.Errorf("shopify: headers %q: use current or legacy", cfg.Settings["headers"])
	}
	max, err := sink.ParseSize(cfg.Settings["max-size"])
	if err != nil {
		return nil, fmt.Errorf("shopify: max-size: %w", err)
	}
	t, err := templates.Parse("shopify.yaml", cfg.Templates, templateFields)
	if err != nil {
		return nil, err
	}
	// The handle is the update key: if it followed the title, a retitled
	// product would be imported as a new one.
	if !strings.Contains(t.Source("handle"), ".SKU") {
		return nil, fmt.Errorf("shopify.yaml: the handle template must use .SKU so handles stay stable when titles change")
	}
	return &writer{d: d, max: max, t: t, dialect: cfg.Settings["headers"]}, nil
}

func (w *writer) Write(products []*inventory.Product, dir string, b *sink.Batch) (platform.Result, error) {
	var res platform.Result
	parts := b.NewParts(dir, "products-%03d.csv", w.max, w.d.header)
	handles := map[string]string{} // handle → SKU
	for _, p := range products {
		rows, variants, err := w.product(p, &res)
		if err != nil {
			return res, err
		}
		if rows == nil {
			continue
		}
		h := rows[0][cHandle]
		if other, taken := handles[h]; taken {
			return res, fmt.Errorf("shopify: SKUs %s and %s both give the handle %q; change the handle template in shopify.yaml", other, p.SKU, h)
		}
		handles[h] = p.SKU
		out := make([][]string, len(rows))
		for i := range rows {
			out[i] = w.d.render(&rows[i])
		}
		if err := parts.WriteGroup(p.SKU, out); err != nil {
			return res, err
		}
		res.Count(p, variants)
		if len(variants) > warnVariants {
			res.Notes = append(res.Notes, fmt.Sprintf("SKU %s has %d variants; apps on Shopify's legacy REST API handle at most 100", p.SKU, len(variants)))
		}
	}
	if err := parts.Close(); err != nil {
		return res, err
	}
	for _, k := range parts.Oversize {
		res.Notes = append(res.Notes, fmt.Sprintf("SKU %s alone is larger than the %d-byte file limit; it has a file of its own", k, w.max))
	}
	if w.dialect == "current" {
		res.Notes = append(res.Notes, "Inventory quantity is only imported on single-location stores; multi-location stores need Shopify's inventory CSV")
	}
	return res, b.RemoveStale(dir, "products-*.csv")
}

// product lays out one product's rows: the product row carries the
// product columns, the option name and the first variant; each further
// serial repeats only the handle, the option value and variant columns;
// extra images follow as image-only rows.
func (w *writer) product(p *inventory.Product, res *platform.Result) ([]row, []inventory.Variant, error) {
	vals := map[string]string{}
	for _, f := range templateFields {
		v, err := w.t.Render(f, p)
		if err != nil {
			return nil, nil, err
		}
		vals[f] = v
	}
	handle := handleFor(vals["handle"])
	if vals["title"] == "" {
		res.Refuse(p, "description", "", "Shopify needs a title; the title template gave an empty one")
		return nil, nil, nil
	}
	var variants []inventory.Variant
	for _, v := range p.Variants {
		if err := Rules.Check(p.VariantSKU(v), v.Serial); err != nil {
			res.RefuseVariant(p, v, "serial", v.Serial, err.Error())
			continue
		}
		variants = append(variants, v)
	}
	if len(variants) == 0 {
		return nil, nil, nil
	}
	if len(variants) > MaxVariants {
		left := *p // the rows not already refused one by one
		left.Variants = variants
		res.Refuse(&left, "serial", strconv.Itoa(len(variants)), fmt.Sprintf("%d serials; Shopify allows at most %d variants per product", len(variants), MaxVariants))
		return nil, nil, nil
	}
	rows := make([]row, 0, len(variants)+len(p.Images))
	for i, v := range variants {
		var r row
		r[cHandle] = handle
		if i == 0 {
			r[cTitle], r[cBody], r[cVendor] = vals["title"], vals["description"], vals["vendor"]
			r[cCategory], r[cType], r[cTags] = vals["product_category"], vals["type"], vals["tags"]
			r[cPublished], r[cStatus], r[cGiftCard] = vals["published"], vals["status"], "FALSE"
			r[cSEOTitle], r[cSEODesc] = vals["seo_title"], vals["seo_description"]
			r[cCondition] = googleCondition(v.Condition)
			r[cOpt1Name] = "Title"
			if p.Serialized {
				r[cOpt1Name] = serialOption
			}
			if len(p.Images) > 0 {
				r[cImage], r[cImagePos], r[cImageAlt] = p.Images[0], "1", vals["title"]
			}
		}
		r[cOpt1Value] = "Default Title"
		if p.Serialized {
			r[cOpt1Value] = v.Serial
		}
		r[cSKU] = p.VariantSKU(v)
		r[cBarcode] = v.UPC
		r[cPrice], r[cCompareAt] = prices(v.Prices)
		r[cTaxable], r[cShipping], r[cFulfillment] = "TRUE", "TRUE", "manual"
		r[cTracker], r[cQty], r[cPolicy] = "shopify", strconv.Itoa(v.Qty), "deny"
		if v.Grams > 0 {
			r[cGrams], r[cWeightUnit] = strconv.FormatInt(v.Grams, 10), vals["weight_unit"]
		}
		rows = append(rows, r)
	}
	for i, img := range p.Images[min(1, len(p.Images)):] {
		var r row
		r[cHandle], r[cImage], r[cImagePos], r[cImageAlt] = handle, img, strconv.Itoa(i+2), vals["title"]
		rows = append(rows, r)
	}
	return rows, variants, nil
}

// googleCondition passes on only the values Google Shopping knows.
func googleCondition(c string) string {
	switch c = strings.ToLower(c); c {
	case "new", "used", "refurbished":
		return c
	}
	return ""
}

// handleFor slugs the rendered handle template. When slugging loses
// anything (case aside), a short hash of the original is appended, so
// SKUs such as AB-1 and AB.1 cannot share a handle and a SKU with no
// Latin letters or digits still gets one.
func handleFor(s string) string {
	h := templates.Slug(s)
	if h == strings.ToLower(s) {
		return h
	}
	sum := sha256.Sum256([]byte(s))
	if h == "" {
		return "sku-" + hex.EncodeToString(sum[:6])
	}
	return h + "-" + hex.EncodeToString(sum[:3])
}

// prices gives the selling price and the compare-at price: a sale price
// below the regular price sells, and the higher of MSRP and the regular
// price is shown struck through.
func prices(p inventory.Prices) (price, compareAt string) {
	if sale := p.SaleBelow(); sale != "" {
		return sale, cmp.Or(p.MSRPAbove(), p.Price)
	}
	return p.Price, p.MSRPAbove()
}
