// Package report keeps a run's books: every refused or skipped row goes to
// rejects.csv with where it came from and why, and summary.json states
// the counts, which must balance.
package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/gocarina/gocsv"
)

// Exit codes, the same for every aimbridge command.
const (
	ExitOK      = 0
	ExitNothing = 1 // nothing usable could be produced
	ExitUsage   = 2
	ExitPartial = 3 // outputs written, some rows or orders refused or held back
)

// Reject is one line of rejects.csv.
type Reject struct {
	Platform string `csv:"platform"` // empty: refused while reading, for every platform
	Outcome  string `csv:"outcome"`  // rejected or skipped
	File     string `csv:"file"`
	Line     int    `csv:"line"`
	Column   string `csv:"column"`
	Value    string `csv:"value"`
	Reason   string `csv:"reason"`
	Row      string `csv:"row"` // the record as it stood in the file
}

// CSV streams records of one fixed schema into a report file with gocsv;
// the header is written at once, so an empty report still says what it
// would hold.
type CSV[T any] struct {
	name string
	f    *sink.File
	w    *gocsv.SafeCSVWriter
}

// NewCSV starts a report at path.
func NewCSV[T any](b *sink.Batch, path string) (*CSV[T], error) {
	f, err := b.Create(path)
	if err != nil {
		return nil, err
	}
	w := gocsv.NewSafeCSVWriter(csv.NewWriter(f))
	if err := gocsv.MarshalCSV([]T{}, w); err != nil {
		return nil, err
	}
	return &CSV[T]{name: filepath.Base(path), f: f, w: w}, nil
}

// Add writes one record.
func (c *CSV[T]) Add(rec T) error {
	if err := gocsv.MarshalCSVWithoutHeaders([]T{rec}, c.w); err != nil {
		return fmt.Errorf("%s: %w", c.name, err)
	}
	c.f.Rows++
	return nil
}

// Rejects streams rejects.csv.
type Rejects struct{ csv *CSV[Reject] }

// NewRejects starts rejects.csv at path.
func NewRejects(b *sink.Batch, path string) (*Rejects, error) {
	c, err := NewCSV[Reject](b, path)
	return &Rejects{c}, err
}

// Add writes one reject. Staff open rejects.csv in a spreadsheet, so a
// value that would run as a formula there (=, +, -, @) is shown with a
// leading apostrophe; the import files are never altered this way.
func (r *Rejects) Add(rej Reject) error {
	rej.Value, rej.Row, rej.Column = Inert(rej.Value), Inert(rej.Row), Inert(rej.Column)
	return r.csv.Add(rej)
}

// Inert shows a value that a spreadsheet would run as a formula with a
// leading apostrophe. Only for reports people open, never import files.
func Inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteJSON writes v as indented JSON into a new file of the batch.
func WriteJSON(b *sink.Batch, path string, v any) error {
	f, err := b.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Files lists what the batch has written so far, with paths relative to
// out, for the summary that is written last.
func Files(b *sink.Batch, out string) []sink.Info {
	files := b.Pending()
	for i := range files {
		rel, _ := filepath.Rel(out, files[i].Path)
		files[i].Path = filepath.ToSlash(rel)
	}
	return files
}
