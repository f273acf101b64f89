package orders

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestSplitSKU(t *testing.T) {
	for _, tc := range []struct {
		web, aim, serial, err string
	}{
		{web: "0113942719|||US210033734", aim: "0113942719", serial: "US210033734"},
		{web: "0991234567", aim: "0991234567"},
		{web: "H01/42209", aim: "H01/42209"},
		{web: "  0113942719 ||| US210033734 ", aim: "0113942719", serial: "US210033734"}, // aim.md §2.1: trim around both parts
		{web: "ISI1042", aim: "ISI1042"},
		{web: "FG800NT|||ISI1042", aim: "FG800NT", serial: "ISI1042"},
		{web: "", err: "empty SKU"},
		{web: "   ", err: "empty SKU"},
		{web: "|||US210033734", err: "AIM SKU is empty"},
		{web: "0113942719|||", err: "serial is empty"},
		{web: "0113942719|||US21|||X", err: "second |||"},
		{web: "0113942719|US210033734", err: "stray |"},
		{web: "0113942719||US210033734", err: "stray |"},
		{web: "0113942719||||US210033734", err: "stray |"},
	} {
		aim, serial, err := SplitSKU(tc.web)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("SplitSKU(%q) error = %v, want %q", tc.web, err, tc.err)
			}
			continue
		}
		if err != nil || aim != tc.aim || serial != tc.serial {
			t.Errorf("SplitSKU(%q) = %q, %q, %v; want %q, %q", tc.web, aim, serial, err, tc.aim, tc.serial)
		}
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// order builds a consistent order: total = lines + shipping + tax - discount.
func order(number string, lines ...Line) *Order {
	o := &Order{Src: Source{File: "in.fake", Line: 2}, Number: number, WebID: "id" + number, Date: "2024-03-04",
		Currency: "USD", Lines: lines}
	for i := range o.Lines {
		if o.Lines[i].Src == (Source{}) {
			o.Lines[i].Src = Source{File: "in.fake", Line: 2 + i}
		}
		o.Total = o.Total.Add(o.Lines[i].UnitPrice.Mul(decimal.NewFromInt(int64(o.Lines[i].Qty))))
	}
	return o
}

func line(sku string, qty int, price string) Line {
	return Line{WebSKU: sku, Qty: qty, UnitPrice: dec(price), Description: "item " + sku}
}

func reasons(ps []Problem) string {
	var rs []string
	for _, p := range ps {
		rs = append(rs, p.Reason)
	}
	return strings.Join(rs, ",")
}

func TestCheck(t *testing.T) {
	cancelled := order("#C", line("A1", 1, "10.00"))
	cancelled.State, cancelled.StateDetail = Cancelled, "Cancelled at 2024-03-08 16:02:45 -0500"
	refunded := order("#R", line("A1", 1, "10.00"))
	refunded.State = Refunded
	partial := order("#P", line("A1", 1, "10.00"))
	partial.State = PartiallyRefunded
	lineRefund := order("#L", line("A1|||S1", 1, "10.00"), line("B2", 3, "2.00"))
	lineRefund.Lines[0].Refunded = 1
	lineRefund.Lines[1].Refunded = 1
	allRefunded := order("#AR", line("A1", 2, "10.00"))
	allRefunded.Lines[0].Refunded = 2
	mismatch := order("#M", line("A1", 1, "10.00"))
	mismatch.Total = dec("12.00")
	taxIncluded := order("#T", line("A1", 1, "10.00"))
	taxIncluded.Tax, taxIncluded.Shipping, taxIncluded.Discount, taxIncluded.Total = dec("1.60"), dec("5.00"), dec("-2.00"), dec("13.00")
	noDate := order("#D", line("A1", 1, "10.00"))
	noDate.Date = ""
	readerHeld := order("#Q", line("A1", 0, "10.00"))
	readerHeld.HoldLine(&readerHeld.Lines[0], ReasonBadQuantity, "Lineitem quantity", "x", "not a whole number")

	for _, tc := range []struct {
		name     string
		o        *Order
		pol      Policy
		problems string
		flags    string
		dropped  string
		skip     string
		sold     string // aim/serial/qty;…
	}{
		{name: "serialized and plain", o: order("#1", line("0113942719|||US210033734", 1, "1699.99"), line("0991234567", 2, "5.99")),
			sold: "0113942719/US210033734/1;0991234567//2"},
		{name: "empty sku is an exception, never non-serialized", o: order("#2", line("", 1, "49.99"), line("A1", 1, "1.00")),
			problems: "empty-sku", sold: "A1//1"},
		{name: "malformed split", o: order("#3", line("0113942719|||", 1, "1.00"), line("X|||Y|||Z", 1, "1.00")),
			problems: "bad-sku,bad-sku"},
		{name: "serial with quantity 2", o: order("#4", line("0113942719|||US210033734", 2, "1699.99")),
			problems: "serial-quantity", sold: "0113942719/US210033734/2"},
		{name: "same serial twice in one order", o: order("#5", line("0113942719|||US210033734", 1, "1.00"), line("0113942719 ||| US210033734", 1, "1.00")),
			problems: "duplicate-serial", sold: "0113942719/US210033734/1"},
		{name: "same plain sku twice is fine", o: order("#6", line("P02221", 1, "7.99"), line("P02221", 2, "7.99")),
			sold: "P02221//1;P02221//2"},
		{name: "quantity zero", o: order("#7", line("A1", 0, "1.00")), problems: "bad-quantity"},
		{name: "reader already refused the quantity", o: readerHeld, problems: "bad-quantity"},
		{name: "negative price", o: order("#8", line("A1", 1, "-1.00")), problems: "bad-amount", sold: "A1//1"},
		{name: "fraction of a cent", o: order("#9", line("A1", 3, "8.325")), problems: "bad-amount", sold: "A1//3"},
		{name: "no lines", o: order("#10"), problems: "no-lines"},
		{name: "no date", o: noDate, problems: "bad-date", sold: "A1//1"},
		{name: "cancelled skipped", o: cancelled, skip: "cancelled", sold: "A1//1"},
		{name: "cancelled included", o: cancelled, pol: Policy{IncludeCancelled: true}, flags: "cancelled", sold: "A1//1"},
		{name: "refunded skipped", o: refunded, skip: "refunded", sold: "A1//1"},
		{name: "partial refund held by default", o: partial, problems: "partial-refund", sold: "A1//1"},
		{name: "partial refund written when asked", o: partial, pol: Policy{WritePartialRefunds: true}, flags: "partial-refund", sold: "A1//1"},
		{name: "per-line refunds give net quantities", o: lineRefund, dropped: "refunded-line", sold: "B2//2"},
		{name: "every line refunded", o: allRefunded, skip: "refunded", dropped: "refunded-line"},
		{name: "total mismatch holds the order: a line may be missing", o: mismatch, problems: "total-mismatch", sold: "A1//1"},
		{name: "tax-inclusive total accepted", o: taxIncluded, sold: "A1//1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := check(tc.o, tc.pol)
			var sold []string
			for _, s := range c.sold {
				sold = append(sold, s.aimSKU+"/"+s.serial+"/"+itoa(s.qty))
			}
			skip := ""
			if c.skip != nil {
				skip = c.skip.Reason
			}
			got := [5]string{reasons(c.problems), reasons(c.flags), reasons(c.dropped), skip, strings.Join(sold, ";")}
			want := [5]string{tc.problems, tc.flags, tc.dropped, tc.skip, tc.sold}
			if got != want {
				t.Errorf("problems, flags, dropped, skip, sold =\n %q\nwant\n %q", got, want)
			}
		})
	}
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"'+1 (201) 555-0143": "+12015550143",
		"(718) 555-0199":     "+17185550199",
		"201.555.0177":       "+12015550177",
		"1-514-555-0199":     "+15145550199",
		"+44 20 7946 0958":   "+442079460958",
		"555-0134 ext. 12":   "555-0134 ext. 12",
		"":                   "",
	} {
		if got := NormalizePhone(in, "US"); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NormalizePhone("020 7946 0958", "GB"); got != "02079460958" {
		t.Errorf("a UK number is not given a +1: %q", got)
	}
}

func TestSplitName(t *testing.T) {
	for in, want := range map[string][2]string{
		"Dana Whitfield":       {"Dana", "Whitfield"},
		"Ludwig van Beethoven": {"Ludwig", "van Beethoven"},
		"Cher":                 {"Cher", ""},
		"  ":                   {"", ""},
	} {
		f, l := SplitName(in)
		if [2]string{f, l} != want {
			t.Errorf("SplitName(%q) = %q, %q; want %q", in, f, l, want)
		}
	}
}
