// Package weight converts between the grams aimbridge keeps and the units
// AIM exports and stores use. Conversions are exact decimals; a weight in
// a store's unit is rounded to what that unit can honestly say about a
// weight known to the gram.
package weight

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Unit is a weight unit.
type Unit struct {
	name   string
	grams  decimal.Decimal // grams in one unit
	places int32           // decimals worth writing
}

var (
	pound    = Unit{"lb", decimal.RequireFromString("453.59237"), 2}
	ounce    = Unit{"oz", decimal.RequireFromString("28.349523125"), 2}
	kilogram = Unit{"kg", decimal.NewFromInt(1000), 3}
	gram     = Unit{"g", decimal.NewFromInt(1), 0}
)

// ParseUnit reads a unit name as stores spell them: lb or lbs, oz, kg or
// kgs, g.
func ParseUnit(s string) (Unit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "lb", "lbs":
		return pound, nil
	case "oz":
		return ounce, nil
	case "kg", "kgs":
		return kilogram, nil
	case "g":
		return gram, nil
	}
	return Unit{}, fmt.Errorf("weight unit %q: use lb, oz, kg or g", s)
}

// Grams converts an amount in u to whole grams, rounded half away from zero.
func (u Unit) Grams(d decimal.Decimal) int64 { return d.Mul(u.grams).Round(0).IntPart() }

// Of converts grams to u, rounded to the unit's places.
func (u Unit) Of(grams int64) decimal.Decimal {
	return decimal.NewFromInt(grams).DivRound(u.grams, u.places)
}

// Places is how many decimals a weight in u is written with.
func (u Unit) Places() int32 { return u.places }

func (u Unit) String() string { return u.name }
