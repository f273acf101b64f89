package orders

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/mappings"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Record is one line of the AIM order import (formats/aim.md §4, a
// PROPOSED layout). The csv tags are the canonical column keys a layout
// file names; the field order is the default column order.
type Record struct {
	OrderNumber       string `csv:"OrderNumber"`
	OrderDate         string `csv:"OrderDate"`
	Source            string `csv:"Source"`
	CustomerEmail     string `csv:"CustomerEmail"`
	CustomerPhone     string `csv:"CustomerPhone"`
	CustomerFirstName string `csv:"CustomerFirstName"`
	CustomerLastName  string `csv:"CustomerLastName"`
	BillName          string `csv:"BillName"`
	BillCompany       string `csv:"BillCompany"`
	BillAddress1      string `csv:"BillAddress1"`
	BillAddress2      string `csv:"BillAddress2"`
	BillCity          string `csv:"BillCity"`
	BillState         string `csv:"BillState"`
	BillPostalCode    string `csv:"BillPostalCode"`
	BillCountry       string `csv:"BillCountry"`
	ShipName          string `csv:"ShipName"`
	ShipCompany       string `csv:"ShipCompany"`
	ShipAddress1      string `csv:"ShipAddress1"`
	ShipAddress2      string `csv:"ShipAddress2"`
	ShipCity          string `csv:"ShipCity"`
	ShipState         string `csv:"ShipState"`
	ShipPostalCode    string `csv:"ShipPostalCode"`
	ShipCountry       string `csv:"ShipCountry"`
	LineNumber        int    `csv:"LineNumber"`
	AIMSku            string `csv:"AIMSku"`
	Serial            string `csv:"Serial"`
	Qty               int    `csv:"Qty"`
	UnitPrice         Amount `csv:"UnitPrice"`
	ExtPrice          Amount `csv:"ExtPrice"`
	Description       string `csv:"Description"`
	Shipping          Amount `csv:"Shipping"`
	Tax               Amount `csv:"Tax"`
	Discount          Amount `csv:"Discount"`
	Total             Amount `csv:"Total"`
	Currency          string `csv:"Currency"`
	PaymentMethod     string `csv:"PaymentMethod"`
	WebSku            string `csv:"WebSku"`
	WebOrderId        string `csv:"WebOrderId"`
	WebLineId         string `csv:"WebLineId"`
	OrderTimestamp    string `csv:"OrderTimestamp"`
}

// Amount is money in the AIM file: dot decimal, two places, no symbol.
type Amount struct{ d decimal.Decimal }

// MarshalCSV lets gocsv write an Amount.
func (a Amount) MarshalCSV() (string, error) { return money.Format(a.d), nil }

// recordKeys are Record's column keys in field order, and which of them
// hold whole numbers (written as numbers in XLSX; everything else is text).
var recordKeys, integerKeys = func() ([]string, map[string]bool) {
	t := reflect.TypeFor[Record]()
	keys := make([]string, t.NumField())
	ints := map[string]bool{}
	for i := range keys {
		f := t.Field(i)
		keys[i] = f.Tag.Get("csv")
		if f.Type.Kind() == reflect.Int {
			ints[keys[i]] = true
		}
	}
	return keys, ints
}()

// requiredKeys are the columns without which AIM could not tell what was sold.
var requiredKeys = []string{"OrderNumber", "AIMSku", "Serial", "Qty"}

// Layout says which Record columns the AIM file has, in which order and
// under which header. It comes from mappings/aim-orders.yaml.
type Layout struct {
	Name    string
	Columns []Column
	BOM     bool // start the CSV with a UTF-8 byte-order mark
}

// Column is one output column.
type Column struct {
	Key    string // a Record column key
	Header string // the header written
}

// ParseLayout reads a layout file. Each entry of columns is a column key,
// or a one-pair map "Key: Header" to rename it; the list order is the
// file's column order. Keys are checked against Record.
func ParseLayout(name string, data []byte) (*Layout, error) {
	var doc struct {
		BOM     bool        `yaml:"bom"`
		Columns []yaml.Node `yaml:"columns"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("layout %s: %w", name, err)
	}
	l := &Layout{Name: name, BOM: doc.BOM}
	known := map[string]bool{}
	for _, k := range recordKeys {
		known[k] = true
	}
	keys, headers := map[string]bool{}, map[string]bool{}
	for _, n := range doc.Columns {
		var c Column
		switch {
		case n.Kind == yaml.ScalarNode:
			c.Key, c.Header = n.Value, n.Value
		case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[1].Kind == yaml.ScalarNode:
			c.Key, c.Header = n.Content[0].Value, n.Content[1].Value
		default:
			return nil, fmt.Errorf("layout %s line %d: write a column key, or \"Key: Header\" to rename it", name, n.Line)
		}
		switch {
		case !known[c.Key]:
			return nil, fmt.Errorf("layout %s line %d: unknown column %q (known: %s)", name, n.Line, c.Key, strings.Join(recordKeys, ", "))
		case strings.TrimSpace(c.Header) == "":
			return nil, fmt.Errorf("layout %s line %d: column %s has an empty header", name, n.Line, c.Key)
		case keys[c.Key]:
			return nil, fmt.Errorf("layout %s line %d: column %s is listed twice", name, n.Line, c.Key)
		case headers[c.Header]:
			return nil, fmt.Errorf("layout %s line %d: header %q is used twice", name, n.Line, c.Header)
		}
		keys[c.Key], headers[c.Header] = true, true
		l.Columns = append(l.Columns, c)
	}
	for _, k := range requiredKeys {
		if !keys[k] {
			return nil, fmt.Errorf("layout %s: column %s is required (AIM could not tell what was sold without it)", name, k)
		}
	}
	return l, nil
}

// DefaultLayout is every Record column under its own name, in order.
func DefaultLayout() *Layout {
	l := &Layout{Name: "default"}
	for _, k := range recordKeys {
		l.Columns = append(l.Columns, Column{Key: k, Header: k})
	}
	return l
}

// LoadLayout reads the AIM order-import layout at path, or the built-in
// mappings/aim-orders.yaml when path is empty.
func LoadLayout(path string) (*Layout, error) {
	name, data, err := "aim-orders.yaml (built in)", []byte(nil), error(nil)
	if path == "" {
		data, err = mappings.Default("aim-orders.yaml")
	} else {
		name = path
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	return ParseLayout(name, data)
}
