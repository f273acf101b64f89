package orders

import (
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/gocarina/gocsv"
	"github.com/xuri/excelize/v2"
)

// AIMWriter writes the AIM order import. It is an interface because
// Tri-Tech's own route for third-party orders is XML over FTP with an
// unpublished schema (formats/aim.md §1.3); a writer for it can replace
// the CSV one without touching the rules.
type AIMWriter interface {
	// WriteOrder writes the lines of one order, all or none.
	WriteOrder(recs []Record) error
	Close() error
}

// AIM file formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// NewAIMWriter starts the AIM file at path in b, laid out by l.
func NewAIMWriter(b *sink.Batch, path, format string, l *Layout) (AIMWriter, error) {
	f, err := b.Create(path)
	if err != nil {
		return nil, err
	}
	var out rowSink
	switch format {
	case FormatCSV, "":
		if l.BOM {
			if _, err := f.Write([]byte("\xEF\xBB\xBF")); err != nil {
				return nil, err
			}
		}
		out = &csvSink{w: csv.NewWriter(f)}
	case FormatXLSX:
		ints := make([]bool, len(l.Columns))
		for i, c := range l.Columns {
			ints[i] = integerKeys[c.Key]
		}
		out, err = newXLSXSink(f, ints)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("AIM file format %q: use csv or xlsx", format)
	}
	w := &aimWriter{lw: &layoutWriter{layout: l, out: out}, file: f}
	// gocsv writes the canonical keys as the header; layoutWriter turns
	// them into the layout's order and names.
	if err := gocsv.MarshalCSV([]Record{}, w.lw); err != nil {
		return nil, err
	}
	return w, nil
}

type aimWriter struct {
	lw   *layoutWriter
	file *sink.File
}

func (w *aimWriter) WriteOrder(recs []Record) error {
	if err := gocsv.MarshalCSVWithoutHeaders(recs, w.lw); err != nil {
		return fmt.Errorf("%s: %w", w.file.Path(), err)
	}
	w.file.Rows += len(recs)
	return nil
}

func (w *aimWriter) Close() error { return w.lw.out.close() }

// rowSink is a file format that takes rows of text.
type rowSink interface {
	writeRow(cells []string) error
	close() error
}

// layoutWriter is the gocsv.CSVWriter gocsv writes Records into. The first
// row it gets is the canonical keys; from it, it learns where each layout
// column sits, and it writes the layout's headers instead.
type layoutWriter struct {
	layout *Layout
	out    rowSink
	perm   []int // layout column i is gocsv column perm[i]
	row    []string
}

func (w *layoutWriter) Write(rec []string) error {
	if w.perm == nil {
		pos := make(map[string]int, len(rec))
		for i, k := range rec {
			pos[k] = i
		}
		w.perm = make([]int, len(w.layout.Columns))
		header := make([]string, len(w.layout.Columns))
		for i, c := range w.layout.Columns {
			j, ok := pos[c.Key]
			if !ok {
				return fmt.Errorf("layout %s: no column %q in the AIM record", w.layout.Name, c.Key)
			}
			w.perm[i], header[i] = j, c.Header
		}
		w.row = make([]string, len(w.perm))
		return w.out.writeRow(header)
	}
	for i, j := range w.perm {
		w.row[i] = rec[j]
	}
	return w.out.writeRow(w.row)
}

func (w *layoutWriter) Flush()       {}
func (w *layoutWriter) Error() error { return nil }

type csvSink struct{ w *csv.Writer }

func (s *csvSink) writeRow(cells []string) error { return s.w.Write(cells) }

func (s *csvSink) close() error {
	s.w.Flush()
	return s.w.Error()
}

// xlsxSink streams one sheet. SKUs, serials and postal codes are text
// cells in text format, so leading zeros survive Excel; counts are
// numbers; money stays text, exactly as in the CSV, because a number cell
// would go through float64.
type xlsxSink struct {
	out   *sink.File
	f     *excelize.File
	sw    *excelize.StreamWriter
	ints  []bool
	text  int // style id of the text cells
	row   int
	cells []any
}

const aimSheet = "AIM Orders"

func newXLSXSink(out *sink.File, ints []bool) (*xlsxSink, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", aimSheet); err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@"
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(aimSheet)
	if err != nil {
		return nil, err
	}
	return &xlsxSink{out: out, f: f, sw: sw, ints: ints, text: text, cells: make([]any, len(ints))}, nil
}

func (s *xlsxSink) writeRow(cells []string) error {
	s.row++
	if s.row > excelize.TotalRows {
		return fmt.Errorf("the AIM file would have more than %d rows, which is all one worksheet holds; use --aim-format csv or split the input", excelize.TotalRows)
	}
	for i, c := range cells {
		if s.row > 1 && s.ints[i] {
			n, err := strconv.Atoi(c)
			if err != nil {
				return fmt.Errorf("xlsx row %d: %q is not a whole number", s.row, c)
			}
			s.cells[i] = n
			continue
		}
		s.cells[i] = excelize.Cell{StyleID: s.text, Value: c}
	}
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, s.cells)
}

func (s *xlsxSink) close() error {
	if err := s.sw.Flush(); err != nil {
		return err
	}
	if err := s.f.Write(s.out); err != nil {
		return err
	}
	return s.f.Close()
}
