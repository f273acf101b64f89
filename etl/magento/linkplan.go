package magento

import (
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

func newPlan(attrCode, attrLabel string) *Plan {
	base := "/V1/products/attributes/" + url.PathEscape(attrCode)
	return &Plan{
		Version: PlanVersion,
		Attribute: PlanAttribute{
			Code: attrCode, Label: attrLabel,
			Lookup:      Call{Method: "GET", Path: base},
			ListOptions: Call{Method: "GET", Path: base + "/options"},
		},
		AttributeOptions: []PlanOption{},
		ImportFiles:      []string{},
		Products:         []PlanProduct{},
	}
}

// add plans the options and links of one configurable product; children
// are its variant SKUs and serials, in the order they were written.
func (pl *Plan) add(parent string, children, serials []string) {
	optionsPath := pl.Attribute.ListOptions.Path
	productPath := "/V1/configurable-products/" + url.PathEscape(parent)
	declare := declaredOption{AttributeID: Ref{Ref: "attribute_id"}, Label: pl.Attribute.Label, IsUseDefault: true}
	links := make([]Call, 0, len(children))
	for i, s := range serials {
		var body createOptionBody
		body.Option.Label = s
		pl.AttributeOptions = append(pl.AttributeOptions, PlanOption{Label: s,
			Create: Call{Kind: "create_option", Method: "POST", Path: optionsPath, Body: body}})
		declare.Values = append(declare.Values, valueIndex{Ref{Ref: "option_id", Label: s}})
		links = append(links, Call{Kind: "link_child", Method: "POST", Path: productPath + "/child", Body: linkChildBody{ChildSKU: children[i]}})
	}
	calls := append([]Call{{Kind: "declare_option", Method: "POST", Path: productPath + "/options", Body: declareOptionBody{declare}}}, links...)
	pl.Products = append(pl.Products, PlanProduct{SKU: parent, Calls: calls})
}

// write puts the plan into the batch, so it appears together with the CSV
// files it refers to or not at all.
func (pl *Plan) write(b *sink.Batch, path string) error {
	f, err := b.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // SKUs with & < > stay readable
	return enc.Encode(pl)
}
