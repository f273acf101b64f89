package woocommerce

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/orders/orderstest"
)

const benchOrders = 5000

const benchStrat = "Fender American Professional II Stratocaster, Rosewood Fingerboard, 3-Color Sunburst"

// benchRead reads every order of path with format f, b.N times.
func benchRead(b *testing.B, f orders.Format, path string) {
	orderstest.Bench(b, path, f.Open, benchOrders)
}

// BenchmarkWooRESTOrders reads a saved REST response of 5,000 orders with
// one to three lines each.
func BenchmarkWooRESTOrders(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("[\n")
	for i := range benchOrders {
		if i > 0 {
			sb.WriteString(",\n")
		}
		lines := []string{fmt.Sprintf(`{"id":%d,"name":"%s - US2%08d","product_id":301,"variation_id":318,"quantity":1,"tax_class":"","subtotal":"1699.99","subtotal_tax":"112.62","total":"1699.99","total_tax":"112.62","taxes":[{"id":1,"total":"112.62","subtotal":"112.62"}],"meta_data":[{"id":1,"key":"serial-number","value":"US2%08d"}],"sku":"0113942719|||US2%08d","price":1699.99,"image":{"id":"","src":""},"parent_name":"%s"}`, i*10, benchStrat, i, i, i, benchStrat)}
		for j := range i % 3 {
			lines = append(lines, fmt.Sprintf(`{"id":%d,"name":"Picks","product_id":90,"variation_id":0,"quantity":2,"subtotal":"11.98","total":"11.98","sku":"08859%02d","price":5.99,"meta_data":[],"parent_name":null}`, i*10+j+1, j))
		}
		fmt.Fprintf(&sb, `{"id":%d,"parent_id":0,"status":"processing","currency":"USD","date_created":"2024-03-04T19:42:08","date_created_gmt":"2024-03-05T00:42:08","discount_total":"0.00","shipping_total":"0.00","total_tax":"112.62","total":"1812.61","customer_note":"","billing":{"first_name":"Elena","last_name":"Kovacs","company":"","address_1":"27 Church St","address_2":"","city":"Montclair","state":"NJ","postcode":"07042","country":"US","email":"elena.kovacs@example.com","phone":"(973) 555-0182"},"shipping":{"first_name":"Elena","last_name":"Kovacs","company":"","address_1":"27 Church St","address_2":"","city":"Montclair","state":"NJ","postcode":"07042","country":"US","phone":""},"payment_method":"stripe","payment_method_title":"Credit Card (Stripe)","number":"%d","meta_data":[],"line_items":[%s],"tax_lines":[],"shipping_lines":[],"fee_lines":[],"coupon_lines":[],"refunds":[],"_links":{"self":[{"href":"https://shop.example.com/wp-json/wc/v3/orders/%d"}]}}`,
			4000+i, 2000+i, strings.Join(lines, ","), 4000+i)
	}
	sb.WriteString("\n]\n")
	benchRead(b, formatNamed(b, "woocommerce-rest"), tempOrders(b, "orders.json", sb.String()))
}

// BenchmarkWooCOCOrders reads a C/O/C Default export of 5,000 orders, one
// row each with a packed line_items cell of one to three items.
func BenchmarkWooCOCOrders(b *testing.B) {
	var rows []map[string]string
	for i := range benchOrders {
		items := []string{fmt.Sprintf("name:%s - US2%08d|sku:0113942719|||US2%08d|quantity:1|total:1699.99|refunded:0.00|refunded_qty:0|meta:Serial Number=US2%08d|tax:112.62", benchStrat, i, i, i)}
		for j := range i % 3 {
			items = append(items, fmt.Sprintf("name:Fender 351 Shape Premium Celluloid Picks, Medium, 12-Pack|sku:08859%02d|quantity:2|total:11.98|refunded:0.00|refunded_qty:0|meta:|tax:0.79", j))
		}
		rows = append(rows, cocRow(fmt.Sprint(5000+i), "processing", "2024-03-06 14:22:10", "1812.61", map[string]string{"line_items": strings.Join(items, ";"),
			"shipping_items": "method:Free shipping|total:0.00", "tax_items": "code:US-NJ-TAX-1|total:112.62", "order_notes": "Order status changed from Pending payment to Processing."}))
	}
	benchRead(b, formatNamed(b, "woocommerce-coc-csv"), tempOrders(b, "coc.csv", table(b, header(b, "coc-default-v3-header.csv"), rows...)))
}

// BenchmarkWooCOCItemsOrders reads a C/O/C one-row-per-item export of
// 5,000 orders, 10,000 rows.
func BenchmarkWooCOCItemsOrders(b *testing.B) {
	var rows []map[string]string
	for i := range benchOrders {
		id := fmt.Sprint(6000 + i)
		rows = append(rows, itemRow(id, "processing", fmt.Sprintf("0113942719|||US2%08d", i), "1", "1699.99", map[string]string{"order_total": "1812.61", "item_name": benchStrat}))
		for j := range i % 3 {
			rows = append(rows, itemRow(id, "processing", fmt.Sprintf("08859%02d", j), "2", "11.98", map[string]string{"order_total": "1812.61"}))
		}
	}
	benchRead(b, formatNamed(b, "woocommerce-coc-items-csv"), tempOrders(b, "items.csv", table(b, header(b, "coc-items-v4-header.csv"), rows...)))
}

// BenchmarkWooAOEOrders reads an Advanced Order Export (default profile)
// of 5,000 orders, 10,000 rows.
func BenchmarkWooAOEOrders(b *testing.B) {
	var rows []map[string]string
	for i := range benchOrders {
		row := func(n int, sku, name, qty, cost string) map[string]string {
			return map[string]string{"Order Number": fmt.Sprint(7000 + i), "Order Status": "Processing", "Order Date": "2024-03-15 10:04",
				"First Name (Billing)": "Elena", "Last Name (Billing)": "Kovacs", "Address 1&2 (Billing)": "27 Church St", "City (Billing)": "Montclair",
				"State Code (Billing)": "NJ", "Postcode (Billing)": "07042", "Country Code (Billing)": "US", "Email (Billing)": "elena.kovacs@example.com",
				"Phone (Billing)": "(973) 555-0182", "First Name (Shipping)": "Elena", "Last Name (Shipping)": "Kovacs", "Address 1&2 (Shipping)": "27 Church St",
				"City (Shipping)": "Montclair", "State Code (Shipping)": "NJ", "Postcode (Shipping)": "07042", "Country Code (Shipping)": "US",
				"SKU": sku, "Item #": fmt.Sprint(n), "Item Name": name, "Quantity (- Refund)": qty, "Item Cost": cost,
				"Payment Method Title": "Credit Card (Stripe)", "Cart Discount Amount": "0.00", "Order Subtotal Amount": "1711.97",
				"Shipping Method Title": "Free shipping", "Order Shipping Amount": "0.00", "Order Refund Amount": "0.00",
				"Order Total Amount": "1825.39", "Order Total Tax Amount": "113.42"}
		}
		rows = append(rows, row(1, fmt.Sprintf("0113942719|||US2%08d", i), benchStrat, "1", "1699.99"))
		for j := range i % 3 {
			rows = append(rows, row(j+2, fmt.Sprintf("08859%02d", j), "Fender 351 Shape Premium Celluloid Picks, Medium, 12-Pack", "2", "5.99"))
		}
	}
	benchRead(b, formatNamed(b, "woocommerce-aoe-csv"), tempOrders(b, "aoe.csv", table(b, header(b, "aoe-default-header.csv"), rows...)))
}
