// Package money parses prices as exact decimals. Grouping and decimal
// separators come from an explicit locale; without one only plain
// dot-decimal numbers are accepted, so 1,299 is refused rather than guessed.
package money

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

type separators struct {
	group   string // every accepted grouping character
	decimal byte
}

var locales = map[string]separators{
	"en-US": {",", '.'}, "en-CA": {",", '.'}, "en-GB": {",", '.'}, "en-AU": {",", '.'},
	"de-DE": {".", ','}, "de-AT": {".", ','}, "nl-NL": {".", ','}, "es-ES": {".", ','},
	"it-IT": {".", ','}, "pt-BR": {".", ','}, "da-DK": {".", ','},
	"fr-FR": {" \u00a0\u202f", ','}, "fr-CA": {" \u00a0\u202f", ','}, "sv-SE": {" \u00a0\u202f", ','},
	"de-CH": {"'’", '.'},
}

// KnownLocale reports whether Parse understands loc.
func KnownLocale(loc string) bool {
	_, ok := locales[loc]
	return ok || loc == ""
}

// Parse reads a money amount. Currency signs and surrounding spaces are
// dropped; a leading minus or accounting parentheses make it negative.
func Parse(s, locale string) (decimal.Decimal, error) {
	orig := s
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "$€£¥ \u00a0")
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	if strings.HasPrefix(s, "-") {
		neg, s = !neg, s[1:]
	}
	s = strings.Trim(s, "$€£¥ \u00a0")
	if s == "" {
		return decimal.Zero, fmt.Errorf("%q is not an amount", orig)
	}
	sep, ok := locales[locale]
	if locale == "" {
		if strings.ContainsAny(s, ",'") {
			return decimal.Zero, fmt.Errorf("%q is ambiguous without a locale (is the comma a thousands or a decimal separator?); give --locale (e.g. en-US or de-DE) or set the field's locale in the mapping", orig)
		}
		sep, ok = separators{decimal: '.'}, true
	}
	if !ok {
		return decimal.Zero, fmt.Errorf("unknown locale %q", locale)
	}
	intPart, frac, hasFrac := strings.Cut(s, string(sep.decimal))
	digits, err := ungroup(intPart, sep.group)
	if err != nil || (hasFrac && !allDigits(frac)) || (digits == "" && frac == "") {
		return decimal.Zero, fmt.Errorf("%q is not an amount in locale %s", orig, nameOf(locale))
	}
	if digits == "" {
		digits = "0"
	}
	num := digits
	if hasFrac && frac != "" {
		num += "." + frac
	}
	d, err := decimal.NewFromString(num)
	if err != nil {
		return decimal.Zero, fmt.Errorf("%q is not an amount: %v", orig, err)
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}

func nameOf(locale string) string {
	if locale == "" {
		return "(none: plain 1234.56)"
	}
	return locale
}

// ungroup removes grouping characters, insisting on groups of three so
// that a decimal comma in the wrong locale is caught, not swallowed.
func ungroup(s, group string) (string, error) {
	if group == "" || !strings.ContainsAny(s, group) {
		if !allDigits(s) {
			return "", fmt.Errorf("not digits")
		}
		return s, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(group, r) })
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 {
		return "", fmt.Errorf("bad grouping")
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return "", fmt.Errorf("bad grouping")
		}
	}
	out := strings.Join(parts, "")
	if !allDigits(out) {
		return "", fmt.Errorf("not digits")
	}
	return out, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Format writes an amount the way every import file here wants it: dot
// decimal, two places, no symbol.
func Format(d decimal.Decimal) string { return d.StringFixed(2) }
