package magento

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// referenceOrder is Magento's column order as its own files show it: the
// admin sample file's 74 columns, the export-only columns after the
// column they follow, and the columns of the configurable fixture placed
// before the next column both files share.
func referenceOrder(t *testing.T) []string {
	order := readLines(t, "testdata/catalog_product-header.txt")
	if len(order) != 74 || order[0] != "sku" {
		t.Fatalf("catalog_product header facts: %d columns", len(order))
	}
	for _, l := range readLines(t, "testdata/export-extra-columns.txt") {
		f := strings.Fields(l)
		i := slices.Index(order, f[0])
		if i < 0 {
			t.Fatalf("export facts: no column %s", f[0])
		}
		order = slices.Insert(order, i+1, f[1:]...)
	}
	conf := readLines(t, "testdata/import_configurable-header.txt")
	for i, c := range conf {
		if slices.Contains(order, c) {
			continue
		}
		at := len(order)
		for _, next := range conf[i+1:] {
			if j := slices.Index(order, next); j >= 0 {
				at = j
				break
			}
		}
		order = slices.Insert(order, at, c)
	}
	return order
}

// Every column has Magento's exact name, sku comes first, and the order
// is the one Magento's files use, so the file diffs cleanly against an
// export of the store.
func TestHeaderFollowsMagento(t *testing.T) {
	order := referenceOrder(t)
	if header[0] != "sku" {
		t.Errorf("first column %q", header[0])
	}
	last := -1
	for _, h := range header {
		i := slices.Index(order, h)
		if i < 0 {
			t.Errorf("column %q is not one of Magento's", h)
			continue
		}
		if i < last {
			t.Errorf("column %q is out of Magento's order", h)
		}
		last = i
	}
	if slices.Index(order, "configurable_variations") != slices.Index(order, "associated_skus")-2 {
		t.Errorf("configurable fixture facts not merged where expected: %v", order[len(order)-4:])
	}
	seen := map[string]bool{}
	for _, h := range header {
		if h == "" || seen[h] {
			t.Errorf("empty or duplicate column %q (Magento refuses duplicate headers)", h)
		}
		seen[h] = true
	}
}
