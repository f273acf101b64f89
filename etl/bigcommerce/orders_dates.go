package bigcommerce

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateOrder is how a store's Default order export writes Order Date. The
// export follows the store's date-format setting [unverified]: a US store
// may write 03/05/2024 for 5 March, another store the same text for 3 May.
type DateOrder int

const (
	// DatesUnset takes a date only when it can be read one way: the day is
	// above 12 (18/05/2022, 05/18/2022) or day and month are equal. Any
	// other d/m/yyyy date is held back, never guessed.
	DatesUnset DateOrder = iota
	DayFirst             // dd/mm/yyyy
	MonthFirst           // mm/dd/yyyy
)

// ParseDateOrder reads a date order setting: "" (unset), "dmy" or "mdy".
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return DatesUnset, nil
	case "dmy", "dd/mm/yyyy":
		return DayFirst, nil
	case "mdy", "mm/dd/yyyy":
		return MonthFirst, nil
	}
	return DatesUnset, fmt.Errorf("date order %q: use dmy (dd/mm/yyyy) or mdy (mm/dd/yyyy)", s)
}

// parseOrderDate reads Order Date into YYYY-MM-DD, the store's calendar
// date as the export writes it (it has no time or offset). It takes
// d/m/yyyy with '/', '.' or '-' between the parts, and YYYY-MM-DD, which
// is how a re-saved workbook's date cells reach aimbridge. The reason is
// empty on success.
func parseOrderDate(s string, order DateOrder) (string, string) {
	if s == "" {
		return "", "the order has no Order Date"
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(time.DateOnly), ""
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t.Format(time.DateOnly), ""
	}
	a, b, y, ok := dayMonthYear(s)
	if !ok {
		return "", "expected a date such as 18/05/2022 (dd/mm/yyyy) or 05/18/2022 (mm/dd/yyyy)"
	}
	dmy, dmyOK := date(y, b, a)
	mdy, mdyOK := date(y, a, b)
	switch order {
	case DayFirst:
		if !dmyOK {
			return "", "not a dd/mm/yyyy date, which the store's date order is set to"
		}
		return dmy, ""
	case MonthFirst:
		if !mdyOK {
			return "", "not a mm/dd/yyyy date, which the store's date order is set to"
		}
		return mdy, ""
	}
	switch {
	case dmyOK && mdyOK && dmy != mdy:
		return "", fmt.Sprintf("%s could be %s (dd/mm/yyyy) or %s (mm/dd/yyyy) and the store's date order is not set, so the order is held rather than guessed; "+
			"set it with --date-order mdy (or dmy)", s, dmy, mdy)
	case dmyOK:
		return dmy, ""
	case mdyOK:
		return mdy, ""
	}
	return "", "not a date in dd/mm/yyyy or mm/dd/yyyy"
}

// dayMonthYear splits n/n/yyyy into its numbers.
func dayMonthYear(s string) (a, b, y int, ok bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 ||
		strings.Count(s, "/")+strings.Count(s, ".")+strings.Count(s, "-") != 2 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || strings.ContainsAny(p, "+-") {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	return n[0], n[1], n[2], true
}

// date is y-m-d as YYYY-MM-DD when it is a real calendar day.
func date(y, m, d int) (string, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}
