package magento

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/sku"
	"github.com/shopspring/decimal"
)

// mOrder is the part of a sales order (formats/magento.md §5.2) aimbridge
// reads. extension_attributes.shipping_assignments[].items repeats the
// items and is left out.
type mOrder struct {
	EntityID          orders.Text `json:"entity_id"`
	IncrementID       orders.Text `json:"increment_id"`
	CreatedAt         orders.Text `json:"created_at"`
	State             orders.Text `json:"state"`
	Status            orders.Text `json:"status"`
	CustomerEmail     orders.Text `json:"customer_email"`
	CustomerFirstname orders.Text `json:"customer_firstname"`
	CustomerLastname  orders.Text `json:"customer_lastname"`
	OrderCurrency     orders.Text `json:"order_currency_code"`
	BaseCurrency      orders.Text `json:"base_currency_code"`
	ShippingAmount    orders.Text `json:"shipping_amount"`
	TaxAmount         orders.Text `json:"tax_amount"`
	DiscountAmount    orders.Text `json:"discount_amount"`
	GrandTotal        orders.Text `json:"grand_total"`
	TotalRefunded     orders.Text `json:"total_refunded"`
	Items             []mItem     `json:"items"`
	BillingAddress    mAddress    `json:"billing_address"`
	Payment           struct {
		Method orders.Text `json:"method"`
	} `json:"payment"`
	ExtensionAttributes struct {
		ShippingAssignments []struct {
			Shipping struct {
				Address *mAddress `json:"address"`
			} `json:"shipping"`
		} `json:"shipping_assignments"`
	} `json:"extension_attributes"`
}

type mItem struct {
	ItemID       orders.Text `json:"item_id"`
	ParentItemID orders.Text `json:"parent_item_id"`
	ProductType  orders.Text `json:"product_type"`
	SKU          orders.Text `json:"sku"`
	Name         orders.Text `json:"name"`
	QtyOrdered   orders.Text `json:"qty_ordered"`
	QtyRefunded  orders.Text `json:"qty_refunded"`
	QtyCanceled  orders.Text `json:"qty_canceled"`
	Price        orders.Text `json:"price"`
}

type mAddress struct {
	Firstname  orders.Text   `json:"firstname"`
	Middlename orders.Text   `json:"middlename"`
	Lastname   orders.Text   `json:"lastname"`
	Company    orders.Text   `json:"company"`
	Street     []orders.Text `json:"street"`
	City       orders.Text   `json:"city"`
	Region     orders.Text   `json:"region"`
	RegionCode orders.Text   `json:"region_code"`
	Postcode   orders.Text   `json:"postcode"`
	CountryID  orders.Text   `json:"country_id"`
	Telephone  orders.Text   `json:"telephone"`
	Email      orders.Text   `json:"email"`
}

func (a *mAddress) name() string {
	return strings.Join(strings.Fields(a.Firstname.String()+" "+a.Middlename.String()+" "+a.Lastname.String()), " ")
}

// address copies an address; country_id is already ISO 3166 alpha-2.
func (a *mAddress) address() orders.Address {
	var street []string
	for _, s := range a.Street {
		if s.String() != "" {
			street = append(street, s.String())
		}
	}
	out := orders.Address{Name: a.name(), Company: a.Company.String(), City: a.City.String(),
		State: cmp.Or(a.RegionCode.String(), a.Region.String()), PostalCode: a.Postcode.String(), Country: a.CountryID.String()}
	if len(street) > 0 {
		out.Address1, out.Address2 = street[0], strings.Join(street[1:], ", ")
	}
	return out
}

// createdLayout is created_at as the REST API writes it: UTC without an
// offset (formats/magento.md §5.3 [unverified]).
const createdLayout = time.DateTime

// Product types: a configurable's parent item carries the child's SKU and
// the price; the others listed sell their own SKU on one item. Grouped
// products are ordered as their members' own items [unverified].
var singleTypes = map[string]bool{"simple": true, "virtual": true, "downloadable": true, "grouped": true, "": true}

// toOrder turns a decoded order into the canonical one. decodeErr is a value
// of the wrong kind met while decoding: the order is held.
func toOrder(m *mOrder, decodeErr error, src orders.Source, cfg orders.Config) *orders.Order {
	o := &orders.Order{Src: src, Number: m.IncrementID.String(), WebID: m.EntityID.String()}
	if decodeErr != nil {
		var te *json.UnmarshalTypeError
		col, val := "", ""
		if errors.As(decodeErr, &te) {
			col, val = te.Field, te.Value
		}
		o.Hold(src, orders.ReasonBadValue, col, val, "the order cannot be read whole (what follows this value is missing): "+decodeErr.Error())
	}
	bill := &m.BillingAddress
	o.Email = cmp.Or(m.CustomerEmail.String(), bill.Email.String())
	o.FirstName, o.LastName = m.CustomerFirstname.String(), m.CustomerLastname.String()
	if o.FirstName == "" && o.LastName == "" { // guest orders
		o.FirstName, o.LastName = strings.TrimSpace(bill.Firstname.String()+" "+bill.Middlename.String()), bill.Lastname.String()
	}
	o.Bill = bill.address()
	o.Currency = cmp.Or(m.OrderCurrency.String(), m.BaseCurrency.String())
	o.PaymentMethod = m.Payment.Method.String()
	phone := bill.Telephone.String()
	for i, sa := range m.ExtensionAttributes.ShippingAssignments {
		a := sa.Shipping.Address
		if a == nil {
			continue
		}
		if i == 0 {
			o.Ship = a.address()
			phone = cmp.Or(phone, a.Telephone.String())
		} else if a.address() != o.Ship {
			o.Warn("the order ships to %d addresses (multi-address checkout); the first is used", len(m.ExtensionAttributes.ShippingAssignments))
			break
		}
	}
	o.Phone = phone

	amount := func(field string, s orders.Text) decimal.Decimal {
		if s.String() == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(s.String())
		if err != nil {
			o.Hold(src, orders.ReasonBadAmount, field, s.String(), "not a decimal number")
		}
		return d
	}
	o.Shipping = amount("shipping_amount", m.ShippingAmount)
	o.Tax = amount("tax_amount", m.TaxAmount)
	o.Discount = amount("discount_amount", m.DiscountAmount) // Magento stores it negative; the AIM writer makes it positive
	o.Total = amount("grand_total", m.GrandTotal)
	refunded := amount("total_refunded", m.TotalRefunded)

	placed(o, m.CreatedAt.String(), cfg)
	lines(o, m.Items)
	state(o, m.State.String(), m.Status.String(), refunded, lineRefunds(m.Items))
	if decodeErr != nil {
		// Decoding stopped at the bad value: what follows it is missing,
		// and problems found in the rest would only mislead.
		o.Problems = o.Problems[:1]
	}
	return o
}

// placed reads created_at as UTC; the AIM date is the store's.
func placed(o *orders.Order, s string, cfg orders.Config) {
	if s == "" {
		o.Hold(o.Src, orders.ReasonBadDate, "created_at", s, "the order has no created_at")
		return
	}
	t, err := time.ParseInLocation(createdLayout, s, time.UTC)
	if err != nil {
		// A tool that re-saved the response may have written an offset.
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			o.Hold(o.Src, orders.ReasonBadDate, "created_at", s, "expected a Magento timestamp like 2024-03-04 15:15:32 (UTC)")
			return
		}
	}
	o.Placed, o.Date = t, cfg.StoreDate(t)
}

// lines makes one line per item without parent_item_id. A configurable's
// child repeats the parent's SKU with price 0 (cases O4): it is never a
// line of its own, only the SKU's source when the parent has none.
func lines(o *orders.Order, items []mItem) {
	children := map[string][]*mItem{}
	ids := make(map[string]bool, len(items))
	for i := range items {
		it := &items[i]
		ids[it.ItemID.String()] = true
		if p := it.ParentItemID.String(); p != "" {
			children[p] = append(children[p], it)
		}
	}
	o.Lines = make([]orders.Line, 0, len(items)-lenChildren(children))
	for i := range items {
		it := &items[i]
		parent := it.ParentItemID.String()
		if parent != "" && ids[parent] {
			continue
		}
		l := line(o, it)
		kids := children[it.ItemID.String()]
		typ := it.ProductType.String()
		switch {
		case parent != "":
			o.HoldLine(&l, orders.ReasonBadValue, "parent_item_id", parent,
				fmt.Sprintf("item %s belongs to item %s, which is not in the order; the response is incomplete", l.WebLineID, parent))
		case typ == "configurable":
			configurable(o, &l, it, kids)
		case typ == "bundle":
			o.HoldLine(&l, orders.ReasonUnsupported, "product_type", typ,
				fmt.Sprintf("a bundle of %d items: AIM needs the parts sold, which aimbridge does not map from a bundle; enter the order by hand", len(kids)))
		case !singleTypes[typ]:
			o.HoldLine(&l, orders.ReasonUnsupported, "product_type", typ,
				fmt.Sprintf("product type %q is not one aimbridge maps to AIM lines (simple, virtual, downloadable, grouped, configurable); enter the order by hand", typ))
		case len(kids) > 0:
			o.HoldLine(&l, orders.ReasonUnsupported, "product_type", typ,
				fmt.Sprintf("a %q item with %d child items, which aimbridge cannot map to AIM lines; enter the order by hand", cmp.Or(typ, "(no type)"), len(kids)))
		}
		o.Lines = append(o.Lines, l)
	}
}

func lenChildren(children map[string][]*mItem) int {
	n := 0
	for _, c := range children {
		n += len(c)
	}
	return n
}

func line(o *orders.Order, it *mItem) orders.Line {
	l := orders.Line{Src: o.Src, WebLineID: it.ItemID.String(), WebSKU: it.SKU.String(), Description: it.Name.String()}
	if q := it.QtyOrdered.String(); q == "" {
		o.HoldLine(&l, orders.ReasonBadQuantity, "qty_ordered", q, "the item has no qty_ordered")
	} else if n, ok := count(q); !ok {
		o.HoldLine(&l, orders.ReasonBadQuantity, "qty_ordered", q, "not a whole number")
	} else {
		l.Qty = n
	}
	for _, f := range []struct {
		name string
		v    orders.Text
	}{{"qty_refunded", it.QtyRefunded}, {"qty_canceled", it.QtyCanceled}} {
		if f.v.String() == "" {
			continue
		}
		if n, ok := count(f.v.String()); ok {
			l.Refunded += n
		} else {
			o.HoldLine(&l, orders.ReasonBadQuantity, f.name, f.v.String(), "not a whole number")
		}
	}
	if p := it.Price.String(); p == "" {
		o.HoldLine(&l, orders.ReasonBadAmount, "price", p, "the item has no price")
	} else if d, err := decimal.NewFromString(p); err != nil {
		o.HoldLine(&l, orders.ReasonBadAmount, "price", p, "not a decimal number")
	} else {
		l.UnitPrice = d
	}
	return l
}

// count reads a quantity: Magento stores decimals (1.0000) for whole units.
func count(s string) (int, bool) {
	d, err := decimal.NewFromString(s)
	if err != nil || !d.IsInteger() || d.Abs().GreaterThan(decimal.NewFromInt(1<<31)) {
		return 0, false
	}
	return int(d.IntPart()), true
}

// configurable completes a configurable parent's line from its child.
func configurable(o *orders.Order, l *orders.Line, parent *mItem, kids []*mItem) {
	if l.WebSKU == "" {
		skus := map[string]bool{}
		for _, k := range kids {
			if s := k.SKU.String(); s != "" {
				skus[s] = true
				l.WebSKU = s
			}
		}
		if len(skus) > 1 {
			l.WebSKU = ""
			o.HoldLine(l, orders.ReasonBadValue, "sku", "",
				fmt.Sprintf("the configurable item has no SKU and its %d child items name different ones; enter the order by hand", len(kids)))
			return
		}
	}
	// The parent normally carries the sold child's SKU. When it carries
	// its own (the configurable's, without the serial) and the one child
	// names a SKU that extends it, the child's is the unit sold; any other
	// disagreement is not guessed at.
	if len(kids) == 1 {
		if child := kids[0].SKU.String(); child != "" && child != l.WebSKU {
			if aim, serial, err := sku.Split(child); err == nil && serial != "" && aim == l.WebSKU {
				o.Warn("item %s: the configurable item names %s, its child item %s; the child's SKU is the unit sold", l.WebLineID, l.WebSKU, child)
				l.WebSKU = child
			} else {
				o.HoldLine(l, orders.ReasonBadValue, "sku", l.WebSKU,
					fmt.Sprintf("the configurable item names SKU %s but its child item names %s; enter the order by hand", l.WebSKU, child))
				return
			}
		}
	}
	if l.Description == "" && len(kids) > 0 {
		l.Description = kids[0].Name.String()
	}
	// Refunds and cancellations are counted on the parent; a child that
	// says otherwise is reported, never added.
	for _, k := range kids {
		n := 0
		for _, v := range []orders.Text{k.QtyRefunded, k.QtyCanceled} {
			if c, ok := count(cmp.Or(v.String(), "0")); ok {
				n += c
			}
		}
		if n != 0 && n != l.Refunded {
			o.Warn("item %s (%s): its child item %s has %d units refunded or cancelled, the parent %d; the parent's count is used",
				l.WebLineID, l.WebSKU, k.ItemID, n, l.Refunded)
		}
	}
}

// lineRefunds tells whether any item has units refunded.
func lineRefunds(items []mItem) bool {
	for i := range items {
		if n, ok := count(cmp.Or(items[i].QtyRefunded.String(), "0")); ok && n > 0 {
			return true
		}
	}
	return false
}

// state reads what became of the order from its state (Magento's fixed
// set; status is a store-defined label of it, used when state is absent).
// canceled: nothing was invoiced; closed: everything invoiced was
// refunded. Money or units refunded on an order still open make a partial
// refund (qty_refunded says which lines). Units cancelled on an open order
// are only subtracted, through Line.Refunded.
func state(o *orders.Order, st, status string, refunded decimal.Decimal, lineRefunds bool) {
	var detail string
	switch {
	case st == "" && status == "":
		detail = "no state"
	case st == "":
		detail = "status " + status
	case status != "" && status != st:
		detail = "state " + st + " (status " + status + ")"
	default:
		detail = "state " + st
	}
	switch strings.ToLower(cmp.Or(st, status)) {
	case "canceled", "cancelled":
		o.State, o.StateDetail = orders.Cancelled, detail
		return
	case "closed":
		o.State, o.StateDetail = orders.Refunded, detail
		if refunded.IsPositive() {
			o.StateDetail += ", total_refunded " + money.Format(refunded)
		}
		return
	case "new", "pending", "processing", "complete":
	case "holded", "payment_review", "pending_payment", "fraud":
		o.Hold(o.Src, orders.ReasonNotSettled, "state", cmp.Or(st, status),
			detail+": the order is not settled in Magento (on hold, in payment review or awaiting payment); export it again once it is processing, or enter it by hand")
	default:
		o.Hold(o.Src, orders.ReasonNotSettled, "state", cmp.Or(st, status),
			detail+": not a Magento order state aimbridge knows, so it cannot tell whether this is a sale; enter the order by hand")
	}
	if refunded.IsPositive() || lineRefunds {
		o.State, o.StateDetail = orders.PartiallyRefunded, detail+", total_refunded "+money.Format(refunded)
	}
}
