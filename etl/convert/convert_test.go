package convert

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/shopify"
	"github.com/aimbridge/aimbridge/mappings"
	"github.com/xuri/excelize/v2"
)

func defaultMapping(t testing.TB) *inventory.Checked {
	t.Helper()
	m, err := inventory.LoadMapping("")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func shopifyTarget(t testing.TB) Target {
	t.Helper()
	tpl, _ := mappings.Default("shopify.yaml")
	w, err := shopify.New(platform.Config{Settings: map[string]string{"headers": "current", "max-size": "15MB"}, Templates: tpl})
	if err != nil {
		t.Fatal(err)
	}
	return Target{Platform: shopify.Platform, Writer: w}
}

func runJob(t testing.TB, m *inventory.Checked, inputs ...string) (*Summary, string, error) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	sum, err := Run(Job{Inputs: inputs, Out: out, Mapping: m, Targets: []Target{shopifyTarget(t)}, Version: "test"})
	return sum, out, err
}

func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// I6: SKUs are never numbers; padding happens only when configured and is counted.
func TestPaddingIsOptInAndCounted(t *testing.T) {
	in := writeFile(t, "inv.csv", "SKU,Serial,Description,Price\n113942719,US210033734,Strat,1299\n")
	sum, out, err := runJob(t, defaultMapping(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if recs := readCSV(t, filepath.Join(out, "shopify", "products-001.csv")); recs[1][9] != "113942719|||US210033734" || sum.SKUsPadded != 0 {
		t.Fatalf("unpadded: %q, padded %d", recs[1][9], sum.SKUsPadded)
	}
	m := defaultMapping(t)
	f := m.Fields["sku"]
	f.PadTo = 10
	m.Fields["sku"] = f
	sum, out, err = runJob(t, m, in)
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, filepath.Join(out, "shopify", "products-001.csv"))
	if recs[1][9] != "0113942719|||US210033734" || recs[1][20] != "1299.00" || sum.SKUsPadded != 1 {
		t.Fatalf("padded: %q %q, counted %d", recs[1][9], recs[1][20], sum.SKUsPadded)
	}
}

// I5 and I9 end to end: a workbook's numeric identifiers are read raw and
// padded on request; styled blank rows are skipped and reported.
func TestWorkbookPaddingAndBlankRows(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	f.SetSheetRow(sheet, "A1", &[]any{"SKU", "UPC", "Description", "Retail", "Qty"})
	f.SetSheetRow(sheet, "A2", &[]any{113942719, 885978123456, "Strat strings", 7.99, 12})
	f.SetSheetRow(sheet, "A4", &[]any{"0113942720", "", "Picks", 1.5, 100})
	style, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
	f.SetCellStyle(sheet, "A3", "A3", style)
	f.SetCellStyle(sheet, "A5", "A20", style)
	path := filepath.Join(t.TempDir(), "inv.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	m := defaultMapping(t)
	fs := m.Fields["sku"]
	fs.PadTo = 10
	m.Fields["sku"] = fs
	sum, out, err := runJob(t, m, path)
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, filepath.Join(out, "shopify", "products-001.csv"))
	if len(recs) != 3 || recs[1][9] != "0113942719" || recs[1][10] != "885978123456" || recs[2][9] != "0113942720" {
		t.Fatalf("%q", recs)
	}
	if sum.SKUsPadded != 1 || sum.RowsRead != 2 || sum.Inputs[0].Kind != "xlsx" || sum.BlankRows == 0 || sum.Inputs[0].BlankRows != sum.BlankRows {
		t.Fatalf("%+v", sum)
	}
}

// Nothing is lost: whatever the input, every row read is used, rejected or
// skipped, rejects.csv has one line per rejected or skipped row plus one
// per row a platform refused, and a failure leaves no files.
func FuzzNothingLost(f *testing.F) {
	f.Add("SKU,Serial,Description,Retail,Qty\n0113942719,US210033734,Strat,1699.99,1\n0113942719,US210033734,Strat,1699.99,1\nP1,,Picks,1,\nP2,,\"Bad \"quote\",1,1\n")
	f.Add("SKU;Serial;Description;Retail\n0113942719;US1;Strat;1.299,00\n0113942719;US2;Strat;1299\n;;;\n")
	f.Add("SKU,Description,Retail,Qty\rA,a,1,1\rB,b,2\r")
	f.Add("\xEF\xBB\xBFSKU,Serial,Description,Retail,Qty,Web\nA,=1,a,1,1,Y\nA,2,a,1,2,Y\nB,,b,1,3,N\nC|D,,c,1,1,Y\n")
	m := defaultMapping(f)
	target := shopifyTarget(f)
	f.Fuzz(func(t *testing.T, input string) {
		in := writeFile(t, "inv.csv", input)
		out := filepath.Join(t.TempDir(), "out")
		sum, err := Run(Job{Inputs: []string{in}, Out: out, Mapping: m, Targets: []Target{target}})
		if err != nil {
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Fatalf("failed run (%v) left %d files", err, len(entries))
			}
			return
		}
		if sum.RowsRead != sum.RowsUsed+sum.RowsRejected+sum.RowsSkipped {
			t.Fatalf("unbalanced: %+v", sum)
		}
		ps := sum.Platforms["shopify"]
		if ps.RowsWritten+ps.RowsRefused != sum.RowsUsed {
			t.Fatalf("shopify unbalanced: %+v", ps)
		}
		rejects := readCSV(t, filepath.Join(out, "rejects.csv"))
		if len(rejects)-1 != sum.RowsRejected+sum.RowsSkipped+ps.RowsRefused {
			t.Fatalf("rejects.csv has %d lines for %d rejected + %d skipped + %d refused", len(rejects)-1, sum.RowsRejected, sum.RowsSkipped, ps.RowsRefused)
		}
		for _, r := range rejects[1:] {
			if r[2] == "" || r[3] == "" || r[3] == "0" || r[6] == "" {
				t.Fatalf("reject without file, line or reason: %q", r)
			}
		}
		var disk Summary
		data, _ := os.ReadFile(filepath.Join(out, "summary.json"))
		if err := json.Unmarshal(data, &disk); err != nil || !disk.Balanced {
			t.Fatalf("summary.json: %v %s", err, data)
		}
	})
}

func genCSV(rows int) string {
	var b strings.Builder
	b.WriteString("SKU,Serial #,Description,Brand,Category,Condition,Retail,MSRP,Qty,UPC,Weight,Web\n")
	for i := range rows {
		if i%4 == 3 {
			fmt.Fprintf(&b, "ACC%05d,,\"Guitar strings, 10-46\",Ernie Ball,Accessories,New,7.99,,48,0749480%05d,0.1,Y\n", i, i)
			continue
		}
		fmt.Fprintf(&b, "%010d,US%08d,\"Fender Player Stratocaster, Maple\",Fender,Guitars,New,849.99,899.99,1,0885978%05d,7.9,Y\n", i/12, i, i)
	}
	return b.String()
}

func benchConvert(b *testing.B, path string, rows int) {
	m := defaultMapping(b)
	target := shopifyTarget(b)
	out := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(Job{Inputs: []string{path}, Out: out, Mapping: m, Targets: []Target{target}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkConvertCSV measures the CSV path end to end: read, map, group,
// write Shopify, rejects and summary.
func BenchmarkConvertCSV(b *testing.B) {
	const rows = 20000
	benchConvert(b, writeFile(b, "inv.csv", genCSV(rows)), rows)
}

// BenchmarkConvertXLSX is the same data as a workbook.
func BenchmarkConvertXLSX(b *testing.B) {
	const rows = 20000
	recs, _ := csv.NewReader(strings.NewReader(genCSV(rows))).ReadAll()
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	for i, r := range recs {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		sw.SetRow(cell, cells)
	}
	sw.Flush()
	path := filepath.Join(b.TempDir(), "inv.xlsx")
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	benchConvert(b, path, rows)
}

// A row a platform refuses is quoted in rejects.csv as it stood in the
// file, although the catalog keeps no row text.
func TestPlatformRefusalQuotesTheRow(t *testing.T) {
	long := strings.Repeat("S", 250)
	in := writeFile(t, "inv.csv", "SKU,Serial,Description,Retail\n0113942719,US210033734,Strat,1699.99\n0113942719,"+long+",\"Strat, long\",1699.99\n")
	sum, out, err := runJob(t, defaultMapping(t), in)
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, filepath.Join(out, "rejects.csv"))
	if len(recs) != 2 || recs[1][0] != "shopify" || recs[1][3] != "3" || recs[1][7] != "0113942719,"+long+",\"Strat, long\",1699.99" {
		t.Fatalf("%q", recs)
	}
	if sum.Platforms["shopify"].RowsRefused != 1 || sum.ExitCode != 3 {
		t.Errorf("%+v", sum.Platforms["shopify"])
	}
}
