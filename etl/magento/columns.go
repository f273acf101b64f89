package magento

// The columns aimbridge writes, in the order of Magento's own sample file
// (formats/magento.md §1.1): sku first, the image columns where a real
// export has them (after meta_description, additional_images after the
// product links) and configurable_variations at the end. Only columns
// aimbridge fills are listed: an empty cell leaves the stored value alone
// in Add/Update, so the set is the same in every file and part.
const (
	cSKU = iota
	cStoreView
	cAttrSet
	cType
	cCategories
	cWebsites
	cName
	cDescription
	cShortDescription
	cWeight
	cOnline
	cTaxClass
	cVisibility
	cPrice
	cSpecialPrice
	cURLKey
	cMetaTitle
	cMetaDescription
	cBaseImage
	cSmallImage
	cThumbnail
	cMSRP
	cAdditional
	cQty
	cInStock
	cMoreImages
	cVariations
	nCols
)

var header = [nCols]string{
	cSKU: "sku", cStoreView: "store_view_code", cAttrSet: "attribute_set_code", cType: "product_type",
	cCategories: "categories", cWebsites: "product_websites", cName: "name", cDescription: "description",
	cShortDescription: "short_description", cWeight: "weight", cOnline: "product_online", cTaxClass: "tax_class_name",
	cVisibility: "visibility", cPrice: "price", cSpecialPrice: "special_price", cURLKey: "url_key",
	cMetaTitle: "meta_title", cMetaDescription: "meta_description",
	cBaseImage: "base_image", cSmallImage: "small_image", cThumbnail: "thumbnail_image",
	cMSRP: "msrp_price", cAdditional: "additional_attributes", cQty: "qty", cInStock: "is_in_stock",
	cMoreImages: "additional_images", cVariations: "configurable_variations",
}

// row is one CSV line being filled by meaning.
type row [nCols]string
