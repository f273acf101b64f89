// Package orders is the order path: web-store order exports in, one AIM
// order-import file out. Platform packages read their own exports into the
// canonical Order below (see READERS.md for the reader contract); this
// package applies the rules every platform shares — the SKU|||serial
// split, serialized quantities, duplicate serials and orders, the policy
// for cancelled and refunded orders — and writes the AIM file,
// exceptions.csv and summary.json. An order goes to AIM whole or not at
// all.
package orders

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Source is where a record came from.
type Source struct {
	File string // base name of the input file
	Line int    // line (CSV) or sheet row (XLSX) of the record; 0 when the source has no lines (JSON)
}

func (s Source) String() string {
	if s.Line == 0 {
		return s.File
	}
	return fmt.Sprintf("%s:%d", s.File, s.Line)
}

// State is where an order stands according to the export.
type State int

const (
	// Open is every order that was neither cancelled nor refunded:
	// pending, authorized, paid, fulfilled… AIM receives these as open
	// orders; aimbridge never assumes the sale is final.
	Open State = iota
	Cancelled
	Refunded          // refunded in full
	PartiallyRefunded // some money went back, and the export may not say for which line
)

func (s State) String() string {
	switch s {
	case Cancelled:
		return "cancelled"
	case Refunded:
		return "refunded"
	case PartiallyRefunded:
		return "partially refunded"
	}
	return "open"
}

// Order is one web order in canonical form. Readers fill it from their
// source; fields a source lacks stay empty.
type Order struct {
	Src    Source // the order's first record
	Number string // the order number people see (Shopify Name "#1001", Woo number, Magento increment_id)
	WebID  string // the platform's internal order id, "" if the export has none

	// Placed is the order time with the offset the source gave. Date is
	// the store-local calendar date YYYY-MM-DD; see Config.StoreDate.
	Placed time.Time
	Date   string

	State       State
	StateDetail string // what in the export set State, for people: "Cancelled at 2024-03-11 10:02:11 -0500"

	Email string
	Phone string
	// FirstName and LastName only when the source has them apart;
	// otherwise leave them empty and the AIM writer splits Bill.Name.
	FirstName, LastName string
	Bill, Ship          Address

	Currency string // ISO 4217 as the source gives it
	// Order-level amounts. Discount may come positive or negative (Magento
	// stores it negative); it is written as a positive amount.
	Shipping, Tax, Discount, Total decimal.Decimal
	PaymentMethod                  string

	Lines []Line

	// Problems hold the whole order back; Warnings are only reported.
	Problems []Problem
	Warnings []string
}

// Address is a billing or shipping address. PostalCode is text: leading
// zeros stay. Country is ISO 3166 alpha-2 where the source allows.
type Address struct {
	Name, Company      string
	Address1, Address2 string
	City, State        string
	PostalCode         string
	Country            string
}

// Line is one product line of an order. Shipping, fees, tips and gift
// cards are not product lines: readers leave them out (or hold the order
// back when they cannot tell).
type Line struct {
	Src       Source
	WebLineID string // the platform's line id, "" if the export has none
	// WebSKU is the variant SKU sold, as the export has it (an apostrophe
	// some exports put in front for Excel removed): AIMSKU|||serial or
	// a plain AIM SKU. The shared rules split it; readers never do.
	WebSKU      string
	Description string
	Qty         int // quantity ordered
	// Refunded is the number of units refunded or cancelled, when the
	// source says so per line; 0 otherwise. AIM gets Qty - Refunded.
	Refunded  int
	UnitPrice decimal.Decimal // per unit, in the order's currency
}

// Reason codes name why an order or record is in exceptions.csv.
// Readers use the first group; the rest are set by this package.
const (
	ReasonBadAmount   = "bad-amount"        // money that cannot be read exactly (or, e.g., 1,299 without a locale)
	ReasonBadQuantity = "bad-quantity"      // not a whole number ≥ 1, or refunded more than ordered
	ReasonBadDate     = "bad-date"          // order date missing or unreadable
	ReasonBadValue    = "bad-value"         // any other field that cannot be read
	ReasonUnreadable  = "unreadable-record" // a record that belongs to no order (RowError)
	ReasonNearBadRow  = "next-to-unreadable-record"
	ReasonUnsupported = "unsupported" // something the reader recognises but cannot turn into AIM lines (bundles, …)
	ReasonNotSettled  = "not-settled" // unpaid, in payment review, on hold or of a status aimbridge does not know: not yet a sale

	ReasonEmptySKU        = "empty-sku"
	ReasonBadSKU          = "bad-sku"
	ReasonSerialQuantity  = "serial-quantity"
	ReasonDuplicateSerial = "duplicate-serial"
	ReasonNoLines         = "no-lines"
	ReasonCurrency        = "currency"
	ReasonDuplicateOrder  = "duplicate-order" // the same order number with different contents
	ReasonRepeatedOrder   = "repeated-order"  // the same order again, same contents: later copies skipped
	ReasonCancelled       = "cancelled"
	ReasonRefunded        = "refunded"
	ReasonPartialRefund   = "partial-refund"
	ReasonRefundedLine    = "refunded-line"
	ReasonTotalMismatch   = "total-mismatch"
	ReasonUnknownFile     = "unknown-file"   // an input that is no order export aimbridge knows
	ReasonRefusedFile     = "refused-file"   // a known export that cannot be used (no line items)
	ReasonAmbiguousFile   = "ambiguous-file" // an input that fits several formats
)

// Problem is a fault that holds an order back. Src points at the record
// at fault; WebLineID and WebSKU name the line when it is a line's fault.
type Problem struct {
	Src       Source
	Reason    string // a Reason code
	Detail    string // for people: what is wrong and what to do
	Column    string // the source column or field at fault, if one
	Value     string
	WebLineID string
	WebSKU    string
}

// Hold records a problem with the order as a whole.
func (o *Order) Hold(src Source, reason, column, value, detail string) {
	o.Problems = append(o.Problems, Problem{Src: src, Reason: reason, Column: column, Value: value, Detail: detail})
}

// HoldLine records a problem with one of the order's lines.
func (o *Order) HoldLine(l *Line, reason, column, value, detail string) {
	o.Problems = append(o.Problems, Problem{Src: l.Src, Reason: reason, Column: column, Value: value, Detail: detail,
		WebLineID: l.WebLineID, WebSKU: l.WebSKU})
}

// Warn records something worth a look that does not stop the order.
func (o *Order) Warn(format string, a ...any) {
	o.Warnings = append(o.Warnings, fmt.Sprintf(format, a...))
}

func (o *Order) has(reason string, src Source) bool {
	for _, p := range o.Problems {
		if p.Reason == reason && p.Src == src {
			return true
		}
	}
	return false
}
