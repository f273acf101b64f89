package tabular

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// --- helpers -------------------------------------------------------------

func xlSave(t testing.TB, f *excelize.File, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// set writes cells given as "A1", value pairs.
func xlSet(t testing.TB, f *excelize.File, sheet string, kv ...any) {
	t.Helper()
	for i := 0; i < len(kv); i += 2 {
		if err := f.SetCellValue(sheet, kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
}

func xlStyle(t testing.TB, f *excelize.File, s *excelize.Style) int {
	t.Helper()
	id, err := f.NewStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func xlOpen(t testing.TB, path string, opt Options) Reader {
	t.Helper()
	r, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// readAll returns the rows and the row errors, failing on any other error.
func xlReadAll(t testing.TB, r Reader) ([]Row, []*RowError) {
	t.Helper()
	var rows []Row
	var rejects []*RowError
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, rejects
		}
		var re *RowError
		if errors.As(err, &re) {
			rejects = append(rejects, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
}

func xlCells(rows []Row) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r.Cells
	}
	return out
}

// patchPart rewrites one part of a saved workbook, for cell forms excelize
// does not write (error cells, phonetic runs, raw escapes).
func xlPatch(t testing.TB, path, part string, edit func(string) string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == part {
			b, found = []byte(edit(string(b))), true
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	zr.Close()
	if !found {
		t.Fatalf("no part %s", part)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func xlContains(t testing.TB, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%q\ndoes not contain %q", got, w)
		}
	}
}

func xlLogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// --- cells ---------------------------------------------------------------

func TestXLSXNumbersAsText(t *testing.T) { // I5
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A1", "SKU", "B1", "UPC", "C1", "Price", "D1", "Qty",
		"A2", 113942719, "B2", 885978123456, "C2", 12.5, "D2", 1299,
		"A3", 42, "B3", 0.1+0.2, "C3", -0.5, "D3", 1e-7)
	p := xlSave(t, f, "i5.xlsx")
	r := xlOpen(t, p, Options{})
	if got, want := r.Header(), []string{"SKU", "UPC", "Price", "Qty"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("header %q, want %q", got, want)
	}
	rows, rejects := xlReadAll(t, r)
	if len(rejects) > 0 {
		t.Fatal(rejects[0])
	}
	want := [][]string{
		{"113942719", "885978123456", "12.5", "1299"},
		{"42", "0.3", "-0.5", "0.0000001"},
	}
	if got := xlCells(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("cells %q, want %q", got, want)
	}
	if rows[0].Line != 2 || rows[0].File != "i5.xlsx" || rows[0].Raw != "113942719,885978123456,12.5,1299" {
		t.Errorf("row %+v", rows[0])
	}
	if s := r.Stats(); s.Sheet != "Sheet1" || s.BlankRows != 0 {
		t.Errorf("stats %+v", s)
	}
}

// A number formatted with only zeros shows padded to the format's width,
// which is how workbooks keep the leading zeros of SKUs and UPCs.
func TestXLSXZeroPaddingFormats(t *testing.T) {
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A1", "SKU", "B1", "UPC", "C1", "Code",
		"A2", 113942719, "B2", 12345678905, "C2", 1234567,
		"A3", 42, "B3", -42, "C3", 12.5,
		"A4", 0, "B4", 7, "C4", 1299)
	formats := map[string]string{"A2": "0000000000", "B2": "000000000000", "C2": "00000",
		"A3": "00000", "B3": "00000", "C3": "00000", "A4": "0000", "C4": "#,##0"}
	for cell, code := range formats {
		st := xlStyle(t, f, &excelize.Style{CustomNumFmt: &code})
		if err := f.SetCellStyle("Sheet1", cell, cell, st); err != nil {
			t.Fatal(err)
		}
	}
	builtinZero := xlStyle(t, f, &excelize.Style{NumFmt: 1}) // "0"
	if err := f.SetCellStyle("Sheet1", "B4", "B4", builtinZero); err != nil {
		t.Fatal(err)
	}
	rows, rejects := xlReadAll(t, xlOpen(t, xlSave(t, f, "zeros.xlsx"), Options{}))
	if len(rejects) > 0 {
		t.Fatal(rejects[0])
	}
	want := [][]string{
		{"0113942719", "012345678905", "1234567"}, // never cut to the width
		{"00042", "-00042", "12.5"},               // a fraction keeps its digits
		{"0000", "7", "1299"},
	}
	if got := xlCells(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("cells %q, want %q", got, want)
	}
}

func TestZeroWidth(t *testing.T) {
	for code, want := range map[string]int{
		"0000000000": 10, "0": 1, "00000": 5,
		"": 0, "General": 0, "#,##0": 0, "00000-0000": 0, "0.00": 0, `"SKU"0000`: 0, "0000;-0000": 0,
	} {
		if got := zeroWidth(code); got != want {
			t.Errorf("zeroWidth(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestXLSXLongNumberRejected(t *testing.T) { // I7
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A1", "SKU", "B1", "Description",
		"A2", int64(1234567890123456789), "B2", "guitar",
		"A4", "1234567890123456789", "B4", "stored as text",
		"A5", 123, "B5", "fine")
	// Excel itself writes the value in exponent form.
	if err := f.SetCellDefault("Sheet1", "A3", "1.2345678901234568E+18"); err != nil {
		t.Fatal(err)
	}
	xlSet(t, f, "Sheet1", "B3", "amp")
	p := xlSave(t, f, "i7.xlsx")
	rows, rejects := xlReadAll(t, xlOpen(t, p, Options{}))
	if len(rejects) != 2 {
		t.Fatalf("%d rejects, want 2: %v", len(rejects), rejects)
	}
	for i, want := range []struct {
		line  int
		value string
	}{{2, "1234567890123456789"}, {3, "1.2345678901234568E+18"}} {
		re := rejects[i]
		if re.Line != want.line || re.Column != "SKU" || re.Value != want.value || re.File != "i7.xlsx" {
			t.Errorf("reject %+v", re)
		}
		xlContains(t, re.Reason, "more than 15 significant digits", "already rounded", "format the column as Text", "re-enter")
		xlContains(t, re.Raw, want.value)
	}
	want := [][]string{{"1234567890123456789", "stored as text"}, {"123", "fine"}}
	if got := xlCells(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("cells %q, want %q", got, want)
	}
}

func TestXLSXDates(t *testing.T) { // I8
	for _, tc := range []struct {
		name     string
		date1904 bool
		serial   float64
	}{{"1900", false, 43993}, {"1904", true, 42531}} {
		t.Run(tc.name, func(t *testing.T) {
			f := excelize.NewFile()
			if tc.date1904 {
				on := true
				if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
					t.Fatal(err)
				}
			}
			mdy := "m/d/yyyy"
			custom := xlStyle(t, f, &excelize.Style{CustomNumFmt: &mdy})
			builtin := xlStyle(t, f, &excelize.Style{NumFmt: 14})
			stamp := "yyyy-mm-dd hh:mm:ss"
			withTime := xlStyle(t, f, &excelize.Style{CustomNumFmt: &stamp})
			clock := xlStyle(t, f, &excelize.Style{NumFmt: 20}) // h:mm
			quoted := `0.00 "days"`
			notDate := xlStyle(t, f, &excelize.Style{CustomNumFmt: &quoted})
			xlSet(t, f, "Sheet1", "A1", "Received",
				"A2", tc.serial, "A3", tc.serial, "A4", tc.serial+0.5, "A5", 0.75,
				"A6", 12.5, "A7", "43993")
			for cell, st := range map[string]int{"A2": custom, "A3": builtin, "A4": withTime, "A5": clock, "A6": notDate, "A7": builtin} {
				if err := f.SetCellStyle("Sheet1", cell, cell, st); err != nil {
					t.Fatal(err)
				}
			}
			p := xlSave(t, f, "i8.xlsx")
			rows, rejects := xlReadAll(t, xlOpen(t, p, Options{}))
			if len(rejects) > 0 {
				t.Fatal(rejects[0])
			}
			want := [][]string{{"2020-06-11"}, {"2020-06-11"}, {"2020-06-11T12:00:00"}, {"18:00:00"}, {"12.5"}, {"43993"}}
			if got := xlCells(rows); !reflect.DeepEqual(got, want) {
				t.Fatalf("cells %q, want %q", got, want)
			}
		})
	}
}

func TestSerialText(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		k    numKind
		want string
	}{
		{1, kindDate, "1900-01-01"},
		{59, kindDate, "1900-02-28"},
		{60, kindDate, "1900-02-29"},
		{61, kindDate, "1900-03-01"},
		{43993.99999999, kindDateTime, "2020-06-12T00:00:00"},
		{2958465, kindDate, "9999-12-31"},
	} {
		if got, reason := serialText(tc.v, tc.k, false); got != tc.want || reason != "" {
			t.Errorf("serialText(%v) = %q %q, want %q", tc.v, got, reason, tc.want)
		}
	}
	if _, reason := serialText(-1, kindDate, false); reason == "" {
		t.Error("a negative serial was accepted")
	}
}

func TestCustomKind(t *testing.T) {
	for code, want := range map[string]numKind{
		"m/d/yyyy":                  kindDate,
		"d-mmm-yy":                  kindDate,
		"[$-409]mmmm d, yyyy;@":     kindDate,
		"yyyy-mm-dd hh:mm":          kindDateTime,
		"h:mm AM/PM":                kindTime,
		"[h]:mm:ss":                 kindTime,
		"mm:ss":                     kindTime,
		"General":                   kindNumber,
		"0.00":                      kindNumber,
		`#,##0 "days"`:              kindNumber,
		`_("$"* #,##0.00_)`:         kindNumber,
		"[Red]#,##0;[Blue]-#,##0":   kindNumber,
		`0.00\d`:                    kindNumber,
		"0000000000":                kindNumber,
		"#,##0.00;(#,##0.00);\"-\"": kindNumber,
	} {
		if got := customKind(code); got != want {
			t.Errorf("customKind(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestXLSXStringsKeptExactly(t *testing.T) {
	texts := []string{"0113942719", "Café – 東京 🎸", "|||", "  padded  ", "line\nbreak", `"quoted", <tag> & more`, "=not a formula"}
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A1", "Notes")
	for i, s := range texts {
		if err := f.SetCellStr("Sheet1", fmt.Sprintf("A%d", i+2), s); err != nil {
			t.Fatal(err)
		}
	}
	p := xlSave(t, f, "strings.xlsx")
	rows, rejects := xlReadAll(t, xlOpen(t, p, Options{}))
	if len(rejects) > 0 {
		t.Fatal(rejects[0])
	}
	if len(rows) != len(texts) {
		t.Fatalf("%d rows, want %d", len(rows), len(texts))
	}
	for i, s := range texts {
		if rows[i].Cells[0] != s {
			t.Errorf("row %d: %q, want %q", rows[i].Line, rows[i].Cells[0], s)
		}
	}
}

func TestXLSXInlineRichAndEscapedStrings(t *testing.T) {
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A1", "Name", "B1", "Flag")
	if err := f.SetCellRichText("Sheet1", "A2", []excelize.RichTextRun{
		{Text: "Fender "}, {Text: "Strat", Font: &excelize.Font{Bold: true}},
	}); err != nil {
		t.Fatal(err)
	}
	xlSet(t, f, "Sheet1", "B2", true, "A3", "placeholder", "B3", false)
	p := xlSave(t, f, "rich.xlsx")
	// An inline string with a phonetic guide and an escaped carriage return.
	xlPatch(t, p, "xl/worksheets/sheet1.xml", func(s string) string {
		i := strings.Index(s, `<c r="A3"`)
		j := i + strings.Index(s[i:], "</c>") + len("</c>")
		return s[:i] + `<c r="A3" t="inlineStr"><is><r><t>東京</t></r><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><r><t xml:space="preserve"> a_x000D_b_x005F_x0041_</t></r></is></c>` + s[j:]
	})
	rows, rejects := xlReadAll(t, xlOpen(t, p, Options{}))
	if len(rejects) > 0 {
		t.Fatal(rejects[0])
	}
	want := [][]string{{"Fender Strat", "TRUE"}, {"東京 a\rb_x0041_", "FALSE"}}
	if got := xlCells(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("cells %q, want %q", got, want)
	}
}

func TestXLSXErrorAndUncalculatedCells(t *testing.T) {
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A1", "SKU", "B1", "Retail", "A2", "1", "B2", 5, "A3", "2", "B3", 6, "A4", "3", "B4", 7)
	p := xlSave(t, f, "errors.xlsx")
	xlPatch(t, p, "xl/worksheets/sheet1.xml", func(s string) string {
		s = strings.Replace(s, `<c r="B3"><v>6</v></c>`, `<c r="B3" t="e"><f>VLOOKUP(A3,X:Y,2,0)</f><v>#N/A</v></c>`, 1)
		s = strings.Replace(s, `<c r="B4"><v>7</v></c>`, `<c r="B4"><f>B2+B3</f></c>`, 1)
		return strings.Replace(s, `</sheetData>`, `<row r="5"><c r="D5"><f>B2</f></c></row></sheetData>`, 1)
	})
	rows, rejects := xlReadAll(t, xlOpen(t, p, Options{}))
	if len(rows) != 1 || len(rejects) != 3 {
		t.Fatalf("rows %v, rejects %v", rows, rejects)
	}
	if re := rejects[0]; re.Line != 3 || re.Column != "Retail" || re.Value != "#N/A" || re.Raw != "2,#N/A" {
		t.Errorf("reject %+v", re)
	} else {
		xlContains(t, re.Reason, "#N/A")
	}
	if re := rejects[1]; re.Line != 4 || re.Column != "Retail" {
		t.Errorf("reject %+v", re)
	} else {
		xlContains(t, re.Reason, "formula", "no saved result")
	}
	if re := rejects[2]; re.Line != 5 || re.Column != "" {
		t.Errorf("reject %+v", re)
	} else {
		xlContains(t, re.Reason, "column D beyond the header")
	}
}

// --- rows ----------------------------------------------------------------

func TestXLSXRaggedRowPadded(t *testing.T) { // I10
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A1", "SKU", "B1", "Serial", "C1", "Condition", "D1", "Notes", "E1", "Price",
		"A2", "0113942719", "B2", "US210033734",
		"A3", "0113942720", "E3", 10,
		"A4", "0113942721", "F4", "stray")
	p := xlSave(t, f, "i10.xlsx")
	rows, rejects := xlReadAll(t, xlOpen(t, p, Options{}))
	want := [][]string{
		{"0113942719", "US210033734", "", "", ""},
		{"0113942720", "", "", "", "10"},
	}
	if got := xlCells(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("cells %q, want %q", got, want)
	}
	if rows[0].Raw != "0113942719,US210033734,,," {
		t.Errorf("raw %q", rows[0].Raw)
	}
	if len(rejects) != 1 {
		t.Fatalf("rejects %v", rejects)
	}
	re := rejects[0]
	if re.Line != 4 || re.Column != "" || re.Value != "stray" || re.Raw != "0113942721,,,,,stray" {
		t.Errorf("reject %+v", re)
	}
	xlContains(t, re.Reason, "column F beyond the header")
}

func TestXLSXHeaderIsFirstNonBlankRow(t *testing.T) {
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "B3", "SKU", "C3", "Qty", "B5", "A1", "C5", 2, "B6", "   ", "B8", "A2", "C8", 3)
	st := xlStyle(t, f, &excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"FFFF00"}, Pattern: 1}})
	// A styled but empty cell widens nothing.
	if err := f.SetCellStyle("Sheet1", "A7", "H7", st); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "D3", "H3", st); err != nil {
		t.Fatal(err)
	}
	p := xlSave(t, f, "header.xlsx")
	r := xlOpen(t, p, Options{})
	if got, want := r.Header(), []string{"", "SKU", "Qty"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("header %q, want %q", got, want)
	}
	if r.HeaderLine() != 3 {
		t.Errorf("header line %d", r.HeaderLine())
	}
	rows, _ := xlReadAll(t, r)
	if len(rows) != 2 || rows[0].Line != 5 || rows[1].Line != 8 {
		t.Fatalf("rows %+v", rows)
	}
	// rows 1-2 before the header, 4, 6 (spaces), 7 (styled)
	if s := r.Stats(); s.BlankRows != 5 {
		t.Errorf("stats %+v", s)
	}
}

// xlStyledToTheEnd writes I9: header and two data rows, a fill on column
// A, explicit styled empty rows from row 4 on, and a styled cell in the
// sheet's last row.
func xlStyledToTheEnd(t testing.TB, explicit int) string {
	t.Helper()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	st := xlStyle(t, f, &excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"FFFF00"}, Pattern: 1}})
	if err := sw.SetColStyle(1, 1, st); err != nil {
		t.Fatal(err)
	}
	for i, row := range [][]any{{"SKU", "Qty"}, {"A1", 1}, {"A2", 2}} {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), row); err != nil {
			t.Fatal(err)
		}
	}
	styled := []any{excelize.Cell{StyleID: st}}
	for r := 4; r < 4+explicit; r++ {
		if err := sw.SetRow(fmt.Sprintf("A%d", r), styled, excelize.RowOpts{StyleID: st}); err != nil {
			t.Fatal(err)
		}
	}
	if 4+explicit <= maxSheetRows {
		if err := sw.SetRow(fmt.Sprintf("A%d", maxSheetRows), styled); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	return xlSave(t, f, "i9.xlsx")
}

func TestXLSXStyledRowsToTheEnd(t *testing.T) { // I9
	for _, tc := range []struct {
		name     string
		explicit int
	}{{"far styled cell", 0}, {"styled empty rows", 300000}} {
		t.Run(tc.name, func(t *testing.T) {
			r := xlOpen(t, xlStyledToTheEnd(t, tc.explicit), Options{})
			rows, rejects := xlReadAll(t, r)
			want := [][]string{{"A1", "1"}, {"A2", "2"}}
			if got := xlCells(rows); !reflect.DeepEqual(got, want) || len(rejects) != 0 {
				t.Fatalf("cells %q, rejects %v", got, rejects)
			}
			// rows 4 to 1,048,576, present or not
			if s := r.Stats(); s.BlankRows != maxSheetRows-3 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

// Nothing is lost: no run of blank rows, absent from the file or styled,
// ends the sheet before its content does.
func TestXLSXRowsAfterBlankRun(t *testing.T) {
	for _, styled := range []bool{false, true} {
		t.Run(fmt.Sprintf("styled=%v", styled), func(t *testing.T) {
			f := excelize.NewFile()
			xlSet(t, f, "Sheet1", "A1", "SKU", "B1", "Qty", "A2", "0113942719", "B2", 1,
				"A1502", "0113942720", "B1502", 2, "A1503", "0113942721", "B1503", 3)
			if styled {
				st := xlStyle(t, f, &excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"FFFF00"}, Pattern: 1}})
				if err := f.SetCellStyle("Sheet1", "A3", "B1501", st); err != nil {
					t.Fatal(err)
				}
			}
			r := xlOpen(t, xlSave(t, f, "gap.xlsx"), Options{})
			rows, rejects := xlReadAll(t, r)
			want := [][]string{{"0113942719", "1"}, {"0113942720", "2"}, {"0113942721", "3"}}
			if got := xlCells(rows); !reflect.DeepEqual(got, want) || len(rejects) != 0 {
				t.Fatalf("cells %q, rejects %v", got, rejects)
			}
			if rows[1].Line != 1502 || rows[2].Line != 1503 {
				t.Errorf("lines %d, %d", rows[1].Line, rows[2].Line)
			}
			if s := r.Stats(); s.BlankRows != 1499 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestXLSXHeaderAfterBlankRun(t *testing.T) {
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A5000", "SKU", "A5001", "x")
	r := xlOpen(t, xlSave(t, f, "late.xlsx"), Options{})
	rows, _ := xlReadAll(t, r)
	if r.HeaderLine() != 5000 || len(rows) != 1 || rows[0].Line != 5001 {
		t.Fatalf("header line %d, rows %+v", r.HeaderLine(), rows)
	}
}

func TestXLSXOnlyStyledRows(t *testing.T) {
	f := excelize.NewFile()
	st := xlStyle(t, f, &excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"FFFF00"}, Pattern: 1}})
	if err := f.SetCellStyle("Sheet1", "A1", "C2000", st); err != nil {
		t.Fatal(err)
	}
	p := xlSave(t, f, "styled.xlsx")
	_, err := Open(p, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "styled.xlsx", `"Sheet1" (visible): empty`)
	_, err = Open(p, Options{Sheet: "sheet1"})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "styled.xlsx", `sheet "Sheet1" is empty; expected a header row`)
}

// TestXLSXMemoryFlat reads a sheet and checks the live heap does not grow
// with the rows read.
func TestXLSXMemoryFlat(t *testing.T) {
	p := xlBenchBook(t, 20000)
	r := xlOpen(t, p, Options{})
	var heapAt1k, heapAt19k uint64
	n := 0
	for {
		_, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 1000 || n == 19000 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if n == 1000 {
				heapAt1k = ms.HeapAlloc
			} else {
				heapAt19k = ms.HeapAlloc
			}
		}
	}
	if n != 20000 {
		t.Fatalf("%d rows", n)
	}
	if heapAt19k > heapAt1k+1<<20 {
		t.Errorf("heap grew from %d to %d bytes over 18000 rows", heapAt1k, heapAt19k)
	}
}

// TestXLSXOpenStreams opens a 200,000-row workbook and reads it through:
// no part may be unpacked whole, into memory or into a temporary file.
// excelize.OpenReader, which the reader once called, read the whole file
// into memory and spilled the big sheet to a temporary file.
func TestXLSXOpenStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200,000-row workbook")
	}
	const n = 200000
	p := xlBenchBook(t, n)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // after the workbook is written: excelize's stream writer spills there too
	noTemp := func(when string) {
		t.Helper()
		if ents, err := os.ReadDir(tmp); err != nil || len(ents) > 0 {
			t.Errorf("%s: temporary files %v (%v)", when, ents, err)
		}
	}

	// TotalAlloc counts every byte Open allocates, garbage or not, so it
	// catches a whole-file read that is dropped before Open returns;
	// HeapAlloc after a collection is what stays live.
	var before, opened, openLive, after runtime.MemStats
	runtime.GC()
	runtime.GC() // the first leaves the writer's pooled buffers in the pools' victim caches
	runtime.ReadMemStats(&before)
	r := xlOpen(t, p, Options{})
	runtime.ReadMemStats(&opened)
	runtime.GC()
	runtime.ReadMemStats(&openLive)
	noTemp("after Open")
	rows := 0
	for {
		_, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
	}
	if rows != n {
		t.Fatalf("%d rows, want %d", rows, n)
	}
	noTemp("after the last row")
	runtime.GC()
	runtime.ReadMemStats(&after)

	// The bound is a small fraction of the file (about 7 MB; its sheet
	// unpacks to some 78 MB): the zip's directory, a few decompressors and
	// 64 KiB read buffers.
	const bound = 1 << 20
	if fi.Size() < 4*bound {
		t.Fatalf("the workbook is only %d bytes; the bound would prove nothing", fi.Size())
	}
	allocated := opened.TotalAlloc - before.TotalAlloc
	liveOpen := int64(openLive.HeapAlloc) - int64(before.HeapAlloc)
	liveEnd := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("workbook %d bytes; Open allocated %d bytes; live heap grew %d bytes by the end of Open, %d by the last row",
		fi.Size(), allocated, liveOpen, liveEnd)
	if allocated > bound {
		t.Errorf("Open allocated %d bytes for a %d-byte workbook; want at most %d", allocated, fi.Size(), bound)
	}
	if liveOpen > bound || liveEnd > bound {
		t.Errorf("the live heap grew by %d bytes over Open and %d by the last row; want at most %d", liveOpen, liveEnd, bound)
	}
}

// --- sheets --------------------------------------------------------------

func xlThreeSheets(t *testing.T) *excelize.File {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Instructions"); err != nil {
		t.Fatal(err)
	}
	xlSet(t, f, "Instructions", "A1", "How to fill this workbook", "A2", "Put one item per row on the Inventory sheet.")
	for _, name := range []string{"Inventory", "Inventory (old)"} {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		xlSet(t, f, name, "A1", "SKU", "B1", "Description", "C1", "Retail", "A2", name, "B2", "Guitar", "C2", 199)
	}
	if err := f.SetSheetVisible("Inventory (old)", false); err != nil {
		t.Fatal(err)
	}
	return f
}

func xlNeedSKU(h []string) error {
	for _, c := range h {
		if c == "SKU" {
			return nil
		}
	}
	return errors.New("no SKU column")
}

func TestXLSXSheetChoice(t *testing.T) { // I12
	p := xlSave(t, xlThreeSheets(t), "i12.xlsx")
	var logs bytes.Buffer
	r := xlOpen(t, p, Options{AcceptHeader: xlNeedSKU, Log: xlLogTo(&logs)})
	rows, _ := xlReadAll(t, r)
	if r.Stats().Sheet != "Inventory" || len(rows) != 1 || rows[0].Cells[0] != "Inventory" {
		t.Fatalf("read %q: %v", r.Stats().Sheet, rows)
	}
	xlContains(t, logs.String(), "sheet chosen", "Inventory", "i12.xlsx")

	r = xlOpen(t, p, Options{AcceptHeader: xlNeedSKU, Sheet: "Inventory (old)"})
	rows, _ = xlReadAll(t, r)
	if r.Stats().Sheet != "Inventory (old)" || len(rows) != 1 || rows[0].Cells[0] != "Inventory (old)" {
		t.Fatalf("read %q: %v", r.Stats().Sheet, rows)
	}

	_, err := Open(p, Options{Sheet: "Stock"})
	if err == nil {
		t.Fatal("no error for a missing sheet")
	}
	xlContains(t, err.Error(), "i12.xlsx", `"Stock"`, `"Instructions" (visible)`, `"Inventory" (visible)`, `"Inventory (old)" (hidden)`)

	// Without AcceptHeader any non-empty header fits: two visible sheets.
	_, err = Open(p, Options{})
	if err == nil {
		t.Fatal("no error for two fitting sheets")
	}
	xlContains(t, err.Error(), "2 visible sheets", `"Instructions", "Inventory"`, `"Inventory (old)" (hidden): hidden`)
}

func TestXLSXSheetChoiceTwoFit(t *testing.T) {
	f := xlThreeSheets(t)
	if err := f.SetSheetVisible("Inventory (old)", true); err != nil {
		t.Fatal(err)
	}
	p := xlSave(t, f, "two.xlsx")
	_, err := Open(p, Options{AcceptHeader: xlNeedSKU})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "two.xlsx", "2 visible sheets", `"Inventory", "Inventory (old)"`,
		`"Instructions" (visible): header on row 1 ["How to fill this workbook"] does not fit: no SKU column`,
		"--sheet")
}

func TestXLSXSheetChoiceNoneFits(t *testing.T) {
	f := xlThreeSheets(t)
	if err := f.SetSheetVisible("Inventory", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Empty"); err != nil {
		t.Fatal(err)
	}
	p := xlSave(t, f, "none.xlsx")
	_, err := Open(p, Options{AcceptHeader: xlNeedSKU})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "none.xlsx", "no sheet to read", `"Inventory" (hidden)`, `"Empty" (visible): empty`, "does not fit")
}

// --- files ---------------------------------------------------------------

func TestXLSXLegacyOrEncrypted(t *testing.T) { // I11
	p := filepath.Join(t.TempDir(), "inventory.xlsx")
	if err := os.WriteFile(p, append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(p, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "inventory.xlsx", "encrypted workbook or legacy .xls")
}

func TestXLSXUnzipLimit(t *testing.T) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("a", 200)
	for r := 1; r <= 5000; r++ {
		if err := sw.SetRow(fmt.Sprintf("A%d", r), []any{pad}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	p := xlSave(t, f, "bomb.xlsx")
	fi, _ := os.Stat(p)

	_, err = Open(p, Options{MaxUnzipSize: fi.Size() + 1000})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "bomb.xlsx", "unpacks to", "zip bomb")

	_, err = Open(p, Options{MaxUnzipSize: 100})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "bomb.xlsx", "over the 100-byte limit")

	if _, err := Open(p, Options{MaxUnzipSize: 10 << 20}); err != nil {
		t.Fatal(err)
	}
}

func TestXLSXNotAZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "broken.xlsx")
	if err := os.WriteFile(p, []byte("PK\x03\x04 this is not really a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(p, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "broken.xlsx", "not a readable .xlsx")
}

// xlZip writes a zip of the given parts, name then content.
func xlZip(t *testing.T, name string, parts ...string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestXLSXZipNotAWorkbook(t *testing.T) {
	p := xlZip(t, "photos.xlsx", "IMG_0001.txt", "not a spreadsheet")
	_, err := Open(p, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "photos.xlsx", "a zip archive but not an Excel workbook", "no xl/workbook.xml",
		"save it again from Excel as .xlsx or CSV UTF-8")

	// A Word document is a zip whose main part is a document.
	p = xlZip(t, "letter.xlsx",
		"_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml", `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>`)
	_, err = Open(p, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), "letter.xlsx", "a zip archive but not an Excel workbook", "word/document.xml is a <document>",
		"save it again from Excel as .xlsx or CSV UTF-8")
}

func TestXLSXSharedStringsSpilled(t *testing.T) {
	old := sstSpillSize
	sstSpillSize = 0
	defer func() { sstSpillSize = old }()
	f := excelize.NewFile()
	xlSet(t, f, "Sheet1", "A1", "SKU", "B1", "Description", "A2", "0113942719", "B2", "Café – 東京", "A3", "x", "B3", "")
	p := xlSave(t, f, "spill.xlsx")
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tmp := r.(*xlsxReader).b.sst.file.Name()
	rows, _ := xlReadAll(t, r)
	want := [][]string{{"0113942719", "Café – 東京"}, {"x", ""}}
	if got := xlCells(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("cells %q, want %q", got, want)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary string table left behind: %v", err)
	}
}

// xlHandMade is a workbook written the way Excel writes one, with what
// excelize does not write: date1904="1", a veryHidden sheet, cell style
// records (cellStyleXfs) before the cell formats, a <numFmt> for a built-in
// id, and a conditional format's <numFmt> after them.
func xlHandMade(t *testing.T) string {
	const (
		main = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
		rels = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
		rt   = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/`
	)
	sheet := func(rows string) string {
		return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ` + main + `><sheetData>` + rows + `</sheetData></worksheet>`
	}
	header := `<row r="1"><c r="A1" t="inlineStr"><is><t>SKU</t></is></c><c r="B1" t="inlineStr"><is><t>Received</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>Time</t></is></c><c r="D1" t="inlineStr"><is><t>Plain</t></is></c></row>`
	return xlZip(t, "handmade.xlsx",
		"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
			`<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
		"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships `+rels+`>`+
			`<Relationship Id="rId1" Type="`+rt+`officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook `+main+
			` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets>`+
			`<sheet name="Scratch" sheetId="1" state="veryHidden" r:id="rId1"/><sheet name="Stock" sheetId="2" r:id="rId2"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships `+rels+`>`+
			`<Relationship Id="rId1" Type="`+rt+`worksheet" Target="worksheets/sheet1.xml"/>`+
			`<Relationship Id="rId2" Type="`+rt+`worksheet" Target="worksheets/sheet2.xml"/>`+
			`<Relationship Id="rId3" Type="`+rt+`styles" Target="styles.xml"/></Relationships>`,
		"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet `+main+`>`+
			`<numFmts count="4"><numFmt numFmtId="164" formatCode="0000000000"/><numFmt numFmtId="165" formatCode="yyyy\-mm\-dd"/>`+
			`<numFmt numFmtId="14" formatCode="0.00"/><numFmt numFmtId="166" formatCode="h:mm"/></numFmts>`+
			`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>`+
			`<cellStyleXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" fontId="0"/></cellStyleXfs>`+
			`<cellXfs count="5"><xf numFmtId="0" fontId="0" xfId="0"/>`+
			`<xf numFmtId="164" fontId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="left"/></xf>`+
			`<xf numFmtId="165" fontId="0" xfId="1" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" xfId="0"/><xf numFmtId="166" fontId="0" xfId="0"/></cellXfs>`+
			`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>`+
			`<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="yyyy"/></dxf></dxfs></styleSheet>`,
		"xl/worksheets/sheet1.xml", sheet(header),
		"xl/worksheets/sheet2.xml", sheet(header+
			`<row r="2"><c r="A2" s="1"><v>113942719</v></c><c r="B2" s="2"><v>42531</v></c><c r="C2" s="4"><v>0.75</v></c><c r="D2" s="9"><v>12.5</v></c></row>`+
			`<row r="3"><c r="A3" s="0"><v>42</v></c><c r="B3" s="3"><v>42531</v></c><c r="C3" s="1"><v>7</v></c><c r="D3" s="-1"><v>43993</v></c></row>`),
	)
}

func TestXLSXHandMadeWorkbook(t *testing.T) {
	p := xlHandMade(t)
	r := xlOpen(t, p, Options{})
	if s := r.Stats().Sheet; s != "Stock" {
		t.Fatalf("read sheet %q, want Stock: a veryHidden sheet is hidden", s)
	}
	rows, rejects := xlReadAll(t, r)
	if len(rejects) > 0 {
		t.Fatal(rejects[0])
	}
	// s=9 and s=-1 are styles the workbook does not define: General.
	want := [][]string{
		{"0113942719", "2020-06-11", "18:00:00", "12.5"},
		{"42", "2020-06-11", "0000000007", "43993"},
	}
	if got := xlCells(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("cells %q, want %q", got, want)
	}
	_, err := Open(p, Options{Sheet: "Stock take"})
	if err == nil {
		t.Fatal("no error")
	}
	xlContains(t, err.Error(), `"Scratch" (hidden), "Stock" (visible)`)
}

// --- benchmark -----------------------------------------------------------

// writeBenchBook writes an inventory-like sheet of n rows with the stream
// writer: text, identifiers, prices and dates.
func xlBenchBook(t testing.TB, n int) string {
	t.Helper()
	f := excelize.NewFile()
	date := xlStyle(t, f, &excelize.Style{NumFmt: 14})
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"SKU", "Serial", "Description", "Condition", "Retail", "UPC", "Received"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		row := []any{
			fmt.Sprintf("%010d", 113942719+i), fmt.Sprintf("US%09d", 210033734+i),
			"Fender Player Stratocaster, Polar White", "Used - Good", 499.99 + float64(i%100),
			885978000000 + i, excelize.Cell{StyleID: date, Value: 43993 + i%365},
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	return xlSave(t, f, "bench.xlsx")
}

func BenchmarkXLSXRead(b *testing.B) {
	const n = 20000
	p := xlBenchBook(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := Open(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		r.Close()
		if rows != n {
			b.Fatalf("%d rows", rows)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkXLSXStyledRowsToTheEnd reads I9 with every row down to the
// sheet's last present as a styled empty <row>.
func BenchmarkXLSXStyledRowsToTheEnd(b *testing.B) {
	p := xlStyledToTheEnd(b, maxSheetRows-3)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := Open(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows, _ := xlReadAll(b, r)
		if len(rows) != 2 || r.Stats().BlankRows != maxSheetRows-3 {
			b.Fatalf("%d rows, stats %+v", len(rows), r.Stats())
		}
		r.Close()
	}
}

// BenchmarkXLSXOpen opens a 200,000-row workbook, finds its header and
// closes it: the cost of looking at a workbook, which the orders path pays
// on detection as well as on each pass.
func BenchmarkXLSXOpen(b *testing.B) {
	p := xlBenchBook(b, 200000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := Open(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}
