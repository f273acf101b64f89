package woocommerce

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/aimbridge/aimbridge/etl/mapping"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/mappings"
	"go.yaml.in/yaml/v3"
)

// A profile describes one table layout of WooCommerce orders: which header
// holds which field, what identifies the layout, how its dates look. The
// built-in profiles are mappings/woocommerce-orders-*.yaml; a store whose
// export plugin lets staff rename or reorder columns copies one and edits
// it (parseProfile, ProfileFormat).
type profile struct {
	Name  string
	Title string `yaml:"title"`
	// Signature are the headers that identify the layout; Unless are
	// headers whose presence means the file is another layout (the C/O/C
	// default vs one-row-per-item).
	Signature []string `yaml:"signature"`
	Unless    []string `yaml:"unless"`
	// Key is the field that groups rows into orders: order_id or
	// order_number. A layout with a packed line_items field has one row
	// per order and is not grouped.
	Key string `yaml:"key"`
	// DateFormats are Go time layouts tried in turn on order_date.
	DateFormats []string                 `yaml:"date_formats"`
	Source      mapping.Source           `yaml:"source"`
	Fields      map[string]mapping.Field `yaml:"fields"`

	m *mapping.Mapping
}

// The fields a profile can bind. Amounts, quantities and dates are read
// by the reader (a bad one holds the order back), so a profile gives only
// header names, value maps and defaults.
const (
	fOrderID       = "order_id"
	fOrderNumber   = "order_number"
	fOrderNumberF  = "order_number_formatted"
	fDate          = "order_date"
	fStatus        = "status"
	fEmail         = "email"
	fPhone         = "phone"
	fCurrency      = "currency"
	fPayment       = "payment_method"
	fShipping      = "shipping_total"
	fTax           = "tax_total"
	fDiscount      = "discount_total"
	fTotal         = "order_total"
	fRefunded      = "refunded_total"
	fLineItems     = "line_items"
	fItemID        = "item_id"
	fItemName      = "item_name"
	fItemSKU       = "item_sku"
	fItemQty       = "item_quantity"
	fItemQtyNet    = "item_quantity_net"
	fItemRefQty    = "item_refunded_qty"
	fItemSubtotal  = "item_subtotal"
	fItemTotal     = "item_total"
	fItemUnit      = "item_unit_price"
	fItemUnitGross = "item_unit_price_before_discount"
)

// addressFields are prefixed billing_ and shipping_.
var addressFields = []string{"first_name", "last_name", "full_name", "company", "address_1", "address_2", "city", "state", "postcode", "country"}

var profileFields = func() []string {
	fs := []string{fOrderID, fOrderNumber, fOrderNumberF, fDate, fStatus, fEmail, fPhone, fCurrency, fPayment,
		fShipping, fTax, fDiscount, fTotal, fRefunded, fLineItems, fItemID, fItemName, fItemSKU, fItemQty, fItemQtyNet,
		fItemRefQty, fItemSubtotal, fItemTotal, fItemUnit, fItemUnitGross}
	for _, side := range []string{"billing_", "shipping_"} {
		for _, a := range addressFields {
			fs = append(fs, side+a)
		}
	}
	return fs
}()

// lineFields vary from row to row of one order; the rest are the order's.
var lineFields = map[string]bool{fLineItems: true, fItemID: true, fItemName: true, fItemSKU: true, fItemQty: true,
	fItemQtyNet: true, fItemRefQty: true, fItemSubtotal: true, fItemTotal: true, fItemUnit: true, fItemUnitGross: true}

// parseProfile reads a profile file strictly: unknown keys and fields are
// errors, so a typo cannot silently leave a column unread.
func parseProfile(name string, data []byte) (*profile, error) {
	p := &profile{Name: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("order profile %s: %w", name, err)
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("order profile %s: %s", name, fmt.Sprintf(format, a...))
	}
	if p.Title == "" {
		return nil, bad("title is empty; it names the export in messages")
	}
	for fname, f := range p.Fields {
		if !slices.Contains(profileFields, fname) {
			return nil, bad("unknown field %q (known: %s)", fname, strings.Join(profileFields, ", "))
		}
		if len(f.From) == 0 {
			return nil, bad("field %s lists no header names in from", fname)
		}
		// Amounts and quantities are read by the order reader, where a bad
		// one holds the order back instead of refusing the row.
		if (f.Type != "" && f.Type != mapping.Text) || f.Locale != "" || f.PadTo != 0 || f.NonEmptyIsTrue || f.Unit != "" {
			return nil, bad("field %s: an order profile takes only from, required, map and default (amounts are read with --locale)", fname)
		}
		f.Type = mapping.Text
		p.Fields[fname] = f
	}
	if p.Key != fOrderID && p.Key != fOrderNumber {
		return nil, bad("key %q: use order_id or order_number, the field that tells rows of one order", p.Key)
	}
	need := []string{p.Key, fDate, fStatus}
	if _, packed := p.Fields[fLineItems]; packed {
		need = append(need, fLineItems)
	} else {
		need = append(need, fItemSKU)
	}
	for _, n := range need {
		if _, ok := p.Fields[n]; !ok {
			return nil, bad("field %s is needed", n)
		}
	}
	if _, packed := p.Fields[fLineItems]; !packed {
		if !p.has(fItemQty) && !p.has(fItemQtyNet) {
			return nil, bad("field item_quantity (or item_quantity_net) is needed")
		}
		if !p.has(fItemUnit) && !p.has(fItemUnitGross) && !p.has(fItemSubtotal) && !p.has(fItemTotal) {
			return nil, bad("a price field is needed: item_unit_price_before_discount, item_subtotal, item_unit_price or item_total")
		}
	}
	if len(p.Signature) == 0 {
		return nil, bad("signature is empty: list the headers that identify this export")
	}
	if len(p.DateFormats) == 0 {
		return nil, bad("date_formats is empty")
	}
	p.m = &mapping.Mapping{Name: name, Source: p.Source, Fields: p.Fields}
	if _, err := p.m.ReaderOptions(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *profile) has(field string) bool { _, ok := p.Fields[field]; return ok }

// match is the profile's signature: every Signature header, no Unless
// header, and a header the profile's fields bind without clashes.
func (p *profile) match(h orders.Head) bool {
	if h.JSON || !orders.Columns(p.Signature...).Match(h) {
		return false
	}
	if len(p.Unless) > 0 {
		for _, u := range p.Unless {
			if orders.Columns(u).Match(h) {
				return false
			}
		}
	}
	b, err := p.m.Bind(h.File, 1, h.Header)
	return err == nil && p.bound(b) == nil
}

// bound checks that the file has a column for every field the reader needs.
func (p *profile) bound(b *mapping.Binding) error {
	var missing []string
	need := func(alts ...string) {
		for _, a := range alts {
			if b.Has(a) {
				return
			}
		}
		var hs []string
		for _, a := range alts {
			if f, ok := p.Fields[a]; ok {
				hs = append(hs, f.From[0])
			}
		}
		missing = append(missing, strings.Join(hs, " or "))
	}
	need(p.Key)
	need(fDate)
	need(fStatus)
	if p.has(fLineItems) {
		need(fLineItems)
	} else {
		need(fItemSKU)
		need(fItemQty, fItemQtyNet)
		need(fItemUnitGross, fItemSubtotal, fItemUnit, fItemTotal)
	}
	if len(missing) > 0 {
		return fmt.Errorf("the %s needs the column(s) %s", p.Title, strings.Join(missing, ", "))
	}
	return nil
}

// format is the orders.Format a profile reads.
func (p *profile) format(name string) orders.Format {
	return orders.Format{
		Platform:  "woocommerce",
		Name:      name,
		Title:     p.Title,
		Signature: orders.Signature{Describe: p.describe(), Match: p.match},
		Open:      func(path string, cfg orders.Config) (orders.Reader, error) { return openTable(path, cfg, p) },
	}
}

func (p *profile) describe() string {
	d := "a header with the columns " + strings.Join(p.Signature, ", ")
	if len(p.Unless) > 0 {
		d += " and without " + strings.Join(p.Unless, ", ")
	}
	return d
}

// ProfileFormat reads a store's own copy of an order profile (a mapping
// for an export plugin whose columns staff renamed) into a format. It is
// meant to replace the built-in format of the same layout in the list the
// run detects among, so the two never both match a file.
func ProfileFormat(name string, data []byte) (orders.Format, error) {
	p, err := parseProfile(name, data)
	if err != nil {
		return orders.Format{}, err
	}
	return p.format("woocommerce-profile"), nil
}

// builtin loads an embedded profile once. A broken embedded file is a
// build fault the tests catch; at run time its format matches nothing and
// says why when opened.
func builtin(file string) func() (*profile, error) {
	return sync.OnceValues(func() (*profile, error) {
		data, err := mappings.Default(file)
		if err != nil {
			return nil, err
		}
		return parseProfile(file+" (built in)", data)
	})
}

// builtinFormat is the orders.Format of an embedded profile.
func builtinFormat(name, title, describe, file string) orders.Format {
	load := builtin(file)
	return orders.Format{
		Profile:  ProfileFormat,
		Platform: "woocommerce",
		Name:     name,
		Title:    title,
		Signature: orders.Signature{Describe: describe, Match: func(h orders.Head) bool {
			p, err := load()
			return err == nil && p.match(h)
		}},
		Open: func(path string, cfg orders.Config) (orders.Reader, error) {
			p, err := load()
			if err != nil {
				return nil, err
			}
			return openTable(path, cfg, p)
		},
	}
}
