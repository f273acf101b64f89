package orders

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/tabular"
)

// A fake platform: the file only carries the signature; its orders come
// from fakeFiles, so the shared rules can be tested without any real
// export format.
var (
	fakeMu    sync.Mutex
	fakeFiles = map[string][]any{} // path → *Order, *tabular.RowError or error
)

var fakeFormat = Format{Platform: "fake", Name: "fake", Title: "Fake export",
	Signature: Signature{Describe: "FAKE-ORDERS on line 1", Match: func(h Head) bool { return bytes.HasPrefix(h.Bytes, []byte("FAKE-ORDERS")) }},
	Open: func(path string, _ Config) (Reader, error) {
		fakeMu.Lock()
		defer fakeMu.Unlock()
		items, ok := fakeFiles[path]
		if !ok {
			return nil, errors.New("no such fake file")
		}
		return &fakeReader{items: items}, nil
	}}

type fakeReader struct{ items []any }

func (r *fakeReader) Close() error { return nil }
func (r *fakeReader) Next() (*Order, error) {
	if len(r.items) == 0 {
		return nil, io.EOF
	}
	it := r.items[0]
	r.items = r.items[1:]
	switch it := it.(type) {
	case *Order:
		c := *it // each pass gets its own copy, as a real reader's would be
		c.Lines = append([]Line(nil), it.Lines...)
		c.Problems = append([]Problem(nil), it.Problems...)
		return &c, nil
	case *tabular.RowError:
		return nil, it
	case error:
		return nil, it
	}
	panic("bad fake item")
}

func fakeFile(t *testing.T, name string, items ...any) string {
	p := writeFile(t, name, "FAKE-ORDERS\n")
	fakeMu.Lock()
	fakeFiles[p] = items
	fakeMu.Unlock()
	return p
}

type result struct {
	sum        *Summary
	aim        string
	exceptions string
	out        string
}

func run(t *testing.T, job Job, inputs ...string) result {
	t.Helper()
	job.Inputs, job.Formats, job.Version = inputs, append([]Format{fakeFormat}, detectFormats...), "test"
	if job.Out == "" {
		job.Out = t.TempDir()
	}
	sum, err := Run(job)
	if err != nil {
		t.Fatal(err)
	}
	aim, _ := os.ReadFile(filepath.Join(job.Out, sum.AIMFile))
	ex, _ := os.ReadFile(filepath.Join(job.Out, "exceptions.csv"))
	return result{sum: sum, aim: string(aim), exceptions: string(ex), out: job.Out}
}

// aimLines gives OrderNumber/AIMSku/Serial/Qty/UnitPrice/ExtPrice of each AIM line.
func aimLines(t *testing.T, r result) string {
	var out []string
	for i, l := range strings.Split(strings.TrimSpace(r.aim), "\n") {
		if i == 0 {
			continue
		}
		f := strings.Split(l, ",")
		out = append(out, strings.Join([]string{f[0], f[24], f[25], f[26], f[27], f[28]}, "/"))
	}
	return strings.Join(out, "\n")
}

func counts(s *Summary) [8]int {
	return [8]int{s.OrdersRead, s.OrdersWritten, s.OrdersHeld, s.OrdersSkipped, s.LinesRead, s.LinesWritten, s.LinesHeld, s.LinesSkipped}
}

func TestRunSerialSoldTwiceHoldsBothOrders(t *testing.T) {
	a := fakeFile(t, "a.fake",
		order("#1001", line("0113942719|||US210033734", 1, "1699.99"), line("0885978", 2, "5.99")),
		order("#1002", line("0113942719|||US210100599", 1, "1699.99")))
	b := fakeFile(t, "b.fake",
		order("#1003", line("P02221", 3, "7.99")),
		order("#1004", line("0113942719|||US210033734", 1, "1699.99")))
	r := run(t, Job{}, a, b)
	if got, want := aimLines(t, r), "#1002/0113942719/US210100599/1/1699.99/1699.99\n#1003/P02221//3/7.99/23.97"; got != want {
		t.Errorf("AIM lines:\n%s\nwant\n%s", got, want)
	}
	want := `Source,OrderNumber,WebLineId,WebSku,Reason,Detail,Outcome,File,Line,Column,Value
fake,#1001,,0113942719|||US210033734,duplicate-serial,"serial US210033734 of 0113942719 is also sold in order #1004 (b.fake:2); one unit cannot be sold twice, check which sale stands",held,in.fake,2,sku,0113942719|||US210033734
fake,#1004,,0113942719|||US210033734,duplicate-serial,"serial US210033734 of 0113942719 is also sold in order #1001 (a.fake:2); one unit cannot be sold twice, check which sale stands",held,in.fake,2,sku,0113942719|||US210033734
`
	// The fake orders all claim in.fake as their file; the detail names
	// the order's own source.
	want = strings.ReplaceAll(want, "(b.fake:2)", "(in.fake:2)")
	want = strings.ReplaceAll(want, "(a.fake:2)", "(in.fake:2)")
	if r.exceptions != want {
		t.Errorf("exceptions:\n%s\nwant\n%s", r.exceptions, want)
	}
	if got := counts(r.sum); got != [8]int{4, 2, 2, 0, 5, 2, 3, 0} {
		t.Errorf("counts %v", got)
	}
	if r.sum.ExitCode != report.ExitPartial || !r.sum.Balanced {
		t.Errorf("exit %d balanced %v", r.sum.ExitCode, r.sum.Balanced)
	}
}

func TestRunCancelledSaleFreesTheSerial(t *testing.T) {
	first := order("#1001", line("0113942719|||US210033734", 1, "1699.99"))
	first.State, first.StateDetail = Cancelled, "Cancelled at 2024-03-04 12:00:00 -0500"
	r := run(t, Job{}, fakeFile(t, "a.fake", first, order("#1002", line("0113942719|||US210033734", 1, "1649.99"))))
	if got := aimLines(t, r); got != "#1002/0113942719/US210033734/1/1649.99/1649.99" {
		t.Errorf("AIM lines %s", got)
	}
	if r.sum.ExitCode != report.ExitOK || r.sum.SkippedReasons["cancelled"] != 1 {
		t.Errorf("exit %d, skipped %v", r.sum.ExitCode, r.sum.SkippedReasons)
	}
	r = run(t, Job{Policy: Policy{IncludeCancelled: true}}, fakeFile(t, "a.fake", first, order("#1002", line("0113942719|||US210033734", 1, "1649.99"))))
	if r.sum.OrdersHeld != 2 {
		t.Errorf("an included cancelled sale still claims its serial: held %d", r.sum.OrdersHeld)
	}
}

func TestRunRepeatedOrders(t *testing.T) {
	same := order("#1001", line("0113942719|||US210033734", 1, "1699.99"))
	changed := order("#1002", line("P02221", 1, "7.99"))
	changed2 := order("#1002", line("P02221", 2, "7.99"))
	// Two overlapping downloads: #1001 twice, identical; #1002 changed in between.
	r := run(t, Job{}, fakeFile(t, "a.fake", same, changed), fakeFile(t, "b.fake", same, changed2))
	if got := aimLines(t, r); got != "#1001/0113942719/US210033734/1/1699.99/1699.99" {
		t.Errorf("AIM lines %s", got)
	}
	if got := counts(r.sum); got != [8]int{4, 1, 2, 1, 4, 1, 2, 1} {
		t.Errorf("counts %v", got)
	}
	if r.sum.SkippedReasons[ReasonRepeatedOrder] != 1 || r.sum.HeldReasons[ReasonDuplicateOrder] != 2 {
		t.Errorf("skipped %v held %v", r.sum.SkippedReasons, r.sum.HeldReasons)
	}
}

func TestRunCurrencies(t *testing.T) {
	usd := order("#1", line("A1", 1, "1.00"))
	cad := order("#2", line("A1", 1, "1.00"))
	cad.Currency = "CAD"
	job := Job{Inputs: []string{fakeFile(t, "a.fake", usd, cad)}, Out: t.TempDir(), Formats: []Format{fakeFormat}}
	_, err := Run(job)
	if err == nil || !strings.Contains(err.Error(), "more than one currency: CAD (1 orders), USD (1 orders)") {
		t.Fatalf("error %v", err)
	}
	if entries, _ := os.ReadDir(job.Out); len(entries) != 0 {
		t.Errorf("a refused run wrote %d files", len(entries))
	}
	r := run(t, Job{Policy: Policy{Currency: "usd"}}, fakeFile(t, "a.fake", usd, cad))
	if r.sum.OrdersWritten != 1 || r.sum.HeldReasons[ReasonCurrency] != 1 || r.sum.Currency != "USD" {
		t.Errorf("summary %+v", r.sum)
	}
}

func TestRunRecordsAndExitCodes(t *testing.T) {
	bad := &tabular.RowError{File: "in.fake", Line: 7, Reason: "record has 3 fields, the header has 79"}
	r := run(t, Job{}, fakeFile(t, "a.fake", order("#1", line("A1", 1, "1.00")), bad))
	if r.sum.RecordsRefused != 1 || r.sum.ExitCode != report.ExitPartial {
		t.Errorf("refused %d exit %d", r.sum.RecordsRefused, r.sum.ExitCode)
	}
	if !strings.Contains(r.exceptions, "fake,,,,unreadable-record,\"record has 3 fields, the header has 79\",refused,in.fake,7,,\n") {
		t.Errorf("exceptions:\n%s", r.exceptions)
	}

	r = run(t, Job{}, fakeFile(t, "a.fake", order("#1", line("", 1, "1.00"))))
	if r.sum.ExitCode != report.ExitNothing || r.sum.OrdersHeld != 1 {
		t.Errorf("all held: exit %d", r.sum.ExitCode)
	}
	if r.aim != strings.Join(aimColumns(t), ",")+"\n" {
		t.Errorf("an AIM file with no orders still has its header: %q", r.aim)
	}
	r = run(t, Job{}, fakeFile(t, "a.fake"))
	if r.sum.ExitCode != report.ExitNothing {
		t.Errorf("no orders: exit %d", r.sum.ExitCode)
	}
	gone := order("#1", line("A1", 1, "1.00"))
	gone.State = Refunded
	r = run(t, Job{}, fakeFile(t, "a.fake", gone))
	if r.sum.ExitCode != report.ExitOK {
		t.Errorf("only a refunded order, skipped by policy: exit %d", r.sum.ExitCode)
	}
}

func TestRunFatalReaderErrorWritesNothing(t *testing.T) {
	out := t.TempDir()
	job := Job{Inputs: []string{fakeFile(t, "a.fake", order("#1", line("A1", 1, "1.00")), errors.New("disk on fire"))},
		Out: out, Formats: []Format{fakeFormat}}
	if _, err := Run(job); err == nil || err.Error() != "disk on fire" {
		t.Fatalf("error %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("%d files left behind", len(entries))
	}
}

func TestRunFlagsAndRecords(t *testing.T) {
	o := order("#1001", line("0113942719|||US210033734", 1, "1699.99"), line("0885978", 2, "5.99"))
	o.Email, o.Phone = " Dana.Whitfield@Example.COM ", "'+1 (201) 555-0143"
	o.Bill = Address{Name: "Dana Whitfield", Address1: "412 Garden St", City: "Hoboken", State: "NJ", PostalCode: "07030", Country: "US"}
	o.Discount, o.Shipping, o.Tax = dec("-10.00"), dec("5.00"), dec("100.00")
	o.Total = dec("1806.97") // 1711.97 - 10 + 5 + 100
	o.State, o.StateDetail = PartiallyRefunded, "refunded 5.99"
	o.Lines[0].WebLineID = "L1"
	r := run(t, Job{Store: "hoboken", Policy: Policy{WritePartialRefunds: true}}, fakeFile(t, "a.fake", o))
	want := "#1001,2024-03-04,fake:hoboken,dana.whitfield@example.com,+12015550143,Dana,Whitfield,Dana Whitfield,,412 Garden St,,Hoboken,NJ,07030,US,,,,,,,,,1,0113942719,US210033734,1,1699.99,1699.99,item 0113942719|||US210033734,5.00,100.00,10.00,1806.97,USD,,0113942719|||US210033734,id#1001,L1,\n"
	if lines := strings.SplitAfter(r.aim, "\n"); len(lines) != 4 || lines[1] != want {
		t.Errorf("AIM file:\n%s\nwant line 1:\n%s", r.aim, want)
	}
	if !strings.Contains(r.exceptions, "fake:hoboken,#1001,,,partial-refund,") || !strings.Contains(r.exceptions, ",written,in.fake,2,") {
		t.Errorf("exceptions:\n%s", r.exceptions)
	}
	if r.sum.OrdersFlagged != 1 || r.sum.ExitCode != report.ExitOK {
		t.Errorf("flagged %d exit %d", r.sum.OrdersFlagged, r.sum.ExitCode)
	}
}

func TestRunIsDeterministic(t *testing.T) {
	mk := func() []string {
		return []string{fakeFile(t, "a.fake",
			order("#1", line("A1|||S1", 1, "1.00")), order("#2", line("", 1, "1.00")),
			&tabular.RowError{File: "a.fake", Line: 9, Reason: "bad"}, order("#3", line("B2", 4, "2.50")))}
	}
	var outs [2]string
	for i := range outs {
		r := run(t, Job{}, mk()...)
		var all []string
		for _, f := range []string{"aim-orders.csv", "exceptions.csv", "summary.json"} {
			data, err := os.ReadFile(filepath.Join(r.out, f))
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, string(data))
		}
		outs[i] = strings.Join(all, "\x00")
	}
	if outs[0] != outs[1] {
		t.Error("two runs of the same input differ")
	}
	var sum Summary
	if err := json.Unmarshal([]byte(strings.Split(outs[0], "\x00")[2]), &sum); err != nil || !sum.Balanced {
		t.Errorf("summary.json: %v balanced=%v", err, sum.Balanced)
	}
}

func TestRunFrom(t *testing.T) {
	job := Job{Inputs: []string{fakeFile(t, "a.fake", order("#1", line("A1", 1, "1.00")))}, Out: t.TempDir(),
		Formats: append([]Format{fakeFormat}, detectFormats...), From: "shopify"}
	if _, err := Run(job); err == nil || !strings.Contains(err.Error(), "expected one of:\n  Shopify order export [--from shopify]") {
		t.Errorf("error %v", err)
	}
	job.From = "nosuch"
	if _, err := Run(job); err == nil || !strings.Contains(err.Error(), "no order export formats") {
		t.Errorf("error %v", err)
	}
}

func TestRunRemovesStaleAIMFile(t *testing.T) {
	out := t.TempDir()
	in := fakeFile(t, "a.fake", order("#1", line("A1", 1, "1.00")))
	run(t, Job{Out: out, AIMFormat: FormatXLSX}, in)
	run(t, Job{Out: out}, in)
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, ","); got != "aim-orders.csv,exceptions.csv,summary.json" {
		t.Errorf("files after a CSV run that followed an XLSX run: %s", got)
	}
}

// A file that is no usable order export, beside usable ones, is listed in
// exceptions.csv and the others are imported; alone, it stops the run.
func TestRunRefusedFileBesideGoodOnes(t *testing.T) {
	good := fakeFile(t, "a.fake", order("#1001", line("P02221", 1, "7.99")))
	grid := writeFile(t, "grid.csv", "ID,Purchase Point,Purchase Date,Bill-to Name,Ship-to Name,Grand Total (Base),Grand Total (Purchased),Status,Action\n1,Main,2024-01-01,A,B,1,1,complete,View\n")
	junk := writeFile(t, "notes.csv", "Hello,World\n1,2\n")
	r := run(t, Job{}, good, grid, junk)
	if aimLines(t, r) != "#1001/P02221//1/7.99/7.99" || r.sum.ExitCode != report.ExitPartial {
		t.Fatalf("exit %d, AIM:\n%s", r.sum.ExitCode, r.aim)
	}
	for _, want := range []string{",,,,refused-file,", "REST API", ",,,,unknown-file,", "grid.csv", "notes.csv"} {
		if !strings.Contains(r.exceptions, want) {
			t.Errorf("exceptions.csv lacks %q:\n%s", want, r.exceptions)
		}
	}
	if len(r.sum.FilesRefused) != 2 {
		t.Errorf("files refused %+v", r.sum.FilesRefused)
	}
	_, err := Run(Job{Inputs: []string{grid}, Formats: detectFormats, Out: filepath.Join(t.TempDir(), "out")})
	var fr *FileRefused
	if !errors.As(err, &fr) || fr.Reason != ReasonRefusedFile {
		t.Fatalf("grid alone: %v", err)
	}
}

// An interrupted run commits nothing: the previous outputs stay.
func TestRunCancelledWritesNothing(t *testing.T) {
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "aim-orders.csv"), []byte("yesterday"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := fakeFile(t, "a.fake", order("#1001", line("P02221", 1, "7.99")))
	_, err := Run(Job{Ctx: ctx, Inputs: []string{in}, Formats: []Format{fakeFormat}, Out: out})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	entries, _ := os.ReadDir(out)
	data, _ := os.ReadFile(filepath.Join(out, "aim-orders.csv"))
	if len(entries) != 1 || string(data) != "yesterday" {
		t.Errorf("outputs touched: %d entries, %q", len(entries), data)
	}
}

// JSON sources give every line of an order the same position; a bad line
// must not free the serial of another line of that order.
func TestRunHeldOrderKeepsItsSerials(t *testing.T) {
	bad := order("#1", line("A1", 0, "10.00"), line("G1|||S1", 1, "10.00"))
	for i := range bad.Lines {
		bad.Lines[i].Src = Source{File: "o.json"}
	}
	other := order("#2", line("G1|||S1", 1, "10.00"))
	r := run(t, Job{}, fakeFile(t, "a.fake", bad, other))
	if r.sum.OrdersHeld != 2 || !strings.Contains(r.exceptions, "#2,,G1|||S1,duplicate-serial") {
		t.Errorf("held %d\n%s", r.sum.OrdersHeld, r.exceptions)
	}
}
