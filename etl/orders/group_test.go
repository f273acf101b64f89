package orders

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/tabular"
)

// groups runs a Grouper over records named by their key ("!" is an
// unreadable record, on the line of its position + 2) and writes what
// Next hands out: an order as its keys and the lines of the unreadable
// records that hold it back, "!line" for a refused record.
func groups(t *testing.T, recs string, keyed bool) string {
	t.Helper()
	i := 0
	read := func() (string, error) {
		if i == len(recs) {
			return "", io.EOF
		}
		i++
		if recs[i-1] == '!' {
			return "", &tabular.RowError{File: "f.csv", Line: i + 1, Reason: "cut short"}
		}
		return recs[i-1 : i], nil
	}
	key := func(s string) string { return s }
	if !keyed {
		key = nil
	}
	g := NewGrouper(read, key)
	var out []string
	for {
		rs, near, err := g.Next()
		if errors.Is(err, io.EOF) {
			return strings.Join(out, " ")
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			out = append(out, fmt.Sprintf("!%d", re.Line))
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Join(rs, "")
		for _, p := range near {
			if p.Reason != ReasonNearBadRow || p.Src != (Source{File: "f.csv", Line: p.Src.Line}) {
				t.Errorf("%s: problem %+v", recs, p)
			}
			s += fmt.Sprintf("(%d)", p.Src.Line)
		}
		out = append(out, s)
	}
}

func TestGrouper(t *testing.T) {
	for _, c := range []struct {
		recs  string
		keyed bool
		want  string
	}{
		{recs: "", keyed: true, want: ""},
		{recs: "aabbbc", keyed: true, want: "aa bbb c"},
		// Held: the order being read and the next one.
		{recs: "aa!bb", keyed: true, want: "aa(4) !4 bb(4)"},
		{recs: "a!ab", keyed: true, want: "aa(3) !3 b(3)"},
		{recs: "a!!b", keyed: true, want: "a(3)(4) !3 !4 b(3)(4)"},
		{recs: "!a", keyed: true, want: "a(2) !2"},
		{recs: "a!", keyed: true, want: "a(3) !3"},
		{recs: "!!", keyed: true, want: "!2 !3"},
		// No key: one record per order, none read ahead, so only the
		// order after an unreadable record is held.
		{recs: "aab", keyed: false, want: "a a b"},
		{recs: "a!b", keyed: false, want: "a b(3) !3"},
		{recs: "a!", keyed: false, want: "a !3"},
	} {
		if got := groups(t, c.recs, c.keyed); got != c.want {
			t.Errorf("%q keyed=%v: %s, want %s", c.recs, c.keyed, got, c.want)
		}
	}
}

// An error other than a refused record stops reading.
func TestGrouperStops(t *testing.T) {
	broken := errors.New("disk gone")
	n := 0
	g := NewGrouper(func() (string, error) {
		n++
		if n == 1 {
			return "a", nil
		}
		return "", broken
	}, func(s string) string { return s })
	if _, _, err := g.Next(); err != broken {
		t.Fatalf("got %v, want %v", err, broken)
	}
}
