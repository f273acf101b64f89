package weight

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestRoundTrip(t *testing.T) {
	for _, c := range []struct {
		unit, in string
		grams    int64
		back     string
	}{
		{"lb", "8.1", 3674, "8.1"},
		{"lbs", "0.1", 45, "0.1"},
		{"oz", "1", 28, "0.99"},
		{"kg", "3.674", 3674, "3.674"},
		{"kgs", "0.0005", 1, "0.001"},
		{"g", "12", 12, "12"},
	} {
		u, err := ParseUnit(c.unit)
		if err != nil {
			t.Fatal(err)
		}
		g := u.Grams(decimal.RequireFromString(c.in))
		if g != c.grams || u.Of(g).String() != c.back {
			t.Errorf("%s %s: %d g, back %s; want %d g, %s", c.in, c.unit, g, u.Of(g), c.grams, c.back)
		}
	}
	if _, err := ParseUnit("stone"); err == nil {
		t.Error("stone accepted")
	}
}
