package orders

import (
	"strconv"

	"github.com/aimbridge/aimbridge/etl/report"

	"github.com/aimbridge/aimbridge/etl/sink"
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

type exceptions struct{ csv *report.CSV[Exception] }

func newExceptions(b *sink.Batch, path string) (*exceptions, error) {
	c, err := report.NewCSV[Exception](b, path)
	return &exceptions{c}, err
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
	return e.csv.Add(x)
}
