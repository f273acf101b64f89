package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite samples/expected from this run's output")

const samples = "../../samples"

// runCLI runs the command line in-process and returns its exit code.
func runCLI(t *testing.T, args ...string) int {
	t.Helper()
	return run(args)
}

// tree reads every file under dir, keyed by slash path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func compareTree(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s: not written", name)
			continue
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs from the expected file (run go test ./cmd/aimbridge -update and review the diff)", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: written but not expected", name)
		}
	}
}

// The README's first command, on the CSV sample, must give exactly the
// files in samples/expected/inventory.
func TestConvertSampleCSV(t *testing.T) {
	out := t.TempDir()
	code := runCLI(t, "convert", "--out", out, filepath.Join(samples, "aim", "inventory.csv"))
	if code != 3 {
		t.Fatalf("exit code %d, want 3 (the sample has rows that must be rejected)", code)
	}
	got := tree(t, out)
	want := filepath.Join(samples, "expected", "inventory")
	if *update {
		os.RemoveAll(want)
		for name, data := range got {
			p := filepath.Join(want, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	compareTree(t, got, tree(t, want))

	// A re-run into the same folder gives the same bytes.
	if code := runCLI(t, "convert", "--out", out, filepath.Join(samples, "aim", "inventory.csv")); code != 3 {
		t.Fatalf("re-run exit %d", code)
	}
	compareTree(t, tree(t, out), got)
}

// The same data saved as a workbook gives byte-identical import files.
func TestConvertSampleXLSXMatchesCSV(t *testing.T) {
	csvOut, xlsxOut := t.TempDir(), t.TempDir()
	runCLI(t, "convert", "--out", csvOut, filepath.Join(samples, "aim", "inventory.csv"))
	if code := runCLI(t, "convert", "--out", xlsxOut, filepath.Join(samples, "aim", "inventory.xlsx")); code != 3 {
		t.Fatalf("exit code %d", code)
	}
	c, x := tree(t, csvOut), tree(t, xlsxOut)
	n := 0
	for name, data := range c {
		if name == "rejects.csv" || name == "summary.json" {
			continue // they name the input file and quote its rows
		}
		n++
		if !bytes.Equal(x[name], data) {
			t.Errorf("%s from the XLSX differs from the CSV's", name)
		}
	}
	if n == 0 {
		t.Fatal("no platform files compared")
	}
	if !bytes.Contains(x["summary.json"], []byte(`"rows_read": 72`)) {
		t.Errorf("xlsx summary: %s", x["summary.json"])
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("SKU,Serial,Description,Retail,Qty\n0113942719,US210033734,Strat,1699.99,1\n"), 0o644)
	empty := filepath.Join(dir, "none.csv")
	os.WriteFile(empty, []byte("SKU,Serial,Description,Retail,Qty\n0113942719,US210033734,Strat,,1\n"), 0o644)
	bad := filepath.Join(dir, "legacy.xlsx")
	os.WriteFile(bad, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), 0o644)
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"convert", "--out", filepath.Join(dir, "o1"), good}, 0},
		{[]string{"convert", "--out", filepath.Join(dir, "o2"), empty}, 1},
		{[]string{"convert", "--out", filepath.Join(dir, "o3"), bad}, 1},
		{[]string{"convert", good}, 2},
		{[]string{"convert", "--out", dir, "--to", "ebay", good}, 2},
		{[]string{"convert", "--bogus"}, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"version"}, 0},
	}
	for _, c := range cases {
		if got := runCLI(t, c.args...); got != c.want {
			t.Errorf("%s: exit %d, want %d", strings.Join(c.args, " "), got, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "o3")); !os.IsNotExist(err) {
		t.Errorf("a refused input must leave no output folder behind: %v", err)
	}
}

// The example SKU reaches every platform as one product with its three
// serials, and Magento's link plan links exactly those three children.
func TestExampleSKUOnEveryPlatform(t *testing.T) {
	out := t.TempDir()
	runCLI(t, "convert", "--out", out, filepath.Join(samples, "aim", "inventory.csv"))
	files := tree(t, out)
	want := []string{"0113942719|||US210033734", "0113942719|||US210100599", "0113942719|||US21032314"}
	for _, p := range platforms {
		found := 0
		for name, data := range files {
			if !strings.HasPrefix(name, p.Name+"/") || !strings.HasSuffix(name, ".csv") {
				continue
			}
			for _, sku := range want {
				found += bytes.Count(data, []byte(sku+","))
			}
		}
		if found != len(want) {
			t.Errorf("%s: the three example variant SKUs appear %d times as a SKU cell", p.Name, found)
		}
	}
	var plan struct {
		Products []struct {
			SKU   string `json:"sku"`
			Calls []struct {
				Kind string `json:"kind"`
				Body struct {
					ChildSKU string `json:"childSku"`
				} `json:"body"`
			} `json:"calls"`
		} `json:"products"`
	}
	if err := json.Unmarshal(files["magento/link-plan.json"], &plan); err != nil {
		t.Fatal(err)
	}
	var linked []string
	for _, p := range plan.Products {
		if p.SKU != "0113942719" {
			continue
		}
		for _, c := range p.Calls {
			if c.Kind == "link_child" {
				linked = append(linked, c.Body.ChildSKU)
			}
		}
	}
	if strings.Join(linked, " ") != strings.Join(want, " ") {
		t.Errorf("link plan links %q", linked)
	}
}
