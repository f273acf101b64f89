package magento

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/tabular"
)

// gridRefusal is what a store is told when it hands over the admin order
// grid: the grid lists orders, never what was in them.
const gridRefusal = "it lists orders without their items or SKUs, so AIM cannot tell what was sold; " +
	"save the orders from the REST API instead (GET /rest/V1/orders with searchCriteria, one JSON file per page, " +
	"or GET /rest/V1/orders/{id}) and pass those files, or export the orders with an order-items extension"

// gridColumns are the admin grid's default columns that no other export
// has together (formats/magento.md §5.1, cases O6).
var gridColumns = orders.Columns("ID", "Purchase Point", "Bill-to Name")

// OrderFormats are the Magento order files aimbridge knows: saved REST
// responses, which it reads, and the admin order grid, which it refuses.
var OrderFormats = []orders.Format{{
	Platform: "magento",
	Name:     "magento-rest",
	Title:    "Magento 2 REST orders (saved GET /rest/V1/orders or /V1/orders/{id} response, JSON)",
	Signature: orders.Signature{Describe: `JSON with orders that have "increment_id" and "items"`,
		Match: isOrdersJSON},
	Open: OpenOrders,
}, {
	Platform:  "magento",
	Name:      "magento-grid",
	Title:     "Magento admin order grid export (Sales › Orders › Export, CSV)",
	Signature: gridColumns,
	Refuse:    gridRefusal,
}, {
	Platform:  "magento",
	Name:      "magento-grid-xml",
	Title:     "Magento admin order grid export (Sales › Orders › Export, Excel XML)",
	Signature: orders.Signature{Describe: "an Excel XML spreadsheet whose first row has ID, Purchase Point, Bill-to Name", Match: isGridXML},
	Refuse:    gridRefusal,
}}

// isOrdersJSON looks for the keys every Magento order has; no other
// platform's orders carry increment_id.
func isOrdersJSON(h orders.Head) bool {
	return h.JSON && bytes.Contains(h.Bytes, []byte(`"increment_id"`)) && bytes.Contains(h.Bytes, []byte(`"items"`))
}

// spreadsheetNS marks Excel 2003 XML (SpreadsheetML), which the grid's
// "Excel XML" export writes: not a workbook etl/tabular can open.
var spreadsheetNS = []byte("urn:schemas-microsoft-com:office:spreadsheet")

// isGridXML reads the first row of an Excel XML spreadsheet from the head
// and matches it like the CSV grid's header.
func isGridXML(h orders.Head) bool {
	if h.JSON || !bytes.Contains(h.Bytes, spreadsheetNS) {
		return false
	}
	d := xml.NewDecoder(bytes.NewReader(h.Bytes))
	d.Strict = false
	var cells []string
	inRow, inData := false, false
	var text []byte
	for {
		tok, err := d.Token()
		if err != nil {
			return false // the head ends (or breaks) before the first row does
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Local == "Row":
				inRow = true
			case t.Name.Local == "Data" && inRow:
				inData, text = true, text[:0]
			}
		case xml.CharData:
			if inData {
				text = append(text, t...)
			}
		case xml.EndElement:
			switch {
			case t.Name.Local == "Data" && inData:
				cells = append(cells, string(text))
				inData = false
			case t.Name.Local == "Row" && inRow:
				return gridColumns.Match(orders.Head{File: h.File, Header: cells})
			}
		}
	}
}

// What the reader's JSON decoder stands in.
type mode int

const (
	atTop      mode = iota // before a top-level value (several may follow one another)
	inResponse             // between the keys of a search response
	inItems                // in a search response's items
	inArray                // in a top-level array of orders
)

// searchKeys are the keys of a search response; an object that starts
// with another key is a single order (GET /V1/orders/{id}).
var searchKeys = map[string]bool{"items": true, "search_criteria": true, "total_count": true}

type orderReader struct {
	f     *os.File
	dec   *json.Decoder
	cfg   orders.Config
	file  string
	mode  mode
	page  page // of the search response being read
	index int  // of the next element in the list being read
}

// OpenOrders opens a saved Magento REST response: a search result
// {"items":[orders…],"search_criteria":…,"total_count":N}, one order
// object, a list of orders, or several of these one after another. The
// file is streamed: memory holds one order.
func OpenOrders(path string, cfg orders.Config) (orders.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(f)
	dec.UseNumber()
	if cfg.Location == nil {
		cfg.Logger().Warn("Magento writes created_at in UTC; without --timezone the AIM order date is the UTC calendar date", "file", filepath.Base(path))
	}
	return &orderReader{f: f, dec: dec, cfg: cfg, file: filepath.Base(path)}, nil
}

func (r *orderReader) Close() error { return r.f.Close() }

func (r *orderReader) fail(format string, a ...any) error {
	return fmt.Errorf("%s (byte %d): %s", r.file, r.dec.InputOffset(), fmt.Sprintf(format, a...))
}

// Next returns the next order in file order.
func (r *orderReader) Next() (*orders.Order, error) {
	for {
		switch r.mode {
		case atTop:
			tok, err := r.dec.Token()
			if errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			if err != nil {
				return nil, r.broken(err)
			}
			switch tok {
			case json.Delim('['):
				r.mode, r.index = inArray, 0
			case json.Delim('{'):
				key, err := r.key()
				if err != nil {
					return nil, err
				}
				if key == "" { // {}
					continue
				}
				if !searchKeys[key] {
					return r.single(key)
				}
				r.mode, r.page = inResponse, page{}
				if err := r.value(key); err != nil {
					return nil, err
				}
			default:
				return nil, r.fail("expected a Magento orders response (a JSON object or list), found %v", tok)
			}
		case inResponse:
			key, err := r.key()
			if err != nil {
				return nil, err
			}
			if key == "" {
				r.mode = atTop
				if warn, err := r.endOfResponse(); err != nil {
					return nil, err
				} else if warn != "" {
					r.cfg.Logger().Warn(warn, "file", r.file)
				}
				continue
			}
			if err := r.value(key); err != nil {
				return nil, err
			}
		case inItems, inArray:
			if !r.dec.More() {
				if _, err := r.dec.Token(); err != nil { // ]
					return nil, r.broken(err)
				}
				if r.mode == inItems {
					r.mode = inResponse
				} else {
					r.mode = atTop
				}
				continue
			}
			return r.element()
		}
	}
}

// element reads the next element of the list the decoder is in.
func (r *orderReader) element() (*orders.Order, error) {
	var m mOrder
	err := r.dec.Decode(&m)
	if err != nil && !isValueError(err) {
		return nil, r.broken(err)
	}
	list := ""
	if r.mode == inItems {
		list = "items"
		r.page.n++
	}
	r.index++
	if isWholeTypeError(err) {
		return nil, &tabular.RowError{File: r.file, Column: fmt.Sprintf("%s[%d]", list, r.index-1),
			Reason: "an element of the list of orders is not an order object: " + err.Error()}
	}
	o := toOrder(&m, err, orders.Source{File: r.file}, r.cfg)
	if r.mode != inItems || r.dec.More() {
		return o, nil
	}
	// The response's last order: what the response says about paging
	// follows its items, and is reported with this order.
	warn, err := r.finishResponse()
	if err != nil {
		return nil, err
	}
	if warn != "" {
		o.Warn("%s", warn)
	}
	return o, nil
}

// finishResponse reads a search response from the end of its items to its
// closing brace and checks it against its total_count.
func (r *orderReader) finishResponse() (string, error) {
	if _, err := r.dec.Token(); err != nil { // ]
		return "", r.broken(err)
	}
	for {
		key, err := r.key()
		if err != nil {
			return "", err
		}
		if key == "" {
			break
		}
		if key == "items" {
			return "", r.fail("the response has a second items list")
		}
		if err := r.value(key); err != nil {
			return "", err
		}
	}
	r.mode = atTop
	return r.endOfResponse()
}

// key reads the next key of the object the decoder is in; "" at its end.
func (r *orderReader) key() (string, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return "", r.broken(err)
	}
	if tok == json.Delim('}') {
		return "", nil
	}
	k, ok := tok.(string)
	if !ok {
		return "", r.fail("expected a key, found %v", tok)
	}
	return k, nil
}

// value reads the value of a search response's key.
func (r *orderReader) value(key string) error {
	switch key {
	case "items":
		tok, err := r.dec.Token()
		if err != nil {
			return r.broken(err)
		}
		switch tok {
		case json.Delim('['):
			r.mode, r.index = inItems, 0
		case nil: // "items": null, an empty result
		default:
			return r.fail("items is not a list")
		}
		return nil
	case "search_criteria":
		var sc searchCriteria
		if err := r.dec.Decode(&sc); err != nil {
			if !isValueError(err) {
				return r.broken(err)
			}
			return r.fail("search_criteria cannot be read: %v", err)
		}
		r.page.size, r.page.current = sc.PageSize, sc.CurrentPage
		return nil
	case "total_count":
		var n json.Number
		if err := r.dec.Decode(&n); err != nil {
			if !isValueError(err) {
				return r.broken(err)
			}
			return r.fail("total_count is not a number: %v", err)
		}
		t, err := n.Int64()
		if err != nil || t < 0 {
			return r.fail("total_count %q is not a count", n)
		}
		r.page.total, r.page.hasTotal = t, true
		return nil
	}
	var skip json.RawMessage
	if err := r.dec.Decode(&skip); err != nil {
		return r.broken(err)
	}
	return nil
}

// single reads a top-level order object whose first key has been read:
// the rest is gathered back into one object and decoded (it is one order,
// so memory still holds one order).
func (r *orderReader) single(first string) (*orders.Order, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for key := first; key != ""; {
		var v json.RawMessage
		if err := r.dec.Decode(&v); err != nil {
			return nil, r.broken(err)
		}
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
		var err error
		if key, err = r.key(); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	var m mOrder
	err := json.Unmarshal(buf.Bytes(), &m)
	if err != nil && !isValueError(err) {
		return nil, r.broken(err)
	}
	r.mode = atTop
	return toOrder(&m, err, orders.Source{File: r.file}, r.cfg), nil
}

// broken reports JSON that cannot be read on.
func (r *orderReader) broken(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return r.fail("the file ends in the middle of the JSON (cut short while saving?)")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s (byte %d): not valid JSON: %v", r.file, se.Offset, err)
	}
	return fmt.Errorf("%s: %w", r.file, err)
}

// isValueError tells a value of the wrong kind inside well-formed JSON
// (the decoder has consumed it and can go on) from JSON that is broken.
func isValueError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

// isWholeTypeError: the element itself is not an object.
func isWholeTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te) && te.Field == ""
}

type searchCriteria struct {
	PageSize    int64 `json:"page_size"`
	CurrentPage int64 `json:"current_page"`
}

// page is what a search response says about the orders it holds.
type page struct {
	n                    int64 // orders in items
	total, size, current int64
	hasTotal             bool
}

// endOfResponse checks a search response against its own total_count.
//
// Magento answers a page past the end with the last page again (the
// paging trap of formats/magento.md §5.3), and a response saved from
// page 1 of 3 holds only a third of the orders. Both are warned about,
// not refused: pages saved as separate files are read in one run, and
// orders repeated by the trap are taken once by the run's duplicate check.
// A response that holds fewer orders than its own count says it should
// was cut or edited: nothing tells which orders are missing, so the file
// is refused.
func (r *orderReader) endOfResponse() (warn string, err error) {
	p := r.page
	if !p.hasTotal {
		return "", nil
	}
	if p.size <= 0 { // no paging: the response is the whole search
		switch {
		case p.n < p.total:
			return "", r.fail("total_count is %d but the response holds %d orders: it is not the whole response (cut or edited?); save it again", p.total, p.n)
		case p.n > p.total:
			return fmt.Sprintf("the response holds %d orders but its total_count is %d", p.n, p.total), nil
		}
		return "", nil
	}
	cur := max(p.current, 1)
	last := (p.total + p.size - 1) / p.size
	if p.total == 0 {
		if p.n > 0 {
			return fmt.Sprintf("the response holds %d orders but its total_count is 0", p.n), nil
		}
		return "", nil
	}
	if cur > last {
		return fmt.Sprintf("this response is page %d, past the last page %d (total_count %d, page size %d): Magento answers such a request with page %d again, "+
			"so its orders repeat that page and are taken once if page %d is read too; stop paging when currentPage × pageSize ≥ total_count",
			cur, last, p.total, p.size, last, last), nil
	}
	want := min(p.size, p.total-(cur-1)*p.size)
	switch {
	case p.n < want:
		return "", r.fail("page %d of %d should hold %d orders (total_count %d, page size %d) but holds %d: it is not the whole page (cut or edited?); save it again",
			cur, last, want, p.total, p.size, p.n)
	case p.n > want:
		return fmt.Sprintf("page %d holds %d orders but should hold %d (total_count %d, page size %d)", cur, p.n, want, p.total, p.size), nil
	case last > 1:
		first := (cur-1)*p.size + 1
		return fmt.Sprintf("this response is page %d of %d: orders %d–%d of %d (page size %d); read every page's file in the same run, or the other orders do not reach AIM",
			cur, last, first, first+p.n-1, p.total, p.size), nil
	}
	return "", nil
}
