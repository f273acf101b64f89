package main

import (
	"github.com/aimbridge/aimbridge/etl/bigcommerce"
	"github.com/aimbridge/aimbridge/etl/magento"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/shopify"
	"github.com/aimbridge/aimbridge/etl/woocommerce"
)

// platforms is every web-store platform aimbridge writes for, in the order
// they run. Adding one means adding its package and a line here.
var platforms = []platform.Platform{
	shopify.Platform,
	bigcommerce.Platform,
	woocommerce.Platform,
	magento.Platform,
}
