package woocommerce

import "fmt"

// The product CSV columns, in the order WooCommerce's own exporter writes
// them today (get_default_column_names, formats/woocommerce.md §1.1), so
// the importer maps every header by itself. Left out on purpose: ID (IDs
// differ between sites; rows match on SKU), Cost of goods (only with the
// COGS feature on), the Download N and Meta: groups (nothing to put in
// them) and attribute groups past the first (a serial is the only
// attribute). The older 51-column order of WooCommerce's sample files
// lacks GTIN, Low stock amount and Attribute 1 default but otherwise
// agrees; the importer reads either, and the tests check both.
const (
	cType = iota
	cSKU
	cGTIN
	cName
	cPublished
	cFeatured
	cVisibility
	cShortDesc
	cDesc
	cSaleFrom
	cSaleTo
	cTaxStatus
	cTaxClass
	cInStock
	cStock
	cLowStock
	cBackorders
	cSoldIndividually
	cWeight
	cLength
	cWidth
	cHeight
	cReviews
	cPurchaseNote
	cSalePrice
	cRegularPrice
	cCategories
	cTags
	cShippingClass
	cImages
	cDownloadLimit
	cDownloadExpiry
	cParent
	cGrouped
	cUpsells
	cCrossSells
	cExternalURL
	cButtonText
	cPosition
	cAttrName
	cAttrValues
	cAttrVisible
	cAttrGlobal
	cAttrDefault
	nCols
)

// names are the exporter's headers; %s is the store's unit.
var names = [nCols]string{
	cType: "Type", cSKU: "SKU", cGTIN: "GTIN, UPC, EAN, or ISBN", cName: "Name", cPublished: "Published",
	cFeatured: "Is featured?", cVisibility: "Visibility in catalog", cShortDesc: "Short description",
	cDesc: "Description", cSaleFrom: "Date sale price starts", cSaleTo: "Date sale price ends",
	cTaxStatus: "Tax status", cTaxClass: "Tax class", cInStock: "In stock?", cStock: "Stock",
	cLowStock: "Low stock amount", cBackorders: "Backorders allowed?", cSoldIndividually: "Sold individually?",
	cWeight: "Weight (%s)", cLength: "Length (%s)", cWidth: "Width (%s)", cHeight: "Height (%s)",
	cReviews: "Allow customer reviews?", cPurchaseNote: "Purchase note", cSalePrice: "Sale price",
	cRegularPrice: "Regular price", cCategories: "Categories", cTags: "Tags", cShippingClass: "Shipping class",
	cImages: "Images", cDownloadLimit: "Download limit", cDownloadExpiry: "Download expiry days",
	cParent: "Parent", cGrouped: "Grouped products", cUpsells: "Upsells", cCrossSells: "Cross-sells",
	cExternalURL: "External URL", cButtonText: "Button text", cPosition: "Position",
	cAttrName: "Attribute 1 name", cAttrValues: "Attribute 1 value(s)", cAttrVisible: "Attribute 1 visible",
	cAttrGlobal: "Attribute 1 global", cAttrDefault: "Attribute 1 default",
}

// The importer sets every column a file has, an empty cell included:
// an empty Upsells, Shipping class or Length cell wipes what staff set up
// in the store. So products-update carries only the columns aimbridge
// fills from AIM; the columns it leaves empty (and the defaults it gives
// new products, such as Tax status) appear in products-create only.
var updated = [nCols]bool{
	cType: true, cSKU: true, cName: true, cPublished: true, cVisibility: true, cShortDesc: true,
	cDesc: true, cInStock: true, cStock: true, cWeight: true, cSalePrice: true, cRegularPrice: true,
	cCategories: true, cTags: true, cImages: true, cParent: true,
	cAttrName: true, cAttrValues: true, cAttrVisible: true, cAttrGlobal: true,
}

// fieldOf names the woocommerce.yaml field of the columns whose values
// are the store's choice; "" for the rest.
var fieldOf = [nCols]string{
	cName: "name", cPublished: "published", cVisibility: "visibility", cShortDesc: "short_description",
	cDesc: "description", cCategories: "categories", cTags: "tags",
}

// row is one CSV line being filled by meaning.
type row [nCols]string

// layout is the columns of one file, by position.
type layout struct {
	cols   []int
	header []string
}

func newLayout(cols []int, weightUnit, dimensionUnit string) layout {
	l := layout{cols: cols, header: make([]string, len(cols))}
	for i, c := range cols {
		switch c {
		case cWeight:
			l.header[i] = fmt.Sprintf(names[c], weightUnit)
		case cLength, cWidth, cHeight:
			l.header[i] = fmt.Sprintf(names[c], dimensionUnit)
		default:
			l.header[i] = names[c]
		}
	}
	return l
}

func (l layout) render(r *row) []string {
	out := make([]string, len(l.cols))
	for i, c := range l.cols {
		out[i] = r[c]
	}
	return out
}
