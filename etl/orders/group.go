package orders

import (
	"errors"
	"fmt"
	"io"

	"github.com/aimbridge/aimbridge/etl/tabular"
)

// Grouper gathers the records of a table export into orders: the
// consecutive records that share a key, read one record ahead. A record
// that belongs to no order is handed back as a *tabular.RowError after
// the order it interrupted, and holds back with ReasonNearBadRow the
// orders it may have belonged to: the one being read (if any) and the
// next.
type Grouper[T any] struct {
	read func() (T, error)
	key  func(T) string

	ahead      *T      // first record of the next order, read ahead
	queued     []error // unreadable records, handed back after the order they interrupted
	this, next []Problem
	done       bool
}

// NewGrouper groups what read returns by key. read returns io.EOF at the
// end, a *tabular.RowError for a record that belongs to no order (one
// without a key among them), and any other error when the file cannot
// be read on. A nil key makes every record an order of its own, handed
// out without reading ahead (one row per order), so an unreadable record
// holds back only the order after it.
func NewGrouper[T any](read func() (T, error), key func(T) string) *Grouper[T] {
	return &Grouper[T]{read: read, key: key}
}

// Next returns the records of the next order and the problems that hold
// it back for the unreadable records next to it, a queued
// *tabular.RowError, io.EOF at the end, or the error that stops reading.
func (g *Grouper[T]) Next() ([]T, []Problem, error) {
	if len(g.queued) > 0 {
		err := g.queued[0]
		g.queued = g.queued[1:]
		return nil, nil, err
	}
	if g.done && g.ahead == nil {
		return nil, nil, io.EOF
	}
	g.this, g.next = g.next, nil
	var recs []T
	if g.ahead != nil {
		recs = append(recs, *g.ahead)
		g.ahead = nil
	}
	for !g.done && !(g.key == nil && len(recs) == 1) {
		rec, err := g.read()
		if errors.Is(err, io.EOF) {
			g.done = true
			break
		}
		var re *tabular.RowError
		if errors.As(err, &re) {
			g.unreadable(re, len(recs) > 0)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if len(recs) > 0 && g.key(rec) != g.key(recs[0]) {
			g.ahead = &rec
			break
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return g.Next()
	}
	taint := g.this
	g.this = nil
	return recs, taint, nil
}

func (g *Grouper[T]) unreadable(re *tabular.RowError, inOrder bool) {
	g.queued = append(g.queued, re)
	p := Problem{Src: Source{File: re.File, Line: re.Line}, Reason: ReasonNearBadRow,
		Detail: fmt.Sprintf("line %d could not be read (%s) and may belong to this order", re.Line, re.Reason)}
	g.this = append(g.this, p)
	if inOrder {
		g.next = append(g.next, p)
	}
}
