package tabular

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

const defaultMaxUnzip = 1 << 30

// book is what every sheet of one workbook shares.
type book struct {
	pkg      *pkg
	sst      *sharedStrings
	date1904 bool
	formats  []numFormat // by cell style
	sheets   []sheetInfo // in the workbook's order
}

type xlsxReader struct {
	name   string
	osf    *os.File
	b      *book
	rows   *rowSource
	header []string
	hline  int
	stats  Stats
}

func newXLSX(name string, f *os.File, opt Options) (Reader, error) {
	x := &xlsxReader{name: name, osf: f}
	if err := x.open(opt); err != nil {
		x.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return x, nil
}

func (x *xlsxReader) open(opt Options) error {
	limit := opt.MaxUnzipSize
	if limit <= 0 {
		limit = defaultMaxUnzip
	}
	st, err := x.osf.Stat()
	if err != nil {
		return err
	}
	if st.Size() > limit {
		return fmt.Errorf("the workbook is %d bytes, over the %d-byte limit for workbooks", st.Size(), limit)
	}
	zr, err := zip.NewReader(x.osf, st.Size())
	if err != nil {
		return fmt.Errorf("not a readable .xlsx workbook (%v); save it again from Excel as .xlsx or CSV UTF-8", err)
	}
	p := newPkg(zr)
	// A zip bomb declares what it unpacks to, and archive/zip stops any
	// part at its declared size, so the sum is checked before anything is
	// unpacked.
	if n := p.unpackedSize(); n > uint64(limit) {
		return fmt.Errorf("the workbook unpacks to %d bytes, over the %d-byte limit; refusing it as a possible zip bomb (raise the limit only for a workbook you trust)", n, limit)
	}
	// Only the parts the reader needs are unpacked, each as a stream: the
	// workbook is never held whole, in memory or in a temporary file.
	wb, err := p.workbook()
	if err != nil {
		return err
	}
	b := &book{pkg: p, date1904: wb.date1904, sheets: wb.sheets}
	x.b = b
	if b.formats, err = p.numFormats(wb.styles); err != nil {
		return err
	}
	if b.sst, err = loadSharedStrings(p, wb.sst); err != nil {
		return err
	}
	sheet, why, err := b.choose(opt)
	if err != nil {
		return err
	}
	opt.log().Info("sheet chosen", "file", x.name, "sheet", sheet.name, "why", why)
	x.stats.Sheet = sheet.name
	return x.start(sheet)
}

// start opens the chosen sheet and reads up to its header.
func (x *xlsxReader) start(sh sheetInfo) error {
	sheet := sh.name
	s, err := x.b.stream(sh.part)
	if err != nil {
		return fmt.Errorf("sheet %q: %w", sheet, err)
	}
	x.rows = &rowSource{s: s, stats: &x.stats}
	row, err := x.rows.next()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("sheet %q is empty; expected a header row", sheet)
	}
	if err != nil {
		return fmt.Errorf("sheet %q: %w", sheet, err)
	}
	x.header, x.hline = trimBlankTail(row.cells), row.num
	if len(x.header) == 0 {
		return fmt.Errorf("sheet %q: the header row %d has no names", sheet, row.num)
	}
	s.width = len(x.header)
	return nil
}

func (x *xlsxReader) Header() []string { return x.header }
func (x *xlsxReader) HeaderLine() int  { return x.hline }
func (x *xlsxReader) Stats() Stats     { return x.stats }

func (x *xlsxReader) Close() error {
	if x.rows != nil {
		x.rows.s.close()
		x.rows = nil
	}
	var err error
	if x.b != nil {
		x.b.sst.close()
		x.b = nil
	}
	if x.osf != nil {
		if cerr := x.osf.Close(); err == nil {
			err = cerr
		}
		x.osf = nil
	}
	return err
}

func (x *xlsxReader) Next() (Row, error) {
	if x.rows == nil {
		return Row{}, io.EOF
	}
	row, err := x.rows.next()
	if errors.Is(err, io.EOF) {
		return Row{}, io.EOF
	}
	if err != nil {
		return Row{}, fmt.Errorf("%s: sheet %q: %w", x.name, x.stats.Sheet, err)
	}
	cells := row.cells
	for len(cells) < len(x.header) {
		cells = append(cells, "")
	}
	raw := strings.Join(cells, ",")
	if f := row.fault; f != nil && f.col <= len(x.header) {
		return Row{}, &RowError{File: x.name, Line: row.num, Column: x.column(f.col),
			Value: f.value, Reason: f.reason, Raw: raw}
	}
	for i := len(x.header); i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			return Row{}, x.beyond(row.num, i+1, cells[i], raw)
		}
	}
	if f := row.fault; f != nil {
		return Row{}, x.beyond(row.num, f.col, f.value, raw) // a formula with no result, past the header
	}
	if len(cells) > len(x.header) {
		cells = cells[:len(x.header)]
		raw = strings.Join(cells, ",")
	}
	return Row{File: x.name, Line: row.num, Cells: cells, Raw: raw}, nil
}

func (x *xlsxReader) beyond(line, col int, value, raw string) *RowError {
	return &RowError{File: x.name, Line: line, Value: value, Raw: raw,
		Reason: fmt.Sprintf("row has a value in column %s beyond the header, which ends at column %s",
			colLetters(col), colLetters(len(x.header)))}
}

// column names a cell for a message: its header, or its letter when the
// header cell is empty.
func (x *xlsxReader) column(col int) string {
	if h := strings.TrimSpace(x.header[col-1]); h != "" {
		return x.header[col-1]
	}
	return "column " + colLetters(col)
}

// choose picks the sheet to read and says why: the one named in the
// settings, or else the only visible sheet whose header fits. Hidden sheets
// are old copies and scratch space far more often than data, so they are
// read only by name.
func (b *book) choose(opt Options) (sheet sheetInfo, why string, err error) {
	if opt.Sheet != "" {
		for _, sh := range b.sheets {
			if strings.EqualFold(sh.name, opt.Sheet) {
				if sh.kind != "worksheet" {
					return sheetInfo{}, "", fmt.Errorf("sheet %q is a %s, which has no cells to read", sh.name, orUnknown(sh.kind))
				}
				return sh, "named with --sheet", nil
			}
		}
		return sheetInfo{}, "", fmt.Errorf("--sheet (or the mapping's sheet) names %q, but the workbook has no such sheet; its sheets: %s",
			opt.Sheet, b.listSheets())
	}
	var fits []sheetInfo
	var notes []string
	for _, sh := range b.sheets {
		verdict := b.verdict(sh, opt.AcceptHeader)
		if verdict == "" {
			fits = append(fits, sh)
			verdict = "fits"
		}
		notes = append(notes, fmt.Sprintf("%q (%s): %s", sh.name, visibility(sh), verdict))
	}
	switch len(fits) {
	case 1:
		return fits[0], "the only visible sheet whose header fits", nil
	case 0:
		return sheetInfo{}, "", fmt.Errorf("no sheet to read: no visible sheet has a header that fits; name the sheet with --sheet. Sheets: %s",
			strings.Join(notes, "; "))
	}
	return sheetInfo{}, "", fmt.Errorf("%d visible sheets have a header that fits (%s); name the one to read with --sheet. Sheets: %s",
		len(fits), quoteAll(fits), strings.Join(notes, "; "))
}

// verdict says why a sheet cannot be picked, or "" when it can.
func (b *book) verdict(sh sheetInfo, accept func([]string) error) string {
	if sh.hidden {
		return "hidden; a hidden sheet is read only when named with --sheet"
	}
	if sh.kind != "worksheet" {
		return fmt.Sprintf("a %s, which has no cells", orUnknown(sh.kind))
	}
	header, line, err := b.peekHeader(sh.part)
	switch {
	case err != nil:
		return "cannot be read: " + err.Error()
	case len(header) == 0:
		return "empty"
	case accept == nil:
		return ""
	}
	if err := accept(header); err != nil {
		return fmt.Sprintf("header on row %d %s does not fit: %v", line, preview(header), err)
	}
	return ""
}

// peekHeader reads a sheet just far enough to find its first non-blank row.
func (b *book) peekHeader(part string) (header []string, line int, err error) {
	s, err := b.stream(part)
	if err != nil {
		return nil, 0, err
	}
	defer s.close()
	rows := &rowSource{s: s, stats: &Stats{}}
	row, err := rows.next()
	if errors.Is(err, io.EOF) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	return trimBlankTail(row.cells), row.num, nil
}

func (b *book) listSheets() string {
	out := make([]string, len(b.sheets))
	for i, sh := range b.sheets {
		out[i] = fmt.Sprintf("%q (%s)", sh.name, visibility(sh))
	}
	return strings.Join(out, ", ")
}

func visibility(sh sheetInfo) string {
	if sh.hidden {
		return "hidden"
	}
	return "visible"
}

func orUnknown(kind string) string {
	if kind == "" || kind == "." {
		return "sheet of unknown kind"
	}
	return kind
}

func quoteAll(sheets []sheetInfo) string {
	q := make([]string, len(sheets))
	for i, sh := range sheets {
		q[i] = fmt.Sprintf("%q", sh.name)
	}
	return strings.Join(q, ", ")
}

// preview shows the start of a header for a message.
func preview(header []string) string {
	const show = 6
	q := make([]string, 0, show+1)
	for i, h := range header {
		if i == show {
			q = append(q, "…")
			break
		}
		if r := []rune(h); len(r) > 40 {
			h = string(r[:40]) + "…"
		}
		q = append(q, fmt.Sprintf("%q", h))
	}
	return "[" + strings.Join(q, ", ") + "]"
}
