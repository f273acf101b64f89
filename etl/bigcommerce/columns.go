package bigcommerce

import (
	"fmt"
	"strconv"
)

// modernColumns are the modern Import/Export columns aimbridge can fill, in
// the order of formats/bigcommerce.md §2.1 (the order of a real export is
// unverified). Brand is written by name: the doc lists "Brand ID"/brand and
// AIM has no brand IDs.
var modernColumns = []string{
	"Item", "ID", "Name", "Type", "SKU", "Options", "Inventory Tracking", "Current Stock",
	"Price", "Retail Price", "Sale Price", "Brand", "Categories", "Description",
	"Page Title", "Product URL", "Meta Description", "Search Keywords", "UPC/EAN",
	"Manufacturer Part Number", "Weight", "Is Visible", "Product Condition",
	"Show Product Condition", "Image URL (Import)", "Image is Thumbnail", "Image Sort Order",
	"Image Description",
}

// legacyBefore and legacyAfter are the Bulk Edit template around its
// numbered image columns (formats/bigcommerce.md §3.1), without Option Set
// and Option Set Align, which duplicate options when variants are imported
// into a v3 catalog.
var legacyBefore = []string{
	"Item Type", "Product ID", "Product Name", "Product Type", "Product Code/SKU",
	"Bin Picking Number", "Brand Name", "Product Description", "Price", "Cost Price",
	"Retail Price", "Sale Price", "Fixed Shipping Cost", "Free Shipping", "Product Warranty",
	"Product Weight", "Product Width", "Product Height", "Product Depth", "Allow Purchases?",
	"Product Visible?", "Product Availability", "Track Inventory", "Current Stock Level",
	"Low Stock Level", "Category",
}

var legacyAfter = []string{
	"Search Keywords", "Page Title", "Meta Keywords", "Meta Description", "MYOB Asset Acct",
	"MYOB Income Acct", "MYOB Expense Acct", "Product Condition", "Show Product Condition?",
	"Event Date Required?", "Event Date Name", "Event Date Is Limited?", "Event Date Start Date",
	"Event Date End Date", "Sort Order", "Product Tax Class", "Product UPC/EAN",
	"Stop Processing Rules", "Product URL", "Redirect Old URL?", "Global Trade Item Number",
	"Manufacturer Part Number",
}

// legacyImage is one numbered group of legacy image columns.
var legacyImage = []string{
	"Product Image ID - %d", "Product Image File - %d", "Product Image Description - %d",
	"Product Image Is Thumbnail - %d", "Product Image Sort - %d",
}

// The values a row can carry, by meaning; each format names them its way.
const (
	cItem = iota
	cID
	cName
	cType
	cSKU
	cOptions
	cTracking
	cStock
	cPrice
	cRetail
	cSale
	cBrand
	cCategories
	cDescription
	cPageTitle
	cURL
	cMetaDesc
	cKeywords
	cUPC
	cMPN
	cWeight
	cVisible
	cCondition
	cShowCondition
	cImageURL
	cImageThumb
	cImageSort
	cImageDesc
	cAllowPurchases
	cFreeShipping
	nCols
)

var modernNames = [nCols]string{
	cItem: "Item", cID: "ID", cName: "Name", cType: "Type", cSKU: "SKU", cOptions: "Options",
	cTracking: "Inventory Tracking", cStock: "Current Stock", cPrice: "Price", cRetail: "Retail Price",
	cSale: "Sale Price", cBrand: "Brand", cCategories: "Categories", cDescription: "Description",
	cPageTitle: "Page Title", cURL: "Product URL", cMetaDesc: "Meta Description",
	cKeywords: "Search Keywords", cUPC: "UPC/EAN", cMPN: "Manufacturer Part Number", cWeight: "Weight",
	cVisible: "Is Visible", cCondition: "Product Condition", cShowCondition: "Show Product Condition",
	cImageURL: "Image URL (Import)", cImageThumb: "Image is Thumbnail", cImageSort: "Image Sort Order",
	cImageDesc: "Image Description",
}

// Legacy images live in numbered column groups on the product row, so the
// image meanings have no single legacy column.
var legacyNames = [nCols]string{
	cItem: "Item Type", cID: "Product ID", cName: "Product Name", cType: "Product Type",
	cSKU: "Product Code/SKU", cTracking: "Track Inventory", cStock: "Current Stock Level",
	cPrice: "Price", cRetail: "Retail Price", cSale: "Sale Price", cBrand: "Brand Name",
	cCategories: "Category", cDescription: "Product Description", cPageTitle: "Page Title",
	cURL: "Product URL", cMetaDesc: "Meta Description", cKeywords: "Search Keywords",
	cUPC: "Product UPC/EAN", cMPN: "Manufacturer Part Number", cWeight: "Product Weight",
	cVisible: "Product Visible?", cCondition: "Product Condition", cShowCondition: "Show Product Condition?",
	cAllowPurchases: "Allow Purchases?", cFreeShipping: "Free Shipping",
}

// layout places meanings in one file's header.
type layout struct {
	header  []string
	index   [nCols]int // position in header, -1 when absent
	imageAt int        // legacy: position of "Product Image ID - 1"
	images  int        // legacy: numbered image groups in the header
}

func newLayout(header []string, names [nCols]string) *layout {
	l := &layout{header: header, imageAt: -1}
	for c := range l.index {
		l.index[c] = -1
		for i, h := range header {
			if names[c] != "" && h == names[c] {
				l.index[c] = i
			}
		}
	}
	return l
}

// newModern builds the modern header, leaving out the columns omit names:
// BigCommerce asks for unused columns to be removed rather than left blank.
func newModern(omit [nCols]bool) *layout {
	var header []string
	for _, h := range modernColumns {
		keep := true
		for c, name := range modernNames {
			if name == h && omit[c] {
				keep = false
			}
		}
		if keep {
			header = append(header, h)
		}
	}
	return newLayout(header, modernNames)
}

// newLegacy builds the Bulk Edit header with images numbered groups (at
// least one, as the template has).
func newLegacy(images int) *layout {
	images = max(images, 1)
	header := append([]string{}, legacyBefore...)
	for n := 1; n <= images; n++ {
		for _, f := range legacyImage {
			header = append(header, fmt.Sprintf(f, n))
		}
	}
	header = append(header, legacyAfter...)
	l := newLayout(header, legacyNames)
	l.imageAt, l.images = len(legacyBefore), images
	return l
}

// row is one CSV line being filled by meaning.
type row struct {
	v [nCols]string
	// images go into the legacy numbered groups, with v[cImageDesc] as
	// their description.
	images []string
}

func (l *layout) render(r *row) []string {
	out := make([]string, len(l.header))
	for c, i := range l.index {
		if i >= 0 {
			out[i] = r.v[c]
		}
	}
	for n, img := range r.images {
		at := l.imageAt + n*len(legacyImage)
		out[at+1], out[at+2], out[at+3], out[at+4] = img, r.v[cImageDesc], yn(n == 0), strconv.Itoa(n)
	}
	return out
}
