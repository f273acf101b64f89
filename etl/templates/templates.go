// Package templates renders the column values a store chooses for itself
// (titles, vendors, tags, categories, descriptions) from the Go templates
// in mappings/<platform>.yaml. Layout rules stay in each platform's code;
// only values live here.
package templates

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Set is one platform's parsed templates.
type Set struct {
	name string
	t    map[string]*template.Template
}

type file struct {
	Fields map[string]string `yaml:"fields"`
}

var funcs = template.FuncMap{
	"html":  html.EscapeString,
	"br":    func(s string) string { return strings.ReplaceAll(html.EscapeString(normNL(s)), "\n", "<br>") },
	"slug":  Slug,
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	"trim":  strings.TrimSpace,
	"join":  func(sep string, parts ...string) string { return joinNonEmpty(sep, parts) },
}

// Parse reads a template file; every name in fields must be present and
// no other name may be.
func Parse(name string, data []byte, fields []string) (*Set, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	want := map[string]bool{}
	for _, k := range fields {
		want[k] = true
		if _, ok := f.Fields[k]; !ok {
			return nil, fmt.Errorf("%s: fields.%s is missing", name, k)
		}
	}
	s := &Set{name: name, t: map[string]*template.Template{}}
	keys := make([]string, 0, len(f.Fields))
	for k := range f.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !want[k] {
			return nil, fmt.Errorf("%s: unknown field %q (known: %s)", name, k, strings.Join(fields, ", "))
		}
		t, err := template.New(k).Funcs(funcs).Option("missingkey=error").Parse(f.Fields[k])
		if err != nil {
			return nil, fmt.Errorf("%s: fields.%s: %w", name, k, err)
		}
		s.t[k] = t
	}
	return s, nil
}

// Source returns the template text of a field, for checks such as "the
// handle must depend on the SKU".
func (s *Set) Source(field string) string { return s.t[field].Root.String() }

// Render renders field for p, trimmed.
func (s *Set) Render(field string, p *inventory.Product) (string, error) {
	t, ok := s.t[field]
	if !ok {
		return "", fmt.Errorf("%s: no template for %s", s.name, field)
	}
	var b strings.Builder
	if err := t.Execute(&b, p); err != nil {
		return "", fmt.Errorf("%s: fields.%s for SKU %s: %w", s.name, field, p.SKU, err)
	}
	return strings.TrimSpace(b.String()), nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slug lower-cases s, strips accents and joins its letters and digits
// with single dashes: the only characters every platform takes in a
// handle or URL key.
func Slug(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 0x300 || r > 0x36f { // drop combining accents
			b.WriteRune(r)
		}
	}
	return strings.Trim(nonSlug.ReplaceAllString(b.String(), "-"), "-")
}

func normNL(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func joinNonEmpty(sep string, parts []string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
