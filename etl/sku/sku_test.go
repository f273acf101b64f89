package sku

import (
	"errors"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		in, aim, serial, err string
	}{
		{in: "0113942719|||US210033734", aim: "0113942719", serial: "US210033734"},
		{in: "0113942719|||US21032314", aim: "0113942719", serial: "US21032314"},
		{in: "0113942719", aim: "0113942719"},
		{in: "ISI-PEDAL|||ISI1042", aim: "ISI-PEDAL", serial: "ISI1042"},
		{in: "Ünï|||çödé", aim: "Ünï", serial: "çödé"},
		{in: "", err: "empty SKU"},
		{in: "|||US210033734", err: "AIM SKU is empty"},
		{in: "0113942719|||", err: "serial is empty"},
		{in: "0113942719|||US2|||X", err: "serial contains a second |||"},
		{in: "0113942719||||US210033734", err: "serial contains a stray | or ||"},
		{in: "0113942719||US210033734", err: "AIM SKU contains a stray | or ||"},
		{in: "0113942719|US210033734", err: "AIM SKU contains a stray | or ||"},
		{in: " 0113942719|||US210033734", err: "leading or trailing whitespace"},
		{in: "0113942719 |||US210033734", err: "leading or trailing whitespace"},
		{in: "0113942719|||US210033734\t", err: "leading or trailing whitespace"},
		{in: "0113942719|||US21\x0033734", err: "control character"},
		{in: "0113942719|||US21\xff", err: "not valid UTF-8"},
		{in: "8.85978E+11", err: "spreadsheet has already rounded"},
		{in: "885978.0", err: "spreadsheet has already rounded"},
		{in: "1.13943E+09|||US1", err: "spreadsheet has already rounded"},
		{in: "0113942719|||1.2E-05", err: "spreadsheet has already rounded"},
		{in: "KTN-50E3", aim: "KTN-50E3"},
		{in: "12.5", aim: "12.5"},
	}
	for _, c := range cases {
		aim, serial, err := Split(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Split(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || aim != c.aim || serial != c.serial {
			t.Errorf("Split(%q) = %q, %q, %v; want %q, %q", c.in, aim, serial, err, c.aim, c.serial)
		}
	}
	if _, _, err := Split(""); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty SKU must be ErrEmpty, got %v", err)
	}
}

func TestJoin(t *testing.T) {
	got, err := Join("0113942719", "US210033734")
	if err != nil || got != "0113942719|||US210033734" {
		t.Fatalf("Join = %q, %v", got, err)
	}
	if got, _ := Join("0113942719", ""); got != "0113942719" {
		t.Fatalf("Join without serial = %q", got)
	}
	for _, bad := range [][2]string{{"", "X"}, {"A|B", "X"}, {"A", "X|"}, {"A", " X"}, {"A", "X|||Y"}} {
		if _, err := Join(bad[0], bad[1]); err == nil {
			t.Errorf("Join(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

// The limits are each platform's own (formats/README.md rule 3); the table
// here only proves Check applies whatever it is given.
func TestRulesLength(t *testing.T) {
	limits := map[string]int{"Magento": 64, "WooCommerce": 100, "BigCommerce": 255, "Shopify": 255}
	for name, max := range limits {
		r := Rules{Platform: name, MaxLen: max}
		ok := strings.Repeat("é", max) // characters, not bytes
		if err := r.Check(ok, ""); err != nil {
			t.Errorf("%s: %d characters refused: %v", name, max, err)
		}
		err := r.Check(ok+"x", "")
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %d characters accepted or unnamed: %v", name, max+1, err)
		}
	}
}

func TestRulesSerialCharacters(t *testing.T) {
	bc := Rules{Platform: "BigCommerce", Forbidden: "|="}
	if err := bc.Check("A|||US2100,33734", "US2100,33734"); err != nil {
		t.Errorf("comma refused by modern BigCommerce rules: %v", err)
	}
	err := bc.Check("A|||US2100=33734", "US2100=33734")
	if err == nil || !strings.Contains(err.Error(), `'='`) || !strings.Contains(err.Error(), "BigCommerce") {
		t.Errorf("= not refused with platform and character: %v", err)
	}
	for _, s := range []string{"=SUM", "+1", "-5", "@x"} {
		if err := CheckFormula(s); err == nil {
			t.Errorf("formula-leading serial %q accepted", s)
		}
	}
}

func FuzzJoinSplit(f *testing.F) {
	f.Add("0113942719", "US210033734")
	f.Add("0113942719", "")
	f.Add("A", "B|C")
	f.Add("Ünï", "ISI1042")
	f.Fuzz(func(t *testing.T, aim, serial string) {
		web, err := Join(aim, serial)
		if err != nil {
			return // not a valid pair
		}
		a, s, err := Split(web)
		if err != nil || a != aim || s != serial {
			t.Fatalf("Split(Join(%q, %q)) = %q, %q, %v", aim, serial, a, s, err)
		}
	})
}
