// Package orderstest holds what the platforms' order-reader tests share:
// comparing a run's outputs with the golden files in samples/expected.
package orderstest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
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
