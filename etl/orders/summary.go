package orders

import (
	"fmt"

	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/sink"
)

// Summary is summary.json. It holds no clock time: the same input gives
// the same file.
type Summary struct {
	Version  string `json:"aimbridge_version"`
	Layout   string `json:"layout"`
	AIMFile  string `json:"aim_file"`
	Timezone string `json:"timezone,omitempty"`
	Locale   string `json:"locale,omitempty"`
	Currency string `json:"currency,omitempty"`

	OrdersRead    int  `json:"orders_read"`
	OrdersWritten int  `json:"orders_written"`
	OrdersHeld    int  `json:"orders_held_back"`
	OrdersSkipped int  `json:"orders_skipped"`
	OrdersFlagged int  `json:"orders_written_flagged"` // written and listed in exceptions.csv for review
	Balanced      bool `json:"balanced"`               // orders_read = written + held_back + skipped, and the same for lines

	LinesRead    int `json:"lines_read"`
	LinesWritten int `json:"lines_written"`
	LinesHeld    int `json:"lines_held_back"`
	LinesSkipped int `json:"lines_skipped"`
	// RecordsRefused are input records that belong to no order (an
	// unreadable CSV row, a row without an order number).
	RecordsRefused int `json:"records_refused"`

	// FilesRefused are whole inputs that are no usable order export; they
	// are listed in exceptions.csv and their orders are not in the AIM file.
	FilesRefused []RefusedFile `json:"files_refused,omitempty"`

	HeldReasons    map[string]int `json:"held_back_reasons"` // orders by reason code (an order can have several)
	SkippedReasons map[string]int `json:"skipped_reasons"`
	Held           []HeldOrder    `json:"held_back"`

	Inputs       []InputSummary `json:"inputs"`
	Warnings     []string       `json:"warnings,omitempty"` // the first 100
	WarningCount int            `json:"warning_count"`
	Files        []sink.Info    `json:"files"`
	ExitCode     int            `json:"exit_code"`
}

// RefusedFile names an input refused whole.
type RefusedFile struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// HeldOrder names one order held back and why.
type HeldOrder struct {
	Source  string   `json:"source"`
	Order   string   `json:"order"`
	At      string   `json:"at"`
	Reasons []string `json:"reasons"`
}

// InputSummary describes one input file.
type InputSummary struct {
	File           string `json:"file"`
	Format         string `json:"format"`
	Sheet          string `json:"sheet,omitempty"`
	Delimiter      string `json:"delimiter,omitempty"`
	Charset        string `json:"charset,omitempty"`
	BlankRows      int    `json:"blank_rows_skipped,omitempty"`
	OrdersRead     int    `json:"orders_read"`
	LinesRead      int    `json:"lines_read"`
	RecordsRefused int    `json:"records_refused"`
}

func (s *Summary) check() error {
	s.Balanced = s.OrdersRead == s.OrdersWritten+s.OrdersHeld+s.OrdersSkipped &&
		s.LinesRead == s.LinesWritten+s.LinesHeld+s.LinesSkipped
	if !s.Balanced {
		return fmt.Errorf("internal error: %d orders read but %d written, %d held back, %d skipped; %d lines read but %d written, %d held back, %d skipped",
			s.OrdersRead, s.OrdersWritten, s.OrdersHeld, s.OrdersSkipped, s.LinesRead, s.LinesWritten, s.LinesHeld, s.LinesSkipped)
	}
	return nil
}

func (s *Summary) decideExit() {
	switch {
	case s.OrdersRead == 0 && s.RecordsRefused == 0:
		s.ExitCode = report.ExitNothing
	case s.OrdersWritten == 0 && (s.OrdersHeld > 0 || s.RecordsRefused > 0):
		s.ExitCode = report.ExitNothing
	case s.OrdersHeld > 0 || s.RecordsRefused > 0 || len(s.FilesRefused) > 0:
		s.ExitCode = report.ExitPartial
	default:
		s.ExitCode = report.ExitOK
	}
}
