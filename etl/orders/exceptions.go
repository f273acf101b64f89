package orders

import (
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/aimbridge/aimbridge/etl/report"

	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/gocarina/gocsv"
)

// Exception is one line of exceptions.csv: the columns of formats/aim.md
// §4 first, then what happened and where to look.
type Exception struct {
	Source      string `csv:"Source"`
	OrderNumber string `csv:"OrderNumber"`
	WebLineId   string `csv:"WebLineId"`
	WebSku      string `csv:"WebSku"`
	Reason      string `csv:"Reason"` // a Reason code
	Detail      string `csv:"Detail"`
	// Outcome is held (the order is not in the AIM file), skipped (left
	// out by policy, or a line with nothing left to sell), written (in the
	// AIM file, listed for review) or refused (a record of no order).
	Outcome string `csv:"Outcome"`
	File    string `csv:"File"`
	Line    string `csv:"Line"` // empty when the source has no lines
	Column  string `csv:"Column"`
	Value   string `csv:"Value"`
}

// Outcomes.
const (
	OutcomeHeld    = "held"
	OutcomeSkipped = "skipped"
	OutcomeWritten = "written"
	OutcomeRefused = "refused"
)

type exceptions struct {
	f *sink.File
	w *gocsv.SafeCSVWriter
}

func newExceptions(b *sink.Batch, path string) (*exceptions, error) {
	f, err := b.Create(path)
	if err != nil {
		return nil, err
	}
	w := gocsv.NewSafeCSVWriter(csv.NewWriter(f))
	if err := gocsv.MarshalCSV([]Exception{}, w); err != nil {
		return nil, err
	}
	return &exceptions{f: f, w: w}, nil
}

func (e *exceptions) add(source, number, outcome string, p Problem) error {
	line := ""
	if p.Src.Line > 0 {
		line = strconv.Itoa(p.Src.Line)
	}
	// Staff open exceptions.csv in a spreadsheet; what came from a web
	// store must not run there as a formula.
	x := Exception{Source: source, OrderNumber: report.Inert(number), WebLineId: report.Inert(p.WebLineID), WebSku: report.Inert(p.WebSKU),
		Reason: p.Reason, Detail: p.Detail, Outcome: outcome, File: p.Src.File, Line: line, Column: report.Inert(p.Column), Value: report.Inert(p.Value)}
	if err := gocsv.MarshalCSVWithoutHeaders([]Exception{x}, e.w); err != nil {
		return fmt.Errorf("exceptions.csv: %w", err)
	}
	e.f.Rows++
	return nil
}
