package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

type csvReader struct {
	name    string
	closer  io.Closer
	r       *csv.Reader
	raw     *rawTap
	header  []string
	hline   int
	stats   Stats
	lastOff int64
}

// NewCSV reads CSV text from r. name is used in every message.
func NewCSV(name string, r io.Reader, opt Options) (Reader, error) {
	c := &csvReader{name: name}
	if cl, ok := r.(io.Closer); ok {
		c.closer = cl
	}
	text, charset, err := decode(name, r, opt.Charset)
	if err != nil {
		c.Close()
		return nil, err
	}
	c.stats.Charset = charset
	br := bufio.NewReaderSize(text, 64<<10)
	head, _ := br.Peek(64 << 10)
	var src io.Reader = br
	if crOnly(head) {
		src = crToLF{br}
		head = bytes.ReplaceAll(head, []byte("\r"), []byte("\n"))
	}
	delim := opt.Delimiter
	if delim == 0 {
		delim = sniffDelimiter(head)
		opt.log().Info("delimiter detected", "file", name, "delimiter", string(delim))
	}
	c.stats.Delimiter = string(delim)
	c.raw = &rawTap{r: src}
	c.r = csv.NewReader(c.raw)
	c.r.Comma = delim
	c.r.FieldsPerRecord = -1
	c.r.LazyQuotes = opt.LazyQuotes
	c.r.ReuseRecord = false

	for {
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			c.Close()
			return nil, fmt.Errorf("%s: the file is empty; expected a header line", name)
		}
		if err != nil {
			c.Close()
			return nil, c.wrap(err)
		}
		line, _ := c.r.FieldPos(0)
		c.lastOff = c.r.InputOffset()
		c.raw.discard(c.lastOff)
		if blank(rec) {
			c.stats.BlankRows++
			continue
		}
		c.header, c.hline = rec, line
		break
	}
	return c, nil
}

func (c *csvReader) Header() []string { return c.header }
func (c *csvReader) HeaderLine() int  { return c.hline }
func (c *csvReader) Stats() Stats     { return c.stats }

func (c *csvReader) Close() error {
	if c.closer != nil {
		err := c.closer.Close()
		c.closer = nil
		return err
	}
	return nil
}

func (c *csvReader) Next() (Row, error) {
	for {
		rec, err := c.r.Read()
		off := c.r.InputOffset()
		raw := strings.Trim(c.raw.take(c.lastOff, off), "\r\n")
		c.lastOff = off
		if errors.Is(err, io.EOF) {
			return Row{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Row{}, c.parseError(pe, raw)
			}
			return Row{}, c.wrap(err)
		}
		line, _ := c.r.FieldPos(0)
		if blank(rec) {
			c.stats.BlankRows++
			continue
		}
		if len(rec) != len(c.header) {
			e := &RowError{File: c.name, Line: line, Raw: raw,
				Reason: fmt.Sprintf("record has %d fields, the header has %d", len(rec), len(c.header))}
			if len(rec) < len(c.header) {
				e.Column = c.header[len(rec)]
				e.Reason += "; it ends before this column"
			} else {
				e.Column = fmt.Sprintf("field %d (beyond the header)", len(c.header)+1)
				e.Value = rec[len(c.header)]
			}
			return Row{}, e
		}
		return Row{File: c.name, Line: line, Cells: rec, Raw: raw}, nil
	}
}

func (c *csvReader) parseError(pe *csv.ParseError, raw string) error {
	col := ""
	if pe.Column > 0 {
		col = fmt.Sprintf("byte %d of line %d", pe.Column, pe.Line)
		if pe.Line == pe.StartLine {
			if i := fieldAt(raw, pe.Column, c.r.Comma); i < len(c.header) {
				col = c.header[i]
			}
		}
	}
	reason := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		reason += ` (a " inside an unquoted value; quote the value and double the quote, or set lazy_quotes for this source)`
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line != pe.StartLine:
		reason = fmt.Sprintf(`a quoted value that starts on line %d is not closed properly (found on line %d); check for a missing or stray "`, pe.StartLine, pe.Line)
	}
	line := pe.StartLine
	if line == 0 {
		line = pe.Line
	}
	return &RowError{File: c.name, Line: line, Column: col, Reason: reason, Raw: raw}
}

func (c *csvReader) wrap(err error) error {
	var de *decodeError
	if errors.As(err, &de) {
		return fmt.Errorf("%s: %w", c.name, err)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: header line: %v", c.name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", c.name, err)
}

// fieldAt says which field of a record's first line the 1-based byte
// position pos falls in, counting delimiters outside quotes.
func fieldAt(line string, pos int, comma rune) int {
	field, inQuote := 0, false
	for i, r := range line {
		if i >= pos-1 || r == '\n' {
			break
		}
		switch {
		case r == '"':
			inQuote = !inQuote
		case r == comma && !inQuote:
			field++
		}
	}
	return field
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// decode turns the byte stream into UTF-8 text: a BOM decides first, then the
// configured charset; without either, bytes must already be valid UTF-8.
func decode(name string, r io.Reader, charset string) (io.Reader, string, error) {
	br := bufio.NewReader(r)
	bom, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(bom, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
		return &utf8Check{r: br, line: 1}, "utf-8", nil
	case bytes.HasPrefix(bom, []byte("\xFF\xFE")):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(br), "utf-16le", nil
	case bytes.HasPrefix(bom, []byte("\xFE\xFF")):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Reader(br), "utf-16be", nil
	}
	if head, _ := br.Peek(4096); bytes.IndexByte(head, 0) >= 0 {
		return nil, "", fmt.Errorf("%s: the file contains NUL bytes: it is UTF-16 without a byte-order mark, or not a text file at all; save it from Excel as CSV UTF-8", name)
	}
	switch strings.ToLower(strings.ReplaceAll(charset, "_", "-")) {
	case "", "utf-8", "utf8":
		return &utf8Check{r: br, line: 1}, "utf-8", nil
	case "windows-1252", "cp1252", "latin1", "iso-8859-1":
		return charmap.Windows1252.NewDecoder().Reader(br), "windows-1252", nil
	}
	return nil, "", fmt.Errorf("%s: unknown charset %q (use utf-8 or windows-1252)", name, charset)
}

type decodeError struct {
	line int
	off  int64
	b    byte
}

func (e *decodeError) Error() string {
	return fmt.Sprintf("line %d, byte offset %d: invalid UTF-8 byte 0x%02X; if the file comes from AIM or Excel in Windows-1252, read it with --encoding windows-1252 (or encoding: in the mapping), or save it as CSV UTF-8", e.line, e.off, e.b)
}

// utf8Check passes UTF-8 through and fails at the first invalid byte,
// naming its line and absolute byte offset.
type utf8Check struct {
	r     io.Reader
	carry []byte
	off   int64 // offset of the first byte of carry/next chunk
	line  int
	err   error
}

func (u *utf8Check) Read(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	if len(p) < utf8.UTFMax {
		return 0, io.ErrShortBuffer
	}
	n := copy(p, u.carry)
	u.carry = u.carry[:0]
	m, rerr := u.r.Read(p[n:])
	n += m
	buf := p[:n]
	i := 0
	for i < len(buf) {
		b := buf[i]
		if b < utf8.RuneSelf {
			if b == '\n' {
				u.line++
			}
			i++
			continue
		}
		if !utf8.FullRune(buf[i:]) && rerr == nil {
			u.carry = append(u.carry, buf[i:]...)
			break
		}
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size <= 1 {
			u.err = &decodeError{line: u.line, off: u.off + int64(i), b: b}
			u.off += int64(i)
			return i, nil
		}
		i += size
	}
	u.off += int64(i)
	if rerr != nil && len(u.carry) > 0 {
		u.err = &decodeError{line: u.line, off: u.off, b: u.carry[0]}
		return i, nil
	}
	return i, rerr
}

// crOnly reports whether the first line break in head is a bare CR, the
// line ending of old Mac exports.
func crOnly(head []byte) bool {
	i := bytes.IndexAny(head, "\r\n")
	return i >= 0 && head[i] == '\r' && (i+1 >= len(head) || head[i+1] != '\n')
}

type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// sniffDelimiter picks the most frequent of , ; and tab outside quotes on
// the header line; a one-column header means comma.
func sniffDelimiter(head []byte) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, r := range string(head) {
		if r == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if r == '\n' || r == '\r' {
			break
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{',', ';', '\t'} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}

// rawTap keeps the decoded bytes the CSV parser has read but whose record
// has not been taken yet, so a rejected record can be copied out verbatim.
type rawTap struct {
	r    io.Reader
	buf  []byte
	base int64 // input offset of buf[0]
}

func (t *rawTap) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

func (t *rawTap) take(from, to int64) string {
	lo, hi := from-t.base, to-t.base
	if lo < 0 || hi > int64(len(t.buf)) || lo > hi {
		return ""
	}
	s := string(t.buf[lo:hi])
	t.discard(to)
	return s
}

func (t *rawTap) discard(to int64) {
	k := to - t.base
	if k <= 0 {
		return
	}
	if k > int64(len(t.buf)) {
		k = int64(len(t.buf))
	}
	t.buf = append(t.buf[:0], t.buf[k:]...)
	t.base += k
}
