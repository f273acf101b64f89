// Package tabular reads inbound spreadsheet-like files (CSV in any of the
// encodings AIM and Excel produce, and XLSX workbooks) as a stream of rows of
// text. It never interprets values: every cell comes out as the text a person
// would see, and every row carries the file and line it came from so a
// refusal can point at it.
package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// Row is one data record.
type Row struct {
	File  string
	Line  int // CSV: the physical line the record starts on; XLSX: the sheet row number
	Cells []string
	Raw   string // the record as it stood in the file, for rejects
}

// RowError is a record that cannot be used; the caller rejects it and reads on.
type RowError struct {
	File   string
	Line   int
	Column string // header name, empty when the fault is not in one cell
	Value  string
	Reason string
	Raw    string
}

func (e *RowError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("%s:%d: column %q: %s", e.File, e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}

// Stats counts what a reader passed over without returning it.
type Stats struct {
	// BlankRows are rows with no content at all, skipped; for XLSX they
	// include the rows absent from the sheet between two present ones.
	BlankRows int
	Delimiter string // CSV only, as detected or configured
	Sheet     string // XLSX only, the sheet read
	Charset   string
}

// Reader yields the header once and then data rows. Next returns io.EOF at
// the end, a *RowError for a record to reject (the file goes on), or any
// other error when the file cannot be read further.
type Reader interface {
	Header() []string
	HeaderLine() int
	Next() (Row, error)
	Stats() Stats
	Close() error
}

// Options are per-source settings; the zero value reads UTF-8 CSV with a
// sniffed delimiter and strict quoting, and XLSX from the only fitting sheet.
type Options struct {
	// Name is how messages and rows name the file; empty means its base name.
	Name string

	Delimiter  rune   // 0: sniff , ; or tab from the header line
	Charset    string // "", "utf-8" or "windows-1252"; UTF-16 is recognised by its BOM
	LazyQuotes bool

	Sheet string // XLSX sheet name; empty: the only visible sheet AcceptHeader accepts
	// AcceptHeader tells whether a header row fits the mapping; it lets the
	// XLSX reader pick the data sheet out of a workbook.
	AcceptHeader func(header []string) error
	// MaxUnzipSize caps the uncompressed size of a workbook; 0 means 1 GiB.
	MaxUnzipSize int64

	Log *slog.Logger
}

func (o Options) log() *slog.Logger {
	if o.Log != nil {
		return o.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Kind is what the first bytes of a file say it is.
type Kind int

const (
	KindCSV Kind = iota
	KindXLSX
	KindOLE // legacy .xls or an encrypted workbook: both are OLE compound files
)

var (
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte("\xD0\xCF\x11\xE0")
)

// ErrOLE is returned for compound-file workbooks, which cannot be streamed.
var ErrOLE = errors.New("encrypted workbook or legacy .xls — save as .xlsx or CSV UTF-8")

// Sniff classifies a file by its first bytes, never by its name.
func Sniff(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, magicZip):
		return KindXLSX
	case bytes.HasPrefix(head, magicOLE):
		return KindOLE
	}
	return KindCSV
}

// Open opens path as whatever its contents say it is.
func Open(path string, opt Options) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 8)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	name := opt.Name
	if name == "" {
		name = filepath.Base(path)
	}
	switch Sniff(head[:n]) {
	case KindOLE:
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, ErrOLE)
	case KindXLSX:
		return newXLSX(name, f, opt)
	}
	return NewCSV(name, f, opt)
}
