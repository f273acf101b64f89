// Package sku joins and splits the variant SKUs that carry an AIM serial:
// AIM SKU, three pipes, serial (0113942719|||US210033734). It refuses
// anything it would have to guess about.
package sku

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sep joins an AIM SKU and a serial.
const Sep = "|||"

// Error says why a SKU or serial was refused.
type Error struct {
	Value  string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("%q: %s", e.Value, e.Reason) }

// ErrEmpty is returned when there is no SKU at all: an order line without
// one is an exception, never a non-serialized item.
var ErrEmpty = errors.New("empty SKU")

// Join builds the variant SKU for a serialized unit. An empty serial gives
// the plain AIM SKU.
func Join(aim, serial string) (string, error) {
	if err := checkPart(aim, "AIM SKU"); err != nil {
		return "", err
	}
	if serial == "" {
		return aim, nil
	}
	if err := checkPart(serial, "serial"); err != nil {
		return "", err
	}
	return aim + Sep + serial, nil
}

// Split takes a web SKU apart on its first |||. Without |||, the SKU is
// non-serialized and serial is empty.
func Split(web string) (aim, serial string, err error) {
	if web == "" {
		return "", "", ErrEmpty
	}
	left, right, found := strings.Cut(web, Sep)
	if err := checkPart(left, "AIM SKU"); err != nil {
		return "", "", wrapWhole(web, err)
	}
	if !found {
		return left, "", nil
	}
	if err := checkPart(right, "serial"); err != nil {
		return "", "", wrapWhole(web, err)
	}
	return left, right, nil
}

func wrapWhole(web string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return &Error{Value: web, Reason: e.Reason}
	}
	return err
}

// checkPart refuses what a join or split could not give back unchanged: an
// empty side, leftover pipes (the mark of a tool that split on single |),
// surrounding whitespace and control characters.
func checkPart(s, what string) error {
	switch {
	case s == "":
		return &Error{Value: s, Reason: what + " is empty"}
	case strings.Contains(s, Sep):
		return &Error{Value: s, Reason: what + " contains a second |||"}
	case strings.Contains(s, "|"):
		return &Error{Value: s, Reason: what + " contains a stray | or ||"}
	case !utf8.ValidString(s):
		return &Error{Value: s, Reason: what + " is not valid UTF-8"}
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return &Error{Value: s, Reason: what + " has leading or trailing whitespace"}
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return &Error{Value: s, Reason: fmt.Sprintf("%s contains control character %U", what, r)}
		}
	}
	if excelDamage.MatchString(s) {
		return &Error{Value: s, Reason: what + " looks like a number a spreadsheet has already rounded (8.85978E+11, 885978.0); the real value is lost: format the column as Text and export again"}
	}
	return nil
}

// excelDamage matches what Excel makes of a long digit string it took for
// a number: scientific notation with a signed exponent, or a trailing .0.
var excelDamage = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?[eE][+-][0-9]+$|^[0-9]+\.0+$`)

// Rules are one platform's limits on a variant SKU and on the serial as an
// option value. Each platform package declares its own.
type Rules struct {
	Platform  string
	MaxLen    int    // characters, not bytes
	Forbidden string // characters the platform's value syntax cannot carry in a serial
}

// Check applies r to a variant SKU and its serial (serial may be empty).
func (r Rules) Check(variantSKU, serial string) error {
	if n := utf8.RuneCountInString(variantSKU); r.MaxLen > 0 && n > r.MaxLen {
		return &Error{Value: variantSKU, Reason: fmt.Sprintf("%s allows at most %d characters in a SKU; this one has %d", r.Platform, r.MaxLen, n)}
	}
	if i := strings.IndexAny(serial, r.Forbidden); i >= 0 {
		c, _ := utf8.DecodeRuneInString(serial[i:])
		return &Error{Value: serial, Reason: fmt.Sprintf("serial contains %q, which %s's import syntax cannot carry", c, r.Platform)}
	}
	return nil
}

// CheckFormula refuses a value that a spreadsheet would run as a formula
// when staff open an import or export file: it starts with = + - or @.
func CheckFormula(s string) error {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return &Error{Value: s, Reason: fmt.Sprintf("starts with %q, which spreadsheets read as a formula", s[0])}
	}
	return nil
}
