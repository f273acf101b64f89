package woocommerce

import (
	"fmt"
	"strings"
)

// packedKeys are the keys the Customer/Order/Coupon export writes for each
// item of its packed line_items cell (formats/woocommerce.md §2.2): v3
// writes name, sku, quantity, total, refunded, refunded_qty, meta, tax;
// v4 starts each item with id and adds product_id, subtotal,
// subtotal_tax and total_tax.
var packedKeys = map[string]bool{
	"id": true, "name": true, "product_id": true, "variation_id": true, "sku": true, "quantity": true,
	"subtotal": true, "subtotal_tax": true, "total": true, "total_tax": true, "refunded": true,
	"refunded_qty": true, "meta": true, "tax": true, "tax_data": true,
}

// startKeys begin an item: a ; followed by one of them starts the next.
var startKeys = map[string]bool{"id": true, "name": true}

// parseLineItems splits a packed line_items cell into its items, each a
// map from key to value. It is anchored on the keys, never on the bare
// separators: the export writes name and sku unescaped (v3), so a | or ;
// inside them — 0113942719|||US210033734, "Strings; 3 pack" — is only a
// separator when a known key and a colon follow it. Since 3.12 the export
// escapes : | ; in values with a backslash; an escaped separator is never
// one, and the escapes are removed.
//
// A cell that does not start with a key, or an item that names a key
// twice (a value that happens to contain "|quantity:"), cannot be split
// with certainty: that is an error, and the order is held back.
func parseLineItems(cell string) ([]map[string]string, error) {
	if strings.TrimSpace(cell) == "" {
		return nil, nil
	}
	k, ok := keyAt(cell, 0)
	if !ok {
		return nil, fmt.Errorf("the cell does not start with a key such as name: or id:")
	}
	var items []map[string]string
	item := map[string]string{}
	key, start := k, len(k)+1
	flush := func(end int) error {
		if _, dup := item[key]; dup {
			return fmt.Errorf("item %d has %s: twice, so the cell cannot be split with certainty", len(items)+1, key)
		}
		item[key] = unescapeItem(cell[start:end])
		return nil
	}
	for i := start; i < len(cell); i++ {
		c := cell[i]
		if c != '|' && c != ';' || escaped(cell, i) {
			continue
		}
		next, ok := keyAt(cell, i+1)
		if !ok || c == ';' && !startKeys[next] {
			continue
		}
		if err := flush(i); err != nil {
			return nil, err
		}
		if c == ';' {
			items = append(items, item)
			item = map[string]string{}
		}
		key, start = next, i+1+len(next)+1
		i = start - 1
	}
	if err := flush(len(cell)); err != nil {
		return nil, err
	}
	return append(items, item), nil
}

// keyAt returns the known key that starts at s[i] and is followed by a colon.
func keyAt(s string, i int) (string, bool) {
	j := strings.IndexByte(s[i:], ':')
	if j <= 0 || j > len("subtotal_tax") {
		return "", false
	}
	k := s[i : i+j]
	return k, packedKeys[k]
}

// escaped reports whether s[i] follows an odd run of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

var itemUnescaper = strings.NewReplacer(`\:`, ":", `\|`, "|", `\;`, ";")

func unescapeItem(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return itemUnescaper.Replace(s)
}
