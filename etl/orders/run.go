package orders

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/sink"
	"github.com/aimbridge/aimbridge/etl/sku"
	"github.com/aimbridge/aimbridge/etl/tabular"
	"github.com/shopspring/decimal"
)

// Job is one orders run.
type Job struct {
	Ctx       context.Context // cancelled on Ctrl-C or SIGTERM: nothing is committed
	Inputs    []string
	Out       string
	Formats   []Format // every known format; each input is matched against them
	From      string   // a platform name: detect among its formats only; "" = all
	Layout    *Layout  // nil: DefaultLayout
	AIMFormat string   // FormatCSV (default) or FormatXLSX
	AIMFile   string   // file name under Out; default aim-orders.csv or .xlsx
	Store     string   // store id, written into Source as platform:store
	Policy    Policy
	Reader    Config
	Version   string
}

type input struct {
	path   string
	format Format
}

// Run turns the order exports into the AIM file, exceptions.csv and
// summary.json, committed together. An error means nothing was written.
//
// It reads every input twice, streaming both times: the first pass only
// collects order keys, sold serials and currencies, so that an order whose
// serial also appears in a later order is held back before any of it is
// written, and memory grows with the number of orders, not their size.
func Run(job Job) (*Summary, error) {
	log := job.Reader.Logger()
	if job.Ctx == nil {
		job.Ctx = context.Background()
	}
	formats := job.Formats
	if job.From != "" {
		formats = nil
		for _, f := range job.Formats {
			if f.Platform == job.From || f.Name == job.From {
				formats = append(formats, f)
			}
		}
		if len(formats) == 0 {
			return nil, fmt.Errorf("--from %s: no order export formats for that platform", job.From)
		}
	}
	var ins []input
	var refusedFiles []*FileRefused
	for _, p := range job.Inputs {
		f, err := DetectWith(p, formats, job.Reader.Tabular)
		var fr *FileRefused
		if errors.As(err, &fr) {
			refusedFiles = append(refusedFiles, fr)
			log.Warn("input refused", "file", fr.File, "reason", fr.Detail)
			continue
		}
		if err != nil {
			return nil, err
		}
		ins = append(ins, input{path: p, format: f})
		log.Info("order export recognised", "file", filepath.Base(p), "format", f.Title)
	}
	if len(ins) == 0 && len(refusedFiles) > 0 {
		return nil, refusedFiles[0] // nothing usable: say why, write nothing
	}

	sc := &scan{policy: job.Policy, seen: map[string]*seenOrder{}, serials: map[string][]owner{}, currencies: map[string]int{}}
	quiet := job.Reader // the second pass logs what the readers have to say
	quiet.Log = slog.New(slog.DiscardHandler)
	for _, in := range ins {
		add := func(o *Order, _ *InputSummary) error { sc.add(in.format.Platform, o); return nil }
		if err := each(job.Ctx, in, quiet, &InputSummary{}, add, nil); err != nil {
			return nil, err
		}
	}
	currency, err := sc.currency()
	if err != nil {
		return nil, err
	}

	layout := job.Layout
	if layout == nil {
		layout = DefaultLayout()
	}
	if job.AIMFormat == "" {
		job.AIMFormat = FormatCSV
	}
	if job.AIMFile == "" {
		job.AIMFile = "aim-orders." + job.AIMFormat
	}
	var b sink.Batch
	defer b.Abort()
	aw, err := NewAIMWriter(&b, filepath.Join(job.Out, job.AIMFile), job.AIMFormat, layout)
	if err != nil {
		return nil, err
	}
	ex, err := newExceptions(&b, filepath.Join(job.Out, "exceptions.csv"))
	if err != nil {
		return nil, err
	}
	sum := &Summary{Version: job.Version, Layout: layout.Name, AIMFile: job.AIMFile, Locale: job.Reader.Locale,
		Currency: currency, HeldReasons: map[string]int{}, SkippedReasons: map[string]int{}, Held: []HeldOrder{}}
	if job.Reader.Location != nil {
		sum.Timezone = job.Reader.Location.String()
	}
	for _, fr := range refusedFiles {
		if err := ex.add("", "", "refused", Problem{Src: Source{File: fr.File}, Reason: fr.Reason, Detail: fr.Detail}); err != nil {
			return nil, err
		}
		sum.FilesRefused = append(sum.FilesRefused, RefusedFile{File: fr.File, Reason: fr.Reason})
	}
	w := &write{job: job, scan: sc, aim: aw, ex: ex, sum: sum, currency: currency}
	for _, in := range ins {
		is := &InputSummary{File: filepath.Base(in.path), Format: in.format.Name}
		w.platform, w.source = in.format.Platform, in.format.Platform
		if job.Store != "" {
			w.source += ":" + job.Store
		}
		if err := each(job.Ctx, in, job.Reader, is, w.order, w.record); err != nil {
			return nil, err
		}
		sum.Inputs = append(sum.Inputs, *is)
		log.Info("read", "file", is.File, "orders", is.OrdersRead, "lines", is.LinesRead, "records_refused", is.RecordsRefused)
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	if err := sum.check(); err != nil {
		return nil, err
	}
	if err := job.Ctx.Err(); err != nil {
		return nil, err // interrupted: nothing is committed
	}
	sum.decideExit()
	sum.Files = report.Files(&b, job.Out)
	if err := report.WriteJSON(&b, filepath.Join(job.Out, "summary.json"), sum); err != nil {
		return nil, err
	}
	// An AIM file of an earlier run in the other format must not be
	// imported beside this one: that would sell its orders twice.
	if err := b.RemoveStale(job.Out, strings.TrimSuffix(job.AIMFile, filepath.Ext(job.AIMFile))+".*"); err != nil {
		return nil, err
	}
	if _, err := b.Commit(); err != nil {
		return nil, err
	}
	return sum, nil
}

// each streams the orders of one input into onOrder, and the records that
// belong to no order into onRecord (nil: ignore them).
func each(ctx context.Context, in input, cfg Config, is *InputSummary, onOrder func(*Order, *InputSummary) error, onRecord func(*tabular.RowError, *InputSummary) error) error {
	r, err := in.format.Open(in.path, cfg)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		o, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			if onRecord != nil {
				if err := onRecord(re, is); err != nil {
					return err
				}
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := onOrder(o, is); err != nil {
			return err
		}
	}
	if sr, ok := r.(StatReader); ok {
		st := sr.Stats()
		is.Sheet, is.Delimiter, is.Charset, is.BlankRows = st.Sheet, st.Delimiter, st.Charset, st.BlankRows
	}
	return nil
}

// scan is what the first pass learns.
type scan struct {
	policy     Policy
	seen       map[string]*seenOrder // by orderKey
	serials    map[string][]owner    // AIMSKU|||serial → the orders selling it
	currencies map[string]int
}

type seenOrder struct {
	sum     [32]byte
	first   Source
	count   int
	differs bool
	done    bool // the second pass has met it
}

type owner struct {
	key, number string
	src         Source
}

func orderKey(platform, number string) string { return platform + "\x00" + number }

func (sc *scan) add(platform string, o *Order) {
	c := check(o, sc.policy)
	key := orderKey(platform, o.Number)
	if o.Number != "" {
		fp := fingerprint(o)
		if s := sc.seen[key]; s == nil {
			sc.seen[key] = &seenOrder{sum: fp, first: o.Src, count: 1}
		} else {
			s.count++
			s.differs = s.differs || s.sum != fp
		}
	}
	if c.skip != nil {
		return
	}
	for _, k := range c.serials {
		if !hasOwner(sc.serials[k], key) {
			// Clone: a reader's strings may share memory with the whole
			// record they came from, which must not stay alive for the run.
			sc.serials[k] = append(sc.serials[k], owner{key: key, number: strings.Clone(o.Number), src: o.Src})
		}
	}
	// An export without a currency column (some plugin profiles) says
	// nothing either way; it takes the batch's currency, with a warning.
	if o.Currency != "" {
		sc.currencies[strings.ToUpper(o.Currency)]++
	}
}

func hasOwner(os []owner, key string) bool {
	for _, o := range os {
		if o.key == key {
			return true
		}
	}
	return false
}

func (sc *scan) currency() (string, error) {
	if sc.policy.Currency != "" {
		return strings.ToUpper(sc.policy.Currency), nil
	}
	if len(sc.currencies) <= 1 {
		for c := range sc.currencies {
			return c, nil
		}
		return "", nil
	}
	cs := make([]string, 0, len(sc.currencies))
	for c, n := range sc.currencies {
		if c == "" {
			c = "(none)"
		}
		cs = append(cs, fmt.Sprintf("%s (%d orders)", c, n))
	}
	sort.Strings(cs)
	return "", fmt.Errorf("the orders are in more than one currency: %s; AIM takes one per batch, so pass --currency CODE to import the orders in that currency (the others are held back)", strings.Join(cs, ", "))
}

// fingerprint identifies an order's contents, wherever it was read.
func fingerprint(o *Order) [32]byte {
	c := *o
	c.Src, c.Problems, c.Warnings = Source{}, nil, nil
	c.Lines = make([]Line, len(o.Lines))
	for i, l := range o.Lines {
		l.Src = Source{}
		c.Lines[i] = l
	}
	data, _ := json.Marshal(c)
	return sha256.Sum256(data)
}

// write is the second pass.
type write struct {
	job      Job
	scan     *scan
	aim      AIMWriter
	ex       *exceptions
	sum      *Summary
	currency string
	platform string // of the current input
	source   string // the Source column for the current input
}

func (w *write) record(re *tabular.RowError, is *InputSummary) error {
	is.RecordsRefused++
	w.sum.RecordsRefused++
	return w.ex.add(w.source, "", OutcomeRefused, Problem{Src: Source{File: re.File, Line: re.Line},
		Reason: ReasonUnreadable, Detail: re.Reason, Column: re.Column, Value: re.Value})
}

// warn reports a warning on stderr and in summary.json; past the first
// hundred only the count grows, so a noisy export cannot flood either.
func (w *write) warn(msg string) {
	w.sum.WarningCount++
	if w.sum.WarningCount <= 100 {
		w.sum.Warnings = append(w.sum.Warnings, msg)
		w.job.Reader.Logger().Warn(msg)
	}
}

func (w *write) order(o *Order, is *InputSummary) error {
	sum := w.sum
	is.OrdersRead++
	is.LinesRead += len(o.Lines)
	sum.OrdersRead++
	sum.LinesRead += len(o.Lines)
	// Warnings are collected last: the checks below may add some.
	defer func() {
		for _, msg := range o.Warnings {
			w.warn(fmt.Sprintf("%s: order %s: %s", o.Src, o.Number, msg))
		}
	}()

	c := check(o, w.job.Policy)
	key := orderKey(w.platform, o.Number)
	if s := w.scan.seen[key]; o.Number != "" && s != nil {
		switch {
		case s.differs:
			c.skip = nil
			c.problems = append(c.problems, Problem{Src: o.Src, Reason: ReasonDuplicateOrder,
				Detail: fmt.Sprintf("order %s appears %d times with different contents (first at %s): two exports of it that differ, or its rows are not together (an export re-sorted in a spreadsheet); keep only the newest export, with each order's rows together", o.Number, s.count, s.first)})
		case s.done:
			c.skip = &Problem{Src: o.Src, Reason: ReasonRepeatedOrder,
				Detail: fmt.Sprintf("the same order as at %s (overlapping exports?); taken once", s.first)}
		}
		s.done = true
	}
	if c.skip == nil {
		for _, s := range c.sold {
			if s.serial == "" {
				continue
			}
			var others []string
			for _, ow := range w.scan.serials[s.aimSKU+sku.Sep+s.serial] {
				if ow.key != key {
					others = append(others, fmt.Sprintf("%s (%s)", ow.number, ow.src))
				}
			}
			if len(others) > 0 {
				c.problems = append(c.problems, Problem{Src: s.line.Src, Reason: ReasonDuplicateSerial, Column: "sku", Value: s.line.WebSKU,
					WebLineID: s.line.WebLineID, WebSKU: s.line.WebSKU,
					Detail: fmt.Sprintf("serial %s of %s is also sold in order %s; one unit cannot be sold twice, check which sale stands", s.serial, s.aimSKU, strings.Join(others, ", "))})
			}
		}
		if w.currency != "" && o.Currency == "" {
			o.Currency = w.currency
			o.Warn("the export gives no currency for order %s; written as %s, the currency of the rest of the batch", o.Number, w.currency)
		}
		if w.currency != "" && !strings.EqualFold(o.Currency, w.currency) {
			c.problems = append(c.problems, Problem{Src: o.Src, Reason: ReasonCurrency, Column: "currency", Value: o.Currency,
				Detail: fmt.Sprintf("the order is in %q; this batch imports %s", o.Currency, w.currency)})
		}
	}

	switch {
	case c.skip != nil:
		sum.OrdersSkipped++
		sum.LinesSkipped += len(o.Lines)
		sum.SkippedReasons[c.skip.Reason]++
		return w.ex.add(w.source, o.Number, OutcomeSkipped, *c.skip)
	case len(c.problems) > 0:
		sum.OrdersHeld++
		sum.LinesHeld += len(o.Lines)
		h := HeldOrder{Source: w.source, Order: strings.Clone(o.Number), At: o.Src.String()}
		for _, p := range c.problems {
			if !contains(h.Reasons, p.Reason) {
				h.Reasons = append(h.Reasons, p.Reason)
				sum.HeldReasons[p.Reason]++
			}
			if err := w.ex.add(w.source, o.Number, OutcomeHeld, p); err != nil {
				return err
			}
		}
		sum.Held = append(sum.Held, h)
		return nil
	}
	if err := w.aim.WriteOrder(w.records(c)); err != nil {
		return err
	}
	sum.OrdersWritten++
	sum.LinesWritten += len(c.sold)
	sum.LinesSkipped += len(c.dropped)
	if len(c.flags)+len(c.dropped) > 0 {
		sum.OrdersFlagged++
	}
	for _, p := range c.flags {
		if err := w.ex.add(w.source, o.Number, OutcomeWritten, p); err != nil {
			return err
		}
	}
	for _, p := range c.dropped {
		if err := w.ex.add(w.source, o.Number, OutcomeSkipped, p); err != nil {
			return err
		}
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// records lays out a checked order as AIM lines.
func (w *write) records(c *checked) []Record {
	o := c.o
	first, last := o.FirstName, o.LastName
	if first == "" && last == "" {
		name := o.Bill.Name
		if name == "" {
			name = o.Ship.Name
		}
		first, last = SplitName(name)
	}
	ts := ""
	if !o.Placed.IsZero() {
		ts = o.Placed.Format(time.RFC3339)
	}
	base := Record{
		OrderNumber: o.Number, OrderDate: o.Date, Source: w.source,
		CustomerEmail: strings.ToLower(strings.TrimSpace(o.Email)), CustomerPhone: NormalizePhone(o.Phone, cmp.Or(o.Bill.Country, o.Ship.Country)),
		CustomerFirstName: first, CustomerLastName: last,
		BillName: o.Bill.Name, BillCompany: o.Bill.Company, BillAddress1: o.Bill.Address1, BillAddress2: o.Bill.Address2,
		BillCity: o.Bill.City, BillState: o.Bill.State, BillPostalCode: o.Bill.PostalCode, BillCountry: o.Bill.Country,
		ShipName: o.Ship.Name, ShipCompany: o.Ship.Company, ShipAddress1: o.Ship.Address1, ShipAddress2: o.Ship.Address2,
		ShipCity: o.Ship.City, ShipState: o.Ship.State, ShipPostalCode: o.Ship.PostalCode, ShipCountry: o.Ship.Country,
		Shipping: Amount{o.Shipping}, Tax: Amount{o.Tax}, Discount: Amount{o.Discount.Abs()}, Total: Amount{o.Total},
		Currency: strings.ToUpper(o.Currency), PaymentMethod: o.PaymentMethod, WebOrderId: o.WebID, OrderTimestamp: ts,
	}
	recs := make([]Record, len(c.sold))
	for i, s := range c.sold {
		r := base
		r.LineNumber = i + 1
		r.AIMSku, r.Serial, r.Qty = s.aimSKU, s.serial, s.qty
		r.UnitPrice = Amount{s.line.UnitPrice}
		r.ExtPrice = Amount{s.line.UnitPrice.Mul(decimal.NewFromInt(int64(s.qty)))}
		r.Description, r.WebSku, r.WebLineId = s.line.Description, s.line.WebSKU, s.line.WebLineID
		recs[i] = r
	}
	return recs
}
