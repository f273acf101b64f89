package shopify

import (
	"cmp"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/tabular"
	"github.com/shopspring/decimal"
)

// OrderFormats are the Shopify order exports aimbridge reads.
var OrderFormats = []orders.Format{{
	Platform:  "shopify",
	Name:      "shopify-csv",
	Title:     "Shopify order export (Orders › Export, CSV or re-saved XLSX)",
	Signature: orders.Columns("Name", "Lineitem sku", "Lineitem quantity"),
	Open:      OpenOrders,
}}

// The order export columns aimbridge reads, by meaning (formats/shopify.md
// §2.1). Order-level values sit on an order's first row; later rows of the
// same order may repeat or omit them.
type ocol int

const (
	oName ocol = iota
	oID
	oEmail
	oPhone
	oFinancial
	oCancelled
	oRefunded
	oCurrency
	oShipping
	oTaxes
	oTotal
	oDiscount
	oCreated
	oPayment
	oBillName
	oBillStreet
	oBillAddr1
	oBillAddr2
	oBillCompany
	oBillCity
	oBillZip
	oBillProvince
	oBillCountry
	oBillPhone
	oShipName
	oShipStreet
	oShipAddr1
	oShipAddr2
	oShipCompany
	oShipCity
	oShipZip
	oShipProvince
	oShipCountry
	oShipPhone
	nOrderLevel // columns before this are order-level
)

// Line-level columns follow the order-level ones.
const (
	lQty = nOrderLevel + iota
	lName
	lPrice
	lSKU
	nOCols
)

// orderHeaders are the header names of each column. Matching ignores case,
// spaces, hyphens and a "(deprecated)" suffix; the alternatives are
// spellings seen in exports of other vintages.
var orderHeaders = [nOCols][]string{
	oName: {"Name"}, oID: {"Id"}, oEmail: {"Email"}, oPhone: {"Phone"},
	oFinancial: {"Financial Status"}, oCancelled: {"Cancelled at", "Canceled at"}, oRefunded: {"Refunded Amount"},
	oCurrency: {"Currency"}, oShipping: {"Shipping"}, oTaxes: {"Taxes"}, oTotal: {"Total"}, oDiscount: {"Discount Amount"},
	oCreated: {"Created at"}, oPayment: {"Payment Method"},
	oBillName: {"Billing Name"}, oBillStreet: {"Billing Street"}, oBillAddr1: {"Billing Address1"}, oBillAddr2: {"Billing Address2"},
	oBillCompany: {"Billing Company"}, oBillCity: {"Billing City"}, oBillZip: {"Billing Zip"}, oBillProvince: {"Billing Province"},
	oBillCountry: {"Billing Country"}, oBillPhone: {"Billing Phone"},
	oShipName: {"Shipping Name"}, oShipStreet: {"Shipping Street"}, oShipAddr1: {"Shipping Address1"}, oShipAddr2: {"Shipping Address2"},
	oShipCompany: {"Shipping Company"}, oShipCity: {"Shipping City"}, oShipZip: {"Shipping Zip"}, oShipProvince: {"Shipping Province"},
	oShipCountry: {"Shipping Country"}, oShipPhone: {"Shipping Phone"},
	lQty: {"Lineitem quantity"}, lName: {"Lineitem name"}, lPrice: {"Lineitem price"}, lSKU: {"Lineitem sku"},
}

// neededOrderColumns must be in the file: without them no AIM line can be made.
var neededOrderColumns = []ocol{oName, lSKU, lQty, lPrice, oCreated}

// createdLayout is how the export writes timestamps: the shop's own offset.
const createdLayout = "2006-01-02 15:04:05 -0700"

type orderReader struct {
	t    tabular.Reader
	cfg  orders.Config
	col  [nOCols]int // index in the header, -1 when absent
	head []string
	g    *orders.Grouper[tabular.Row]
}

// OpenOrders opens a Shopify order export (CSV, or XLSX when staff re-saved it).
func OpenOrders(path string, cfg orders.Config) (orders.Reader, error) {
	opt := cfg.Tabular
	opt.Log = cfg.Logger()
	t, err := tabular.Open(path, opt)
	if err != nil {
		return nil, err
	}
	r := &orderReader{t: t, cfg: cfg, head: t.Header()}
	byName := map[string]int{}
	for i, h := range r.head {
		if n := orders.NormalizeHeader(h); n != "" {
			if _, dup := byName[n]; !dup {
				byName[n] = i
			}
		}
	}
	var missing []string
	for c := range r.col {
		r.col[c] = -1
		for _, name := range orderHeaders[c] {
			if i, ok := byName[orders.NormalizeHeader(name)]; ok {
				r.col[c] = i
				break
			}
		}
	}
	for _, c := range neededOrderColumns {
		if r.col[c] < 0 {
			missing = append(missing, orderHeaders[c][0])
		}
	}
	if len(missing) > 0 {
		t.Close()
		return nil, fmt.Errorf("%s: a Shopify order export needs the column(s) %s", filepath.Base(path), strings.Join(missing, ", "))
	}
	r.g = orders.NewGrouper(r.read, func(row tabular.Row) string { return r.cell(&row, oName) })
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

// Next gathers the consecutive rows that share a Name into one order.
func (r *orderReader) Next() (*orders.Order, error) {
	rows, near, err := r.g.Next()
	if err != nil {
		return nil, err
	}
	return r.order(rows, near), nil
}

// read returns the next row, or a *tabular.RowError for a record that
// belongs to no order.
func (r *orderReader) read() (tabular.Row, error) {
	row, err := r.t.Next()
	if err == nil && r.cell(&row, oName) == "" {
		return row, &tabular.RowError{File: row.File, Line: row.Line, Column: r.head[r.col[oName]], Raw: row.Raw,
			Reason: "the row has no order Name, so it belongs to no order"}
	}
	return row, err
}

// order builds one order from its rows. Order-level values come from the
// first row that has them; rows that disagree are reported, not guessed
// between. near are the problems of unreadable records next to it.
func (r *orderReader) order(rows []tabular.Row, near []orders.Problem) *orders.Order {
	first := rows[0]
	src := orders.Source{File: first.File, Line: first.Line}
	var v [nOrderLevel]string
	var at [nOrderLevel]int
	o := &orders.Order{Src: src, Problems: near}
	for i := range rows {
		for c := ocol(0); c < nOrderLevel; c++ {
			s := r.cell(&rows[i], c)
			switch {
			case s == "":
			case v[c] == "":
				v[c], at[c] = s, rows[i].Line
			case s != v[c]:
				o.Warn("rows disagree on %s: %q (line %d) and %q (line %d); the first is used", r.head[r.col[c]], v[c], at[c], s, rows[i].Line)
			}
		}
	}
	o.Number, o.WebID = v[oName], v[oID]
	o.Email = v[oEmail]
	o.Phone = cmp.Or(v[oPhone], v[oBillPhone], v[oShipPhone])
	o.Currency, o.PaymentMethod = v[oCurrency], v[oPayment]
	o.Bill = orders.Address{Name: v[oBillName], Company: v[oBillCompany], Address1: cmp.Or(v[oBillAddr1], v[oBillStreet]),
		Address2: v[oBillAddr2], City: v[oBillCity], State: v[oBillProvince], PostalCode: unquote(v[oBillZip]), Country: v[oBillCountry]}
	o.Ship = orders.Address{Name: v[oShipName], Company: v[oShipCompany], Address1: cmp.Or(v[oShipAddr1], v[oShipStreet]),
		Address2: v[oShipAddr2], City: v[oShipCity], State: v[oShipProvince], PostalCode: unquote(v[oShipZip]), Country: v[oShipCountry]}

	where := func(c ocol) orders.Source {
		if at[c] == 0 {
			return src
		}
		return orders.Source{File: first.File, Line: at[c]}
	}
	amount := func(c ocol) decimal.Decimal {
		if v[c] == "" {
			return decimal.Zero
		}
		d, err := money.Parse(v[c], r.cfg.Locale)
		if err != nil {
			o.Hold(where(c), orders.ReasonBadAmount, r.head[r.col[c]], v[c], err.Error())
		}
		return d
	}
	o.Shipping, o.Tax, o.Discount, o.Total = amount(oShipping), amount(oTaxes), amount(oDiscount), amount(oTotal)
	refunded := amount(oRefunded)
	r.placed(o, v[oCreated], where(oCreated))
	r.state(o, v[oFinancial], v[oCancelled], refunded)

	o.Lines = make([]orders.Line, 0, len(rows))
	for i := range rows {
		row := &rows[i]
		l := orders.Line{Src: orders.Source{File: row.File, Line: row.Line},
			WebSKU: unquote(r.cell(row, lSKU)), Description: r.cell(row, lName)}
		q := r.cell(row, lQty)
		n, err := strconv.Atoi(q)
		if err != nil {
			o.HoldLine(&l, orders.ReasonBadQuantity, r.head[r.col[lQty]], q, "not a whole number")
		}
		l.Qty = n
		p := r.cell(row, lPrice)
		if p == "" {
			o.HoldLine(&l, orders.ReasonBadAmount, r.head[r.col[lPrice]], p, "the line has no price")
		} else if l.UnitPrice, err = money.Parse(p, r.cfg.Locale); err != nil {
			o.HoldLine(&l, orders.ReasonBadAmount, r.head[r.col[lPrice]], p, err.Error())
		}
		o.Lines = append(o.Lines, l)
	}
	return o
}

// placed reads Created at. The export writes the shop's own offset, so
// the calendar date is taken as written (formats cases O8); a store time
// zone that disagrees is only reported.
func (r *orderReader) placed(o *orders.Order, s string, src orders.Source) {
	if s == "" {
		o.Hold(src, orders.ReasonBadDate, r.head[r.col[oCreated]], s, "the order has no Created at")
		return
	}
	t, err := time.Parse(createdLayout, s)
	if err != nil {
		o.Hold(src, orders.ReasonBadDate, r.head[r.col[oCreated]], s, "expected a Shopify timestamp like 2024-03-10 23:30:00 -0500")
		return
	}
	o.Placed, o.Date = t, t.Format(time.DateOnly)
	if loc := r.cfg.Location; loc != nil {
		_, have := t.Zone()
		_, want := t.In(loc).Zone()
		if have != want {
			o.Warn("Created at %s has a different offset from %s at that moment (%s); the date is taken as the export wrote it",
				s, loc, t.In(loc).Format("-0700"))
		}
	}
}

// state reads what became of the order. Shopify's CSV has no per-line
// refunds: Lineitem quantity is what was ordered.
func (r *orderReader) state(o *orders.Order, financial, cancelled string, refunded decimal.Decimal) {
	fin := strings.ToLower(financial)
	switch {
	case cancelled != "":
		o.State, o.StateDetail = orders.Cancelled, "Cancelled at "+cancelled
	case fin == "voided":
		// The payment was voided before capture; the order will not be paid.
		o.State, o.StateDetail = orders.Cancelled, "Financial Status voided"
	case fin == "refunded":
		o.State, o.StateDetail = orders.Refunded, "Financial Status refunded"
	case fin == "partially_refunded":
		o.State, o.StateDetail = orders.PartiallyRefunded, "Financial Status partially_refunded, Refunded Amount "+money.Format(refunded)
	case refunded.IsPositive():
		o.State, o.StateDetail = orders.PartiallyRefunded, fmt.Sprintf("Refunded Amount %s with Financial Status %q", money.Format(refunded), financial)
	case fin == "paid", fin == "authorized":
	case fin == "pending", fin == "partially_paid", fin == "expired":
		o.Hold(o.Src, orders.ReasonNotSettled, "Financial Status", financial,
			"Financial Status "+financial+": the order is not paid; export it again once it is paid, or enter it by hand")
	default:
		o.Hold(o.Src, orders.ReasonNotSettled, "Financial Status", financial,
			fmt.Sprintf("Financial Status %q is not one aimbridge knows (paid, authorized, …), so it cannot tell whether this is a sale; enter the order by hand", financial))
	}
}

// unquote drops the one apostrophe Shopify puts before zips (and that
// spreadsheets leave on phones and SKUs) so Excel keeps leading zeros.
func unquote(s string) string { return strings.TrimPrefix(s, "'") }
