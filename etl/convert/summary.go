package convert

import (
	"fmt"

	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/sink"
)

// Summary is summary.json. It holds no clock time, so the same input
// gives the same file.
type Summary struct {
	Version string `json:"aimbridge_version"`
	Mapping string `json:"mapping"`

	RowsRead     int  `json:"rows_read"`
	RowsUsed     int  `json:"rows_used"`
	RowsRejected int  `json:"rows_rejected"`
	RowsSkipped  int  `json:"rows_skipped"`
	Balanced     bool `json:"balanced"` // rows_read = rows_used + rows_rejected + rows_skipped
	BlankRows    int  `json:"blank_rows_skipped"`
	SKUsPadded   int  `json:"skus_zero_padded"`

	Products           int `json:"products"`
	SerializedProducts int `json:"serialized_products"`
	Variants           int `json:"variants"`
	SimpleProducts     int `json:"simple_products"`

	Inputs       []InputSummary              `json:"inputs"`
	Platforms    map[string]*PlatformSummary `json:"platforms"`
	Warnings     []string                    `json:"warnings,omitempty"` // the first 100
	WarningCount int                         `json:"warning_count"`
	Files        []sink.Info                 `json:"files"`
	ExitCode     int                         `json:"exit_code"`
}

// InputSummary describes one input file.
type InputSummary struct {
	File           string   `json:"file"`
	Kind           string   `json:"kind"`
	Sheet          string   `json:"sheet,omitempty"`
	Delimiter      string   `json:"delimiter,omitempty"`
	Charset        string   `json:"charset,omitempty"`
	RowsRead       int      `json:"rows_read"`
	RowsUsed       int      `json:"rows_used"`
	RowsRejected   int      `json:"rows_rejected"`
	RowsSkipped    int      `json:"rows_skipped"`
	BlankRows      int      `json:"blank_rows_skipped"`
	SKUsPadded     int      `json:"skus_zero_padded"`
	UnknownHeaders []string `json:"unknown_headers,omitempty"`
}

// PlatformSummary is what one platform got: rows_written + rows_refused
// equals the run's rows_used.
type PlatformSummary struct {
	platform.Result
	RowsRefused int `json:"rows_refused"`
}

func (s *Summary) addInput(is InputSummary) {
	s.Inputs = append(s.Inputs, is)
	s.RowsRead += is.RowsRead
	s.RowsUsed += is.RowsUsed
	s.RowsRejected += is.RowsRejected
	s.RowsSkipped += is.RowsSkipped
	s.BlankRows += is.BlankRows
	s.SKUsPadded += is.SKUsPadded
}

func (s *Summary) countCatalog(products []*inventory.Product) {
	for _, p := range products {
		s.Products++
		if p.Serialized {
			s.SerializedProducts++
			s.Variants += len(p.Variants)
		} else {
			s.SimpleProducts++
		}
	}
}

func (s *Summary) check() error {
	s.Balanced = s.RowsRead == s.RowsUsed+s.RowsRejected+s.RowsSkipped
	if !s.Balanced {
		return fmt.Errorf("internal error: %d rows read but %d used, %d rejected, %d skipped", s.RowsRead, s.RowsUsed, s.RowsRejected, s.RowsSkipped)
	}
	return nil
}

func (s *Summary) decideExit() {
	refused := 0
	written := 0
	for _, p := range s.Platforms {
		refused += p.RowsRefused
		written += p.RowsWritten
	}
	switch {
	case s.RowsUsed == 0 || (len(s.Platforms) > 0 && written == 0):
		s.ExitCode = report.ExitNothing
	case s.RowsRejected > 0 || refused > 0:
		s.ExitCode = report.ExitPartial
	default:
		s.ExitCode = report.ExitOK
	}
}
