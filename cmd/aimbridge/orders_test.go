package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A store that renamed a column of its export plugin's profile reads it
// through its own copy of the mapping, named on the command line.
func TestOrderProfileFlag(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(samples, "orders", "woocommerce-advanced-order-export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(string(data), "Order Number,", "Order No,", 1)
	in := filepath.Join(dir, "export.csv")
	os.WriteFile(in, []byte(renamed), 0o644)
	if code := runCLI(t, "orders", "--out", filepath.Join(dir, "o1"), in); code != 1 {
		t.Fatalf("a renamed export without its profile: exit %d, want 1 (unknown file)", code)
	}
	yaml, _ := os.ReadFile("../../mappings/woocommerce-orders-advanced-order-export.yaml")
	profile := strings.ReplaceAll(string(yaml), `"Order Number"`, `"Order No"`)
	pf := filepath.Join(dir, "mine.yaml")
	os.WriteFile(pf, []byte(profile), 0o644)
	out := filepath.Join(dir, "o2")
	code := runCLI(t, "orders", "--out", out, "--order-profile", "woocommerce-aoe-csv="+pf, in)
	if code != 0 && code != 3 {
		t.Fatalf("with the profile: exit %d", code)
	}
	aim, _ := os.ReadFile(filepath.Join(out, "aim-orders.csv"))
	if !strings.Contains(string(aim), ",0113942719,US210088215,") {
		t.Errorf("the sold serial is not in the AIM file:\n%s", aim)
	}
	for _, bad := range [][]string{
		{"--order-profile", "nonsense=" + pf},
		{"--order-profile", "woocommerce-rest=" + pf},
		{"--order-profile", "no-equals-sign"},
		{"--from", "ebay"},
	} {
		args := append([]string{"orders", "--out", filepath.Join(dir, "o3")}, append(bad, in)...)
		if code := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	// --from takes a format name as well as a platform.
	if code := runCLI(t, "orders", "--out", filepath.Join(dir, "o4"), "--from", "woocommerce-aoe-csv", filepath.Join(samples, "orders", "woocommerce-advanced-order-export.csv")); code != 0 && code != 3 {
		t.Errorf("--from format name: exit %d", code)
	}
}

// The README's orders command on every sample: one AIM file in which the
// example SKU sold on each platform comes back split into AIM SKU and
// serial, and every held-back or refused input is in exceptions.csv.
func TestOrdersAllSamples(t *testing.T) {
	out := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(samples, "orders", "*"))
	if code := runCLI(t, append([]string{"orders", "--out", out}, files...)...); code != 3 {
		t.Fatalf("exit %d, want 3 (the samples hold deliberate faults)", code)
	}
	aim := readCSVFile(t, filepath.Join(out, "aim-orders.csv"))
	col := map[string]int{}
	for i, h := range aim[0] {
		col[h] = i
	}
	sold := map[string]bool{}
	for _, r := range aim[1:] {
		if r[col["AIMSku"]] == "0113942719" && r[col["Serial"]] != "" && r[col["WebSku"]] == "0113942719|||"+r[col["Serial"]] {
			sold[r[col["Source"]]] = true
		}
	}
	for _, p := range []string{"shopify", "bigcommerce", "woocommerce", "magento"} {
		if !sold[p] {
			t.Errorf("%s: no 0113942719 line with its serial split out", p)
		}
	}
	ex := readCSVFile(t, filepath.Join(out, "exceptions.csv"))
	held, refused := map[string]bool{}, 0
	for _, r := range ex[1:] {
		switch r[6] {
		case "held":
			held[r[0]+" "+r[1]] = true
		case "refused":
			refused++
		}
	}
	var sum struct {
		Held  int `json:"orders_held_back"`
		Files []struct {
			File string `json:"file"`
		} `json:"files_refused"`
	}
	data, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if len(held) != sum.Held || sum.Held == 0 {
		t.Errorf("%d held orders in exceptions.csv, summary says %d", len(held), sum.Held)
	}
	if refused != 1 || len(sum.Files) != 1 || sum.Files[0].File != "magento-order-grid.csv" {
		t.Errorf("the grid export must be refused and listed: %d rows, %+v", refused, sum.Files)
	}
}

func readCSVFile(t *testing.T, path string) [][]string {
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
