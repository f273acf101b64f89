package inventory

import (
	"fmt"
	"strings"

	"github.com/aimbridge/aimbridge/etl/sku"
	"github.com/shopspring/decimal"
)

// Variant is one sellable unit of a product: one serial, or the single
// stock line of a non-serialized product.
type Variant struct {
	Source
	Serial    string
	Prices    Prices
	Qty       int
	Condition string
	Location  string
	UPC       string
	Grams     int64
}

// Prices are a variant's selling, list and sale prices.
type Prices struct {
	Price, MSRP, Sale string // canonical dot-decimal text, two places; "" when absent
}

// SaleBelow is the sale price when it is below the regular price, else "":
// a sale price at or above it is no sale on any platform, and platforms
// that charge a sale price whenever one is set must not get it.
func (p Prices) SaleBelow() string {
	if p.Sale != "" && decimal.RequireFromString(p.Sale).LessThan(decimal.RequireFromString(p.Price)) {
		return p.Sale
	}
	return ""
}

// MSRPAbove is the MSRP when it is above the regular price, else "": a
// list price at or below the price tells a shopper nothing.
func (p Prices) MSRPAbove() string {
	if p.MSRP != "" && decimal.RequireFromString(p.MSRP).GreaterThan(decimal.RequireFromString(p.Price)) {
		return p.MSRP
	}
	return ""
}

// Product is one AIM SKU.
type Product struct {
	SKU            string
	Serialized     bool
	Description    string
	Brand, Model   string
	Category       string
	Subcategory    string
	WebDescription string
	Images         []string
	Variants       []Variant
}

// VariantSKU is the SKU a platform stores for v: AIM SKU|||serial, or the
// AIM SKU itself for a non-serialized product.
func (p *Product) VariantSKU(v Variant) string {
	if v.Serial == "" {
		return p.SKU
	}
	return p.SKU + sku.Sep + v.Serial
}

// Sources lists the rows a product was built from.
func (p *Product) Sources() []Source {
	s := make([]Source, len(p.Variants))
	for i, v := range p.Variants {
		s[i] = v.Source
	}
	return s
}

// Outcome of adding a row.
type Outcome int

const (
	Used Outcome = iota
	Rejected
	Skipped
)

// Problem explains a rejected or skipped row, or a warning.
type Problem struct {
	Source
	Column string // canonical field
	Value  string
	Reason string
}

// Catalog groups rows into products in first-seen order. It holds one
// entry per SKU and per serial; of a row it keeps the checked values and
// where it came from, never its text.
type Catalog struct {
	products map[string]*Product
	order    []string
	serials  map[string]serialSeen
	firstRow map[string]Source // SKU → its first row
	strs     map[string]string
	Warnings []Problem
}

type serialSeen struct {
	sku string
	at  Source
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{products: map[string]*Product{}, serials: map[string]serialSeen{}, firstRow: map[string]Source{}, strs: map[string]string{}}
}

// Add files one row. The rules, in order:
//   - web_enabled false: skipped.
//   - a serialized row: quantity blank means 1, 0 means not in stock
//     (skipped: an empty unit is not published), anything else but 1 is
//     rejected; a serial seen before under the same or another SKU is
//     rejected, naming the first row.
//   - a SKU is serialized or not: a row that disagrees with the SKU's first
//     row is rejected; a non-serialized SKU listed twice is rejected.
//   - product-level values (description, brand, model, categories, web
//     description, images) come from the SKU's first row; a later row that
//     differs gives a warning and is otherwise used.
func (c *Catalog) Add(it Item) (Outcome, *Problem) {
	bad := func(col, val, format string, a ...any) (Outcome, *Problem) {
		return Rejected, &Problem{Source: it.Source, Column: col, Value: val, Reason: fmt.Sprintf(format, a...)}
	}
	if !it.WebEnabled {
		return Skipped, &Problem{Source: it.Source, Column: "web_enabled", Value: "false", Reason: "not web-enabled in AIM; not published"}
	}
	if _, err := sku.Join(it.SKU, ""); err != nil {
		return bad("sku", it.SKU, "%v", err)
	}
	if err := sku.CheckFormula(it.SKU); err != nil {
		return bad("sku", it.SKU, "SKU %v", err)
	}
	if it.Serial != "" {
		if _, err := sku.Join(it.SKU, it.Serial); err != nil {
			return bad("serial", it.Serial, "%v", err)
		}
		if err := sku.CheckFormula(it.Serial); err != nil {
			return bad("serial", it.Serial, "serial %v", err)
		}
		switch {
		case !it.HasQty:
			it.Qty = 1
		case it.Qty == 0:
			return Skipped, &Problem{Source: it.Source, Column: "qty", Value: "0", Reason: "serialized unit with quantity 0 is not in stock; not published"}
		case it.Qty != 1:
			return bad("qty", fmt.Sprint(it.Qty), "a serialized unit must have quantity 1 (one row per serial)")
		}
		if seen, dup := c.serials[it.Serial]; dup {
			if seen.sku == it.SKU {
				return bad("serial", it.Serial, "duplicate serial for SKU %s; first at %s", it.SKU, seen.at)
			}
			return bad("serial", it.Serial, "serial already belongs to SKU %s (%s)", seen.sku, seen.at)
		}
	} else if !it.HasQty {
		return bad("qty", "", "a non-serialized item needs a quantity")
	} else if it.Qty < 0 {
		return bad("qty", fmt.Sprint(it.Qty), "negative quantity")
	}

	p, exists := c.products[it.SKU]
	if exists {
		first := c.firstRow[it.SKU]
		switch {
		case p.Serialized && it.Serial == "":
			return bad("serial", "", "SKU %s is serialized (%s has a serial) but this row has none", it.SKU, first)
		case !p.Serialized && it.Serial != "":
			return bad("serial", it.Serial, "SKU %s is listed without a serial at %s; a SKU is serialized or not", it.SKU, first)
		case !p.Serialized:
			return bad("sku", it.SKU, "SKU %s already listed at %s", it.SKU, first)
		}
		c.warnConflicts(p, it, first)
	} else {
		images := make([]string, len(it.Images))
		for i, u := range it.Images {
			images[i] = strings.Clone(u)
		}
		p = &Product{
			SKU: strings.Clone(it.SKU), Serialized: it.Serial != "", Description: strings.Clone(it.Description),
			Brand: c.intern(it.Brand), Model: strings.Clone(it.Model), Category: c.intern(it.Category), Subcategory: c.intern(it.Subcategory),
			WebDescription: strings.Clone(it.WebDescription), Images: images,
		}
		c.products[p.SKU] = p
		if strings.ContainsAny(p.Description, "\r\n") {
			// Titles are one line; a break here is most often a quote left
			// open in the file, which swallows the rows after it.
			c.Warnings = append(c.Warnings, Problem{Source: Source{File: c.intern(it.File), Line: it.Line}, Column: "description",
				Reason: "the description, used as the product title, contains a line break; check this row for a quote that is not closed"})
		}
		c.order = append(c.order, p.SKU)
		c.firstRow[p.SKU] = Source{File: c.intern(it.File), Line: it.Line}
	}
	// Readers hand out fields that are slices of the whole record's
	// string; copying the values kept lets the record be freed, so memory
	// follows the catalog, not the file.
	src := Source{File: c.intern(it.File), Line: it.Line} // the row's text is not kept
	p.Variants = append(p.Variants, Variant{
		Source: src, Serial: strings.Clone(it.Serial), Qty: it.Qty, Condition: c.intern(it.Condition),
		Location: c.intern(it.Location), UPC: c.intern(it.UPC), Grams: it.Grams,
		Prices: Prices{Price: it.Price.StringFixed(2), MSRP: fixed(it.MSRP), Sale: fixed(it.Sale)},
	})
	if it.Serial != "" {
		v := &p.Variants[len(p.Variants)-1]
		c.serials[v.Serial] = serialSeen{sku: p.SKU, at: Source{File: v.File, Line: v.Line}}
	}
	return Used, nil
}

func fixed(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return d.Decimal.StringFixed(2)
}

// intern keeps one copy of values that repeat across many rows (brands,
// conditions, categories, file names).
func (c *Catalog) intern(s string) string {
	if v, ok := c.strs[s]; ok {
		return v
	}
	if len(c.strs) > 100_000 {
		return strings.Clone(s) // not a low-cardinality column after all
	}
	s = strings.Clone(s)
	c.strs[s] = s
	return s
}

func (c *Catalog) warnConflicts(p *Product, it Item, first Source) {
	check := func(field, kept, got string) {
		if got != "" && got != kept {
			c.Warnings = append(c.Warnings, Problem{Source: Source{File: c.intern(it.File), Line: it.Line}, Column: field, Value: strings.Clone(got),
				Reason: fmt.Sprintf("differs from %s of SKU %s (%q); the first row's value is used", first, p.SKU, kept)})
		}
	}
	check("description", p.Description, it.Description)
	check("brand", p.Brand, it.Brand)
	check("model", p.Model, it.Model)
	check("category", p.Category, it.Category)
	check("subcategory", p.Subcategory, it.Subcategory)
	check("web_description", p.WebDescription, it.WebDescription)
}

// Products returns the products in the order their SKUs were first seen.
func (c *Catalog) Products() []*Product {
	out := make([]*Product, len(c.order))
	for i, k := range c.order {
		out[i] = c.products[k]
	}
	return out
}

// Condition is the condition of the product's first unit (New or Used),
// for templates.
func (p *Product) Condition() string {
	if len(p.Variants) == 0 {
		return ""
	}
	return p.Variants[0].Condition
}
