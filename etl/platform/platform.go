// Package platform is the contract between the conversion run and the
// web-store packages. Each store platform lives in its own package and
// describes itself with a Platform value; the binary lists them in one
// table, so adding a platform touches only its package and that table.
package platform

import (
	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/sink"
)

// Setting is a platform option the command line exposes as
// --<platform>-<name>.
type Setting struct {
	Name, Default, Usage string
}

// Config is what a platform's writer is built from.
type Config struct {
	Settings  map[string]string // every declared setting, defaults filled in
	Templates []byte            // the platform's mappings/<name>.yaml
}

// Platform describes one web-store platform.
type Platform struct {
	Name     string // lower-case, used for the output folder and flags
	Title    string // for people
	Settings []Setting
	// Templates names the embedded default template file, e.g. shopify.yaml.
	Templates string
	New       func(Config) (Writer, error)
	// Orders are the order exports the platform's readers take, for the
	// orders command; nil when the platform has no order reader yet.
	Orders []orders.Format
}

// Writer turns the catalog into the platform's import files.
type Writer interface {
	// Write writes products into dir through b. It refuses products or
	// variants the platform cannot take and says so in the result; it
	// returns an error only when nothing sensible can be written.
	Write(products []*inventory.Product, dir string, b *sink.Batch) (Result, error)
}

// Refusal is a product, or one variant of it, a platform cannot take.
type Refusal struct {
	SKU    string // the product's AIM SKU
	Serial string // empty when the whole product is refused
	Column string // canonical field at fault, if one
	Value  string
	Reason string
	Rows   []inventory.Source // the input rows that did not reach this platform
}

// Result counts what a writer wrote.
type Result struct {
	Products       int       `json:"products"`
	Variants       int       `json:"variants"`        // serialized units written
	SimpleProducts int       `json:"simple_products"` // non-serialized products written
	RowsWritten    int       `json:"rows_written"`    // input rows that reached the files
	Notes          []string  `json:"notes,omitempty"`
	Refused        []Refusal `json:"-"`
}

// Refuse records a refusal of a whole product.
func (r *Result) Refuse(p *inventory.Product, column, value, reason string) {
	r.Refused = append(r.Refused, Refusal{SKU: p.SKU, Column: column, Value: value, Reason: reason, Rows: p.Sources()})
}

// RefuseVariant records a refusal of one variant.
func (r *Result) RefuseVariant(p *inventory.Product, v inventory.Variant, column, value, reason string) {
	r.Refused = append(r.Refused, Refusal{SKU: p.SKU, Serial: v.Serial, Column: column, Value: value, Reason: reason, Rows: []inventory.Source{v.Source}})
}

// Count adds a written product and its variants.
func (r *Result) Count(p *inventory.Product, variants []inventory.Variant) {
	r.Products++
	if p.Serialized {
		r.Variants += len(variants)
	} else {
		r.SimpleProducts++
	}
	r.RowsWritten += len(variants)
}
