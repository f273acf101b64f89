package report

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/aimbridge/aimbridge/etl/sink"
)

func TestRejectsFile(t *testing.T) {
	dir := t.TempDir()
	var b sink.Batch
	r, err := NewRejects(&b, filepath.Join(dir, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r.Add(Reject{Outcome: "rejected", File: "inv.csv", Line: 56, Column: "Serial #", Value: "=HOX271140", Reason: "formula", Row: "FG800NT,=HOX271140"})
	r.Add(Reject{Platform: "bigcommerce", Outcome: "rejected", File: "inv.csv", Line: 7, Column: "Serial #", Value: "US2100=33734", Reason: "BigCommerce: =", Row: "A,\"q\"\"uote\",\nnext"})
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(filepath.Join(dir, "rejects.csv"))
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"platform", "outcome", "file", "line", "column", "value", "reason", "row"},
		{"", "rejected", "inv.csv", "56", "Serial #", "'=HOX271140", "formula", "FG800NT,=HOX271140"},
		{"bigcommerce", "rejected", "inv.csv", "7", "Serial #", "US2100=33734", "BigCommerce: =", "A,\"q\"\"uote\",\nnext"},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("%q", recs)
	}
}
