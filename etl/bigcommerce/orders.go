package bigcommerce

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/tabular"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// OrderFormats are the BigCommerce order exports aimbridge reads: the
// Default CSV export, whose Order Date order is not set here (dates that
// read only one way are taken, the rest held; see DateOrder), and a saved
// V2 orders API response.
var OrderFormats = []orders.Format{DefaultExportFormat(DatesUnset), V2JSONFormat}

// DefaultExportFormat is the Default order export (Orders › Export,
// template Default; CSV or re-saved XLSX) with Order Date read in the
// given order.
func DefaultExportFormat(dates DateOrder) orders.Format {
	return orders.Format{
		Platform:  "bigcommerce",
		Name:      "bigcommerce-csv",
		Title:     "BigCommerce order export (Orders › Export, Default template; CSV or re-saved XLSX)",
		Signature: orders.Columns("Order ID", "Product Details"),
		Open: func(path string, cfg orders.Config) (orders.Reader, error) {
			return OpenOrdersWith(path, cfg, dates)
		},
		Profile: orderProfile,
	}
}

// orderProfile reads a store's settings for the Default export, given
// with --order-profile bigcommerce-csv=FILE. The export's columns are
// fixed, so the one setting is how the store writes Order Date:
//
//	date_order: mdy   # mm/dd/yyyy; dmy for dd/mm/yyyy
func orderProfile(name string, data []byte) (orders.Format, error) {
	var p struct {
		DateOrder string `yaml:"date_order"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil && !errors.Is(err, io.EOF) {
		return orders.Format{}, fmt.Errorf("%s: %w (a BigCommerce order profile holds one setting, date_order: mdy or dmy)", name, err)
	}
	d, err := ParseDateOrder(p.DateOrder)
	if err == nil && d == DatesUnset {
		err = errors.New("date_order is missing: use mdy (mm/dd/yyyy) or dmy (dd/mm/yyyy)")
	}
	if err != nil {
		return orders.Format{}, fmt.Errorf("%s: %w", name, err)
	}
	return DefaultExportFormat(d), nil
}

// The Default export's columns aimbridge reads (formats/bigcommerce.md
// §6.1), by meaning.
type ocol int

const (
	oID ocol = iota
	oCustomer
	oEmail
	oPhone
	oDate
	oStatus
	oSubtotalEx
	oSubtotalInc
	oTax
	oShipping
	oHandling
	oTotal
	oPayment
	oTotalQty
	oCurrency
	oBillFirst
	oBillLast
	oBillCompany
	oBillStreet1
	oBillStreet2
	oBillSuburb
	oBillState
	oBillZip
	oBillCountry
	oBillPhone
	oBillEmail
	oShipFirst
	oShipLast
	oShipCompany
	oShipStreet1
	oShipStreet2
	oShipSuburb
	oShipState
	oShipZip
	oShipCountry
	oShipPhone
	oDetails
	oCoupon
	oRefund
	nOCols
)

var orderHeaders = [nOCols]string{
	oID: "Order ID", oCustomer: "Customer Name", oEmail: "Customer Email", oPhone: "Customer Phone", oDate: "Order Date", oStatus: "Order Status",
	oSubtotalEx: "Subtotal (ex tax)", oSubtotalInc: "Subtotal (inc tax)", oTax: "Tax Total",
	oShipping: "Shipping Cost (ex tax)", oHandling: "Handling Cost (ex tax)", oTotal: "Order Total (inc tax)",
	oPayment: "Payment Method", oTotalQty: "Total Quantity", oCurrency: "Order Currency Code",
	oBillFirst: "Billing First Name", oBillLast: "Billing Last Name", oBillCompany: "Billing Company",
	oBillStreet1: "Billing Street 1", oBillStreet2: "Billing Street 2", oBillSuburb: "Billing Suburb",
	oBillState: "Billing State", oBillZip: "Billing Zip", oBillCountry: "Billing Country", oBillPhone: "Billing Phone",
	oBillEmail: "Billing Email",
	oShipFirst: "Shipping First Name", oShipLast: "Shipping Last Name", oShipCompany: "Shipping Company",
	oShipStreet1: "Shipping Street 1", oShipStreet2: "Shipping Street 2", oShipSuburb: "Shipping Suburb",
	oShipState: "Shipping State", oShipZip: "Shipping Zip", oShipCountry: "Shipping Country", oShipPhone: "Shipping Phone",
	oDetails: "Product Details", oCoupon: "Coupon Details", oRefund: "Refund Amount",
}

// neededOrderColumns must be in the file: without them no AIM line can be made.
var neededOrderColumns = []ocol{oID, oDate, oStatus, oDetails}

// item is what the reader hands out: an order or an unreadable record.
type item struct {
	o   *orders.Order
	err error
}

type orderReader struct {
	t     tabular.Reader
	cfg   orders.Config
	dates DateOrder
	col   [nOCols]int // index in the header, -1 when absent
	head  []string

	// One order is kept back until the next record is read, so that an
	// unreadable record can still hold back the order before it.
	pending   *orders.Order
	out       []item
	nextTaint []orders.Problem
	done      bool
}

// OpenOrders opens a Default order export with Order Date order unset.
func OpenOrders(path string, cfg orders.Config) (orders.Reader, error) {
	return OpenOrdersWith(path, cfg, DatesUnset)
}

// OpenOrdersWith opens a Default order export (CSV, or XLSX when staff
// re-saved it), reading Order Date in the given order.
func OpenOrdersWith(path string, cfg orders.Config, dates DateOrder) (orders.Reader, error) {
	opt := cfg.Tabular
	opt.Log = cfg.Logger()
	t, err := tabular.Open(path, opt)
	if err != nil {
		return nil, err
	}
	if cfg.DateOrder != "" {
		flag, err := ParseDateOrder(cfg.DateOrder)
		if err == nil && dates != DatesUnset && dates != flag {
			err = fmt.Errorf("--date-order %s disagrees with the order profile's date_order; give one of them", cfg.DateOrder)
		}
		if err != nil {
			t.Close()
			return nil, err
		}
		dates = flag
	}
	r := &orderReader{t: t, cfg: cfg, dates: dates, head: t.Header()}
	byName := map[string]int{}
	for i, h := range r.head {
		if n := orders.NormalizeHeader(h); n != "" {
			if _, dup := byName[n]; !dup {
				byName[n] = i
			}
		}
	}
	for c := range r.col {
		r.col[c] = -1
		if i, ok := byName[orders.NormalizeHeader(orderHeaders[c])]; ok {
			r.col[c] = i
		}
	}
	var missing []string
	for _, c := range neededOrderColumns {
		if r.col[c] < 0 {
			missing = append(missing, orderHeaders[c])
		}
	}
	if len(missing) > 0 {
		t.Close()
		return nil, fmt.Errorf("%s: a BigCommerce order export needs the column(s) %s", filepath.Base(path), strings.Join(missing, ", "))
	}
	return r, nil
}

func (r *orderReader) Close() error         { return r.t.Close() }
func (r *orderReader) Stats() tabular.Stats { return r.t.Stats() }

func (r *orderReader) cell(row *tabular.Row, c ocol) string {
	i := r.col[c]
	if i < 0 || i >= len(row.Cells) {
		return ""
	}
	return strings.TrimSpace(row.Cells[i])
}

// Next returns the next order, one per row, or an unreadable record.
func (r *orderReader) Next() (*orders.Order, error) {
	for len(r.out) == 0 && !r.done {
		row, err := r.t.Next()
		if errors.Is(err, io.EOF) {
			r.done = true
			r.flush()
			break
		}
		var re *tabular.RowError
		if err != nil && !errors.As(err, &re) {
			return nil, err
		}
		if re == nil && r.cell(&row, oID) == "" {
			re = &tabular.RowError{File: row.File, Line: row.Line, Column: r.head[r.col[oID]], Raw: row.Raw,
				Reason: "the row has no Order ID, so it belongs to no order"}
		}
		if re != nil {
			r.unreadable(re)
			continue
		}
		o := r.order(&row)
		r.flush()
		r.pending = o
	}
	if len(r.out) == 0 {
		return nil, io.EOF
	}
	it := r.out[0]
	r.out = r.out[1:]
	return it.o, it.err
}

func (r *orderReader) flush() {
	if r.pending != nil {
		r.out = append(r.out, item{o: r.pending})
		r.pending = nil
	}
}

// unreadable queues a record that belongs to no order. One row is one
// order here, yet a row cut in two by a stray line break or quote has
// neighbours it may have taken from or given to: the order before it
// and the one after it are held back.
func (r *orderReader) unreadable(re *tabular.RowError) {
	p := orders.Problem{Src: orders.Source{File: re.File, Line: re.Line}, Reason: orders.ReasonNearBadRow,
		Detail: fmt.Sprintf("line %d could not be read (%s) and may belong to this order", re.Line, re.Reason)}
	if r.pending != nil {
		r.pending.Problems = append(r.pending.Problems, p)
	}
	r.flush()
	r.out = append(r.out, item{err: re})
	r.nextTaint = append(r.nextTaint, p)
}

// order builds the order of one row.
func (r *orderReader) order(row *tabular.Row) *orders.Order {
	src := orders.Source{File: row.File, Line: row.Line}
	v := func(c ocol) string { return r.cell(row, c) }
	o := &orders.Order{Src: src, Problems: r.nextTaint, Number: v(oID), WebID: v(oID)}
	r.nextTaint = nil
	o.Email = cmp.Or(v(oEmail), v(oBillEmail))
	o.Phone = cmp.Or(v(oPhone), v(oBillPhone), v(oShipPhone))
	o.FirstName, o.LastName = v(oBillFirst), v(oBillLast)
	o.Currency, o.PaymentMethod = v(oCurrency), v(oPayment)
	o.Bill = orders.Address{Name: joinName(v(oBillFirst), v(oBillLast)), Company: v(oBillCompany), Address1: v(oBillStreet1),
		Address2: v(oBillStreet2), City: v(oBillSuburb), State: v(oBillState), PostalCode: unquote(v(oBillZip))}
	o.Ship = orders.Address{Name: joinName(v(oShipFirst), v(oShipLast)), Company: v(oShipCompany), Address1: v(oShipStreet1),
		Address2: v(oShipStreet2), City: v(oShipSuburb), State: v(oShipState), PostalCode: unquote(v(oShipZip))}
	if o.Bill.Name == "" {
		o.Bill.Name = v(oCustomer)
	}
	o.Bill.Country = r.country(o, src, oBillCountry, v(oBillCountry))
	o.Ship.Country = r.country(o, src, oShipCountry, v(oShipCountry))
	o.Bill.State, o.Ship.State = regionCode(o.Bill.Country, o.Bill.State), regionCode(o.Ship.Country, o.Ship.State)

	amount := func(c ocol) decimal.Decimal {
		s := v(c)
		if s == "" {
			return decimal.Zero
		}
		d, err := money.Parse(s, r.cfg.Locale)
		if err != nil {
			o.Hold(src, orders.ReasonBadAmount, r.head[r.col[c]], s, err.Error())
		}
		return d
	}
	// AIM has one shipping amount; BigCommerce's handling fee is part of
	// what the customer paid to have the order shipped.
	o.Shipping = amount(oShipping).Add(amount(oHandling))
	o.Tax, o.Total = amount(oTax), amount(oTotal)
	refund := amount(oRefund)
	subEx, subInc := amount(oSubtotalEx), amount(oSubtotalInc)
	if c := v(oCoupon); c != "" {
		o.Warn("Coupon Details %q: the Default export has no discount amount, so AIM gets no discount for this order", c)
	}

	if d, reason := parseOrderDate(v(oDate), r.dates); reason != "" {
		o.Hold(src, orders.ReasonBadDate, r.head[r.col[oDate]], v(oDate), reason)
	} else {
		o.Date = d
	}
	r.state(o, src, v(oStatus), refund)
	if r.lines(o, src, v(oDetails)) && len(o.Lines) > 0 {
		r.checkCounts(o, src, v(oTotalQty), subEx, subInc)
	}
	return o
}

// lines unpacks Product Details; it reports whether every product and
// quantity could be read. Every line shares the row's source line.
func (r *orderReader) lines(o *orders.Order, src orders.Source, cell string) bool {
	col := r.head[r.col[oDetails]]
	ps, errs := parseProductDetails(cell)
	for _, e := range errs {
		o.Hold(src, orders.ReasonBadValue, col, e.Text, fmt.Sprintf("product %d of Product Details cannot be read: %s; enter the order by hand", e.Product, e.Reason))
	}
	ok := len(errs) == 0
	o.Lines = make([]orders.Line, 0, len(ps))
	for i, p := range ps {
		f := &p.Fields
		l := orders.Line{Src: src, WebSKU: unquote(f[pdSKU]), Description: f[pdName]}
		at := func(k int) string { return fmt.Sprintf("product %d %s", i+1, pdLabels[k]) }
		n, err := strconv.Atoi(f[pdQty])
		if err != nil {
			o.HoldLine(&l, orders.ReasonBadQuantity, col, f[pdQty], at(pdQty)+" is not a whole number")
			ok = false
		}
		l.Qty = n
		price, priceErr := money.Parse(f[pdUnitPrice], r.cfg.Locale)
		if priceErr != nil {
			o.HoldLine(&l, orders.ReasonBadAmount, col, f[pdUnitPrice], at(pdUnitPrice)+": "+priceErr.Error())
		}
		l.UnitPrice = price
		total, err := money.Parse(f[pdTotalPrice], r.cfg.Locale)
		switch {
		case err != nil:
			o.HoldLine(&l, orders.ReasonBadAmount, col, f[pdTotalPrice], at(pdTotalPrice)+": "+err.Error())
		case priceErr == nil && l.Qty > 0 && !price.Mul(decimal.NewFromInt(int64(l.Qty))).Equal(total):
			o.HoldLine(&l, orders.ReasonBadAmount, col, f[pdTotalPrice],
				fmt.Sprintf("product %d: Product Qty %d × Product Unit Price %s = %s, but Product Total Price is %s",
					i+1, l.Qty, f[pdUnitPrice], money.Format(price.Mul(decimal.NewFromInt(int64(l.Qty)))), f[pdTotalPrice]))
		}
		o.Lines = append(o.Lines, l)
	}
	return ok
}

// checkCounts compares the products read with the export's own counts.
// Fewer units than Total Quantity means a product was lost (a cell cut
// short by a spreadsheet): the order is held. Whether Product Unit Price
// includes tax is not documented, so either subtotal may match the
// lines; a mismatch there is only reported, as the per-line checks
// already catch a product read wrongly.
func (r *orderReader) checkCounts(o *orders.Order, src orders.Source, totalQty string, subEx, subInc decimal.Decimal) {
	units := 0
	sum := decimal.Zero
	for _, l := range o.Lines {
		units += l.Qty
		sum = sum.Add(l.UnitPrice.Mul(decimal.NewFromInt(int64(l.Qty))))
	}
	if totalQty != "" {
		// A count, though a 4-decimal "3.0000" like the amounts would be no surprise.
		if n, err := decimal.NewFromString(totalQty); err != nil {
			o.Warn("Total Quantity %q is not a number; the units of Product Details could not be checked against it", totalQty)
		} else if !n.Equal(decimal.NewFromInt(int64(units))) {
			o.Hold(src, orders.ReasonBadValue, r.head[r.col[oTotalQty]], totalQty,
				fmt.Sprintf("Product Details lists %d units but Total Quantity is %s: the cell may have been cut short (a spreadsheet keeps at most 32,767 characters in a cell)", units, totalQty))
		}
	}
	if (r.col[oSubtotalEx] >= 0 || r.col[oSubtotalInc] >= 0) && !sum.Equal(subEx) && !sum.Equal(subInc) {
		o.Warn("the products add up to %s, but Subtotal (ex tax) is %s and Subtotal (inc tax) %s", money.Format(sum), money.Format(subEx), money.Format(subInc))
	}
}

// country converts a country name to ISO alpha-2; an empty one stays
// empty, an unknown one holds the order.
func (r *orderReader) country(o *orders.Order, src orders.Source, c ocol, name string) string {
	if name == "" {
		return ""
	}
	code, ok := countryCode(name)
	if !ok {
		o.Hold(src, orders.ReasonBadValue, r.head[r.col[c]], name,
			"aimbridge does not know the ISO code of this country name; enter the order by hand (and report the name so it can be added)")
	}
	return code
}

// orderStates are the order statuses BigCommerce ships with, by their
// lower-case label (formats/bigcommerce.md has none; these are the labels
// of the V2 order_statuses list):
//
//   - Awaiting Payment/Fulfillment/Shipment/Pickup, Partially Shipped,
//     Shipped, Completed, Manual Verification Required (on hold for a
//     check) and Disputed (a chargeback, the goods already went): open.
//   - Pending and Incomplete: the checkout was never completed, so no
//     payment was taken; writing the order would sell a serial that is
//     still for sale, skipping it would lose a sale that completes later.
//     Held, so the serial stays blocked until someone looks.
//   - Cancelled, Declined (the payment was refused): cancelled.
//   - Refunded, Partially Refunded: see state.
//
// Stores may rename statuses in the control panel; a label not here is
// held rather than taken for an open order.
var orderStates = map[string]struct {
	state orders.State
	note  string
	held  bool
}{
	"awaiting payment": {}, "awaiting fulfillment": {}, "awaiting shipment": {}, "awaiting pickup": {},
	"partially shipped": {}, "shipped": {}, "completed": {}, "manual verification required": {}, "disputed": {},
	"pending":            {held: true},
	"incomplete":         {held: true},
	"cancelled":          {state: orders.Cancelled},
	"canceled":           {state: orders.Cancelled},
	"declined":           {state: orders.Cancelled, note: "the payment was declined; no sale took place"},
	"refunded":           {state: orders.Refunded},
	"partially refunded": {state: orders.PartiallyRefunded},
}

// state reads what became of the order. The Default export has no
// per-line refunds. BigCommerce has set Refunded for partial refunds too
// (its help once said there was no Partially Refunded status), so a
// Refund Amount below the order total makes a Refunded order a partial
// refund: skipping it would lose the units that were kept.
func (r *orderReader) state(o *orders.Order, src orders.Source, status string, refund decimal.Decimal) {
	col := r.head[r.col[oStatus]]
	st, ok := orderStates[strings.ToLower(strings.Join(strings.Fields(status), " "))]
	switch {
	case status == "":
		o.Hold(src, orders.ReasonNotSettled, col, status, "the order has no Order Status, so aimbridge cannot tell whether it is a sale")
		return
	case !ok:
		o.Hold(src, orders.ReasonNotSettled, col, status,
			"not a BigCommerce order status aimbridge knows (a renamed status cannot be told from a cancelled one); enter the order by hand")
		return
	case st.held:
		o.Hold(src, orders.ReasonNotSettled, col, status,
			"the checkout was not completed (Order Status "+status+"), so BigCommerce has taken no payment; export the order again once it is Awaiting Fulfillment or later, or enter it by hand")
		return
	}
	detail := "Order Status " + status
	if st.note != "" {
		detail += " (" + st.note + ")"
	}
	switch {
	case st.state == orders.Refunded && refund.IsPositive() && refund.LessThan(o.Total):
		o.State, o.StateDetail = orders.PartiallyRefunded, fmt.Sprintf("%s, but Refund Amount %s is less than Order Total %s", detail, money.Format(refund), money.Format(o.Total))
	case st.state == orders.PartiallyRefunded && refund.IsPositive():
		o.State, o.StateDetail = st.state, detail+", Refund Amount "+money.Format(refund)
	case st.state != orders.Open:
		o.State, o.StateDetail = st.state, detail
	case refund.IsPositive():
		o.State, o.StateDetail = orders.PartiallyRefunded, fmt.Sprintf("Refund Amount %s with Order Status %q", money.Format(refund), status)
	}
}

// unquote drops the one apostrophe a spreadsheet may leave before zips,
// phones and SKUs to keep leading zeros.
func unquote(s string) string { return strings.TrimPrefix(s, "'") }

func joinName(first, last string) string { return strings.TrimSpace(first + " " + last) }
