package main

import (
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
	if !strings.Contains(string(aim), ",0113942719,US210100599,") {
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
