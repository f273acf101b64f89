package orders

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Formats shaped like the ones the platform packages declare; the
// Magento grid is recognised only to be refused (formats cases O6).
var detectFormats = []Format{
	{Platform: "shopify", Name: "shopify-csv", Title: "Shopify order export", Signature: Columns("Name", "Lineitem sku", "Lineitem quantity")},
	{Platform: "bigcommerce", Name: "bigcommerce-csv", Title: "BigCommerce order export", Signature: Columns("Order ID", "Product Details")},
	{Platform: "woocommerce", Name: "woocommerce-rest", Title: "WooCommerce REST v3 orders (JSON)", Signature: Signature{
		Describe: `JSON with "line_items" and "number"`,
		Match: func(h Head) bool {
			return h.JSON && bytes.Contains(h.Bytes, []byte(`"line_items"`)) && bytes.Contains(h.Bytes, []byte(`"number"`))
		}}},
	{Platform: "magento", Name: "magento-grid", Title: "Magento admin order grid export", Signature: Columns("ID", "Purchase Point", "Bill-to Name"),
		Refuse: "the grid export has no line items or SKUs; pull orders through the REST API (/V1/orders) instead"},
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, content, want, err string
	}{
		{name: "shopify", content: "Name,Email,Lineitem quantity,Lineitem name,Lineitem sku\n#1001,a@b.c,1,Strat,X\n", want: "shopify-csv"},
		{name: "shopify drift", content: "\uFEFFname,Phone,LINEITEM QUANTITY,Lineitem SKU,Payment Reference (deprecated)\n", want: "shopify-csv"},
		{name: "semicolons", content: "Name;Lineitem sku;Lineitem quantity\n#1;A;1\n", want: "shopify-csv"},
		{name: "bigcommerce", content: "Order ID,Customer ID,Product Details\n", want: "bigcommerce-csv"},
		{name: "woocommerce json", content: "  [{\"id\":727,\"number\":\"727\",\"line_items\":[{\"sku\":\"H01/42209\"}]}]", want: "woocommerce-rest"},
		{name: "magento grid", content: "ID,Purchase Point,Purchase Date,Bill-to Name,Ship-to Name,Grand Total (Base),Grand Total (Purchased),Status,Action\n",
			err: "looks like a Magento admin order grid export, which cannot be used: the grid export has no line items or SKUs; pull orders through the REST API (/V1/orders) instead"},
		{name: "unknown csv", content: "SKU,Serial #,Description\n",
			err: `unknown.csv is not an order export aimbridge knows (its header starts "SKU", "Serial #", "Description"); expected one of:
  Shopify order export [--from shopify]: a header with the columns Name, Lineitem sku, Lineitem quantity
  BigCommerce order export [--from bigcommerce]: a header with the columns Order ID, Product Details
  WooCommerce REST v3 orders (JSON) [--from woocommerce]: JSON with "line_items" and "number"`},
		{name: "unknown json", content: `{"items":[]}`, err: "(it is JSON); expected one of:"},
		{name: "empty", content: "", err: "unknown.csv is empty; expected one of:"},
		{name: "blank", content: "\xEF\xBB\xBF \r\n", err: "unknown.csv is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := "unknown.csv"
			if tc.err == "" {
				file = "in.csv"
			}
			f, err := Detect(writeFile(t, file, tc.content), detectFormats)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.err)
				}
				return
			}
			if err != nil || f.Name != tc.want {
				t.Fatalf("Detect = %q, %v; want %q", f.Name, err, tc.want)
			}
		})
	}
}

func TestDetectAmbiguous(t *testing.T) {
	both := append([]Format{{Platform: "other", Name: "other-csv", Title: "Other export", Signature: Columns("Name", "Lineitem sku")}}, detectFormats...)
	_, err := Detect(writeFile(t, "in.csv", "Name,Lineitem sku,Lineitem quantity\n"), both)
	if err == nil || !strings.Contains(err.Error(), "fits more than one order format (Other export; Shopify order export); name the platform or format with --from") {
		t.Fatalf("error %v", err)
	}
}

func TestNormalizeHeader(t *testing.T) {
	for _, pair := range [][2]string{
		{"Lineitem compare-at price", "Lineitem compare at price"},
		{"Payment Reference (deprecated)", "Payment Reference"},
		{"LINEITEM SKU", "Lineitem sku"},
		{" Billing Address1 ", "Billing Address1"},
	} {
		if a, b := NormalizeHeader(pair[0]), NormalizeHeader(pair[1]); a != b {
			t.Errorf("%q → %q but %q → %q", pair[0], a, pair[1], b)
		}
	}
	if NormalizeHeader("Canceled at") == NormalizeHeader("Cancelled at") {
		t.Error("spelling variants are the reader's aliases, not normalisation")
	}
}
