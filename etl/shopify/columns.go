package shopify

import "strings"

// currentHeader is the product template Shopify publishes today
// (formats/shopify.md §1.1, 57 columns, Title first).
var currentHeader = strings.Split("Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode,Option1 name,Option1 value,Option1 Linked To,Option2 name,Option2 value,Option2 Linked To,Option3 name,Option3 value,Option3 Linked To,Price,Compare-at price,Cost per item,Charge tax,Tax code,Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit,Inventory tracker,Inventory quantity,Continue selling when out of stock,Weight value (grams),Weight unit for display,Requires shipping,Fulfillment service,Product image URL,Image position,Image alt text,Variant image URL,Gift card,SEO title,SEO description,Color (product.metafields.shopify.color-pattern),Google Shopping / Google product category,Google Shopping / Gender,Google Shopping / Age group,Google Shopping / Manufacturer part number (MPN),Google Shopping / Ad group name,Google Shopping / Ads labels,Google Shopping / Condition,Google Shopping / Custom product,Google Shopping / Custom label 0,Google Shopping / Custom label 1,Google Shopping / Custom label 2,Google Shopping / Custom label 3,Google Shopping / Custom label 4", ",")

// legacyHeader is the pre-2023 layout of Shopify's own sample files
// (46 columns, Handle first).
var legacyHeader = strings.Split("Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Google Shopping / Google Product Category,Google Shopping / Gender,Google Shopping / Age Group,Google Shopping / MPN,Google Shopping / AdWords Grouping,Google Shopping / AdWords Labels,Google Shopping / Condition,Google Shopping / Custom Product,Google Shopping / Custom Label 0,Google Shopping / Custom Label 1,Google Shopping / Custom Label 2,Google Shopping / Custom Label 3,Google Shopping / Custom Label 4,Variant Image,Variant Weight Unit,Variant Tax Code", ",")

// The values a row can carry, by meaning; each dialect names them its way.
const (
	cTitle = iota
	cHandle
	cBody
	cVendor
	cCategory
	cType
	cTags
	cPublished
	cStatus
	cSKU
	cBarcode
	cOpt1Name
	cOpt1Value
	cPrice
	cCompareAt
	cTaxable
	cTracker
	cQty
	cPolicy
	cGrams
	cWeightUnit
	cShipping
	cFulfillment
	cImage
	cImagePos
	cImageAlt
	cGiftCard
	cSEOTitle
	cSEODesc
	cCondition
	nCols
)

type dialect struct {
	header []string
	names  [nCols]string
	index  [nCols]int // position in header, -1 when the dialect lacks it
}

func newDialect(header []string, names [nCols]string) *dialect {
	d := &dialect{header: header, names: names}
	for c, name := range names {
		d.index[c] = -1
		for i, h := range header {
			if h == name {
				d.index[c] = i
			}
		}
		if name != "" && d.index[c] < 0 {
			panic("shopify: column " + name + " is not in its header") // a programming error, caught by tests
		}
	}
	return d
}

var dialects = map[string]*dialect{
	"current": newDialect(currentHeader, [nCols]string{
		cTitle: "Title", cHandle: "URL handle", cBody: "Description", cVendor: "Vendor",
		cCategory: "Product category", cType: "Type", cTags: "Tags", cPublished: "Published on online store",
		cStatus: "Status", cSKU: "SKU", cBarcode: "Barcode", cOpt1Name: "Option1 name", cOpt1Value: "Option1 value",
		cPrice: "Price", cCompareAt: "Compare-at price", cTaxable: "Charge tax", cTracker: "Inventory tracker",
		cQty: "Inventory quantity", cPolicy: "Continue selling when out of stock", cGrams: "Weight value (grams)",
		cWeightUnit: "Weight unit for display", cShipping: "Requires shipping", cFulfillment: "Fulfillment service",
		cImage: "Product image URL", cImagePos: "Image position", cImageAlt: "Image alt text", cGiftCard: "Gift card",
		cSEOTitle: "SEO title", cSEODesc: "SEO description", cCondition: "Google Shopping / Condition",
	}),
	"legacy": newDialect(legacyHeader, [nCols]string{
		cTitle: "Title", cHandle: "Handle", cBody: "Body (HTML)", cVendor: "Vendor",
		cType: "Type", cTags: "Tags", cPublished: "Published",
		cSKU: "Variant SKU", cBarcode: "Variant Barcode", cOpt1Name: "Option1 Name", cOpt1Value: "Option1 Value",
		cPrice: "Variant Price", cCompareAt: "Variant Compare At Price", cTaxable: "Variant Taxable",
		cTracker: "Variant Inventory Tracker", cQty: "Variant Inventory Qty", cPolicy: "Variant Inventory Policy",
		cGrams: "Variant Grams", cWeightUnit: "Variant Weight Unit", cShipping: "Variant Requires Shipping",
		cFulfillment: "Variant Fulfillment Service", cImage: "Image Src", cImagePos: "Image Position",
		cImageAlt: "Image Alt Text", cGiftCard: "Gift Card", cSEOTitle: "SEO Title", cSEODesc: "SEO Description",
		cCondition: "Google Shopping / Condition",
	}),
}

// row is one CSV line being filled by meaning.
type row [nCols]string

func (d *dialect) render(r *row) []string {
	out := make([]string, len(d.header))
	for c, i := range d.index {
		if i >= 0 {
			out[i] = r[c]
		}
	}
	return out
}
