// Package convert runs the main job: AIM inventory files in, every chosen
// platform's import files out, with rejects.csv and summary.json, all
// committed together or not at all.
package convert

import (
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
	Inputs  []string
	Out     string
	Mapping *mapping.Mapping
	Targets []Target
	Log     *slog.Logger
	Version string
}

// Exit codes, shared by every command.
const (
	ExitOK       = 0
	ExitNothing  = 1 // nothing usable could be produced
	ExitUsage    = 2
	ExitRejected = 3 // outputs written, some rows refused
)

// Run converts and returns the summary it wrote. An error means nothing
// was written.
func Run(job Job) (*Summary, error) {
	log := job.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var b sink.Batch
	defer b.Abort()
	rejects, err := report.NewRejects(&b, filepath.Join(job.Out, "rejects.csv"))
	if err != nil {
		return nil, err
	}
	sum := &Summary{Version: job.Version, Mapping: job.Mapping.Name, Platforms: map[string]*PlatformSummary{}}
	cat := inventory.NewCatalog()
	for _, in := range job.Inputs {
		is, err := readInput(in, job, cat, rejects, log)
		if err != nil {
			return nil, err
		}
		sum.addInput(is)
	}
	for _, w := range cat.Warnings {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s: %s: %s", w.Source, w.Column, w.Reason))
		log.Warn(w.Reason, "file", w.File, "line", w.Line, "field", w.Column)
	}
	products := cat.Products()
	sum.countCatalog(products)

	for _, t := range job.Targets {
		name := t.Platform.Name
		dir := filepath.Join(job.Out, name)
		res, err := t.Writer.Write(products, dir, &b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ps := &PlatformSummary{Result: res}
		for _, r := range res.Refused {
			for _, src := range r.Rows {
				if err := rejects.Add(report.Reject{Platform: name, Outcome: "rejected", File: src.File, Line: src.Line,
					Column: r.Column, Value: r.Value, Reason: r.Reason, Row: src.Raw}); err != nil {
					return nil, err
				}
				ps.RowsRefused++
			}
		}
		if ps.RowsWritten+ps.RowsRefused != sum.RowsUsed {
			return nil, fmt.Errorf("%s: internal error: %d rows used but %d written and %d refused", name, sum.RowsUsed, ps.RowsWritten, ps.RowsRefused)
		}
		sum.Platforms[name] = ps
		for _, n := range res.Notes {
			log.Info(n, "platform", name)
		}
	}
	if err := sum.check(); err != nil {
		return nil, err
	}
	sum.decideExit()
	for _, f := range b.Pending() {
		rel, _ := filepath.Rel(job.Out, f.Path)
		f.Path = filepath.ToSlash(rel)
		sum.Files = append(sum.Files, f)
	}
	if err := report.WriteJSON(&b, filepath.Join(job.Out, "summary.json"), sum); err != nil {
		return nil, err
	}
	if _, err := b.Commit(); err != nil {
		return nil, err
	}
	return sum, nil
}

// readInput streams one file into the catalog; every row ends up used,
// rejected or skipped.
func readInput(path string, job Job, cat *inventory.Catalog, rejects *report.Rejects, log *slog.Logger) (InputSummary, error) {
	is := InputSummary{File: filepath.Base(path)}
	opt, err := job.Mapping.ReaderOptions()
	if err != nil {
		return is, err
	}
	opt.AcceptHeader = job.Mapping.Check
	opt.Log = log
	r, err := tabular.Open(path, opt)
	if err != nil {
		return is, err
	}
	defer r.Close()
	bind, err := job.Mapping.Bind(is.File, r.HeaderLine(), r.Header())
	if err != nil {
		return is, err
	}
	for _, h := range bind.Unknown {
		is.UnknownHeaders = append(is.UnknownHeaders, h)
		log.Warn("unknown header ignored", "file", is.File, "header", h)
	}
	weightUnit := job.Mapping.Fields["weight"].Unit
	reject := func(outcome string, e *tabular.RowError) error {
		if outcome == "skipped" {
			is.RowsSkipped++
		} else {
			is.RowsRejected++
		}
		return rejects.Add(report.Reject{Outcome: outcome, File: e.File, Line: e.Line, Column: e.Column, Value: e.Value, Reason: e.Reason, Row: e.Raw})
	}
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			is.RowsRead++
			if err := reject("rejected", re); err != nil {
				return is, err
			}
			continue
		}
		if err != nil {
			return is, err
		}
		is.RowsRead++
		vals, err := bind.Apply(row)
		if errors.As(err, &re) {
			if err := reject("rejected", re); err != nil {
				return is, err
			}
			continue
		}
		src := inventory.Source{File: row.File, Line: row.Line, Raw: row.Raw}
		item, err := inventory.FromValues(src, vals, weightUnit)
		if err != nil {
			if err := reject("rejected", &tabular.RowError{File: row.File, Line: row.Line, Reason: err.Error(), Raw: row.Raw}); err != nil {
				return is, err
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
				return is, err
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
	return is, nil
}
