package woocommerce

import (
	"cmp"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/aimbridge/aimbridge/etl/mapping"
	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/tabular"
	"github.com/shopspring/decimal"
)

// tableReader reads a CSV or XLSX order export through a profile: one row
// per order with a packed line_items cell (C/O/C Default), or one row per
// line grouped by the profile's key (C/O/C one row per item, Advanced
// Order Export).
type tableReader struct {
	t      tabular.Reader
	cfg    orders.Config
	p      *profile
	b      *mapping.Binding
	packed bool
	g      *orders.Grouper[*record]
}

type record struct {
	row tabular.Row
	v   mapping.Values
}

func openTable(path string, cfg orders.Config, p *profile) (orders.Reader, error) {
	opt := cfg.Tabular
	opt.Log = cfg.Logger()
	own, err := p.m.ReaderOptions()
	if err != nil {
		return nil, err
	}
	if own.Delimiter != 0 {
		opt.Delimiter = own.Delimiter
	}
	if own.Charset != "" {
		opt.Charset = own.Charset
	}
	if own.Sheet != "" {
		opt.Sheet = own.Sheet
	}
	opt.LazyQuotes = opt.LazyQuotes || own.LazyQuotes
	opt.AcceptHeader = func(header []string) error {
		b, err := p.m.Bind("", 1, header)
		if err != nil {
			return err
		}
		return p.bound(b)
	}
	t, err := tabular.Open(path, opt)
	if err != nil {
		return nil, err
	}
	b, err := p.m.Bind(filepath.Base(path), t.HeaderLine(), t.Header())
	if err == nil {
		err = p.bound(b)
	}
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	r := &tableReader{t: t, cfg: cfg, p: p, b: b, packed: b.Has(fLineItems) && !b.Has(fItemSKU)}
	key := func(rec *record) string { return rec.v[p.Key] }
	if r.packed {
		key = nil // one row per order
	}
	r.g = orders.NewGrouper(r.read, key)
	return r, nil
}

func (r *tableReader) Close() error         { return r.t.Close() }
func (r *tableReader) Stats() tabular.Stats { return r.t.Stats() }

// read returns the next usable row, or a *tabular.RowError for a record
// that belongs to no order.
func (r *tableReader) read() (*record, error) {
	row, err := r.t.Next()
	if err != nil {
		return nil, err
	}
	v, err := r.b.Apply(row)
	if err != nil {
		return nil, err
	}
	if v[r.p.Key] == "" {
		return nil, &tabular.RowError{File: row.File, Line: row.Line, Column: r.b.Column(r.p.Key), Raw: row.Raw,
			Reason: fmt.Sprintf("the row has no %s, so it belongs to no order", r.b.Column(r.p.Key))}
	}
	return &record{row: row, v: v}, nil
}

// Next gathers the rows of one order: one row when line items are packed,
// else the consecutive rows that share the key.
func (r *tableReader) Next() (*orders.Order, error) {
	recs, near, err := r.g.Next()
	if err != nil {
		return nil, err
	}
	return r.order(recs, near), nil
}

// order builds one order from its rows. Order-level values come from the
// first row that has them; rows that disagree are reported. near are the
// problems of unreadable records next to it.
func (r *tableReader) order(recs []*record, near []orders.Problem) *orders.Order {
	first := recs[0]
	src := orders.Source{File: first.row.File, Line: first.row.Line}
	o := &orders.Order{Src: src, Problems: near}
	v := map[string]string{}
	at := map[string]int{}
	for _, rec := range recs {
		for f, s := range rec.v {
			switch {
			case lineFields[f]:
			case v[f] == "":
				v[f], at[f] = s, rec.row.Line
			case s != v[f]:
				o.Warn("rows disagree on %s: %q (line %d) and %q (line %d); the first is used", r.b.Column(f), v[f], at[f], s, rec.row.Line)
			}
		}
	}
	where := func(f string) orders.Source {
		if at[f] == 0 {
			return src
		}
		return orders.Source{File: src.File, Line: at[f]}
	}
	o.Number = cmp.Or(v[fOrderNumberF], v[fOrderNumber], v[fOrderID])
	o.WebID = v[fOrderID]
	o.Email, o.Phone = v[fEmail], v[fPhone]
	o.Currency, o.PaymentMethod = v[fCurrency], v[fPayment]
	o.FirstName, o.LastName = v["billing_first_name"], v["billing_last_name"]
	o.Bill, o.Ship = address(v, "billing_"), address(v, "shipping_")

	amount := func(f string) decimal.Decimal {
		if v[f] == "" {
			return decimal.Zero
		}
		d, err := money.Parse(v[f], r.cfg.Locale)
		if err != nil {
			o.Hold(where(f), orders.ReasonBadAmount, r.b.Column(f), v[f], err.Error())
		}
		return d
	}
	o.Shipping, o.Tax, o.Discount, o.Total = amount(fShipping), amount(fTax), amount(fDiscount), amount(fTotal)
	refunded := amount(fRefunded)

	if s := v[fDate]; s == "" {
		o.Hold(where(fDate), orders.ReasonBadDate, r.b.Column(fDate), s, "the order has no date")
	} else if date, placed, ok := localTime(s, r.p.DateFormats, r.cfg.Location); ok {
		o.Date, o.Placed = date, placed
	} else {
		o.Hold(where(fDate), orders.ReasonBadDate, r.b.Column(fDate), s, "expected a date like "+exampleDates(r.p.DateFormats)+" (date_formats in the order profile)")
	}
	status(o, v[fStatus], where(fStatus), r.b.Column(fStatus))

	for _, rec := range recs {
		if r.packed {
			r.packedLines(o, rec)
		} else {
			r.itemLine(o, rec)
		}
	}
	refunds(o, refunded, r.b.Column(fRefunded))
	return o
}

func address(v map[string]string, side string) orders.Address {
	return orders.Address{
		Name:    cmp.Or(v[side+"full_name"], joinName(v[side+"first_name"], v[side+"last_name"])),
		Company: v[side+"company"], Address1: v[side+"address_1"], Address2: v[side+"address_2"],
		City: v[side+"city"], State: v[side+"state"], PostalCode: strings.TrimPrefix(v[side+"postcode"], "'"),
		Country: v[side+"country"],
	}
}

// unknownProduct is what the C/O/C export writes as the SKU of an item
// whose product was deleted after the sale (v4 generator).
const unknownProduct = "unknown_product"

// packedLines reads the items of a line_items cell.
func (r *tableReader) packedLines(o *orders.Order, rec *record) {
	col := r.b.Column(fLineItems)
	cell := rec.v[fLineItems]
	items, err := parseLineItems(cell)
	src := orders.Source{File: rec.row.File, Line: rec.row.Line}
	if err != nil {
		o.Hold(src, orders.ReasonBadValue, col, cell, err.Error())
		return
	}
	for n, it := range items {
		l := orders.Line{Src: src, WebLineID: it["id"], WebSKU: strings.TrimSpace(it["sku"]), Description: it["name"]}
		what := func(key string) string { return fmt.Sprintf("%s (item %d, %s:)", col, n+1, key) }
		r.sku(o, &l, what("sku"))
		if q, ok := it["quantity"]; !ok || q == "" {
			o.HoldLine(&l, orders.ReasonBadQuantity, what("quantity"), q, "the item has no quantity")
		} else if l.Qty, err = wholeNumber(q); err != nil {
			o.HoldLine(&l, orders.ReasonBadQuantity, what("quantity"), q, err.Error())
		}
		if q := it["refunded_qty"]; q != "" {
			n, err := wholeNumber(q)
			if err != nil {
				o.HoldLine(&l, orders.ReasonBadQuantity, what("refunded_qty"), q, err.Error())
			}
			l.Refunded = abs(n)
		}
		// subtotal is before coupons; v3 writes only total, after them.
		key := "subtotal"
		if it[key] == "" {
			key = "total"
		}
		if p := it[key]; p == "" {
			o.HoldLine(&l, orders.ReasonBadAmount, what("total"), p, "the item has no total")
		} else if d, err := money.Parse(p, r.cfg.Locale); err != nil {
			o.HoldLine(&l, orders.ReasonBadAmount, what(key), p, err.Error())
		} else {
			l.UnitPrice = unitOf(d, l.Qty)
		}
		o.Lines = append(o.Lines, l)
	}
}

// itemLine reads the line of a one-row-per-line layout.
func (r *tableReader) itemLine(o *orders.Order, rec *record) {
	v := rec.v
	l := orders.Line{Src: orders.Source{File: rec.row.File, Line: rec.row.Line}, WebLineID: v[fItemID],
		WebSKU: strings.TrimPrefix(v[fItemSKU], "'"), Description: v[fItemName]}
	r.sku(o, &l, r.b.Column(fItemSKU))
	qty := func(f string) (int, bool) {
		n, err := wholeNumber(v[f])
		if err != nil {
			o.HoldLine(&l, orders.ReasonBadQuantity, r.b.Column(f), v[f], err.Error())
			return 0, false
		}
		return n, true
	}
	ok := true
	switch {
	case r.b.Has(fItemQty) && r.b.Has(fItemQtyNet):
		l.Qty, ok = qty(fItemQty)
		net, okNet := qty(fItemQtyNet)
		if ok && okNet {
			l.Refunded = l.Qty - net
		}
		ok = ok && okNet
	case r.b.Has(fItemQty):
		l.Qty, ok = qty(fItemQty)
	default:
		// Only the quantity after refunds: the ordered one is unknown.
		if l.Qty, ok = qty(fItemQtyNet); ok && l.Qty == 0 {
			o.HoldLine(&l, orders.ReasonBadQuantity, r.b.Column(fItemQtyNet), v[fItemQtyNet],
				"every unit of the line was refunded, and the export has no ordered quantity; add the Quantity column to the export")
			ok = false
		}
	}
	if ok && r.b.Has(fItemRefQty) && v[fItemRefQty] != "" {
		if n, good := qty(fItemRefQty); good {
			l.Refunded = abs(n)
		}
	}
	// Prices before coupons first: the discount is carried at order level.
	priced := false
	for _, f := range []string{fItemUnitGross, fItemSubtotal, fItemUnit, fItemTotal} {
		s := v[f]
		if s == "" {
			continue
		}
		d, err := money.Parse(s, r.cfg.Locale)
		if err != nil {
			o.HoldLine(&l, orders.ReasonBadAmount, r.b.Column(f), s, err.Error())
		} else if f == fItemSubtotal || f == fItemTotal {
			l.UnitPrice = unitOf(d, l.Qty)
		} else {
			l.UnitPrice = d
		}
		priced = true
		break
	}
	if !priced {
		o.HoldLine(&l, orders.ReasonBadAmount, r.b.Column(fItemUnit), "", "the line has no price")
	}
	o.Lines = append(o.Lines, l)
}

// sku holds a line whose SKU is the export's stand-in for a product that
// no longer exists; the shared rules would take it for an AIM SKU.
func (r *tableReader) sku(o *orders.Order, l *orders.Line, column string) {
	if l.WebSKU == unknownProduct {
		o.HoldLine(l, orders.ReasonBadValue, column, l.WebSKU,
			"the export writes unknown_product when the product was deleted after the sale, so AIM cannot tell what was sold; enter this order by hand")
	}
}

func exampleDates(layouts []string) string {
	ex := make([]string, len(layouts))
	for i, l := range layouts {
		ex[i] = exampleTime.Format(l)
	}
	return strings.Join(ex, " or ")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
