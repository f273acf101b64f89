// Command mkxlsx regenerates samples/aim/inventory.xlsx from
// samples/aim/inventory.csv, so the XLSX sample never drifts from the CSV one.
//
// The workbook imitates an AIM export that a staff member opened in Excel
// and saved: a first, visible "Notes" sheet with a line of prose (so the
// reader has to pick the data sheet), then an "Inventory" sheet. Every
// cell is text except Retail, MSRP, Weight and Qty, which become numbers
// when they are plain numbers (1299.00 is stored as 1299) and stay text
// otherwise ("1,299.00" is kept as typed). Empty cells are left out and a
// short CSV record gives a short row, as Excel does.
//
// The output is byte-for-byte reproducible: fixed document properties, and
// ZIP entries written in name order with a fixed timestamp.
//
// Usage:
//
//	go run ./scripts/mkxlsx samples/aim/inventory.csv samples/aim/inventory.xlsx
package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

const (
	notesSheet = "Notes"
	dataSheet  = "Inventory"
	notesText  = "AIM inventory export for the web store. Data is on the Inventory sheet; do not re-sort or retype SKUs."
)

// stamp is the fixed creation time written into the workbook.
var stamp = time.Date(2025, time.March, 3, 9, 30, 0, 0, time.UTC)

// numericColumns are written as number cells when their value is a plain number.
var numericColumns = map[string]bool{"Retail": true, "MSRP": true, "Weight": true, "Qty": true}

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mkxlsx INPUT.csv OUTPUT.xlsx")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "mkxlsx:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	records, err := readCSV(in)
	if err != nil {
		return err
	}
	if len(records) == 0 {
		return fmt.Errorf("%s: no header line", in)
	}
	header := records[0]

	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &sortedZip{w: w} })

	if err := f.SetSheetName("Sheet1", notesSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(dataSheet); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:        "AIMsi",
		LastModifiedBy: "Store Manager",
		Title:          "Inventory",
		Created:        stamp.Format(time.RFC3339),
		Modified:       stamp.Format(time.RFC3339),
	}); err != nil {
		return err
	}

	notes, err := f.NewStreamWriter(notesSheet)
	if err != nil {
		return err
	}
	if err := notes.SetRow("A1", []any{notesText}); err != nil {
		return err
	}
	if err := notes.Flush(); err != nil {
		return err
	}

	sw, err := f.NewStreamWriter(dataSheet)
	if err != nil {
		return err
	}
	for i, rec := range records {
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = cellValue(i > 0 && j < len(header) && numericColumns[header[j]], v)
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}

	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// readCSV reads every record, allowing records shorter than the header.
func readCSV(name string) ([][]string, error) {
	file, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	r := csv.NewReader(file)
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

// cellValue gives nil for an empty cell (left out of the row), a float64 for
// a plain number in a numeric column, and the text itself otherwise.
func cellValue(numeric bool, v string) any {
	if v == "" {
		return nil
	}
	if numeric && plainNumber.MatchString(v) {
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			return n
		}
	}
	return v
}

// sortedZip buffers the workbook's parts and writes them in name order on
// Close. excelize writes stream-written sheets in map order, which would
// make the output differ from run to run.
type sortedZip struct {
	w     io.Writer
	parts map[string]*bytes.Buffer
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	if z.parts == nil {
		z.parts = map[string]*bytes.Buffer{}
	}
	if _, dup := z.parts[name]; dup {
		return nil, fmt.Errorf("duplicate zip entry %s", name)
	}
	b := &bytes.Buffer{}
	z.parts[name] = b
	return b, nil
}

func (z *sortedZip) AddFS(fsys fs.FS) error {
	return errors.New("mkxlsx: AddFS is not supported")
}

func (z *sortedZip) Close() error {
	names := make([]string, 0, len(z.parts))
	for n := range z.parts {
		names = append(names, n)
	}
	sort.Strings(names)
	zw := zip.NewWriter(z.w)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		if _, err := w.Write(z.parts[n].Bytes()); err != nil {
			return err
		}
	}
	return zw.Close()
}
