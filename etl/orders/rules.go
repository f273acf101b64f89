package orders

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/sku"
	"github.com/shopspring/decimal"
)

// Policy decides what happens to orders that are not plain sales.
type Policy struct {
	// IncludeCancelled writes cancelled and fully refunded orders (listed
	// in exceptions.csv as written) instead of skipping them.
	IncludeCancelled bool
	// WritePartialRefunds writes partially refunded orders with their net
	// quantities, listed in exceptions.csv for review, instead of holding
	// them back. Off by default: an export such as Shopify's cannot say
	// which line the money went back for, so AIM would sell the wrong thing.
	WritePartialRefunds bool
	// Currency is the only currency the batch may hold; orders in another
	// are held back. Empty: every order must share one currency, or the
	// run is refused.
	Currency string
}

// sold is a line that goes to AIM.
type sold struct {
	line           *Line
	aimSKU, serial string
	qty            int
}

// checked is an order after the rules that need no other order.
type checked struct {
	o        *Order
	sold     []sold
	problems []Problem // hold the order back
	flags    []Problem // written, listed for review
	dropped  []Problem // lines with nothing left to sell
	skip     *Problem  // set when policy leaves the order out
	serials  []string  // AIMSKU|||serial keys sold
}

// SplitSKU applies formats/aim.md §2: split on the first |||, spaces
// around either part trimmed; no ||| means a non-serialized SKU; an empty
// SKU, an empty side, a second ||| or a stray | or || is an error.
func SplitSKU(web string) (aimSKU, serial string, err error) {
	web = strings.TrimSpace(web)
	if left, right, ok := strings.Cut(web, sku.Sep); ok {
		web = strings.TrimSpace(left) + sku.Sep + strings.TrimSpace(right)
	}
	return sku.Split(web)
}

func check(o *Order, pol Policy) *checked {
	c := &checked{o: o, problems: append([]Problem(nil), o.Problems...)}
	hold := func(l *Line, reason, column, value, detail string) {
		p := Problem{Src: o.Src, Reason: reason, Column: column, Value: value, Detail: detail}
		if l != nil {
			p.Src, p.WebLineID, p.WebSKU = l.Src, l.WebLineID, l.WebSKU
		}
		c.problems = append(c.problems, p)
	}
	if o.Number == "" {
		hold(nil, ReasonBadValue, "", "", "the order has no order number")
	}
	if o.Date == "" && !hasReason(c.problems, ReasonBadDate) {
		hold(nil, ReasonBadDate, "", "", "the order has no date")
	}
	if len(o.Lines) == 0 {
		hold(nil, ReasonNoLines, "", "", "the order has no product lines")
	}
	seen := map[string]Source{}
	for i := range o.Lines {
		l := &o.Lines[i]
		aim, serial, err := SplitSKU(l.WebSKU)
		switch {
		case errors.Is(err, sku.ErrEmpty):
			hold(l, ReasonEmptySKU, "sku", l.WebSKU, "the line has no SKU, so AIM cannot tell what was sold (a deleted or re-SKU'd product, a custom item?); add the SKU in the export or enter this order by hand")
		case err != nil:
			hold(l, ReasonBadSKU, "sku", l.WebSKU, err.Error()+"; expected AIMSKU|||SERIAL or a plain AIM SKU")
		}
		qtyOK := !o.has(ReasonBadQuantity, l.Src)
		switch {
		case !qtyOK:
		case l.Qty < 1:
			hold(l, ReasonBadQuantity, "quantity", fmt.Sprint(l.Qty), "the quantity ordered must be at least 1")
			qtyOK = false
		case l.Refunded < 0 || l.Refunded > l.Qty:
			hold(l, ReasonBadQuantity, "refunded quantity", fmt.Sprint(l.Refunded), fmt.Sprintf("%d units refunded of %d ordered", l.Refunded, l.Qty))
			qtyOK = false
		case serial != "" && l.Qty > 1:
			hold(l, ReasonSerialQuantity, "quantity", fmt.Sprint(l.Qty), fmt.Sprintf("serial %s is one unit, but the line sells %d", serial, l.Qty))
		}
		if !o.has(ReasonBadAmount, l.Src) {
			switch {
			case l.UnitPrice.IsNegative():
				hold(l, ReasonBadAmount, "price", money.Format(l.UnitPrice), "the unit price is negative")
			case !l.UnitPrice.Equal(l.UnitPrice.Round(2)):
				hold(l, ReasonBadAmount, "price", l.UnitPrice.String(), "the unit price has fractions of a cent; AIM takes two decimals and aimbridge does not round money")
			}
		}
		key := aim + sku.Sep + serial
		// A serial named by a held order stays claimed, whatever else is
		// wrong with its line: freeing it would let another order sell
		// the same unit unchallenged. Only a unit known to have come back
		// (every unit of the line refunded) is free again.
		net := l.Qty - l.Refunded
		if err == nil && serial != "" && !(qtyOK && net == 0) && !slices.Contains(c.serials, key) {
			c.serials = append(c.serials, key)
		}
		if err != nil || !qtyOK {
			continue
		}
		if serial != "" {
			if first, dup := seen[key]; dup {
				hold(l, ReasonDuplicateSerial, "sku", l.WebSKU, fmt.Sprintf("serial %s of %s is sold twice in this order (also at %s)", serial, aim, first))
				continue
			}
			seen[key] = l.Src
		}
		if net == 0 {
			c.dropped = append(c.dropped, Problem{Src: l.Src, Reason: ReasonRefundedLine, WebLineID: l.WebLineID, WebSKU: l.WebSKU,
				Detail: fmt.Sprintf("all %d units of this line were refunded or cancelled; nothing to sell", l.Qty)})
			continue
		}
		c.sold = append(c.sold, sold{line: l, aimSKU: aim, serial: serial, qty: net})
	}

	state := func(reason string) Problem {
		return Problem{Src: o.Src, Reason: reason, Detail: o.StateDetail}
	}
	switch o.State {
	case Cancelled, Refunded:
		p := state(ReasonCancelled)
		if o.State == Refunded {
			p = state(ReasonRefunded)
		}
		if pol.IncludeCancelled {
			p.Detail = joinDetail(p.Detail, "written because cancelled and refunded orders are included")
			c.flags = append(c.flags, p)
		} else {
			c.skip = &p
		}
	case PartiallyRefunded:
		p := state(ReasonPartialRefund)
		if pol.WritePartialRefunds {
			p.Detail = joinDetail(p.Detail, "written with the quantities the export gives; check the refunded line in AIM")
			c.flags = append(c.flags, p)
		} else {
			if perLine(o) {
				p.Detail = joinDetail(p.Detail, "the refunded lines are known but a partial refund needs a person's look; enter the order by hand or pass --partial-refunds write")
			} else {
				p.Detail = joinDetail(p.Detail, "the export does not say which line was refunded; enter the order by hand or pass --partial-refunds write")
			}
			c.problems = append(c.problems, p)
		}
	}
	if c.skip == nil && len(c.problems) == 0 && len(c.sold) == 0 && len(c.dropped) > 0 {
		p := state(ReasonRefunded)
		p.Detail = "every line was refunded or cancelled"
		c.skip = &p
	}
	if c.skip == nil && len(c.problems) == 0 {
		// A total the lines do not add up to is most often a line missing
		// from the export (a file cut short, a line the reader could not
		// see): writing the rest would half-import the order.
		if p := checkTotal(o); p != nil {
			c.problems = append(c.problems, *p)
		}
	}
	return c
}

// checkTotal compares the order total with its parts, as ordered. Prices
// may or may not include tax (EU stores), so either sum is accepted.
func checkTotal(o *Order) *Problem {
	lines, net := decimal.Zero, decimal.Zero
	for _, l := range o.Lines {
		lines = lines.Add(l.UnitPrice.Mul(decimal.NewFromInt(int64(l.Qty))))
		net = net.Add(l.UnitPrice.Mul(decimal.NewFromInt(int64(l.Qty - l.Refunded))))
	}
	// Some exports give the total as ordered, some net of refunded units.
	for _, sum := range []decimal.Decimal{lines, net} {
		base := sum.Sub(o.Discount.Abs()).Add(o.Shipping)
		if o.Total.Equal(base) || o.Total.Equal(base.Add(o.Tax)) {
			return nil
		}
	}
	base := lines.Sub(o.Discount.Abs()).Add(o.Shipping)
	return &Problem{Src: o.Src, Reason: ReasonTotalMismatch, Value: money.Format(o.Total),
		Detail: fmt.Sprintf("lines %s - discount %s + shipping %s + tax %s = %s, but the order total is %s; a line may be missing from the export, or a discount it does not show; check the order and enter it by hand",
			money.Format(lines), money.Format(o.Discount.Abs()), money.Format(o.Shipping), money.Format(o.Tax),
			money.Format(base.Add(o.Tax)), money.Format(o.Total))}
}

func hasReason(ps []Problem, reason string) bool {
	for _, p := range ps {
		if p.Reason == reason {
			return true
		}
	}
	return false
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// NormalizePhone makes a phone number comparable for AIM's customer
// match: one leading apostrophe (Excel's text mark) and the usual
// punctuation go, a leading + stays. No country code is invented.
// Anything else (an extension, letters) is kept as written, trimmed.
func NormalizePhone(s, country string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "'"))
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case strings.ContainsRune(" -.()/\u00a0", r):
		default:
			return s
		}
	}
	// AIM matches customers by phone: a North American number is written
	// the same way whether the store's export added +1 or not.
	d := b.String()
	if nanp[strings.ToUpper(country)] {
		switch {
		case len(d) == 10 && d[0] != '+':
			return "+1" + d
		case len(d) == 11 && d[0] == '1':
			return "+" + d
		}
	}
	return d
}

// nanp are the countries of the North American Numbering Plan a US
// music store mostly ships to.
var nanp = map[string]bool{"US": true, "CA": true, "PR": true, "VI": true, "GU": true}

// SplitName splits a full name for a source that has no first and last
// name: the first word is the first name, the rest the last name.
func SplitName(full string) (first, last string) {
	f := strings.Fields(full)
	if len(f) == 0 {
		return "", ""
	}
	return f[0], strings.Join(f[1:], " ")
}

// perLine reports whether the source said which lines were refunded.
func perLine(o *Order) bool {
	for _, l := range o.Lines {
		if l.Refunded > 0 {
			return true
		}
	}
	return false
}
