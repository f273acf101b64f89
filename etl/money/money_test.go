package money

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct{ in, loc, want, err string }{
		{in: "1299", want: "1299.00"},
		{in: "12.99", want: "12.99"},
		{in: "$1,299.00", loc: "en-US", want: "1299.00"},
		{in: "1,299", loc: "en-US", want: "1299.00"},
		{in: "1.299,00", loc: "de-DE", want: "1299.00"},
		{in: "1 299,50 €", loc: "fr-FR", want: "1299.50"},
		{in: "-5.00", want: "-5.00"},
		{in: "(5.00)", want: "-5.00"},
		{in: ".50", want: "0.50"},
		{in: "1,299", err: "ambiguous"},
		{in: "1.299,00", err: "ambiguous"},
		{in: "$1,299.00", err: "ambiguous"},
		{in: "1.299,00", loc: "en-US", err: "not an amount"},
		{in: "12,99", loc: "en-US", err: "not an amount"},
		{in: "abc", err: "not an amount"},
		{in: "", err: "not an amount"},
		{in: "1e3", err: "not an amount"},
		{in: "1", loc: "xx-XX", err: "unknown locale"},
	}
	for _, c := range cases {
		d, err := Parse(c.in, c.loc)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Parse(%q, %q) = %v, %v; want error %q", c.in, c.loc, d, err, c.err)
			}
			continue
		}
		if err != nil || Format(d) != c.want {
			t.Errorf("Parse(%q, %q) = %s, %v; want %s", c.in, c.loc, Format(d), err, c.want)
		}
	}
}
