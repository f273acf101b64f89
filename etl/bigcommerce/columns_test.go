package bigcommerce

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/mappings"
)

// facts reads a header fact list from testdata: one column a line, #
// comments.
func facts(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func defaultWriter(t testing.TB, format string) *writer {
	t.Helper()
	tpl, err := mappings.Default("bigcommerce.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(config(format, "20MB", tpl))
	if err != nil {
		t.Fatal(err)
	}
	return w.(*writer)
}

// isSubsequence reports whether every name in got appears in doc, in doc's order.
func isSubsequence(got, doc []string) bool {
	i := 0
	for _, h := range got {
		for i < len(doc) && doc[i] != h {
			i++
		}
		if i == len(doc) {
			return false
		}
		i++
	}
	return true
}

func TestModernHeader(t *testing.T) {
	doc := facts(t, "modern-columns.txt")
	if !isSubsequence(modernColumns, doc) {
		t.Errorf("modern columns %q are not in the documented order %q", modernColumns, doc)
	}
	h := defaultWriter(t, "modern").modern.header
	// Default templates leave page title, meta description, keywords, URL
	// and image description empty, so those columns are left out.
	want := []string{"Item", "ID", "Name", "Type", "SKU", "Options", "Inventory Tracking", "Current Stock",
		"Price", "Retail Price", "Sale Price", "Brand", "Categories", "Description", "UPC/EAN",
		"Manufacturer Part Number", "Weight", "Is Visible", "Product Condition", "Show Product Condition",
		"Image URL (Import)", "Image is Thumbnail", "Image Sort Order"}
	if !slices.Equal(h, want) {
		t.Errorf("default modern header\n got %q\nwant %q", h, want)
	}
	if !isSubsequence(h, doc) {
		t.Errorf("header %q is not in the documented order", h)
	}
	for _, req := range facts(t, "modern-required.txt") {
		if !slices.Contains(h, req) {
			t.Errorf("required column %q missing", req)
		}
	}
	var none [nCols]bool
	if full := newModern(none).header; !slices.Equal(full, modernColumns) {
		t.Errorf("with every template set the header is %q, want all of %q", full, modernColumns)
	}
	for c, name := range modernNames {
		if name != "" && !slices.Contains(modernColumns, name) {
			t.Errorf("meaning %d names %q, which is not a modern column", c, name)
		}
	}
}

func TestLegacyHeader(t *testing.T) {
	doc := facts(t, "legacy-columns.txt")
	want := slices.DeleteFunc(slices.Clone(doc), func(h string) bool { return h == "Option Set" || h == "Option Set Align" })
	if got := newLegacy(0).header; !slices.Equal(got, want) {
		t.Errorf("legacy header\n got %q\nwant %q", got, want)
	}
	two := newLegacy(2).header
	at := slices.Index(two, "Product Image Sort - 1") + 1
	if got := two[at : at+5]; !slices.Equal(got, []string{"Product Image ID - 2", "Product Image File - 2",
		"Product Image Description - 2", "Product Image Is Thumbnail - 2", "Product Image Sort - 2"}) {
		t.Errorf("second image group %q", got)
	}
	if two[at+5] != "Search Keywords" {
		t.Errorf("after the image groups comes %q", two[at+5])
	}
	for c, name := range legacyNames {
		if name != "" && !slices.Contains(want, name) {
			t.Errorf("meaning %d names %q, which is not a legacy column", c, name)
		}
	}
}
