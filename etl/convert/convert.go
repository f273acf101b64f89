// Package convert runs the main job: AIM inventory files in, every chosen
// platform's import files out, with rejects.csv and summary.json, all
// committed together or not at all.
package convert

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/mapping"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/etl/tabular"
)

// Target is a platform with its writer built.
type Target struct {
	Platform platform.Platform
	Writer   platform.Writer
}

// Job is one conversion.
type Job struct {
	Ctx     context.Context // cancelled on Ctrl-C: nothing is committed
	Inputs  []string
	Out     string
	Mapping *inventory.Checked
	Targets []Target
	Log     *slog.Logger
	Version string
}

// Run converts and returns the summary it wrote. An error means nothing
// was written.
func Run(job Job) (*Summary, error) {
	log := job.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if job.Ctx == nil {
		job.Ctx = context.Background()
	}
	names, err := displayNames(job.Inputs)
	if err != nil {
		return nil, err
	}
	var b sink.Batch
	defer b.Abort()
	rejects, err := report.NewRejects(&b, filepath.Join(job.Out, "rejects.csv"))
	if err != nil {
		return nil, err
	}
	sum := &Summary{Version: job.Version, Mapping: job.Mapping.Name, Platforms: map[string]*PlatformSummary{}}
	cat := inventory.NewCatalog()
	bindings := map[string]*mapping.Binding{}
	for i, in := range job.Inputs {
		is, bind, err := readInput(in, names[i], job, cat, rejects, log)
		if err != nil {
			return nil, err
		}
		bindings[names[i]] = bind
		sum.addInput(is)
	}
	for i, w := range cat.Warnings {
		if i == maxWarnings {
			sum.Warnings = append(sum.Warnings, fmt.Sprintf("… and %d more warnings", len(cat.Warnings)-maxWarnings))
			log.Warn("more warnings not shown", "count", len(cat.Warnings)-maxWarnings)
			break
		}
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s: %s: %s", w.Source, w.Column, w.Reason))
		log.Warn(w.Reason, "file", w.File, "line", w.Line, "field", w.Column)
	}
	sum.WarningCount = len(cat.Warnings)
	products := cat.Products()
	sum.countCatalog(products)

	refused := map[string][]platform.Refusal{}
	for _, t := range job.Targets {
		name := t.Platform.Name
		dir := filepath.Join(job.Out, name)
		if err := job.Ctx.Err(); err != nil {
			return nil, err
		}
		res, err := t.Writer.Write(products, dir, &b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Platform.Title, err)
		}
		ps := &PlatformSummary{Result: res}
		for _, r := range res.Refused {
			ps.RowsRefused += len(r.Rows)
		}
		if ps.RowsWritten+ps.RowsRefused != sum.RowsUsed {
			return nil, fmt.Errorf("%s: internal error: %d rows used but %d written and %d refused", name, sum.RowsUsed, ps.RowsWritten, ps.RowsRefused)
		}
		sum.Platforms[name] = ps
		refused[name] = res.Refused
		for _, n := range res.Notes {
			log.Info(n, "platform", name)
		}
	}
	if err := rejectRefused(job, names, bindings, refused, rejects); err != nil {
		return nil, err
	}
	if err := sum.check(); err != nil {
		return nil, err
	}
	if err := job.Ctx.Err(); err != nil {
		return nil, err
	}
	sum.decideExit()
	sum.Files = report.Files(&b, job.Out)
	if err := report.WriteJSON(&b, filepath.Join(job.Out, "summary.json"), sum); err != nil {
		return nil, err
	}
	if _, err := b.Commit(); err != nil {
		return nil, err
	}
	return sum, nil
}

// rejectRefused writes the rows platforms refused to rejects.csv. The
// catalog keeps no row text (memory would grow with the file), so the
// refused rows' text is read again from the inputs, in one streaming pass
// and only when there is something to quote.
func rejectRefused(job Job, names []string, bindings map[string]*mapping.Binding, refused map[string][]platform.Refusal, rejects *report.Rejects) error {
	want := map[string]map[int]string{} // file → line → raw text
	for _, rs := range refused {
		for _, r := range rs {
			for _, src := range r.Rows {
				if want[src.File] == nil {
					want[src.File] = map[int]string{}
				}
				want[src.File][src.Line] = ""
			}
		}
	}
	for i, in := range job.Inputs {
		if lines := want[names[i]]; len(lines) > 0 {
			if err := rawLines(in, names[i], job, lines); err != nil {
				return err
			}
		}
	}
	for _, t := range job.Targets {
		name := t.Platform.Name
		for _, r := range refused[name] {
			for _, src := range r.Rows {
				col := r.Column
				if bind := bindings[src.File]; bind != nil && col != "" {
					col = bind.Column(col)
				}
				if err := rejects.Add(report.Reject{Platform: name, Outcome: "rejected", File: src.File, Line: src.Line,
					Column: col, Value: r.Value, Reason: r.Reason, Row: want[src.File][src.Line]}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// rawLines fills lines (line → "") with the text of those records of path.
func rawLines(path, name string, job Job, lines map[int]string) error {
	opt, err := job.Mapping.ReaderOptions()
	if err != nil {
		return err
	}
	opt.Name, opt.AcceptHeader = name, job.Mapping.Check
	r, err := tabular.Open(path, opt)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			return err
		}
		if _, ok := lines[row.Line]; ok {
			lines[row.Line] = row.Raw
		}
	}
}

// readInput streams one file into the catalog; every row ends up used,
// rejected or skipped.
func readInput(path, name string, job Job, cat *inventory.Catalog, rejects *report.Rejects, log *slog.Logger) (InputSummary, *mapping.Binding, error) {
	is := InputSummary{File: name}
	opt, err := job.Mapping.ReaderOptions()
	if err != nil {
		return is, nil, err
	}
	opt.Name = name
	opt.AcceptHeader = job.Mapping.Check
	opt.Log = log
	r, err := tabular.Open(path, opt)
	if err != nil {
		return is, nil, err
	}
	defer r.Close()
	bind, err := job.Mapping.Bind(is.File, r.HeaderLine(), r.Header())
	if err != nil {
		return is, nil, err
	}
	for _, h := range bind.Unknown {
		is.UnknownHeaders = append(is.UnknownHeaders, h)
		log.Warn("unknown header ignored", "file", is.File, "header", h)
	}
	reject := func(outcome string, e *tabular.RowError) error {
		if outcome == "skipped" {
			is.RowsSkipped++
		} else {
			is.RowsRejected++
		}
		return rejects.Add(report.Reject{Outcome: outcome, File: e.File, Line: e.Line, Column: e.Column, Value: e.Value, Reason: e.Reason, Row: e.Raw})
	}
	for {
		if is.RowsRead%1024 == 0 {
			if err := job.Ctx.Err(); err != nil {
				return is, nil, err
			}
		}
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			is.RowsRead++
			if err := reject("rejected", re); err != nil {
				return is, nil, err
			}
			continue
		}
		if err != nil {
			return is, nil, err
		}
		is.RowsRead++
		vals, err := bind.Apply(row)
		if errors.As(err, &re) {
			if err := reject("rejected", re); err != nil {
				return is, nil, err
			}
			continue
		}
		src := inventory.Source{File: row.File, Line: row.Line, Raw: row.Raw}
		item, err := inventory.FromValues(src, vals, job.Mapping.WeightUnit)
		if err != nil {
			re := &tabular.RowError{File: row.File, Line: row.Line, Reason: err.Error(), Raw: row.Raw}
			var fe *inventory.FieldError
			if errors.As(err, &fe) {
				re.Column, re.Value, re.Reason = bind.Column(fe.Field), fe.Value, fe.Reason
			}
			if err := reject("rejected", re); err != nil {
				return is, nil, err
			}
			continue
		}
		switch outcome, prob := cat.Add(item); outcome {
		case inventory.Used:
			is.RowsUsed++
		case inventory.Skipped, inventory.Rejected:
			kind := "rejected"
			if outcome == inventory.Skipped {
				kind = "skipped"
			}
			col := bind.Column(prob.Column)
			if err := reject(kind, &tabular.RowError{File: row.File, Line: row.Line, Column: col, Value: prob.Value, Reason: prob.Reason, Raw: row.Raw}); err != nil {
				return is, nil, err
			}
		}
	}
	st := r.Stats()
	is.Kind, is.Sheet, is.Delimiter, is.Charset, is.BlankRows = "csv", st.Sheet, st.Delimiter, st.Charset, st.BlankRows
	if st.Sheet != "" {
		is.Kind = "xlsx"
	}
	is.SKUsPadded = bind.Padded
	log.Info("read", "file", is.File, "rows", is.RowsRead, "used", is.RowsUsed, "rejected", is.RowsRejected, "skipped", is.RowsSkipped, "blank_rows", is.BlankRows)
	return is, bind, nil
}

// maxWarnings bounds the warnings listed in summary.json and the log; the
// count is always complete.
const maxWarnings = 100

// displayNames names each input by its base name, or by the path given
// when two inputs share a base name. The same file twice is refused: its
// serials would all be reported as duplicates of themselves.
func displayNames(inputs []string) ([]string, error) {
	seen := map[string]string{}
	base := map[string]int{}
	for _, in := range inputs {
		abs, err := filepath.Abs(in)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[abs]; dup {
			return nil, fmt.Errorf("%s is given twice (as %s and %s)", abs, prev, in)
		}
		seen[abs] = in
		base[filepath.Base(in)]++
	}
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = filepath.Base(in)
		if base[names[i]] > 1 {
			names[i] = filepath.ToSlash(filepath.Clean(in))
		}
	}
	return names, nil
}
