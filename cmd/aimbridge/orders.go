package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // --timezone must work on machines without a zoneinfo database (Windows)

	"github.com/aimbridge/aimbridge/etl/money"
	"github.com/aimbridge/aimbridge/etl/orders"
	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/etl/tabular"
	"github.com/spf13/cobra"
)

func ordersCmd(log *slog.Logger) *cobra.Command {
	var (
		out, from, tz, locale, store, currency string
		profiles                               []string
		dateOrder, encoding, sheet             string
		layoutFile, aimFormat, aimFile         string
		partial                                string
		includeCancelled                       bool
	)
	c := &cobra.Command{
		Use:   "orders --out DIR [flags] FILE...",
		Short: "Turn web-store order exports into one AIM order-import file",
		Long: `orders reads web-store order exports and writes, under --out, one AIM
order-import file (aim-orders.csv), exceptions.csv (every order held back or
skipped, and every unreadable record, with file, line and reason) and
summary.json (the counts). The platform of each file is recognised from its
header; --from names it when a file could be more than one.

A variant SKU AIMSKU|||SERIAL is split back into the AIM SKU and the serial.
An order with any fault (a line without a SKU, a malformed SKU, a serial
sold twice or with quantity above 1, an amount or date that cannot be read
exactly) is held back whole, never half-imported. Cancelled and fully
refunded orders are skipped; partially refunded ones are held back for
review unless --partial-refunds write.

Exit status: 0 every order written or skipped by policy; 3 some orders held
back (outputs written); 1 nothing usable; 2 usage error.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkOut(out); err != nil {
				return err
			}
			if aimFile != "" && (filepath.Base(aimFile) != aimFile || aimFile == "." || aimFile == "..") {
				return usageErr("--aim-file %q: give a file name; the file is written under --out", aimFile)
			}
			formats, err := withProfiles(orderFormats(), profiles)
			if err != nil {
				return usageErr("--order-profile: %v", err)
			}
			if from != "" {
				from = strings.ToLower(from)
				if !hasOrderSource(formats, from) {
					return usageErr("--from %s: no order reader of that platform or format name (platforms: %s)", from, strings.Join(orderPlatforms(), ", "))
				}
			}
			job := orders.Job{Ctx: c.Context(), Inputs: args, Out: out, Formats: formats, From: from, Store: store,
				AIMFormat: strings.ToLower(aimFormat), AIMFile: aimFile, Version: versionString(),
				Policy: orders.Policy{IncludeCancelled: includeCancelled, Currency: strings.ToUpper(currency)},
				Reader: orders.Config{Locale: locale, Log: log, DateOrder: strings.ToLower(dateOrder),
					Tabular: tabular.Options{Charset: encoding, Sheet: sheet}}}
			if d := job.Reader.DateOrder; d != "" && d != "mdy" && d != "dmy" {
				return usageErr("--date-order %q: use mdy (03/12/2024 is March 12) or dmy (12 March)", dateOrder)
			}
			if currency != "" && !isCurrencyCode(currency) {
				return usageErr("--currency %q: give an ISO 4217 code such as USD or CAD", currency)
			}
			switch strings.ToLower(partial) {
			case "hold":
			case "write":
				job.Policy.WritePartialRefunds = true
			default:
				return usageErr("--partial-refunds %q: use hold or write", partial)
			}
			if job.AIMFormat != orders.FormatCSV && job.AIMFormat != orders.FormatXLSX {
				return usageErr("--aim-format %q: use csv or xlsx", aimFormat)
			}
			if !money.KnownLocale(locale) {
				return usageErr("--locale %q: unknown (e.g. en-US, de-DE, fr-FR)", locale)
			}
			if tz != "" {
				loc, err := time.LoadLocation(tz)
				if err != nil {
					return usageErr("--timezone %q: not an IANA time zone name such as America/New_York", tz)
				}
				job.Reader.Location = loc
			}
			l, err := orders.LoadLayout(layoutFile)
			if err != nil {
				return usageErr("%v", err)
			}
			job.Layout = l
			sum, err := orders.Run(job)
			if err != nil {
				return &exitError{code: report.ExitNothing, err: err}
			}
			w := c.OutOrStdout()
			fmt.Fprintf(w, "orders read %d = written %d + held back %d + skipped %d; lines read %d = written %d + held back %d + skipped %d\n",
				sum.OrdersRead, sum.OrdersWritten, sum.OrdersHeld, sum.OrdersSkipped, sum.LinesRead, sum.LinesWritten, sum.LinesHeld, sum.LinesSkipped)
			if sum.RecordsRefused > 0 {
				fmt.Fprintf(w, "%d records belong to no order and were refused\n", sum.RecordsRefused)
			}
			fmt.Fprintf(w, "wrote %s, %s and %s\n", filepath.Join(out, sum.AIMFile), filepath.Join(out, "exceptions.csv"), filepath.Join(out, "summary.json"))
			switch {
			case sum.ExitCode == report.ExitNothing && sum.OrdersRead == 0 && sum.RecordsRefused == 0:
				return &exitError{code: sum.ExitCode, err: fmt.Errorf("the input holds no orders; nothing to import")}
			case sum.ExitCode == report.ExitNothing:
				return &exitError{code: sum.ExitCode, err: fmt.Errorf("no order could be imported; see %s", filepath.Join(out, "exceptions.csv"))}
			case sum.ExitCode != 0:
				return &exitError{code: sum.ExitCode, err: fmt.Errorf("some orders were not imported; see %s", filepath.Join(out, "exceptions.csv"))}
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVarP(&out, "out", "o", "", "output folder (required)")
	f.StringVar(&from, "from", "", "platform of the files, when the header does not tell: "+strings.Join(orderPlatforms(), ", "))
	f.StringVar(&tz, "timezone", "", "the store's time zone, IANA name (e.g. America/New_York), for sources that write UTC")
	f.StringVar(&locale, "locale", "", "number format of amounts written as text, e.g. de-DE for 1.499,00 (default: plain 1499.00 only)")
	f.StringVar(&store, "store", "", "store id added to the Source column (shopify:STORE)")
	f.StringVar(&currency, "currency", "", "import only orders in this currency (others held back); needed when the files mix currencies")
	f.BoolVar(&includeCancelled, "include-cancelled", false, "write cancelled and fully refunded orders too (listed in exceptions.csv)")
	f.StringVar(&partial, "partial-refunds", "hold", "partially refunded orders: hold (held back for review) or write (written, listed for review)")
	f.StringVar(&layoutFile, "layout", "", "AIM order-import layout YAML (default: the built-in mappings/aim-orders.yaml)")
	f.StringVar(&aimFormat, "aim-format", orders.FormatCSV, "AIM file format: csv or xlsx")
	f.StringVar(&aimFile, "aim-file", "", "AIM file name under --out (default aim-orders.csv or aim-orders.xlsx)")
	f.StringVar(&encoding, "encoding", "", "charset of CSV exports without a byte-order mark: utf-8 (default) or windows-1252")
	f.StringVar(&sheet, "sheet", "", "the worksheet to read in re-saved .xlsx exports (default: the only visible sheet with an order header)")
	f.StringVar(&dateOrder, "date-order", "", "how exports write numeric dates that could be read two ways: mdy (US stores) or dmy; unset, such orders are held")
	f.StringArrayVar(&profiles, "order-profile", nil, "FORMAT=FILE: read that export format through your own copy of its mapping (e.g. woocommerce-aoe-csv=my-export.yaml, copied from mappings/)")
	return c
}

func orderFormats() []orders.Format {
	var fs []orders.Format
	for _, p := range platforms {
		fs = append(fs, p.Orders...)
	}
	return fs
}

func orderPlatforms() []string {
	var names []string
	for _, p := range platforms {
		if len(p.Orders) > 0 {
			names = append(names, p.Name)
		}
	}
	return names
}

func hasOrderSource(formats []orders.Format, name string) bool {
	for _, f := range formats {
		if f.Platform == name || f.Name == name {
			return true
		}
	}
	return false
}

// withProfiles replaces each format named in specs (NAME=FILE) by the one
// its Profile builds from FILE.
func withProfiles(formats []orders.Format, specs []string) ([]orders.Format, error) {
	for _, spec := range specs {
		name, file, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, fmt.Errorf("%q: give FORMAT=FILE", spec)
		}
		i := slices.IndexFunc(formats, func(f orders.Format) bool { return f.Name == name })
		if i < 0 || formats[i].Profile == nil {
			var names []string
			for _, f := range formats {
				if f.Profile != nil {
					names = append(names, f.Name)
				}
			}
			return nil, fmt.Errorf("%s: no format of that name takes a profile (those that do: %s)", name, strings.Join(names, ", "))
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		f, err := formats[i].Profile(file, data)
		if err != nil {
			return nil, err
		}
		formats[i] = f
	}
	return formats, nil
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}
