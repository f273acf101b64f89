package orders

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aimbridge/aimbridge/etl/mapping"
	"github.com/aimbridge/aimbridge/etl/tabular"
)

// Format is one kind of order export a platform package can read. A
// platform lists its formats in platform.Platform.Orders.
type Format struct {
	Platform  string // lower-case platform name: the AIM Source column and --from
	Name      string // unique, e.g. "shopify-csv"
	Title     string // for people: "Shopify order export (Orders › Export, CSV)"
	Signature Signature
	// Refuse, when set, makes this a format recognised only to be turned
	// away (an export without line items): the run stops with this text,
	// which must say what to export instead. Open is then unused.
	Refuse string
	// Open starts reading a file Signature matched.
	Open func(path string, cfg Config) (Reader, error)
	// Profile, when set, builds this format from a store's own copy of its
	// column mapping (an export whose columns staff renamed); the result
	// replaces this format for the run (--order-profile NAME=FILE).
	Profile func(name string, data []byte) (Format, error)
}

// Signature recognises a format from the start of a file.
type Signature struct {
	Describe string // for the refusal of an unknown file: "columns Name, Lineitem sku, Lineitem quantity"
	Match    func(Head) bool
}

// Head is what detection sees of a file: its first bytes and, unless the
// file is JSON, the header row as the tabular reader gives it (so CSV in
// any encoding and XLSX re-saves look the same).
type Head struct {
	File   string // base name
	Bytes  []byte // the first HeadSize bytes, undecoded
	JSON   bool   // the first non-space character is { or [
	Header []string
}

// HeadSize is how much of a file Head.Bytes holds.
const HeadSize = 64 << 10

// Columns is the Signature of a table whose header has every one of the
// names, compared with NormalizeHeader.
func Columns(names ...string) Signature {
	want := make([]string, len(names))
	for i, n := range names {
		want[i] = NormalizeHeader(n)
	}
	return Signature{
		Describe: "a header with the columns " + strings.Join(names, ", "),
		Match: func(h Head) bool {
			have := map[string]bool{}
			for _, c := range h.Header {
				have[NormalizeHeader(c)] = true
			}
			for _, w := range want {
				if !have[w] {
					return false
				}
			}
			return len(want) > 0
		},
	}
}

// NormalizeHeader folds an export's column name for matching: case,
// spaces, hyphens, underscores, dots and # do not count, nor does a
// trailing "(deprecated)", so "Lineitem compare-at price" meets
// "Lineitem compare at price" and "Payment Reference (deprecated)" meets
// "Payment Reference".
func NormalizeHeader(h string) string {
	h = strings.TrimSpace(h)
	if i := strings.LastIndex(strings.ToLower(h), "(deprecated)"); i >= 0 && strings.TrimSpace(h[i+len("(deprecated)"):]) == "" {
		h = h[:i]
	}
	return mapping.Normalize(h)
}

// Config is what a reader is opened with.
type Config struct {
	// Locale for amounts written as text ("" = plain 1234.56 only, so an
	// ambiguous 1,299 holds the order back instead of being guessed).
	Locale string
	// Location is the store's time zone (--timezone); nil when not given.
	Location *time.Location
	// DateOrder says how an export writes numeric dates whose day and
	// month could swap (03/12/2024): "mdy", "dmy", or "" when unknown, in
	// which case a reader holds such an order rather than guess.
	DateOrder string
	// Tabular are the base options for CSV/XLSX readers.
	Tabular tabular.Options
	Log     *slog.Logger
}

// StoreDate is the store-local calendar date of t: in Location when
// given, else in t's own offset. Readers whose source writes UTC
// (Magento created_at, WooCommerce date_created_gmt) use it; a source
// that already writes the store's own offset may take its date as
// written.
func (c Config) StoreDate(t time.Time) string {
	if c.Location != nil {
		t = t.In(c.Location)
	}
	return t.Format(time.DateOnly)
}

// Logger never returns nil.
func (c Config) Logger() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Reader yields whole orders, one at a time, in file order; memory must
// grow with one order, not with the file.
//
// Next returns io.EOF at the end. A *tabular.RowError is an input record
// that belongs to no order: it is listed in exceptions.csv and reading
// goes on (hold back the orders it may have belonged to with
// ReasonNearBadRow). Any other error means the file cannot be read on and
// stops the run, which then writes nothing.
//
// Faults inside an order are not errors: record them with Order.Hold or
// Order.HoldLine and return the order; it is held back whole.
type Reader interface {
	Next() (*Order, error)
	Close() error
}

// StatReader is implemented by readers built on etl/tabular; the summary
// then reports the delimiter, charset, sheet and blank rows.
type StatReader interface {
	Stats() tabular.Stats
}

// Detect finds the format of the file at path among formats. It reads the
// head once; an unknown file is refused with every signature expected.
func Detect(path string, formats []Format) (Format, error) {
	return DetectWith(path, formats, tabular.Options{})
}

// DetectWith is Detect reading tables with base options (a charset or a
// sheet the store's exports need).
func DetectWith(path string, formats []Format, base tabular.Options) (Format, error) {
	h, err := readHead(path, formats, base)
	if err != nil {
		return Format{}, fmt.Errorf("%w; expected one of:%s", err, expected(formats))
	}
	var hits, refused []Format
	for _, f := range formats {
		if f.Signature.Match != nil && f.Signature.Match(h) {
			if f.Refuse != "" {
				refused = append(refused, f)
			} else {
				hits = append(hits, f)
			}
		}
	}
	switch {
	case len(hits) == 1:
		return hits[0], nil
	case len(hits) > 1:
		names := make([]string, len(hits))
		for i, f := range hits {
			names[i] = f.Title
		}
		return Format{}, &FileRefused{File: h.File, Reason: ReasonAmbiguousFile,
			Detail: fmt.Sprintf("%s fits more than one order format (%s); name the platform or format with --from", h.File, strings.Join(names, "; "))}
	case len(refused) > 0:
		return Format{}, &FileRefused{File: h.File, Reason: ReasonRefusedFile,
			Detail: fmt.Sprintf("%s looks like a %s, which cannot be used: %s", h.File, refused[0].Title, refused[0].Refuse)}
	}
	return Format{}, &FileRefused{File: h.File, Reason: ReasonUnknownFile, Detail: unknown(h, formats).Error()}
}

// FileRefused is a whole input that cannot be read as orders: unknown, a
// known export without line items, or one that fits several formats.
// Beside usable files it is listed in exceptions.csv and the run goes on;
// alone it stops the run.
type FileRefused struct {
	File, Reason, Detail string
}

func (e *FileRefused) Error() string { return e.Detail }

func unknown(h Head, formats []Format) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is not an order export aimbridge knows", h.File)
	switch {
	case h.JSON:
		b.WriteString(" (it is JSON)")
	case len(h.Header) > 0:
		q := make([]string, 0, min(len(h.Header), 12))
		for _, c := range h.Header[:min(len(h.Header), 12)] {
			q = append(q, fmt.Sprintf("%q", c))
		}
		more := ""
		if len(h.Header) > 12 {
			more = fmt.Sprintf(", … (%d columns)", len(h.Header))
		}
		fmt.Fprintf(&b, " (its header starts %s%s)", strings.Join(q, ", "), more)
	}
	b.WriteString("; expected one of:")
	b.WriteString(expected(formats))
	return errors.New(b.String())
}

func expected(formats []Format) string {
	var b strings.Builder
	for _, f := range formats {
		if f.Refuse == "" {
			fmt.Fprintf(&b, "\n  %s [--from %s]: %s", f.Title, f.Platform, f.Signature.Describe)
		}
	}
	return b.String()
}

// ReadHead reads what detection needs from path. accept lets the XLSX
// reader choose the sheet whose header one of formats knows.
func ReadHead(path string, formats []Format) (Head, error) {
	return readHead(path, formats, tabular.Options{})
}

func readHead(path string, formats []Format, base tabular.Options) (Head, error) {
	h := Head{File: filepath.Base(path)}
	f, err := os.Open(path)
	if err != nil {
		return h, err
	}
	buf := make([]byte, HeadSize)
	n, err := io.ReadFull(f, buf)
	f.Close()
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return h, fmt.Errorf("%s: %w", h.File, err)
	}
	h.Bytes = buf[:n]
	if len(bytes.TrimSpace(bytes.TrimPrefix(h.Bytes, []byte("\xEF\xBB\xBF")))) == 0 {
		return h, &FileRefused{File: h.File, Reason: ReasonUnknownFile, Detail: h.File + " is empty"}
	}
	if tabular.Sniff(h.Bytes) == tabular.KindCSV {
		t := bytes.TrimLeft(bytes.TrimPrefix(h.Bytes, []byte("\xEF\xBB\xBF")), " \t\r\n")
		if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			h.JSON = true
			return h, nil
		}
	}
	accept := func(header []string) error {
		for _, f := range formats {
			if f.Signature.Match != nil && f.Signature.Match(Head{File: h.File, Header: header}) {
				return nil
			}
		}
		return errors.New("no order export header")
	}
	opt := base
	opt.AcceptHeader = accept
	r, err := tabular.Open(path, opt)
	if err != nil {
		// A format may know the file by its bytes alone (an XML
		// spreadsheet, say); only when none does is the error the answer.
		for _, f := range formats {
			if f.Signature.Match != nil && f.Signature.Match(h) {
				return h, nil
			}
		}
		return h, fmt.Errorf("%s: cannot read a header: %w", h.File, err)
	}
	h.Header = r.Header()
	return h, r.Close()
}
