package sink

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBatchAppearsOnlyOnCommit(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	f, err := b.Create(filepath.Join(dir, "a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("x\n"))
	if _, err := os.Stat(filepath.Join(dir, "a.csv")); !os.IsNotExist(err) {
		t.Fatal("file visible before commit")
	}
	infos, err := b.Commit()
	if err != nil || len(infos) != 1 || infos[0].Bytes != 2 {
		t.Fatalf("commit: %v %+v", err, infos)
	}
	var b2 Batch
	g, _ := b2.Create(filepath.Join(dir, "b.csv"))
	g.Write([]byte("y"))
	b2.Abort()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("abort left files: %v", entries)
	}
}

func TestPartsSplitOnGroupBoundaries(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "p-009.csv"), []byte("stale"), 0o644)
	var b Batch
	p := b.NewParts(dir, "p-%03d.csv", 40, []string{"h1", "h2"})
	for _, g := range []string{"a", "b", "c", "d"} {
		rows := [][]string{{g, "1"}, {g, "2,\"x\""}}
		if err := p.WriteGroup(g, rows); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	if err := b.RemoveStale(dir, "p-*.csv"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "p-009.csv")); err != nil {
		t.Fatal("a stale part must survive until the batch commits")
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p-*.csv"))
	if len(files) != p.Count() || p.Count() < 2 {
		t.Fatalf("files %v, count %d", files, p.Count())
	}
	seen := map[string]string{}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if recs[0][0] != "h1" {
			t.Errorf("%s lacks the header", f)
		}
		for _, r := range recs[1:] {
			if prev, ok := seen[r[0]]; ok && prev != f {
				t.Errorf("group %s split across %s and %s", r[0], prev, f)
			}
			seen[r[0]] = f
		}
	}
	if len(seen) != 4 {
		t.Errorf("groups written: %v", seen)
	}
}

// A run that fails leaves the previous run's files as they were.
func TestAbortKeepsEarlierOutputs(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"p-001.csv", "p-002.csv"} {
		os.WriteFile(filepath.Join(dir, n), []byte("old "+n), 0o644)
	}
	os.WriteFile(filepath.Join(dir, ".p-001.csv.tmp-123"), []byte("left by a killed run"), 0o600)
	var b Batch
	p := b.NewParts(dir, "p-%03d.csv", 1000, []string{"h"})
	p.WriteGroup("a", [][]string{{"new"}})
	b.RemoveStale(dir, "p-*.csv")
	b.Abort()
	for _, n := range []string{"p-001.csv", "p-002.csv"} {
		if data, _ := os.ReadFile(filepath.Join(dir, n)); string(data) != "old "+n {
			t.Errorf("%s: %q", n, data)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestPartsSingleName(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	p := b.NewParts(dir, "p-%03d.csv", 1000, []string{"h"})
	p.Single = "p.csv"
	p.WriteGroup("a", [][]string{{"x"}})
	p.Close()
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.csv")); err != nil {
		t.Fatal("one part must take the single name")
	}
	var b2 Batch
	q := b2.NewParts(dir, "p-%03d.csv", 10, []string{"h"})
	q.Single = "p.csv"
	q.WriteGroup("a", [][]string{{"xxxxxxxx"}})
	q.WriteGroup("b", [][]string{{"yyyyyyyy"}})
	q.Close()
	b2.RemoveStale(dir, "p*.csv")
	b2.Commit()
	files, _ := filepath.Glob(filepath.Join(dir, "p*.csv"))
	if len(files) != 2 || filepath.Base(files[0]) != "p-001.csv" {
		t.Fatalf("split parts: %v", files)
	}
}
