package shopify

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimbridge/aimbridge/etl/orders"
)

// Whatever rows follow a Shopify header, a run either refuses the file or
// accounts for every order and line (written, held back or skipped), and
// never panics.
func FuzzOrdersBalance(f *testing.F) {
	h := strings.Join(header79(f), ",")
	f.Add("#1001,a@b.c,paid,,,,,USD,10.00,0.00,0.00,10.00,,0.00,,2024-03-04 10:15:32 -0500,1,Strat,10.00,,0113942719|||US210033734")
	f.Add("#1,,,,,,,,,,,,,,,,2,x,1,,A|||B|||C\n#1,,,,,,,,,,,,,,,,0,y,-1,,\n#2,\"")
	f.Add("#1,,refunded,,,,,USD,1,0,0,1,,0,,2024-01-01 00:00:00 +0000,1,a,1.999,,'0885978")
	f.Fuzz(func(t *testing.T, rows string) {
		in := tempFile(t, "orders.csv", h+"\n"+rows+"\n")
		sum, err := orders.Run(orders.Job{Inputs: []string{in}, Formats: OrderFormats, Out: filepath.Join(t.TempDir(), "out")})
		if err != nil {
			return
		}
		if !sum.Balanced || sum.OrdersRead != sum.OrdersWritten+sum.OrdersHeld+sum.OrdersSkipped {
			t.Fatalf("unbalanced: %+v", sum)
		}
	})
}
