package bigcommerce

import (
	"fmt"
	"strings"
)

// The labels of one product in the packed Product Details cell of the
// Default order export, in the fixed order the export writes them
// (formats/bigcommerce.md §6.2).
const (
	pdID = iota
	pdQty
	pdSKU
	pdName
	pdWeight
	pdVariation
	pdUnitPrice
	pdTotalPrice
	nPD
)

var pdLabels = [nPD]string{
	pdID: "Product ID", pdQty: "Product Qty", pdSKU: "Product SKU", pdName: "Product Name", pdWeight: "Product Weight",
	pdVariation: "Product Variation Details", pdUnitPrice: "Product Unit Price", pdTotalPrice: "Product Total Price",
}

// pdText are the fields whose values are free text. The others are
// numbers, which never hold a ':' or a '|': that is what tells a real
// label apart from label-like text inside a name.
var pdText = [nPD]bool{pdSKU: true, pdName: true, pdVariation: true}

// packedProduct is one product of the cell, its values trimmed but
// otherwise as written.
type packedProduct struct {
	Fields [nPD]string
}

// productDetailsError is a product of the cell that cannot be read, or
// can be read in more than one way.
type productDetailsError struct {
	Product int // 1-based
	Text    string
	Reason  string
}

func (e *productDetailsError) Error() string {
	return fmt.Sprintf("product %d of Product Details (%q): %s", e.Product, e.Text, e.Reason)
}

// parseProductDetails reads the packed cell. The export escapes nothing,
// so neither | (SKUs are AIMSKU|||SERIAL) nor "," (names, variation
// details) can be split on. Instead:
//
//   - a product starts at "Product ID:" at the start of the cell or after
//     a '|' (spaces and line breaks around the '|' allowed);
//   - inside a product, a value runs up to a ',' (spaces allowed after it)
//     followed by the next label in the fixed order, and the last value
//     (Product Total Price) to the end of the product;
//   - of all the ways to place the labels, only those whose numeric
//     fields hold no ':' or '|' count. Exactly one must remain: a name
//     such as "Picks, Product Qty: 12" still reads one way, but a name
//     holding ", Product Name:" could end the SKU in two places, and
//     such a product is refused rather than guessed.
//
// Every product the cell holds is returned, readable or not; each
// unreadable one has its error. An empty cell has no products.
func parseProductDetails(cell string) ([]packedProduct, []*productDetailsError) {
	starts := productStarts(cell)
	var ps []packedProduct
	var errs []*productDetailsError
	if len(starts) == 0 {
		if t := strings.TrimSpace(cell); t != "" {
			errs = append(errs, &productDetailsError{Product: 1, Text: t, Reason: `it does not start with "Product ID:"`})
		}
		return nil, errs
	}
	if lead := strings.TrimSpace(cell[:starts[0]]); lead != "" {
		errs = append(errs, &productDetailsError{Product: 1, Text: lead, Reason: `text before the first "Product ID:"`})
	}
	for i, s := range starts {
		end := len(cell)
		if i+1 < len(starts) {
			end = strings.LastIndexByte(cell[:starts[i+1]], '|')
		}
		text := strings.TrimSpace(cell[s:end])
		p, reason := parseProduct(text)
		if reason != "" {
			errs = append(errs, &productDetailsError{Product: i + 1, Text: text, Reason: reason})
			continue
		}
		ps = append(ps, p)
	}
	return ps, errs
}

// productStarts are the offsets of "Product ID:" that begin a product.
func productStarts(cell string) []int {
	const id = "Product ID:"
	var out []int
	for from := 0; ; {
		j := strings.Index(cell[from:], id)
		if j < 0 {
			return out
		}
		j += from
		before := strings.TrimRight(cell[:j], " \t\r\n")
		if before == "" || before[len(before)-1] == '|' {
			out = append(out, j)
		}
		from = j + len(id)
	}
}

// span is where a ", Label:" separator sits in a product's text.
type span struct{ start, end int }

// parseProduct reads one product's text, which starts with "Product ID:".
// The reason is empty on success.
func parseProduct(text string) (packedProduct, string) {
	var seps [nPD][]span
	for k := pdQty; k < nPD; k++ {
		seps[k] = separators(text, pdLabels[k])
		if len(seps[k]) == 0 {
			return packedProduct{}, fmt.Sprintf("no %q label", pdLabels[k]+":")
		}
	}
	var cur, found [nPD]string
	n := 0
	var walk func(k, pos int)
	walk = func(k, pos int) {
		if k == pdTotalPrice {
			v := text[pos:]
			if strings.ContainsAny(v, ":|") {
				return
			}
			cur[k] = v
			if n++; n == 1 {
				found = cur
			}
			return
		}
		for _, s := range seps[k+1] {
			if s.start < pos {
				continue
			}
			v := text[pos:s.start]
			if !pdText[k] && strings.ContainsAny(v, ":|") {
				return // a longer value would hold the same ':' or '|'
			}
			cur[k] = v
			walk(k+1, s.end)
			if n > 1 {
				return
			}
		}
	}
	walk(pdID, len(pdLabels[pdID])+1)
	switch {
	case n == 0:
		return packedProduct{}, "the labels " + strings.Join(pdLabels[:], ", ") + " are not all there, in that order, with numbers where numbers belong"
	case n > 1:
		var twice []string
		for k := pdQty; k < nPD; k++ {
			if len(seps[k]) > 1 {
				twice = append(twice, fmt.Sprintf("%q", ", "+pdLabels[k]+":"))
			}
		}
		return packedProduct{}, "it can be read in more than one way: " + strings.Join(twice, " and ") +
			" appear more than once, so a name, SKU or variation text holds a label and aimbridge cannot tell where it ends"
	}
	var p packedProduct
	for k, v := range found {
		p.Fields[k] = strings.TrimSpace(v)
	}
	return p, ""
}

// separators finds each ", Label:" in text (any spaces or line breaks
// after the comma), returning where the comma starts and the colon ends.
func separators(text, label string) []span {
	lc := label + ":"
	var out []span
	for from := 0; ; {
		j := strings.Index(text[from:], lc)
		if j < 0 {
			return out
		}
		j += from
		before := strings.TrimRight(text[:j], " \t\r\n")
		if strings.HasSuffix(before, ",") {
			out = append(out, span{start: len(before) - 1, end: j + len(lc)})
		}
		from = j + len(lc)
	}
}
