package bigcommerce

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
	"strings"
	"time"

	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/shopspring/decimal"
)

// V2JSONFormat is a saved response of the V2 orders API
// (formats/bigcommerce.md §7): GET /v2/orders (a list) or
// /v2/orders/{id} (one order). A plain response only links to each
// order's products; the lines are in it when it was requested with
// include=consignments.line_items, or when the saving tool put each
// order's GET /v2/orders/{id}/products response into its "products".
var V2JSONFormat = orders.Format{
	Platform:  "bigcommerce",
	Name:      "bigcommerce-v2-json",
	Title:     "BigCommerce V2 orders API response (JSON, saved with include=consignments.line_items)",
	Signature: orders.Signature{Describe: `JSON with orders that have "status_id" and "billing_address"`, Match: isV2JSON},
	Open:      OpenV2Orders,
}

// isV2JSON looks for keys every V2 order has. Magento orders also have a
// billing_address, but never a status_id; increment_id rules them out for
// good.
func isV2JSON(h orders.Head) bool {
	return h.JSON && bytes.Contains(h.Bytes, []byte(`"status_id"`)) && bytes.Contains(h.Bytes, []byte(`"billing_address"`)) &&
		!bytes.Contains(h.Bytes, []byte(`"increment_id"`))
}

// The V2 fields aimbridge reads (orders.v2.oas2.yml order_Resp).
type v2Order struct {
	ID              orders.Text     `json:"id"`
	DateCreated     orders.Text     `json:"date_created"`
	StatusID        orders.Text     `json:"status_id"`
	Status          orders.Text     `json:"status"`
	IsDeleted       orders.Text     `json:"is_deleted"`
	ShippingEx      orders.Text     `json:"shipping_cost_ex_tax"`
	HandlingEx      orders.Text     `json:"handling_cost_ex_tax"`
	TotalTax        orders.Text     `json:"total_tax"`
	TotalEx         orders.Text     `json:"total_ex_tax"`
	TotalInc        orders.Text     `json:"total_inc_tax"`
	Discount        orders.Text     `json:"discount_amount"`
	Coupon          orders.Text     `json:"coupon_discount"`
	Payment         orders.Text     `json:"payment_method"`
	Currency        orders.Text     `json:"currency_code"`
	DefaultCurrency orders.Text     `json:"default_currency_code"`
	Billing         v2Address       `json:"billing_address"`
	Products        json.RawMessage `json:"products"`
	ShippingAddrs   json.RawMessage `json:"shipping_addresses"`
	Consignments    json.RawMessage `json:"consignments"`
}

type v2Address struct {
	FirstName   orders.Text `json:"first_name"`
	LastName    orders.Text `json:"last_name"`
	Company     orders.Text `json:"company"`
	Street1     orders.Text `json:"street_1"`
	Street2     orders.Text `json:"street_2"`
	City        orders.Text `json:"city"`
	State       orders.Text `json:"state"`
	Zip         orders.Text `json:"zip"`
	Country     orders.Text `json:"country"`
	CountryISO2 orders.Text `json:"country_iso2"`
	Phone       orders.Text `json:"phone"`
	Email       orders.Text `json:"email"`
}

// v2Product is an order product (orderProducts), or, when the response
// was saved without its lines, a {url, resource} link to one.
type v2Product struct {
	ID          orders.Text `json:"id"`
	Name        orders.Text `json:"name"`
	SKU         orders.Text `json:"sku"`
	PriceEx     orders.Text `json:"price_ex_tax"`
	Quantity    orders.Text `json:"quantity"`
	QtyRefunded orders.Text `json:"quantity_refunded"`
	Parent      orders.Text `json:"parent_order_product_id"`
	Bundled     orders.Text `json:"is_bundled_product"`
	Resource    orders.Text `json:"resource"`
}

// v2Consignments is one consignment object of include=consignments: the
// lines sit under the way each part of the order is fulfilled.
type v2Consignments struct {
	Shipping  []v2Consignment `json:"shipping"`
	Pickups   []v2Consignment `json:"pickups"`
	Downloads []v2Consignment `json:"downloads"`
	Email     struct {
		GiftCertificates []v2Consignment `json:"gift_certificates"`
	} `json:"email"`
}

type v2Consignment struct {
	v2Address
	LineItems json.RawMessage `json:"line_items"`
}

// v2Statuses are the V2 status_id values (order_statuses) and what they
// mean for AIM; see orderStates for why each is where it is.
var v2Statuses = map[string]string{
	"0": "incomplete", "1": "pending", "2": "shipped", "3": "partially shipped", "4": "refunded", "5": "cancelled",
	"6": "declined", "7": "awaiting payment", "8": "awaiting pickup", "9": "awaiting shipment", "10": "completed",
	"11": "awaiting fulfillment", "12": "manual verification required", "13": "disputed", "14": "partially refunded",
}

type v2Reader struct {
	f    *os.File
	dec  *json.Decoder
	cfg  orders.Config
	file string
	list bool // the file is an array of orders
	done bool
}

// OpenV2Orders opens a saved V2 orders response: an array of orders or
// one order object. The file is streamed: memory holds one order.
func OpenV2Orders(path string, cfg orders.Config) (orders.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(f)
	first, err := firstByte(br)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	r := &v2Reader{f: f, dec: dec, cfg: cfg, file: filepath.Base(path), list: first == '['}
	if r.list {
		if _, err := dec.Token(); err != nil {
			f.Close()
			return nil, r.fail("%v", err)
		}
	}
	if cfg.Location == nil {
		cfg.Logger().Warn("the V2 API writes date_created in UTC; without --timezone the AIM order date is the UTC calendar date", "file", r.file)
	}
	return r, nil
}

// firstByte peeks past a BOM and white space at the first byte of the JSON.
func firstByte(br *bufio.Reader) (byte, error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, fmt.Errorf("no JSON: %w", err)
		}
		if !strings.ContainsRune(" \t\r\n", rune(b)) {
			if b != '[' && b != '{' {
				return 0, fmt.Errorf("expected a JSON array or object of orders, found %q", b)
			}
			return b, br.UnreadByte()
		}
	}
}

func (r *v2Reader) Close() error { return r.f.Close() }

func (r *v2Reader) fail(format string, a ...any) error {
	return fmt.Errorf("%s (byte %d): %s", r.file, r.dec.InputOffset(), fmt.Sprintf(format, a...))
}

// Next returns the next order in file order.
func (r *v2Reader) Next() (*orders.Order, error) {
	if r.done {
		return nil, io.EOF
	}
	if r.list && !r.dec.More() {
		r.done = true
		if _, err := r.dec.Token(); err != nil {
			return nil, r.fail("%v", err)
		}
		return nil, io.EOF
	}
	var v v2Order
	if err := r.dec.Decode(&v); err != nil {
		return nil, r.fail("not a V2 order: %v", err)
	}
	if !r.list {
		r.done = true
	}
	return r.order(&v), nil
}

func (r *v2Reader) order(v *v2Order) *orders.Order {
	src := orders.Source{File: r.file}
	o := &orders.Order{Src: src, Number: v.ID.String(), WebID: v.ID.String(), PaymentMethod: v.Payment.String()}
	o.Currency = cmp.Or(v.DefaultCurrency.String(), v.Currency.String())
	if d, c := v.DefaultCurrency.String(), v.Currency.String(); d != "" && c != "" && d != c {
		o.Warn("the shopper saw prices in %s (currency_code) but paid in %s (default_currency_code); the amounts are taken as %s", c, d, d)
	}
	b := &v.Billing
	o.Email, o.Phone = b.Email.String(), b.Phone.String()
	o.FirstName, o.LastName = b.FirstName.String(), b.LastName.String()
	o.Bill = r.address(o, src, b, "billing_address")

	amount := func(field string, t orders.Text) decimal.Decimal {
		s := t.String()
		if s == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(s)
		if err != nil {
			o.Hold(src, orders.ReasonBadAmount, field, s, "not an exact amount")
		}
		return d
	}
	o.Shipping = amount("shipping_cost_ex_tax", v.ShippingEx).Add(amount("handling_cost_ex_tax", v.HandlingEx))
	o.Total = amount("total_inc_tax", v.TotalInc)
	if v.TotalTax.String() != "" {
		o.Tax = amount("total_tax", v.TotalTax)
	} else {
		o.Tax = o.Total.Sub(amount("total_ex_tax", v.TotalEx))
	}
	// discount_amount is the manual discount, coupon_discount the coupons' [unverified: that they never overlap].
	o.Discount = amount("discount_amount", v.Discount).Add(amount("coupon_discount", v.Coupon))

	if s := v.DateCreated.String(); s == "" {
		o.Hold(src, orders.ReasonBadDate, "date_created", s, "the order has no date_created")
	} else if t, err := time.Parse(time.RFC1123Z, s); err != nil {
		o.Hold(src, orders.ReasonBadDate, "date_created", s, "expected an RFC 2822 time like Wed, 10 Jan 2018 21:05:30 +0000")
	} else {
		o.Placed, o.Date = t, r.cfg.StoreDate(t)
	}
	r.state(o, v)
	r.lines(o, v)
	return o
}

// state reads status_id, which a store's renamed status labels do not
// change; status is only shown to people.
func (r *v2Reader) state(o *orders.Order, v *v2Order) {
	if v.IsDeleted.String() == "true" {
		o.Hold(o.Src, orders.ReasonUnsupported, "is_deleted", "true", "the order is archived in BigCommerce; restore it or enter it by hand")
		return
	}
	id := v.StatusID.String()
	label, ok := v2Statuses[id]
	if !ok {
		o.Hold(o.Src, orders.ReasonBadValue, "status_id", id, "not a BigCommerce order status id (0–14)")
		return
	}
	st := orderStates[label]
	detail := fmt.Sprintf("status %s (status_id %s)", cmp.Or(v.Status.String(), label), id)
	if st.note != "" {
		detail += " (" + st.note + ")"
	}
	switch {
	case st.held:
		o.Hold(o.Src, orders.ReasonNotSettled, "status_id", id,
			"the checkout was not completed ("+detail+"), so BigCommerce has taken no payment; save the order again once it is Awaiting Fulfillment or later, or enter it by hand")
	case st.state != orders.Open:
		o.State, o.StateDetail = st.state, detail
	}
}

// lines gathers the order products: from "products" when the saving tool
// put them there, else from the consignments.
func (r *v2Reader) lines(o *orders.Order, v *v2Order) {
	var ps []v2Product
	linked := false
	var ship *v2Address
	addrs := 0
	switch {
	case isArray(v.Products):
		if err := json.Unmarshal(v.Products, &ps); err != nil {
			o.Hold(o.Src, orders.ReasonBadValue, "products", "", "cannot be read: "+err.Error())
		}
		var sa []v2Address
		if isArray(v.ShippingAddrs) && json.Unmarshal(v.ShippingAddrs, &sa) == nil && len(sa) > 0 {
			ship, addrs = &sa[0], len(sa)
		}
	case len(v.Consignments) > 0 && !isLink(v.Consignments):
		var cs []v2Consignments
		if isArray(v.Consignments) {
			if err := json.Unmarshal(v.Consignments, &cs); err != nil {
				o.Hold(o.Src, orders.ReasonBadValue, "consignments", "", "cannot be read: "+err.Error())
			}
		} else {
			var c v2Consignments
			if err := json.Unmarshal(v.Consignments, &c); err != nil {
				o.Hold(o.Src, orders.ReasonBadValue, "consignments", "", "cannot be read: "+err.Error())
			}
			cs = append(cs, c)
		}
		for _, c := range cs {
			for _, group := range [][]v2Consignment{c.Shipping, c.Pickups, c.Downloads, c.Email.GiftCertificates} {
				for i := range group {
					var items []v2Product
					if err := json.Unmarshal(group[i].LineItems, &items); err != nil && len(group[i].LineItems) > 0 {
						o.Hold(o.Src, orders.ReasonBadValue, "consignments", "", "line_items cannot be read: "+err.Error())
					}
					ps = append(ps, items...)
				}
			}
			for i := range c.Shipping {
				if ship == nil {
					ship = &c.Shipping[i].v2Address
				}
				addrs++
			}
		}
	default:
		linked = true
	}
	if ship != nil {
		o.Ship = r.address(o, o.Src, ship, "shipping_addresses")
	}
	if addrs > 1 {
		o.Warn("the order ships to %d addresses; AIM gets the first", addrs)
	}
	for _, p := range ps {
		if p.ID.String() == "" && p.Resource.String() != "" {
			linked = true
			continue
		}
		if p.Parent.String() != "" && p.Parent.String() != "0" || p.Bundled.String() == "true" {
			o.Hold(o.Src, orders.ReasonUnsupported, "is_bundled_product", p.SKU.String(),
				"the order holds a bundle (a product pick list): its parts come as lines of their own and aimbridge cannot tell which ones AIM sells; enter the order by hand")
			continue
		}
		l := orders.Line{Src: o.Src, WebLineID: p.ID.String(), WebSKU: p.SKU.String(), Description: p.Name.String()}
		if n, err := wholeNumber(p.Quantity.String()); err != nil {
			o.HoldLine(&l, orders.ReasonBadQuantity, "quantity", p.Quantity.String(), "not a whole number")
		} else {
			l.Qty = n
		}
		if s := p.QtyRefunded.String(); s != "" {
			if n, err := wholeNumber(s); err != nil {
				o.HoldLine(&l, orders.ReasonBadQuantity, "quantity_refunded", s, "not a whole number")
			} else {
				l.Refunded = n
			}
		}
		if price, err := decimal.NewFromString(p.PriceEx.String()); err != nil {
			o.HoldLine(&l, orders.ReasonBadAmount, "price_ex_tax", p.PriceEx.String(), "not an exact amount")
		} else {
			l.UnitPrice = price
		}
		o.Lines = append(o.Lines, l)
	}
	r.netRefunds(o)
	if linked {
		o.Hold(o.Src, orders.ReasonUnsupported, "products", "",
			"the saved response only links to the order's products; save the orders with GET /v2/orders?include=consignments.line_items so the lines are in the file")
	}
}

// netRefunds turns a refund the lines account for into net quantities:
// a partially refunded order whose quantity_refunded says which units went
// back stays open, and so does a Refunded one (which BigCommerce has also
// set for partial refunds) when some of its units were kept.
func (r *v2Reader) netRefunds(o *orders.Order) {
	if o.State != orders.PartiallyRefunded && o.State != orders.Refunded {
		return
	}
	some, kept := false, false
	for _, l := range o.Lines {
		some = some || l.Refunded > 0
		kept = kept || l.Refunded < l.Qty
	}
	if some && (kept || o.State == orders.PartiallyRefunded) {
		o.Warn("%s; the units refunded per line (quantity_refunded) are taken off their lines", o.StateDetail)
		o.State, o.StateDetail = orders.Open, ""
	}
}

// address converts an address, taking country_iso2 when the API gave it.
func (r *v2Reader) address(o *orders.Order, src orders.Source, a *v2Address, field string) orders.Address {
	out := orders.Address{Name: joinName(a.FirstName.String(), a.LastName.String()), Company: a.Company.String(),
		Address1: a.Street1.String(), Address2: a.Street2.String(), City: a.City.String(), State: a.State.String(),
		PostalCode: a.Zip.String(), Country: strings.ToUpper(a.CountryISO2.String())}
	if out.Country == "" && a.Country.String() != "" {
		code, ok := countryCode(a.Country.String())
		if !ok {
			o.Hold(src, orders.ReasonBadValue, field+".country", a.Country.String(),
				"aimbridge does not know the ISO code of this country name and the order has no country_iso2; enter the order by hand")
		}
		out.Country = code
	}
	out.State = regionCode(out.Country, out.State)
	return out
}

// wholeNumber reads a count the spec types as a number: 1, or 1.0.
func wholeNumber(s string) (int, error) {
	d, err := decimal.NewFromString(s)
	if err != nil || !d.IsInteger() {
		return 0, errors.New("not a whole number")
	}
	return int(d.IntPart()), nil
}

func isArray(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '['
}

// isLink reports a {url, resource} object in place of a sub-resource.
func isLink(raw json.RawMessage) bool {
	var l struct {
		Resource string `json:"resource"`
	}
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{' && json.Unmarshal(t, &l) == nil && l.Resource != ""
}
