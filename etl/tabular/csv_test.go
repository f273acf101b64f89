package tabular

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

type readResult struct {
	header []string
	rows   []Row
	errs   []*RowError
	stats  Stats
}

func readAll(t *testing.T, input string, opt Options) (readResult, error) {
	t.Helper()
	r, err := NewCSV("in.csv", strings.NewReader(input), opt)
	if err != nil {
		return readResult{}, err
	}
	defer r.Close()
	res := readResult{header: r.Header()}
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			res.errs = append(res.errs, re)
			continue
		}
		if err != nil {
			return res, err
		}
		res.rows = append(res.rows, row)
	}
	res.stats = r.Stats()
	return res, nil
}

func mustRead(t *testing.T, input string, opt Options) readResult {
	t.Helper()
	res, err := readAll(t, input, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// I1: Excel's "CSV UTF-8" starts with a BOM that must not stick to the first header.
func TestCSVStripsBOM(t *testing.T) {
	res := mustRead(t, "\xEF\xBB\xBFSKU,Serial,Qty\r\n0113942719,US210033734,1\r\n", Options{})
	if !reflect.DeepEqual(res.header, []string{"SKU", "Serial", "Qty"}) {
		t.Fatalf("header %q", res.header)
	}
	if len(res.rows) != 1 || !reflect.DeepEqual(res.rows[0].Cells, []string{"0113942719", "US210033734", "1"}) || res.rows[0].Line != 2 {
		t.Fatalf("rows %+v", res.rows)
	}
}

// I2: a Windows-1252 byte is decoded only when the source says so;
// otherwise the file is refused naming the line and byte offset.
func TestCSVWindows1252(t *testing.T) {
	in := "SKU,Description\n0113942719,Caf\xe9 Racer Strat\n"
	res := mustRead(t, in, Options{Charset: "windows-1252"})
	if got := res.rows[0].Cells[1]; got != "Café Racer Strat" {
		t.Fatalf("description %q", got)
	}
	_, err := readAll(t, in, Options{})
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "byte offset 30") || !strings.Contains(err.Error(), "0xE9") {
		t.Fatalf("want refusal naming line 2 and byte offset 30, got %v", err)
	}
}

func TestCSVUTF16(t *testing.T) {
	// "SKU\n0113942719\n" in UTF-16LE with BOM, as Excel's "Unicode Text" writes.
	var b strings.Builder
	b.WriteString("\xFF\xFE")
	for _, r := range "SKU\tSerial\r\n0113942719\tUS210033734\r\n" {
		b.WriteByte(byte(r))
		b.WriteByte(0)
	}
	res := mustRead(t, b.String(), Options{})
	if res.stats.Delimiter != "\t" || res.rows[0].Cells[1] != "US210033734" {
		t.Fatalf("%+v", res)
	}
}

// I3: ; is detected from the header.
func TestCSVSemicolon(t *testing.T) {
	res := mustRead(t, "SKU;Description;Price\n0113942719;Fender Strat;1.299,00\n", Options{})
	if res.stats.Delimiter != ";" || !reflect.DeepEqual(res.rows[0].Cells, []string{"0113942719", "Fender Strat", "1.299,00"}) {
		t.Fatalf("%+v", res)
	}
}

func TestCSVBareCR(t *testing.T) {
	res := mustRead(t, "SKU,Qty\r0113942719,1\r0113942720,2\r", Options{})
	if len(res.rows) != 2 || res.rows[1].Line != 3 || res.rows[1].Cells[0] != "0113942720" {
		t.Fatalf("%+v", res.rows)
	}
}

// I13: a quoted line break stays in the value, and line numbers count
// physical lines.
func TestCSVQuotedLineBreak(t *testing.T) {
	res := mustRead(t, "SKU,Description\n0113942719,\"Alder body\r\nMaple neck\"\n0113942720,Basswood\n", Options{})
	if len(res.rows) != 2 || res.rows[0].Cells[1] != "Alder body\nMaple neck" || res.rows[1].Line != 4 {
		t.Fatalf("%+v", res.rows)
	}
}

// I14: a bare quote is refused with line and position in strict mode and
// kept with lazy_quotes.
func TestCSVBareQuote(t *testing.T) {
	in := "SKU,Name\n0113942719,Fender 12\" Combo\n0113942720,Ok\n"
	res := mustRead(t, in, Options{})
	if len(res.errs) != 1 || res.errs[0].Line != 2 || res.errs[0].Column != "Name" || res.errs[0].Raw != "0113942719,Fender 12\" Combo" {
		t.Fatalf("errs %+v", res.errs)
	}
	if len(res.rows) != 1 || res.rows[0].Cells[0] != "0113942720" {
		t.Fatalf("the file must go on after a bad record: %+v", res.rows)
	}
	res = mustRead(t, in, Options{LazyQuotes: true})
	if len(res.errs) != 0 || res.rows[0].Cells[1] != `Fender 12" Combo` {
		t.Fatalf("lazy: %+v %+v", res.rows, res.errs)
	}
}

func TestCSVFieldCountMismatch(t *testing.T) {
	res := mustRead(t, "SKU,Serial,Qty\n0113942719,US1\n0113942720,,3\n", Options{})
	if len(res.errs) != 1 || res.errs[0].Line != 2 || !strings.Contains(res.errs[0].Reason, "2 fields, the header has 3") || res.errs[0].Column != "Qty" || res.errs[0].Raw != "0113942719,US1" {
		t.Fatalf("errs %+v", res.errs)
	}
	if len(res.rows) != 1 || res.rows[0].Line != 3 {
		t.Fatalf("rows %+v", res.rows)
	}
}

func TestCSVTextStaysText(t *testing.T) {
	res := mustRead(t, "SKU,UPC,Note\n0113942719|||US210033734,0885978123456,Ünï ✓\n", Options{})
	if !reflect.DeepEqual(res.rows[0].Cells, []string{"0113942719|||US210033734", "0885978123456", "Ünï ✓"}) {
		t.Fatalf("%q", res.rows[0].Cells)
	}
}

func TestCSVBlankAndEmpty(t *testing.T) {
	res := mustRead(t, "SKU,Qty\n\n0113942719,1\n,\n", Options{})
	// encoding/csv drops empty lines itself; a line of empty fields is counted.
	if len(res.rows) != 1 || res.stats.BlankRows != 1 || res.rows[0].Raw != "0113942719,1" {
		t.Fatalf("%+v", res)
	}
	if _, err := readAll(t, "", Options{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty file: %v", err)
	}
}

func TestSniff(t *testing.T) {
	if Sniff([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) != KindOLE || Sniff([]byte("PK\x03\x04")) != KindXLSX || Sniff([]byte("SKU")) != KindCSV {
		t.Fatal("sniff")
	}
}
