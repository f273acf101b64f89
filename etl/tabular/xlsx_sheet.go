package tabular

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Sheet limits fixed by the file format.
const (
	maxSheetRows = 1 << 20
	maxSheetCols = 1 << 14
)

// rawCell is a <c> element as stored: type, style and value text.
type rawCell struct {
	t, v       string
	style      int
	hasV, hasF bool
	inline     []byte
}

// sheetRow is one <row>, rendered: cells[i] is column i+1, up to the last
// non-empty cell. fault is the first cell that could not be rendered; its
// raw value stands in cells so the row can still be shown.
type sheetRow struct {
	num   int
	cells []string
	fault *cellFault
}

type cellFault struct {
	col           int
	value, reason string
}

func (r *sheetRow) blank() bool {
	return r.fault == nil && blank(r.cells)
}

// sheetStream walks a worksheet part's <sheetData> one <row> at a time, so
// memory holds one row whatever the sheet's length.
type sheetStream struct {
	b     *book
	rc    io.Closer
	dec   *xml.Decoder
	prev  int // number of the last row returned
	width int // expected row width, to size each row once
	cell  rawCell
	done  bool
}

func (b *book) stream(part string) (*sheetStream, error) {
	rc, dec, err := b.pkg.open(part)
	if err != nil {
		return nil, err
	}
	return &sheetStream{b: b, rc: rc, dec: dec}, nil
}

func (s *sheetStream) close() {
	if s.rc != nil {
		s.rc.Close()
		s.rc = nil
	}
	s.done = true
}

// next returns the next <row> element, io.EOF after </sheetData>. Rows
// absent from the file are not returned: the caller sees the jump in num.
func (s *sheetStream) next() (sheetRow, error) {
	for !s.done {
		tok, err := s.dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sheetRow{}, fmt.Errorf("after row %d: %w", s.prev, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "row" {
				return s.row(el)
			}
		case xml.EndElement:
			if el.Name.Local == "sheetData" {
				s.close()
			}
		}
	}
	s.close()
	return sheetRow{}, io.EOF
}

func (s *sheetStream) row(se xml.StartElement) (sheetRow, error) {
	num := s.prev + 1
	if r := attr(se, "r"); r != "" {
		n, err := strconv.Atoi(r)
		if err != nil || n < 1 || n > maxSheetRows {
			return sheetRow{}, fmt.Errorf("after row %d: bad row number %q", s.prev, r)
		}
		num = n
	}
	if num <= s.prev {
		return sheetRow{}, fmt.Errorf("row %d follows row %d; the sheet is damaged", num, s.prev)
	}
	s.prev = num
	row := sheetRow{num: num, cells: make([]string, 0, s.width)}
	col := 0
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			return row, fmt.Errorf("row %d: %w", num, noEOF(err))
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local != "c" {
				if err := skip(s.dec); err != nil {
					return row, fmt.Errorf("row %d: %w", num, noEOF(err))
				}
				continue
			}
			if col, err = s.readCell(el, col); err != nil {
				return row, fmt.Errorf("row %d: %w", num, noEOF(err))
			}
			if err := s.place(&row, col); err != nil {
				return row, fmt.Errorf("row %d, column %s: %w", num, colLetters(col), err)
			}
		case xml.EndElement:
			if el.Name.Local == "row" {
				return row, nil
			}
		}
	}
}

// readCell reads one <c> into s.cell and returns its column: from its
// reference, or the one after the previous cell when it has none.
func (s *sheetStream) readCell(se xml.StartElement, prevCol int) (int, error) {
	c := &s.cell
	*c = rawCell{inline: c.inline[:0]}
	col := prevCol + 1
	for _, a := range se.Attr {
		switch a.Name.Local {
		case "r":
			n, err := refColumn(a.Value)
			if err != nil {
				return 0, err
			}
			col = n
		case "t":
			c.t = a.Value
		case "s":
			c.style, _ = strconv.Atoi(a.Value)
		}
	}
	if col > maxSheetCols {
		return 0, fmt.Errorf("cell beyond column XFD")
	}
	var err error
	for {
		tok, terr := s.dec.RawToken()
		if terr != nil {
			return 0, terr
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "v":
				c.hasV = true
				c.v, err = elementText(s.dec)
			case "f":
				c.hasF = true
				err = skip(s.dec)
			case "is":
				c.inline, err = richText(s.dec, c.inline)
			default:
				err = skip(s.dec)
			}
			if err != nil {
				return 0, err
			}
		case xml.EndElement:
			if el.Name.Local == "c" {
				return col, nil
			}
		}
	}
}

// place renders s.cell into row at col.
func (s *sheetStream) place(row *sheetRow, col int) error {
	text, reason, err := s.b.render(&s.cell)
	if err != nil {
		return err
	}
	if reason != "" {
		text = s.cell.v
		if row.fault == nil {
			row.fault = &cellFault{col: col, value: s.cell.v, reason: reason}
		}
	}
	if text == "" {
		return nil // styled empty cells do not widen the row
	}
	for len(row.cells) < col {
		row.cells = append(row.cells, "")
	}
	row.cells[col-1] = text
	return nil
}

// elementText reads the text of the element just opened, up to its end.
func elementText(dec *xml.Decoder) (string, error) {
	var text []byte
	for depth := 1; depth > 0; {
		tok, err := dec.RawToken()
		if err != nil {
			return "", err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			text = append(text, el...)
		}
	}
	return string(text), nil
}

func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// refColumn is the column number of a cell reference such as "AB12".
func refColumn(ref string) (int, error) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > maxSheetCols {
			return 0, fmt.Errorf("cell reference %q is beyond column XFD", ref)
		}
	}
	if i == 0 {
		return 0, fmt.Errorf("bad cell reference %q", ref)
	}
	return col, nil
}

// colLetters names column n (1-based) as Excel does: A, Z, AA, XFD.
func colLetters(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// rowSource skips rows without content and counts them, with the rows
// absent from the file between two present ones, in stats.BlankRows. It
// reads to the end of the sheet whatever the run of blank rows: Excel writes
// formatted-but-empty rows down to row 1,048,576, but a value after them is
// still data, and streaming a million empty rows takes seconds, not memory.
type rowSource struct {
	s     *sheetStream
	stats *Stats
}

func (r *rowSource) next() (sheetRow, error) {
	for {
		prev := r.s.prev
		row, err := r.s.next()
		if err != nil {
			return row, err
		}
		r.stats.BlankRows += row.num - prev - 1
		if !row.blank() {
			return row, nil
		}
		r.stats.BlankRows++
	}
}

// trimBlankTail drops the empty cells a styled header row carries past its
// last name.
func trimBlankTail(cells []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n]
}
