package tabular

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// numKind is how a number cell's format says to show it.
type numKind int

const (
	kindNumber numKind = iota
	kindDate
	kindDateTime
	kindTime
)

// builtinKind classifies Excel's built-in number formats that show dates
// and times (the ids are fixed by the file format, not stored in it).
func builtinKind(id int) numKind {
	switch {
	case id >= 14 && id <= 17:
		return kindDate
	case id == 22:
		return kindDateTime
	case id >= 18 && id <= 21, id >= 45 && id <= 47:
		return kindTime
	}
	return kindNumber
}

// customKind classifies a custom format code by its date and time tokens in
// the first section, ignoring quoted text, [colour]/[$locale] brackets and
// the characters after \ _ and * (escapes, padding, fill). "m" is minutes
// when an h or s is present and a month otherwise.
func customKind(code string) numKind {
	var date, clock, month bool
	inQuote := false
scan:
	for i := 0; i < len(code); i++ {
		c := code[i]
		if inQuote {
			inQuote = c != '"'
			continue
		}
		switch c {
		case '"':
			inQuote = true
		case '\\', '_', '*':
			i++
		case '[':
			if j := strings.IndexByte(code[i:], ']'); j > 0 {
				i += j
			}
		case ';':
			break scan
		case 'd', 'D', 'y', 'Y':
			date = true
		case 'h', 'H', 's', 'S':
			clock = true
		case 'm', 'M':
			month = true
		}
	}
	date = date || (month && !clock)
	switch {
	case date && clock:
		return kindDateTime
	case date:
		return kindDate
	case clock:
		return kindTime
	}
	return kindNumber
}

// zeroWidth is the width of a format made only of zeros, such as
// 0000000000: Excel pads an integer with leading zeros to that width, which
// is how workbooks keep the leading zeros of SKUs and UPCs stored as
// numbers. Other formats give 0.
func zeroWidth(code string) int {
	if code == "" || strings.Trim(code, "0") != "" {
		return 0
	}
	return len(code)
}

// numFormat is what a cell's number format changes in the text shown: a
// date or time kind, or the width to pad an integer to with zeros.
type numFormat struct {
	kind  numKind
	width int
}

// builtinID tells the ids whose format is fixed by the file format rather
// than stored in the workbook: Excel's built-in formats, and the East Asian
// locale formats 27-36, 50-62 and 67-81, which builtinKind leaves as
// numbers. A <numFmt> a workbook carries for one of these ids is not read,
// so every workbook reads as it did before the styles were parsed here.
func builtinID(id int) bool {
	return id >= 0 && id <= 4 || id >= 9 && id <= 22 || id >= 27 && id <= 62 || id >= 67 && id <= 81
}

// classify is the format of number format id, given the workbook's own
// format codes by id.
func classify(id int, custom map[int]string) numFormat {
	if builtinID(id) {
		return numFormat{kind: builtinKind(id)}
	}
	if code, ok := custom[id]; ok {
		return numFormat{kind: customKind(code), width: zeroWidth(code)}
	}
	return numFormat{}
}

// styleFormat is the format of a cell style; a style the workbook does not
// define shows as General.
func (b *book) styleFormat(style int) numFormat {
	if style < 0 || style >= len(b.formats) {
		return numFormat{}
	}
	return b.formats[style]
}

// render turns one cell into the text a person sees. reason is set for a
// cell that cannot be used (the row is rejected); err for a damaged file.
func (b *book) render(c *rawCell) (text, reason string, err error) {
	if c.hasF && !c.hasV && c.t != "inlineStr" {
		return "", "the cell holds a formula with no saved result (the file was written by a program that does not calculate); open it in Excel and save it again", nil
	}
	switch c.t {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(c.v))
		if err != nil {
			return "", "", fmt.Errorf("shared string index %q is not a number; the workbook is damaged", c.v)
		}
		s, err := b.sst.get(i)
		return s, "", err
	case "inlineStr":
		return string(unescapeXstring(c.inline)), "", nil
	case "str":
		return string(unescapeXstring([]byte(c.v))), "", nil
	case "d":
		return c.v, "", nil
	case "b":
		switch strings.TrimSpace(c.v) {
		case "1":
			return "TRUE", "", nil
		case "0":
			return "FALSE", "", nil
		}
		return "", fmt.Sprintf("boolean cell holds %q", c.v), nil
	case "e":
		return "", fmt.Sprintf("the cell shows the Excel error %s; fix the formula or the value in the workbook", c.v), nil
	case "", "n":
		return b.number(c)
	}
	return "", fmt.Sprintf("unknown cell type %q", c.t), nil
}

func (b *book) number(c *rawCell) (string, string, error) {
	raw := strings.TrimSpace(c.v)
	if raw == "" {
		return "", "", nil
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return "", fmt.Sprintf("number cell holds %q", c.v), nil
	}
	f := b.styleFormat(c.style)
	if f.kind != kindNumber {
		s, reason := serialText(v, f.kind, b.date1904)
		return s, reason, nil
	}
	// Excel keeps 15 significant digits: an integer part longer than that
	// was already rounded when typed, which ruins identifiers such as UPCs
	// and serials. Refuse instead of passing a wrong number on.
	if math.Abs(v) >= 1e15 {
		return "", "the number has more than 15 significant digits, so Excel has already rounded it and the last digits are lost; format the column as Text in Excel and re-enter the values", nil
	}
	return zeroPad(plainNumber(v), f.width), "", nil
}

// zeroPad pads an integer's digits with leading zeros to width, as a format
// of only zeros shows it; longer integers are never cut. A fraction is left
// as it is: the format would round it, and the reader does not drop digits.
func zeroPad(s string, width int) string {
	digits := strings.TrimPrefix(s, "-")
	if len(digits) >= width || strings.Contains(digits, ".") {
		return s
	}
	return s[:len(s)-len(digits)] + strings.Repeat("0", width-len(digits)) + digits
}

// plainNumber shows v as Excel's cell would at full precision: 15
// significant digits, no exponent, no trailing zeros. Rounding to 15 digits
// first turns binary noise such as 0.30000000000000004 back into 0.3.
func plainNumber(v float64) string {
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if v == 0 {
		return "0" // not "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Excel date serials run to 9999-12-31.
const maxSerial = 2958466

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// serialText shows a date serial as ISO 8601, rounded to the second as
// Excel rounds it for display.
func serialText(v float64, k numKind, date1904 bool) (string, string) {
	if v < 0 || v >= maxSerial {
		return "", fmt.Sprintf("the date-formatted cell holds %s, which is not a date Excel can show", plainNumber(v))
	}
	secs := int64(math.Round(v * 86400))
	days, clock := secs/86400, time.Duration(secs%86400)*time.Second
	hms := time.Time{}.Add(clock).Format("15:04:05")
	if k == kindTime && days == 0 {
		return hms, ""
	}
	var ymd string
	switch {
	case date1904:
		ymd = epoch1904.AddDate(0, 0, int(days)).Format(time.DateOnly)
	case days == 60:
		// Excel keeps Lotus 1-2-3's 29 February 1900, a day that never was.
		ymd = "1900-02-29"
	case days < 60:
		ymd = epoch1900.AddDate(0, 0, int(days)+1).Format(time.DateOnly)
	default:
		ymd = epoch1900.AddDate(0, 0, int(days)).Format(time.DateOnly)
	}
	if k == kindDate {
		return ymd, ""
	}
	return ymd + "T" + hms, ""
}
