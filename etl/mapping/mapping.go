// Package mapping binds the headers of an inbound file to canonical fields
// through a declarative, user-editable YAML file, and turns each row into
// checked field values. It knows nothing about inventory or orders; the
// caller says which fields exist.
package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/tabular"
	"go.yaml.in/yaml/v3"
)

// Type is how a field's text is checked.
type Type string

const (
	Text    Type = "text"
	Decimal Type = "decimal"
	Integer Type = "integer"
	Bool    Type = "bool"
	Date    Type = "date"
)

// Field describes one canonical field.
type Field struct {
	From     []string          `yaml:"from"`
	Required bool              `yaml:"required"`
	Type     Type              `yaml:"type"`
	Locale   string            `yaml:"locale"`
	PadTo    int               `yaml:"pad_to"`  // zero-pad an all-digit value to this width
	Map      map[string]string `yaml:"map"`     // value map, matched case-insensitively
	Default  string            `yaml:"default"` // used when the column is absent or the cell empty
	// NonEmptyIsTrue makes any non-empty value true for a bool field
	// (AIM's Web Category column: a category means "on the web").
	NonEmptyIsTrue bool   `yaml:"non_empty_is_true"`
	Unit           string `yaml:"unit"` // for weights: lb, oz, kg or g
}

// Source holds per-file reading settings.
type Source struct {
	Delimiter  string `yaml:"delimiter"` // auto, ",", ";", "\t" or "tab"
	Encoding   string `yaml:"encoding"`
	LazyQuotes bool   `yaml:"lazy_quotes"`
	Sheet      string `yaml:"sheet"`
}

// Mapping is a parsed mapping file.
type Mapping struct {
	Name   string
	Source Source           `yaml:"source"`
	Fields map[string]Field `yaml:"fields"`
}

// Parse reads a mapping strictly: unknown keys and fields not in known are errors.
func Parse(name string, data []byte, known []string) (*Mapping, error) {
	m := &Mapping{Name: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("mapping %s: %w", name, err)
	}
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	for fname, f := range m.Fields {
		if !isKnown[fname] {
			return nil, fmt.Errorf("mapping %s: unknown field %q (known: %s)", name, fname, strings.Join(known, ", "))
		}
		switch f.Type {
		case "":
			f.Type = Text
		case Text, Decimal, Integer, Bool, Date:
		default:
			return nil, fmt.Errorf("mapping %s: field %s: unknown type %q", name, fname, f.Type)
		}
		if !money.KnownLocale(f.Locale) {
			return nil, fmt.Errorf("mapping %s: field %s: unknown locale %q", name, fname, f.Locale)
		}
		if len(f.From) == 0 {
			return nil, fmt.Errorf("mapping %s: field %s lists no header names in from", name, fname)
		}
		m.Fields[fname] = f
	}
	return m, nil
}

// SetLocale sets the number locale of every decimal field.
func (m *Mapping) SetLocale(loc string) error {
	if !money.KnownLocale(loc) {
		return fmt.Errorf("unknown locale %q", loc)
	}
	for name, f := range m.Fields {
		if f.Type == Decimal {
			f.Locale = loc
			m.Fields[name] = f
		}
	}
	return nil
}

// ReaderOptions turns the source settings into reader options.
func (m *Mapping) ReaderOptions() (tabular.Options, error) {
	o := tabular.Options{Charset: m.Source.Encoding, LazyQuotes: m.Source.LazyQuotes, Sheet: m.Source.Sheet}
	switch m.Source.Delimiter {
	case "", "auto":
	case ",", ";":
		o.Delimiter = rune(m.Source.Delimiter[0])
	case "\t", "tab", `\t`:
		o.Delimiter = '\t'
	default:
		return o, fmt.Errorf("mapping %s: delimiter %q: use auto, \",\", \";\" or tab", m.Name, m.Source.Delimiter)
	}
	return o, nil
}

// Normalize folds a header for matching: trim, case-fold, drop . # - _ and
// whitespace, so "Serial #", "serial_no." and "SERIAL NO" meet.
func Normalize(h string) string {
	h = strings.TrimPrefix(h, "\uFEFF")
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsSpace(r) || strings.ContainsRune(".#-_", r) || unicode.IsControl(r) || r == '\uFEFF' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Binding is a mapping applied to one file's header.
type Binding struct {
	m        *Mapping
	file     string
	header   []string
	col      map[string]int // field → column index
	Unknown  []string       // headers no field uses: warnings
	Padded   int            // values zero-padded so far
	required []string
	order    []string // fields in the order their columns stand, unbound ones last
}

// HeaderError is a header that cannot be used.
type HeaderError struct {
	File, Reason string
	Line         int
	Seen         []string
}

func (e *HeaderError) Error() string {
	q := make([]string, len(e.Seen))
	for i, s := range e.Seen {
		q[i] = strconv.Quote(s)
	}
	return fmt.Sprintf("%s:%d: %s; headers seen: %s", e.File, e.Line, e.Reason, strings.Join(q, ", "))
}

// Check tells whether header fits without binding it; the XLSX reader uses
// it to choose a sheet.
func (m *Mapping) Check(header []string) error {
	_, err := m.Bind("", 1, header)
	return err
}

// Bind matches header against the mapping.
func (m *Mapping) Bind(file string, line int, header []string) (*Binding, error) {
	b := &Binding{m: m, file: file, header: header, col: map[string]int{}}
	byNorm := map[string]int{}
	for i, h := range header {
		n := Normalize(h)
		if n == "" {
			continue
		}
		if j, dup := byNorm[n]; dup {
			return nil, &HeaderError{File: file, Line: line, Seen: header,
				Reason: fmt.Sprintf("duplicate header %q (column %d) and %q (column %d)", header[j], j+1, h, i+1)}
		}
		byNorm[n] = i
	}
	used := map[int]string{}
	names := make([]string, 0, len(m.Fields))
	for name := range m.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	var missing []string
	for _, name := range names {
		f := m.Fields[name]
		for _, alias := range f.From {
			i, ok := byNorm[Normalize(alias)]
			if !ok {
				continue
			}
			if j, taken := b.col[name]; taken && j == i {
				continue // two aliases that fold to the same header
			}
			if _, taken := b.col[name]; taken {
				return nil, &HeaderError{File: file, Line: line, Seen: header,
					Reason: fmt.Sprintf("field %s matches both %q and %q; remove one or narrow the mapping", name, header[b.col[name]], header[i])}
			}
			if other, clash := used[i]; clash {
				return nil, &HeaderError{File: file, Line: line, Seen: header,
					Reason: fmt.Sprintf("header %q matches both field %s and field %s", header[i], other, name)}
			}
			b.col[name], used[i] = i, name
		}
		if _, ok := b.col[name]; !ok && f.Required && f.Default == "" {
			missing = append(missing, fmt.Sprintf("%s (%s)", name, strings.Join(f.From, " / ")))
		}
		if f.Required {
			b.required = append(b.required, name)
		}
	}
	if len(missing) > 0 {
		return nil, &HeaderError{File: file, Line: line, Seen: header,
			Reason: "missing required header(s): " + strings.Join(missing, "; ")}
	}
	for i, h := range header {
		if name, ok := used[i]; ok {
			b.order = append(b.order, name)
		} else if strings.TrimSpace(h) != "" {
			b.Unknown = append(b.Unknown, h)
		}
	}
	for _, name := range names {
		if _, ok := b.col[name]; !ok {
			b.order = append(b.order, name)
		}
	}
	return b, nil
}

// Has reports whether the file has a column for field.
func (b *Binding) Has(field string) bool { _, ok := b.col[field]; return ok }

// Column names the header bound to field, for messages.
func (b *Binding) Column(field string) string {
	if i, ok := b.col[field]; ok {
		return b.header[i]
	}
	return field
}

// Values are one row's checked field values, as text in canonical form:
// decimals as plain dot-decimal, integers without sign noise, bools
// "true"/"false", mapped values replaced.
type Values map[string]string

// Apply checks one row. The first bad cell rejects the row.
func (b *Binding) Apply(row tabular.Row) (Values, error) {
	v := Values{}
	for _, name := range b.order {
		f := b.m.Fields[name]
		raw := f.Default
		if i, ok := b.col[name]; ok && i < len(row.Cells) {
			if s := strings.TrimSpace(row.Cells[i]); s != "" {
				raw = s
			}
		}
		val, err := b.convert(name, f, raw)
		if err != nil {
			return nil, &tabular.RowError{File: row.File, Line: row.Line, Column: b.Column(name),
				Value: raw, Reason: err.Error(), Raw: row.Raw}
		}
		if val != "" {
			v[name] = val
		}
	}
	for _, name := range b.required {
		if v[name] == "" {
			return nil, &tabular.RowError{File: row.File, Line: row.Line, Column: b.Column(name),
				Reason: "required value is empty", Raw: row.Raw}
		}
	}
	return v, nil
}

func (b *Binding) convert(name string, f Field, raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	if len(f.Map) > 0 {
		mapped, ok := lookupFold(f.Map, raw)
		if !ok && f.Type == Bool && !f.NonEmptyIsTrue {
			return "", fmt.Errorf("%q is not one of the mapped values (%s)", raw, keys(f.Map))
		}
		if ok {
			raw = mapped
		}
	}
	switch f.Type {
	case Text:
		if f.PadTo > 0 && len(raw) < f.PadTo && allDigits(raw) {
			b.Padded++
			raw = strings.Repeat("0", f.PadTo-len(raw)) + raw
		}
		return raw, nil
	case Decimal:
		d, err := money.Parse(raw, f.Locale)
		if err != nil {
			return "", err
		}
		return d.String(), nil
	case Integer:
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.ReplaceAll(raw, ",", ""), ".0"), 10, 64)
		if err != nil || strings.Contains(raw, ",") && f.Locale == "" {
			return "", fmt.Errorf("%q is not a whole number", raw)
		}
		return strconv.FormatInt(n, 10), nil
	case Bool:
		switch strings.ToLower(raw) {
		case "true", "yes", "y", "1", "x":
			return "true", nil
		case "false", "no", "n", "0":
			return "false", nil
		}
		if f.NonEmptyIsTrue {
			return "true", nil
		}
		return "", fmt.Errorf("%q is not yes/no", raw)
	case Date:
		return raw, nil
	}
	return raw, nil
}

func lookupFold(m map[string]string, k string) (string, bool) {
	if v, ok := m[k]; ok {
		return v, true
	}
	for mk, v := range m {
		if strings.EqualFold(mk, k) {
			return v, true
		}
	}
	return "", false
}

func keys(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
