package tabular

import (
	"fmt"
	"io"
	"os"
)

// placeholder until the streaming workbook reader lands
func newXLSX(name string, f *os.File, opt Options) (Reader, error) {
	f.Close()
	return nil, fmt.Errorf("%s: xlsx not supported yet", name)
}

var _ = io.EOF
