package woocommerce

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/shopspring/decimal"
)

// The order fields aimbridge reads (formats/woocommerce.md §3).
type restOrder struct {
	ID                 orders.Text  `json:"id"`
	Number             orders.Text  `json:"number"`
	Status             orders.Text  `json:"status"`
	Currency           orders.Text  `json:"currency"`
	DateCreated        orders.Text  `json:"date_created"`
	DateCreatedGMT     orders.Text  `json:"date_created_gmt"`
	DiscountTotal      orders.Text  `json:"discount_total"`
	ShippingTotal      orders.Text  `json:"shipping_total"`
	TotalTax           orders.Text  `json:"total_tax"`
	Total              orders.Text  `json:"total"`
	PaymentMethod      orders.Text  `json:"payment_method"`
	PaymentMethodTitle orders.Text  `json:"payment_method_title"`
	Billing            restAddress  `json:"billing"`
	Shipping           restAddress  `json:"shipping"`
	LineItems          []restLine   `json:"line_items"`
	Refunds            []restRefund `json:"refunds"`
}

type restAddress struct {
	FirstName orders.Text `json:"first_name"`
	LastName  orders.Text `json:"last_name"`
	Company   orders.Text `json:"company"`
	Address1  orders.Text `json:"address_1"`
	Address2  orders.Text `json:"address_2"`
	City      orders.Text `json:"city"`
	State     orders.Text `json:"state"`
	Postcode  orders.Text `json:"postcode"`
	Country   orders.Text `json:"country"`
	Email     orders.Text `json:"email"`
	Phone     orders.Text `json:"phone"`
}

type restLine struct {
	ID       orders.Text `json:"id"`
	Name     orders.Text `json:"name"`
	SKU      orders.Text `json:"sku"`
	Quantity orders.Text `json:"quantity"`
	Price    orders.Text `json:"price"`
	Subtotal orders.Text `json:"subtotal"`
	Total    orders.Text `json:"total"`
}

type restRefund struct {
	Total orders.Text `json:"total"`
}

// The REST API writes times as 2024-03-05T00:42:08, date_created on the
// site's clock and date_created_gmt in UTC, both without an offset.
var restLayouts = []string{"2006-01-02T15:04:05", time.RFC3339}

type restReader struct {
	f      *os.File
	dec    *json.Decoder
	cfg    orders.Config
	file   string
	single bool // the response of GET /orders/{id}: one order, not an array
	n      int
	done   bool
}

// OpenRESTOrders opens a saved REST v3 response: the array GET
// /wp-json/wc/v3/orders returns (pages saved one after another must be
// joined into one array, or given as separate files), or the single order
// of GET /orders/{id}. It streams one order at a time.
func OpenRESTOrders(path string, cfg orders.Config) (orders.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := &restReader{f: f, cfg: cfg, file: filepath.Base(path)}
	br := bufio.NewReaderSize(f, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: no JSON in the file", r.file)
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' {
			br.Discard(1)
			continue
		}
		r.single = b[0] == '{'
		break
	}
	r.dec = json.NewDecoder(br)
	r.dec.UseNumber()
	if !r.single {
		if tok, err := r.dec.Token(); err != nil || tok != json.Delim('[') {
			f.Close()
			return nil, fmt.Errorf("%s: expected a JSON array of orders", r.file)
		}
	}
	return r, nil
}

func (r *restReader) Close() error { return r.f.Close() }

func (r *restReader) Next() (*orders.Order, error) {
	if r.done {
		return nil, io.EOF
	}
	if r.single && r.n == 1 || !r.single && !r.dec.More() {
		r.done = true
		if !r.single {
			if _, err := r.dec.Token(); err != nil {
				return nil, fmt.Errorf("%s: after order %d: %w", r.file, r.n, err)
			}
		}
		if _, err := r.dec.Token(); !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: more JSON after the orders; save one response per file", r.file)
		}
		return nil, io.EOF
	}
	r.n++
	var ro restOrder
	err := r.dec.Decode(&ro)
	var te *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &te) {
		return nil, fmt.Errorf("%s: order %d: %w", r.file, r.n, err)
	}
	// An object without an order's own keys is a wrapper ({"orders": […]})
	// or something else: reading it as one nameless order would lose the
	// orders inside.
	if te == nil && ro.ID == "" && ro.Number == "" {
		return nil, fmt.Errorf("%s: JSON value %d has no id or number, so it is not a WooCommerce order; save the API response as it came (a JSON array of orders, or one order)", r.file, r.n)
	}
	o := r.order(&ro)
	if te != nil {
		o.Hold(o.Src, orders.ReasonBadValue, te.Field, te.Value, fmt.Sprintf("%s is a JSON %s where WooCommerce writes a %s", te.Field, te.Value, te.Type))
	}
	return o, nil
}

func (r *restReader) order(ro *restOrder) *orders.Order {
	src := orders.Source{File: r.file}
	o := &orders.Order{Src: src, Number: ro.Number.String(), WebID: ro.ID.String()}
	b := &ro.Billing
	o.Email, o.Phone = b.Email.String(), b.Phone.String()
	o.FirstName, o.LastName = b.FirstName.String(), b.LastName.String()
	o.Bill, o.Ship = ro.Billing.address(), ro.Shipping.address()
	o.Currency = ro.Currency.String()
	o.PaymentMethod = cmp.Or(ro.PaymentMethodTitle.String(), ro.PaymentMethod.String())

	amount := func(field string, t orders.Text) decimal.Decimal {
		if t.String() == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(t.String())
		if err != nil {
			o.Hold(src, orders.ReasonBadAmount, field, t.String(), "not a decimal amount")
		}
		return d
	}
	o.Shipping, o.Tax = amount("shipping_total", ro.ShippingTotal), amount("total_tax", ro.TotalTax)
	o.Discount, o.Total = amount("discount_total", ro.DiscountTotal), amount("total", ro.Total)
	r.dates(o, ro)
	status(o, ro.Status.String(), src, "status")

	o.Lines = make([]orders.Line, 0, len(ro.LineItems))
	for i := range ro.LineItems {
		li := &ro.LineItems[i]
		l := orders.Line{Src: src, WebLineID: li.ID.String(), WebSKU: li.SKU.String(), Description: li.Name.String()}
		field := func(name string) string { return fmt.Sprintf("line_items[%d].%s", i, name) }
		q, err := wholeNumber(li.Quantity.String())
		if err != nil {
			o.HoldLine(&l, orders.ReasonBadQuantity, field("quantity"), li.Quantity.String(), err.Error())
		}
		l.Qty = q
		// subtotal is the line before coupons, exact; price is a number
		// after them, the fallback.
		switch {
		case li.Subtotal.String() != "":
			d, err := decimal.NewFromString(li.Subtotal.String())
			if err != nil {
				o.HoldLine(&l, orders.ReasonBadAmount, field("subtotal"), li.Subtotal.String(), "not a decimal amount")
			}
			l.UnitPrice = unitOf(d, l.Qty)
		case li.Price.String() != "":
			d, err := decimal.NewFromString(li.Price.String())
			if err != nil {
				o.HoldLine(&l, orders.ReasonBadAmount, field("price"), li.Price.String(), "not a decimal amount")
			}
			l.UnitPrice = d
		default:
			o.HoldLine(&l, orders.ReasonBadAmount, field("price"), "", "the line has neither subtotal nor price")
		}
		o.Lines = append(o.Lines, l)
	}
	// Refunds carry amounts only, not which line: a refund that is not
	// the whole order (status refunded) leaves the order partly refunded.
	refunded := decimal.Zero
	for i, rf := range ro.Refunds {
		refunded = refunded.Add(amount(fmt.Sprintf("refunds[%d].total", i), rf.Total).Abs())
	}
	refunds(o, refunded, "refunds total")
	return o
}

// dates reads date_created_gmt as UTC: the moment, with the store's date
// from --timezone. Without --timezone the store's date is the one
// date_created shows on the site's own clock.
func (r *restReader) dates(o *orders.Order, ro *restOrder) {
	gmt, local := ro.DateCreatedGMT.String(), ro.DateCreated.String()
	var localDate string
	if local != "" {
		var ok bool
		if localDate, _, ok = localTime(local, restLayouts[:1], nil); !ok {
			localDate = ""
		}
	}
	if gmt == "" {
		if local == "" {
			o.Hold(o.Src, orders.ReasonBadDate, "date_created_gmt", "", "the order has no date_created_gmt or date_created")
			return
		}
		date, placed, ok := localTime(local, restLayouts[:1], r.cfg.Location)
		if !ok {
			o.Hold(o.Src, orders.ReasonBadDate, "date_created", local, "expected a time like 2024-03-04T10:15:32")
			return
		}
		o.Date, o.Placed = date, placed
		return
	}
	var t time.Time
	var err error
	for _, l := range restLayouts {
		if t, err = time.ParseInLocation(l, gmt, time.UTC); err == nil {
			break
		}
	}
	if err != nil {
		o.Hold(o.Src, orders.ReasonBadDate, "date_created_gmt", gmt, "expected a UTC time like 2024-03-04T15:15:32")
		return
	}
	o.Placed = t.UTC()
	switch {
	case r.cfg.Location != nil:
		o.Date = r.cfg.StoreDate(o.Placed)
		if localDate != "" && localDate != o.Date {
			o.Warn("date_created %s (the site's clock) is on another day than date_created_gmt %s in %s; the date is taken in %s",
				local, gmt, r.cfg.Location, r.cfg.Location)
		}
	case localDate != "":
		o.Date = localDate
	default:
		o.Date = r.cfg.StoreDate(o.Placed)
		o.Warn("no --timezone and no date_created: the order date is the UTC date of date_created_gmt %s", gmt)
	}
}

func (a *restAddress) address() orders.Address {
	return orders.Address{Name: joinName(a.FirstName.String(), a.LastName.String()), Company: a.Company.String(),
		Address1: a.Address1.String(), Address2: a.Address2.String(), City: a.City.String(), State: a.State.String(),
		PostalCode: a.Postcode.String(), Country: a.Country.String()}
}
