// Package orderstest holds what the platforms' order-reader tests share:
// the AIM sample and its units, a run of the sample through a writer, an
// Excel re-save of an export, and the golden comparison of a run's outputs.
package orderstest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/convert"
	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/tabular"
	"github.com/xuri/excelize/v2"
)

// Outputs are the files an orders run writes.
var Outputs = []string{"aim-orders.csv", "exceptions.csv", "summary.json"}

// Golden compares the outputs in out with those in golden; with update it
// rewrites golden instead, to be reviewed as a diff.
func Golden(t testing.TB, out, golden string, update bool) {
	t.Helper()
	for _, name := range Outputs {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if update {
			if err := os.MkdirAll(golden, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(golden, name), got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(filepath.Join(golden, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run the test with -update and review the diff)\ngot:\n%s", name, golden, got)
		}
	}
}

// AIMSample is the AIM inventory sample, from a package under etl/.
var AIMSample = filepath.Join("..", "..", "samples", "aim", "inventory.csv")

// SampleUnits reads what AIM had in the inventory sample, straight from
// the export's cells: every (SKU, serial) pair, "" for no serial. Rows the
// sample breaks on purpose are in it too; convert refuses them and they
// never reach a store.
func SampleUnits(t testing.TB) map[[2]string]bool {
	t.Helper()
	units := map[[2]string]bool{}
	r, err := tabular.Open(AIMSample, tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sku, serial := slices.Index(r.Header(), "SKU"), slices.Index(r.Header(), "Serial #")
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return units
		}
		if err != nil {
			continue
		}
		units[[2]string{strings.TrimSpace(row.Cells[sku]), strings.TrimSpace(row.Cells[serial])}] = true
	}
}

// Convert runs the inventory sample through one platform's writer and
// returns the output folder.
func Convert(t testing.TB, target convert.Target) string {
	t.Helper()
	m, err := inventory.LoadMapping("")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := convert.Run(convert.Job{Inputs: []string{AIMSample}, Out: out, Mapping: m,
		Targets: []convert.Target{target}, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Resave writes a CSV export the way staff re-save it from Excel: an
// .xlsx of text cells, one row per record. It returns the new file.
func Resave(t testing.TB, csvPath string) string {
	t.Helper()
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	for i, rec := range recs {
		for j, v := range rec {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(csvPath), filepath.Ext(csvPath))+".xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// Drain reads every order of r and closes it: the orders, the records
// that belong to no order, and the error that stopped reading, if any.
func Drain(r orders.Reader) ([]*orders.Order, []*tabular.RowError, error) {
	defer r.Close()
	var got []*orders.Order
	var bad []*tabular.RowError
	for {
		o, err := r.Next()
		if errors.Is(err, io.EOF) {
			return got, bad, nil
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			bad = append(bad, re)
			continue
		}
		if err != nil {
			return got, bad, err
		}
		got = append(got, o)
	}
}

// Bench reads every order of path through open, b.N times, and reports
// bytes/s, allocations and ns/order; want is the number of orders the
// file holds, and a run that reads another number fails.
func Bench(b *testing.B, path string, open func(path string, cfg orders.Config) (orders.Reader, error), want int) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		r, err := open(path, orders.Config{})
		if err != nil {
			b.Fatal(err)
		}
		got, _, err := Drain(r)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != want {
			b.Fatalf("%d orders, want %d", len(got), want)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*want), "ns/order")
}
