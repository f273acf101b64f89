package orders

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/mappings"
	"github.com/xuri/excelize/v2"
)

// testdata/aim-columns.txt is the column list of formats/aim.md §4, in order.
func aimColumns(t *testing.T) []string {
	data, err := os.ReadFile("testdata/aim-columns.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(data))
}

func TestDefaultLayoutIsAIMProposal(t *testing.T) {
	want := strings.Join(aimColumns(t), ",")
	data, err := mappings.Default("aim-orders.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseLayout("aim-orders.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string]*Layout{"aim-orders.yaml": l, "DefaultLayout": DefaultLayout()} {
		var keys []string
		for _, c := range l.Columns {
			if c.Key != c.Header {
				t.Errorf("%s: %s renamed to %s", name, c.Key, c.Header)
			}
			keys = append(keys, c.Key)
		}
		if got := strings.Join(keys, ","); got != want {
			t.Errorf("%s columns:\n%s\nwant\n%s", name, got, want)
		}
	}
	if l.BOM {
		t.Error("the default layout writes a BOM")
	}
}

func TestParseLayoutErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, err string }{
		{"columns: [OrderNumber, AIMSku, Serial, Qty, Colour]", `unknown column "Colour"`},
		{"columns: [OrderNumber, AIMSku, Serial, Qty, AIMSku]", "AIMSku is listed twice"},
		{"columns: [OrderNumber, AIMSku, Serial, Qty, {Total: Qty}]", `header "Qty" is used twice`},
		{"columns: [OrderNumber, AIMSku, Serial]", "column Qty is required"},
		{"columns: [OrderNumber, AIMSku, Serial, Qty, {Total: ''}]", "empty header"},
		{"columns: [OrderNumber, AIMSku, Serial, Qty, {Total: X, Tax: Y}]", "Key: Header"},
		{"colums: [OrderNumber]", "colums"},
	} {
		_, err := ParseLayout("t.yaml", []byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q", tc.yaml, err, tc.err)
		}
	}
}

func sampleRecords() []Record {
	r := Record{OrderNumber: "#1001", OrderDate: "2024-03-04", Source: "shopify", BillPostalCode: "07030",
		LineNumber: 1, AIMSku: "0113942719", Serial: "US210033734", Qty: 1,
		UnitPrice: Amount{dec("1699.99")}, ExtPrice: Amount{dec("1699.99")}, Description: `Strat, 3-Color "Sunburst"`,
		Tax: Amount{dec("113.4")}, Total: Amount{dec("1825.39")}, WebSku: "0113942719|||US210033734"}
	r2 := r
	r2.LineNumber, r2.AIMSku, r2.Serial, r2.Qty, r2.WebSku = 2, "0885978", "", 2, "0885978"
	r2.UnitPrice, r2.ExtPrice, r2.Description = Amount{dec("5.99")}, Amount{dec("11.98")}, "Picks"
	return []Record{r, r2}
}

func writeAIM(t *testing.T, format string, l *Layout) []byte {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "aim."+format)
	var b sink.Batch
	w, err := NewAIMWriter(&b, path, format, l)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteOrder(sampleRecords()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestLayoutRenamesAndReorders(t *testing.T) {
	l, err := ParseLayout("store.yaml", []byte(`
bom: true
columns:
  - AIMSku: Sku
  - Serial: "Serial #"   # quote a header with # or : in it
  - Qty
  - OrderNumber: Order, No.
  - UnitPrice
  - Tax
  - BillPostalCode: Zip
  - Description
`))
	if err != nil {
		t.Fatal(err)
	}
	got := string(writeAIM(t, FormatCSV, l))
	want := "\xEF\xBB\xBF" + `Sku,Serial #,Qty,"Order, No.",UnitPrice,Tax,Zip,Description
0113942719,US210033734,1,#1001,1699.99,113.40,07030,"Strat, 3-Color ""Sunburst"""
0885978,,2,#1001,5.99,113.40,07030,Picks
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestAIMXLSX(t *testing.T) {
	data := writeAIM(t, FormatXLSX, DefaultLayout())
	if again := writeAIM(t, FormatXLSX, DefaultLayout()); !bytes.Equal(data, again) {
		t.Error("two writes of the same records differ")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(aimSheet)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rows[0], ","), strings.Join(aimColumns(t), ","); got != want {
		t.Errorf("header %s, want %s", got, want)
	}
	col := map[string]string{}
	for i, k := range rows[0] {
		name, _ := excelize.CoordinatesToCellName(i+1, 2)
		col[k] = name
	}
	for key, want := range map[string]excelize.CellType{
		"AIMSku": excelize.CellTypeInlineString, "BillPostalCode": excelize.CellTypeInlineString,
		"Serial": excelize.CellTypeInlineString, "UnitPrice": excelize.CellTypeInlineString,
		"Qty": excelize.CellTypeUnset, "LineNumber": excelize.CellTypeUnset, // numbers
	} {
		typ, err := f.GetCellType(aimSheet, col[key])
		if err != nil || typ != want {
			t.Errorf("%s (%s): cell type %v, %v; want %v", key, col[key], typ, err, want)
		}
	}
	for key, want := range map[string]string{"AIMSku": "0113942719", "BillPostalCode": "07030", "UnitPrice": "1699.99", "Qty": "1", "WebSku": "0113942719|||US210033734"} {
		if v, _ := f.GetCellValue(aimSheet, col[key]); v != want {
			t.Errorf("%s = %q, want %q", key, v, want)
		}
	}
}
