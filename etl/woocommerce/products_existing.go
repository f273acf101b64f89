package woocommerce

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// readExisting reads the SKUs a store already has from a CSV with a SKU
// column, such as WooCommerce's own product export (which starts with a
// BOM). Only the SKU column is read; every other column may be anything.
func readExisting(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: no header: %w", path, err)
	}
	col := -1
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), "SKU") {
			col = i
			break
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s: no SKU column (headers: %s)", path, strings.Join(header, ", "))
	}
	skus := map[string]bool{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return skus, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if col < len(rec) && rec[col] != "" {
			skus[fold(rec[col])] = true
		}
	}
}
