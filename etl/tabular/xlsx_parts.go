package tabular

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf16"
)

// pkg indexes the parts of the workbook's zip by name. Every part is read
// from the zip as a stream, and only the ones the reader needs: the
// workbook, its relationships, the styles, the shared strings and the
// sheets it looks at.
type pkg struct {
	parts map[string]*zip.File // by lower-cased name: OPC names are case-insensitive
}

func newPkg(zr *zip.Reader) *pkg {
	p := &pkg{parts: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		name := strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/")
		p.parts[strings.ToLower(name)] = f
	}
	return p
}

func (p *pkg) part(name string) *zip.File {
	return p.parts[strings.ToLower(strings.TrimPrefix(name, "/"))]
}

// unpackedSize is what the zip says its parts unpack to; archive/zip refuses
// to read a part past its declared size, so the sum bounds the real work.
func (p *pkg) unpackedSize() uint64 {
	var n uint64
	for _, f := range p.parts {
		n += f.UncompressedSize64
	}
	return n
}

// xmlDecoder streams one part. RawToken is used throughout: it skips
// namespace bookkeeping, and the local names are the same in the
// transitional and strict dialects of the format.
func (p *pkg) open(name string) (io.ReadCloser, *xml.Decoder, error) {
	f := p.part(name)
	if f == nil {
		return nil, nil, fmt.Errorf("the workbook has no part %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("part %s: %w", name, err)
	}
	return rc, xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10)), nil
}

type rel struct{ typ, target string }

// rels reads the relationships of part (targets resolved to part names).
func (p *pkg) rels(part string) (map[string]rel, error) {
	dir, base := path.Split(part)
	rc, dec, err := p.open(dir + "_rels/" + base + ".rels")
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out := map[string]rel{}
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("relationships of %s: %w", part, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		if attr(se, "TargetMode") == "External" {
			continue
		}
		target := attr(se, "Target")
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join(dir, target)
		}
		out[attr(se, "Id")] = rel{typ: attr(se, "Type"), target: target}
	}
}

// sheetInfo is one sheet of the workbook: where its cells live, and kind,
// the last element of its relationship type: "worksheet", "chartsheet",
// "dialogsheet"...
type sheetInfo struct {
	name, part, kind string
	hidden           bool
}

// workbookInfo is what the reader needs of the workbook part: its sheets in
// the workbook's order, its date system, and where its shared strings and
// styles are ("" when it has none).
type workbookInfo struct {
	sheets      []sheetInfo
	date1904    bool
	sst, styles string
}

// workbook reads the workbook part: the one the main _rels/.rels names, or
// xl/workbook.xml when there is no such list. Any other zip (a .docx, an
// archive renamed .xlsx) is refused here with a message a person can act on.
func (p *pkg) workbook() (*workbookInfo, error) {
	book := "xl/workbook.xml"
	if p.part("_rels/.rels") != nil {
		root, err := p.rels("")
		if err != nil {
			return nil, err
		}
		for _, r := range root {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				book = r.target
			}
		}
	}
	const save = "; save it again from Excel as .xlsx or CSV UTF-8"
	if p.part(book) == nil {
		return nil, fmt.Errorf("the file is a zip archive but not an Excel workbook (it has no %s)%s", book, save)
	}
	rc, dec, err := p.open(book)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	wb := &workbookInfo{}
	var ids []string // r:id of each sheet
	for seenRoot := false; ; {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) && seenRoot {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", book, noEOF(err))
		}
		se, ok := tok.(xml.StartElement)
		switch {
		case !ok:
		case !seenRoot:
			if se.Name.Local != "workbook" {
				return nil, fmt.Errorf("the file is a zip archive but not an Excel workbook (its main part %s is a <%s>, not a <workbook>)%s", book, se.Name.Local, save)
			}
			seenRoot = true
		case se.Name.Local == "workbookPr":
			if v := attr(se, "date1904"); v != "" {
				if wb.date1904, err = strconv.ParseBool(strings.TrimSpace(v)); err != nil {
					return nil, fmt.Errorf("%s: date1904 is %q, not true or false; the workbook is damaged", book, v)
				}
			}
		case se.Name.Local == "sheet":
			state := attr(se, "state") // "hidden" and "veryHidden" both hide it
			wb.sheets = append(wb.sheets, sheetInfo{name: attr(se, "name"), hidden: state != "" && state != "visible"})
			// r:id is the only namespaced "id"; sheetId is a different name.
			var id string
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					id = a.Value
				}
			}
			ids = append(ids, id)
		}
	}
	brels, err := p.rels(book)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		r := brels[id]
		wb.sheets[i].part, wb.sheets[i].kind = r.target, path.Base(r.typ)
	}
	for _, r := range brels {
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			wb.sst = r.target
		case strings.HasSuffix(r.typ, "/styles"):
			wb.styles = r.target
		}
	}
	return wb, nil
}

// numFormats reads the styles part for the number format of each cell
// style: formats[i] is that of the cells with s="i", the i-th <xf> of
// <cellXfs>. The <xf> elements of <cellStyleXfs> and the <numFmt> of <dxfs>
// (conditional formats) are other tables and are passed over.
func (p *pkg) numFormats(part string) ([]numFormat, error) {
	if part == "" || p.part(part) == nil {
		return nil, nil // no styles: every number shows as General
	}
	rc, dec, err := p.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	custom := map[int]string{}
	var ids []int
	var in string // "numFmts" or "cellXfs" while inside one
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("styles %s: %w; the workbook is damaged", part, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch name := el.Name.Local; {
			case name == "numFmts" || name == "cellXfs":
				in = name
			case in == "numFmts" && name == "numFmt":
				custom[fmtID(el)] = attr(el, "formatCode")
			case in == "cellXfs" && name == "xf":
				ids = append(ids, fmtID(el))
				if err := skip(dec); err != nil { // its alignment and protection
					return nil, fmt.Errorf("styles %s: %w; the workbook is damaged", part, noEOF(err))
				}
			}
		case xml.EndElement:
			if el.Name.Local == in {
				in = ""
			}
		}
	}
	formats := make([]numFormat, len(ids))
	for i, id := range ids {
		formats[i] = classify(id, custom)
	}
	return formats, nil
}

// fmtID is the numFmtId of a <numFmt> or <xf>; 0 (General) when absent or
// not a number.
func fmtID(se xml.StartElement) int {
	id, _ := strconv.Atoi(strings.TrimSpace(attr(se, "numFmtId")))
	return id
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// sstSpillSize is the unpacked size above which the shared-string table is
// kept in a temporary file rather than in memory. A variable for tests.
var sstSpillSize uint64 = 16 << 20

// sharedStrings is the workbook's string table, concatenated: string i is
// text[ends[i-1]:ends[i]]. Large tables live in a temporary file so memory
// stays at eight bytes a string.
type sharedStrings struct {
	ends []int64
	mem  []byte
	file *os.File
}

func loadSharedStrings(p *pkg, part string) (*sharedStrings, error) {
	s := &sharedStrings{}
	if part == "" || p.part(part) == nil {
		return s, nil
	}
	var w io.Writer = (*byteSink)(&s.mem)
	var bw *bufio.Writer
	if p.part(part).UncompressedSize64 > sstSpillSize {
		f, err := os.CreateTemp("", "tabular-sst-*")
		if err != nil {
			return nil, err
		}
		s.file = f
		bw = bufio.NewWriterSize(f, 64<<10)
		w = bw
	}
	if err := s.fill(p, part, w); err != nil {
		s.close()
		return nil, err
	}
	if bw != nil {
		if err := bw.Flush(); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

type byteSink []byte

func (b *byteSink) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}

func (s *sharedStrings) fill(p *pkg, part string, w io.Writer) error {
	rc, dec, err := p.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	var off int64
	var buf []byte
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("shared strings: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "si" {
			if buf, err = richText(dec, buf[:0]); err != nil {
				return fmt.Errorf("shared strings: %w", err)
			}
			text := unescapeXstring(buf)
			if _, err := w.Write(text); err != nil {
				return err
			}
			off += int64(len(text))
			s.ends = append(s.ends, off)
		}
	}
}

func (s *sharedStrings) get(i int) (string, error) {
	if i < 0 || i >= len(s.ends) {
		return "", fmt.Errorf("shared string %d does not exist (the table has %d); the workbook is damaged", i, len(s.ends))
	}
	var from int64
	if i > 0 {
		from = s.ends[i-1]
	}
	to := s.ends[i]
	if s.file == nil {
		return string(s.mem[from:to]), nil
	}
	b := make([]byte, to-from)
	if _, err := s.file.ReadAt(b, from); err != nil {
		return "", fmt.Errorf("shared string %d: %w", i, err)
	}
	return string(b), nil
}

func (s *sharedStrings) close() {
	if s != nil && s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
}

// richText appends the text of the element just opened (a shared string
// <si> or an inline <is>): its <t> runs, without the phonetic guides in
// <rPh> that Excel keeps beside Japanese text.
func richText(dec *xml.Decoder, buf []byte) ([]byte, error) {
	depth, inT := 1, false
	for depth > 0 {
		tok, err := dec.RawToken()
		if err != nil {
			return buf, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			switch el.Name.Local {
			case "rPh":
				if err := skip(dec); err != nil {
					return buf, err
				}
				depth--
			case "t":
				inT = true
			}
		case xml.EndElement:
			depth--
			if el.Name.Local == "t" {
				inT = false
			}
		case xml.CharData:
			if inT {
				buf = append(buf, el...)
			}
		}
	}
	return buf, nil
}

// skip passes over the rest of the element just opened. Decoder.Skip cannot
// be used: it checks nesting that RawToken does not record.
func skip(dec *xml.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.RawToken()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// unescapeXstring decodes the _xHHHH_ escapes with which the format stores
// characters XML cannot carry (a literal "_x" is itself written _x005F_x).
func unescapeXstring(b []byte) []byte {
	if !strings.Contains(string(b), "_x") {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		u, ok := xescape(b[i:])
		if !ok {
			out = append(out, b[i])
			i++
			continue
		}
		i += 7
		if utf16.IsSurrogate(rune(u)) {
			if lo, ok := xescape(b[i:]); ok {
				if r := utf16.DecodeRune(rune(u), rune(lo)); r != '\uFFFD' {
					out = append(out, string(r)...)
					i += 7
					continue
				}
			}
		}
		out = append(out, string(rune(u))...)
	}
	return out
}

func xescape(b []byte) (uint16, bool) {
	if len(b) < 7 || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	u, err := strconv.ParseUint(string(b[2:6]), 16, 16)
	return uint16(u), err == nil
}
