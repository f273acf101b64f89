package templates

import (
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/inventory"
)

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"0113942719":           "0113942719",
		"Gretsch Falcon™ Café": "gretsch-falcon-cafe",
		"  AB/12 -- x.y ":      "ab-12-x-y",
		"Ünï|||Serial":         "uni-serial",
		"日本":                   "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRender(t *testing.T) {
	s, err := Parse("t.yaml", []byte("fields:\n  title: \"{{join \\\" \\\" .Brand .Description}}\"\n  body: \"{{br .WebDescription}}\"\n"), []string{"title", "body"})
	if err != nil {
		t.Fatal(err)
	}
	p := &inventory.Product{SKU: "A", Description: "Strat", WebDescription: "Alder & ash\r\nMaple"}
	if got, _ := s.Render("title", p); got != "Strat" {
		t.Errorf("title %q", got)
	}
	if got, _ := s.Render("body", p); got != "Alder &amp; ash<br>Maple" {
		t.Errorf("body %q", got)
	}
}

func TestParseStrict(t *testing.T) {
	for _, y := range []string{
		"fields:\n  title: x\n",                        // body missing
		"fields:\n  title: x\n  body: y\n  extra: z\n", // unknown field
		"fields:\n  title: \"{{.Nope\"\n  body: y\n",   // bad template
		"field:\n  title: x\n",                         // unknown key
	} {
		if _, err := Parse("t.yaml", []byte(y), []string{"title", "body"}); err == nil {
			t.Errorf("accepted %q", y)
		}
	}
	s, _ := Parse("t.yaml", []byte("fields:\n  title: \"{{.Colour}}\"\n  body: y\n"), []string{"title", "body"})
	if _, err := s.Render("title", &inventory.Product{SKU: "A"}); err == nil || !strings.Contains(err.Error(), "SKU A") {
		t.Errorf("unknown product field: %v", err)
	}
}
