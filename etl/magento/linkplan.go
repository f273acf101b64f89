package magento

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/url"

	"github.com/aimbridge/aimbridge/etl/sink"
)

// PlanVersion is the version of link-plan.json this package writes.
// Readers refuse other versions.
const PlanVersion = 1

// Plan is link-plan.json: the REST calls that turn the CSV import into
// configurable products with their serials linked. Magento's importer
// cannot link them itself, because configurable_variations splits on a
// hard-coded | that every AIMSKU|||serial child contains
// (formats/magento.md §3), so the CSV leaves that cell empty and the
// links are made over REST instead.
//
// The steps, in order (LINKPLAN.md has the full rules):
//
//  1. Attribute.Lookup gives the serial attribute's attribute_id; it must
//     already exist as a global dropdown in the attribute sets used.
//  2. Attribute.ListOptions gives the existing options (label → value).
//     Every AttributeOptions entry whose label is missing (Magento's
//     importer compares labels ignoring case) is created with its Create
//     call; then the options are listed again for their ids.
//  3. The ImportFiles are imported (Products, Add/Update), in order.
//  4. For each of Products, in order, its Calls run in order: first the
//     super-attribute declaration (kind "declare_option"), then one
//     "link_child" per serial. A "declare_option" is skipped when the
//     product already has the attribute as an option
//     (GET /V1/configurable-products/{sku}/options/all); a "link_child"
//     when the child is already linked (GET …/children).
//
// Paths are relative to the store's REST root (https://host/rest or
// https://host/rest/<store code>), with the SKU percent-encoded as one
// path segment. Bodies are sent as JSON after replacing every Ref object
// with the value it names. The file holds no time stamps and lists
// everything in catalog order, so the same input gives the same bytes.
//
//	{
//	  "version": 1,
//	  "attribute": {
//	    "code": "serial_number",
//	    "label": "Serial Number",
//	    "lookup": {"method": "GET", "path": "/V1/products/attributes/serial_number"},
//	    "list_options": {"method": "GET", "path": "/V1/products/attributes/serial_number/options"}
//	  },
//	  "attribute_options": [
//	    {"label": "US210033734", "create": {"kind": "create_option", "method": "POST",
//	      "path": "/V1/products/attributes/serial_number/options",
//	      "body": {"option": {"label": "US210033734"}}}}
//	  ],
//	  "import_files": ["products-001.csv"],
//	  "products": [
//	    {"sku": "0113942719", "calls": [
//	      {"kind": "declare_option", "method": "POST", "path": "/V1/configurable-products/0113942719/options",
//	       "body": {"option": {"attribute_id": {"$ref": "attribute_id"}, "label": "Serial Number",
//	         "position": 0, "is_use_default": true,
//	         "values": [{"value_index": {"$ref": "option_id", "label": "US210033734"}}]}}},
//	      {"kind": "link_child", "method": "POST", "path": "/V1/configurable-products/0113942719/child",
//	       "body": {"childSku": "0113942719|||US210033734"}}
//	    ]}
//	  ]
//	}
type Plan struct {
	Version          int           `json:"version"`
	Attribute        PlanAttribute `json:"attribute"`
	AttributeOptions []PlanOption  `json:"attribute_options"`
	ImportFiles      []string      `json:"import_files"` // base names, beside link-plan.json
	Products         []PlanProduct `json:"products"`
}

// PlanAttribute is the dropdown attribute that carries the serial.
type PlanAttribute struct {
	Code        string `json:"code"`
	Label       string `json:"label"`
	Lookup      Call   `json:"lookup"`
	ListOptions Call   `json:"list_options"`
}

// PlanOption is one serial that must exist as an attribute option before
// the import: Magento's importer does not create dropdown options.
type PlanOption struct {
	Label  string `json:"label"`
	Create Call   `json:"create"`
}

// PlanProduct is one configurable product and the calls that link its
// serials.
type PlanProduct struct {
	SKU   string `json:"sku"`
	Calls []Call `json:"calls"`
}

// Call is one REST request.
type Call struct {
	Kind   string `json:"kind,omitempty"` // create_option, declare_option, link_child
	Method string `json:"method"`
	Path   string `json:"path"`
	Body   any    `json:"body,omitempty"`
}

// Ref stands in a body for a value known only on the store: "attribute_id"
// (from Attribute.Lookup) or "option_id" (the option whose label is
// Label). It is an object so it can never be mistaken for a SKU or a
// serial, which are always strings.
type Ref struct {
	Ref   string `json:"$ref"`
	Label string `json:"label,omitempty"`
}

// The request bodies, as Magento's web API names their fields.
type (
	createOptionBody struct {
		Option struct {
			Label string `json:"label"`
		} `json:"option"`
	}
	declareOptionBody struct {
		Option declaredOption `json:"option"`
	}
	declaredOption struct {
		AttributeID  Ref          `json:"attribute_id"`
		Label        string       `json:"label"`
		Position     int          `json:"position"`
		IsUseDefault bool         `json:"is_use_default"`
		Values       []valueIndex `json:"values"`
	}
	valueIndex struct {
		ValueIndex Ref `json:"value_index"`
	}
	linkChildBody struct {
		ChildSKU string `json:"childSku"`
	}
)

// planner collects what link-plan.json must link while the CSV is
// written, and writes the plan at the end one entry per line: the calls
// are built only then, one at a time, so a big catalog's plan is never
// held in memory whole, and two runs' plans diff line by line.
type planner struct {
	attr     PlanAttribute
	products []planned
}

type planned struct {
	sku               string
	children, serials []string
}

func newPlanner(attrCode, attrLabel string) *planner {
	base := "/V1/products/attributes/" + url.PathEscape(attrCode)
	return &planner{attr: PlanAttribute{
		Code: attrCode, Label: attrLabel,
		Lookup:      Call{Method: "GET", Path: base},
		ListOptions: Call{Method: "GET", Path: base + "/options"},
	}}
}

// add plans one configurable product; children are its variant SKUs and
// serials its option labels, in the order they were written.
func (pl *planner) add(parent string, children, serials []string) {
	pl.products = append(pl.products, planned{sku: parent, children: children, serials: serials})
}

func (pl *planner) options() int {
	n := 0
	for _, p := range pl.products {
		n += len(p.serials)
	}
	return n
}

func (pl *planner) option(serial string) PlanOption {
	var body createOptionBody
	body.Option.Label = serial
	return PlanOption{Label: serial, Create: Call{Kind: "create_option", Method: "POST", Path: pl.attr.ListOptions.Path, Body: body}}
}

func (pl *planner) declare(p planned) Call {
	opt := declaredOption{AttributeID: Ref{Ref: "attribute_id"}, Label: pl.attr.Label, IsUseDefault: true,
		Values: make([]valueIndex, len(p.serials))}
	for i, s := range p.serials {
		opt.Values[i] = valueIndex{Ref{Ref: "option_id", Label: s}}
	}
	return Call{Kind: "declare_option", Method: "POST", Path: productPath(p.sku) + "/options", Body: declareOptionBody{opt}}
}

func link(parent, child string) Call {
	return Call{Kind: "link_child", Method: "POST", Path: productPath(parent) + "/child", Body: linkChildBody{ChildSKU: child}}
}

// productPath puts the SKU in the path as one segment: / ? # % and spaces
// are percent-encoded.
func productPath(sku string) string { return "/V1/configurable-products/" + url.PathEscape(sku) }

// write puts the plan into the batch, so it appears together with the CSV
// files it refers to or not at all.
func (pl *planner) write(b *sink.Batch, path string, importFiles []string) error {
	f, err := b.Create(path)
	if err != nil {
		return err
	}
	w := &jsonWriter{w: bufio.NewWriter(f)}
	w.enc = json.NewEncoder(&w.buf)
	w.enc.SetEscapeHTML(false) // SKUs with & < > stay readable

	w.raw("{\n  \"version\": ")
	w.value(PlanVersion)
	w.raw(",\n  \"attribute\": ")
	w.value(pl.attr)
	w.raw(",\n  \"attribute_options\": [")
	n := 0
	for _, p := range pl.products {
		for _, s := range p.serials {
			w.item(n, "    ")
			w.value(pl.option(s))
			n++
		}
	}
	w.end(n, "  ]")
	w.raw(",\n  \"import_files\": ")
	w.value(importFiles)
	w.raw(",\n  \"products\": [")
	for i, p := range pl.products {
		w.item(i, "    ")
		w.raw("{\"sku\": ")
		w.value(p.sku)
		w.raw(", \"calls\": [\n      ")
		w.value(pl.declare(p))
		for _, c := range p.children {
			w.raw(",\n      ")
			w.value(link(p.sku, c))
		}
		w.raw("\n    ]}")
	}
	w.end(len(pl.products), "  ]")
	w.raw("\n}\n")
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

// jsonWriter writes JSON by hand around encoded values, keeping the first
// error.
type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func (w *jsonWriter) raw(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

func (w *jsonWriter) value(v any) {
	if w.err != nil {
		return
	}
	w.buf.Reset()
	if w.err = w.enc.Encode(v); w.err == nil {
		_, w.err = w.w.Write(bytes.TrimSuffix(w.buf.Bytes(), []byte("\n")))
	}
}

// item starts the i-th element of a list on its own line.
func (w *jsonWriter) item(i int, indent string) {
	if i > 0 {
		w.raw(",")
	}
	w.raw("\n" + indent)
}

// end closes a list of n elements: [] when empty.
func (w *jsonWriter) end(n int, closing string) {
	if n > 0 {
		w.raw("\n" + closing)
	} else {
		w.raw("]")
	}
}
