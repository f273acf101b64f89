package woocommerce

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/shopspring/decimal"
)

// The order exports aimbridge reads from WooCommerce. Core WooCommerce has
// no order CSV, so these are a saved REST response and the files of two
// export plugins (formats/woocommerce.md §2, §3). The table layouts are
// profiles in mappings/woocommerce-orders-*.yaml.
//
// Detection never lets two of them match one file: the C/O/C Default
// format needs order_id + line_items and no item_sku, its one-row-per-item
// format order_id + item_sku, the Advanced Order Export profile the
// default profile's own headers (Order Number, SKU, Item #, Item Cost,
// which the snake_case C/O/C headers never spell), and the REST response
// is JSON. A store that renamed the plugin's columns gives its edited copy
// of the profile (ProfileFormat) instead of the built-in one.
var OrderFormats = []orders.Format{
	{
		Platform: "woocommerce", Name: "woocommerce-rest", Title: "WooCommerce REST v3 orders (a saved GET /wp-json/wc/v3/orders response, JSON)",
		Signature: orders.Signature{Describe: `a JSON array of orders with "line_items" and "date_created_gmt"`, Match: isRESTOrders},
		Open:      OpenRESTOrders,
	},
	builtinFormat("woocommerce-coc-csv", "WooCommerce Customer/Order/Coupon Export, Default CSV (one row per order, packed line_items)",
		"a header with the columns order_id, line_items and without item_sku", "woocommerce-orders-customer-order-export.yaml"),
	builtinFormat("woocommerce-coc-items-csv", "WooCommerce Customer/Order/Coupon Export, Default CSV – one row per line item",
		"a header with the columns order_id, item_sku", "woocommerce-orders-customer-order-export-items.yaml"),
	builtinFormat("woocommerce-aoe-csv", "Advanced Order Export For WooCommerce, default profile (one row per product)",
		"a header with the columns Order Number, SKU, Item #, Item Cost (the plugin's default profile; a renamed one needs its own profile file)",
		"woocommerce-orders-advanced-order-export.yaml"),
}

// isRESTOrders recognises a saved REST response: JSON with the keys of a
// WooCommerce order. date_created_gmt is WooCommerce's own spelling; the
// Shopify and Magento APIs, which also say line_items or items, do not use it.
func isRESTOrders(h orders.Head) bool {
	return h.JSON && bytes.Contains(h.Bytes, []byte(`"line_items"`)) && bytes.Contains(h.Bytes, []byte(`"date_created_gmt"`))
}

// status reads an order status into State. It takes the slug
// (processing), the slug with WooCommerce's wc- prefix, and the English
// label the Advanced Order Export writes (Pending payment, On hold).
//
//   - pending, processing, on-hold, completed: written as open orders,
//     except pending: it is held back, because the customer has not paid
//     and WooCommerce has not taken the stock; the order often never
//     completes (abandoned payment), and writing it would sell a serial
//     that is still for sale. It is held, not skipped, so that the serial
//     stays blocked until someone looks.
//   - cancelled, refunded: the shared policy (skipped by default).
//   - failed: the payment failed; no sale took place and the customer
//     usually retries in a new order. Treated as cancelled, so it frees
//     its serial for the retry instead of holding both orders.
//   - checkout-draft (block checkout in progress): held like pending.
//   - trash: staff deleted the order; treated as cancelled.
//   - any other (a plugin's custom status) is held: aimbridge cannot
//     tell whether it is a sale.
func status(o *orders.Order, s string, src orders.Source, column string) {
	slug := strings.ToLower(strings.Join(strings.Fields(s), "-"))
	slug = strings.TrimPrefix(slug, "wc-")
	detail := "status " + s
	switch slug {
	case "processing", "completed", "on-hold":
	case "pending", "pending-payment", "checkout-draft", "draft":
		o.Hold(src, orders.ReasonNotSettled, column, s, "the order is awaiting payment (status "+s+"); WooCommerce has not taken the stock. Export it again once it is processing or completed, or enter it by hand")
	case "cancelled":
		o.State, o.StateDetail = orders.Cancelled, detail
	case "failed":
		o.State, o.StateDetail = orders.Cancelled, detail+" (the payment failed; no sale took place)"
	case "trash":
		o.State, o.StateDetail = orders.Cancelled, detail+" (the order was deleted in WooCommerce)"
	case "refunded":
		o.State, o.StateDetail = orders.Refunded, detail
	case "":
		o.Hold(src, orders.ReasonNotSettled, column, s, "the order has no status, so aimbridge cannot tell whether it is a sale")
	default:
		o.Hold(src, orders.ReasonNotSettled, column, s, "unknown order status "+s+" (a plugin's custom status?); aimbridge cannot tell whether it is a sale: enter the order by hand")
	}
}

// refunds sets PartiallyRefunded for money that went back without the
// export saying which units: a refunded order in full is already Refunded
// by its status, and units refunded per line (C/O/C refunded_qty) are
// taken off their lines, so the order stays open with net quantities.
func refunds(o *orders.Order, refunded decimal.Decimal, what string) {
	if !refunded.IsPositive() || o.State != orders.Open {
		return
	}
	for _, l := range o.Lines {
		if l.Refunded > 0 {
			o.Warn("%s %s; the units refunded per line are taken off their lines", what, money.Format(refunded))
			return
		}
	}
	o.State, o.StateDetail = orders.PartiallyRefunded, fmt.Sprintf("%s %s", what, money.Format(refunded))
}

// wholeNumber reads a quantity: WooCommerce may write 10.0 (REST, issue
// 22667), and refunded quantities come negative; both are accepted, other
// fractions are not.
func wholeNumber(s string) (int, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil || !d.Equal(d.Truncate(0)) || d.Abs().GreaterThan(decimal.NewFromInt(1_000_000)) {
		return 0, fmt.Errorf("not a whole number")
	}
	return int(d.IntPart()), nil
}

// unitOf divides a line amount by its quantity. An amount that does not
// divide into cents is kept exact; the shared rules hold it back.
func unitOf(line decimal.Decimal, qty int) decimal.Decimal {
	if qty <= 0 {
		return line
	}
	return line.Div(decimal.NewFromInt(int64(qty)))
}

// localTime reads an order date written on the store's clock without an
// offset (the plugins' order_date, REST date_created). The calendar date
// is the store's as written; the moment is known only with --timezone.
func localTime(s string, layouts []string, loc *time.Location) (date string, placed time.Time, ok bool) {
	for _, l := range layouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if loc != nil {
			placed, _ = time.ParseInLocation(l, s, loc)
		}
		return t.Format(time.DateOnly), placed, true
	}
	return "", time.Time{}, false
}

// exampleTime shows a date layout to people.
var exampleTime = time.Date(2024, 3, 4, 10, 15, 32, 0, time.UTC)

func joinName(first, last string) string { return strings.TrimSpace(first + " " + last) }
