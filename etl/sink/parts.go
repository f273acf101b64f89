package sink

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Parts writes a CSV import split into numbered files under a size limit,
// never splitting a group of rows (one product) across two files.
type Parts struct {
	batch   *Batch
	dir     string
	pattern string // e.g. "products-%03d.csv"
	max     int64
	header  []string

	cur    *File
	groups int // groups in cur
	n      int
	buf    bytes.Buffer
	enc    *csv.Writer
	// Oversize lists groups that alone exceed the limit; each went into a
	// file of its own.
	Oversize []string
	// Single, when set, names the file when everything fits in one part.
	Single string
	first  *File
}

// NewParts prepares numbered CSV parts in dir.
func (b *Batch) NewParts(dir, pattern string, maxBytes int64, header []string) *Parts {
	p := &Parts{batch: b, dir: dir, pattern: pattern, max: maxBytes, header: header}
	p.enc = csv.NewWriter(&p.buf)
	return p
}

// WriteGroup writes the rows of one product. key names the group in
// messages.
func (p *Parts) WriteGroup(key string, rows [][]string) error {
	p.buf.Reset()
	if err := p.enc.WriteAll(rows); err != nil {
		return err
	}
	size := int64(p.buf.Len())
	if p.cur != nil && p.groups > 0 && p.cur.Size()+size > p.max {
		p.cur = nil
	}
	if p.cur == nil {
		if err := p.next(); err != nil {
			return err
		}
		if p.cur.Size()+size > p.max {
			p.Oversize = append(p.Oversize, key)
		}
	}
	if _, err := p.cur.Write(p.buf.Bytes()); err != nil {
		return err
	}
	p.cur.Rows += len(rows)
	p.groups++
	return nil
}

func (p *Parts) next() error {
	p.n++
	f, err := p.batch.Create(filepath.Join(p.dir, fmt.Sprintf(p.pattern, p.n)))
	if err != nil {
		return err
	}
	p.cur, p.groups = f, 0
	if p.first == nil {
		p.first = f
	}
	w := csv.NewWriter(f)
	if err := w.Write(p.header); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// Close makes sure at least one file exists, so an empty catalog still
// gives an importable header-only file.
func (p *Parts) Close() error {
	if p.n == 0 {
		if err := p.next(); err != nil {
			return err
		}
	}
	if p.n == 1 && p.Single != "" {
		p.first.final = filepath.Join(p.dir, p.Single)
	}
	return nil
}

// Count is the number of part files.
func (p *Parts) Count() int { return p.n }

// ParseSize reads a size such as 15MB, 2 MB, 500KB or 1048576 (bytes).
// MB means 1,000,000 bytes, as the platforms' upload limits are stated;
// MiB means 1,048,576.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	// Over 1 TiB is a typo (and 1e30 would overflow).
	if err != nil || n != n || n*float64(mult) < 1 || n*float64(mult) > 1<<40 {
		return 0, fmt.Errorf("%q is not a size up to 1TiB (e.g. 15MB, 2MiB)", s)
	}
	return int64(n * float64(mult)), nil
}
