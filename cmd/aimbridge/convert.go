package main

import (
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aimbridge/aimbridge/etl/convert"
	"github.com/aimbridge/aimbridge/etl/inventory"
	"github.com/aimbridge/aimbridge/etl/platform"
	"github.com/aimbridge/aimbridge/etl/report"
	"github.com/aimbridge/aimbridge/mappings"
	"github.com/spf13/cobra"
)

func convertCmd(log *slog.Logger) *cobra.Command {
	var (
		to, out, mappingFile, templatesDir string
		locale, encoding, sheet            string
		padTo                              int
		settings                           = map[string]*string{}
	)
	c := &cobra.Command{
		Use:   "convert [flags] FILE...",
		Short: "Turn AIM inventory exports (CSV or XLSX) into web-store import files",
		Long: `convert reads AIM inventory exports and writes, under --out, one folder per
platform with its import files, plus rejects.csv (every refused or skipped
row, with file, line, column and reason) and summary.json (the counts).

Exit status: 0 all rows converted; 3 some rows rejected (outputs written);
1 nothing usable produced; 2 usage error.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkOut(out); err != nil {
				return err
			}
			m, err := loadMapping(mappingFile)
			if err != nil {
				return usageErr("%v", err)
			}
			if c.Flags().Changed("pad-sku") {
				if padTo < 0 || padTo > 64 {
					return usageErr("--pad-sku %d: give a width between 0 and 64", padTo)
				}
				f := m.Fields["sku"]
				f.PadTo = padTo
				m.Fields["sku"] = f
			}
			if encoding != "" {
				m.Source.Encoding = encoding
			}
			if sheet != "" {
				m.Source.Sheet = sheet
			}
			if c.Flags().Changed("locale") {
				if err := m.SetLocale(locale); err != nil {
					return usageErr("--locale: %v", err)
				}
			}
			targets, err := buildTargets(to, templatesDir, settings)
			if err != nil {
				return usageErr("%v", err)
			}
			sum, err := convert.Run(convert.Job{Ctx: c.Context(), Inputs: args, Out: out, Mapping: m, Targets: targets, Log: log, Version: versionString()})
			if err != nil {
				return &exitError{code: report.ExitNothing, err: fmt.Errorf("%w; nothing was written", err)}
			}
			fmt.Fprintf(c.OutOrStdout(), "rows read %d = used %d + rejected %d + skipped %d; %d products (%d serialized with %d variants, %d simple)\n",
				sum.RowsRead, sum.RowsUsed, sum.RowsRejected, sum.RowsSkipped, sum.Products, sum.SerializedProducts, sum.Variants, sum.SimpleProducts)
			for _, t := range targets {
				ps := sum.Platforms[t.Platform.Name]
				fmt.Fprintf(c.OutOrStdout(), "%s: %d products, %d rows written, %d refused\n", t.Platform.Name, ps.Products, ps.RowsWritten, ps.RowsRefused)
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote %s\n", filepath.Join(out, "summary.json"))
			switch {
			case sum.ExitCode == report.ExitNothing && sum.RowsRead == 0:
				return &exitError{code: sum.ExitCode, err: fmt.Errorf("the input has no data rows; nothing to convert")}
			case sum.ExitCode == report.ExitNothing:
				return &exitError{code: sum.ExitCode, err: fmt.Errorf("no row could be converted; see %s", filepath.Join(out, "rejects.csv"))}
			case sum.ExitCode != 0:
				return &exitError{code: sum.ExitCode, err: fmt.Errorf("some rows were not converted; see %s", filepath.Join(out, "rejects.csv"))}
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&to, "to", "all", "platforms to write, comma-separated: all or "+strings.Join(platformNames(), ", "))
	f.StringVarP(&out, "out", "o", "", "output folder (required)")
	f.StringVar(&mappingFile, "mapping", "", "inventory mapping YAML (default: the built-in mappings/aim-inventory.yaml)")
	f.StringVar(&templatesDir, "templates", "", "folder with your own <platform>.yaml value templates (default: built in)")
	f.StringVar(&encoding, "encoding", "", "charset of CSV exports without a byte-order mark: utf-8 or windows-1252 (default: the mapping's)")
	f.StringVar(&sheet, "sheet", "", "the worksheet to read in .xlsx exports (default: the mapping's, else the only visible sheet with the required headers)")
	f.IntVar(&padTo, "pad-sku", 0, "zero-pad every all-digit SKU shorter than this width (repairs leading zeros Excel dropped)")
	f.StringVar(&locale, "locale", "", "number locale of every money field, e.g. en-US for 1,299.00 or de-DE for 1.299,00 (default: the mapping's; plain 1299.00)")
	for _, p := range platforms {
		for _, s := range p.Settings {
			v := new(string)
			settings[p.Name+"."+s.Name] = v
			f.StringVar(v, p.Name+"-"+s.Name, s.Default, p.Title+": "+s.Usage)
		}
	}
	return c
}

// checkOut refuses an output path that cannot be a folder before any work
// is done.
func checkOut(out string) error {
	if out == "" {
		return usageErr("--out is required")
	}
	if st, err := os.Stat(out); err == nil && !st.IsDir() {
		return usageErr("--out %s is a file, not a folder", out)
	}
	return nil
}

func platformNames() []string {
	var names []string
	for _, p := range platforms {
		names = append(names, p.Name)
	}
	return names
}

func loadMapping(path string) (*inventory.Checked, error) { return inventory.LoadMapping(path) }

func buildTargets(to, templatesDir string, settings map[string]*string) ([]convert.Target, error) {
	want := map[string]bool{}
	for _, n := range strings.Split(to, ",") {
		if n = strings.TrimSpace(strings.ToLower(n)); n != "" {
			want[n] = true
		}
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("--to names no platform (known: all, %s)", strings.Join(platformNames(), ", "))
	}
	var targets []convert.Target
	for _, p := range platforms {
		if !want["all"] && !want[p.Name] {
			continue
		}
		delete(want, p.Name)
		cfg := platform.Config{Settings: map[string]string{}}
		for _, s := range p.Settings {
			cfg.Settings[s.Name] = *settings[p.Name+"."+s.Name]
		}
		var err error
		if templatesDir != "" {
			cfg.Templates, err = os.ReadFile(filepath.Join(templatesDir, p.Templates))
			if os.IsNotExist(err) {
				cfg.Templates, err = mappings.Default(p.Templates)
			}
		} else {
			cfg.Templates, err = mappings.Default(p.Templates)
		}
		if err != nil {
			return nil, fmt.Errorf("%s templates: %w", p.Name, err)
		}
		w, err := p.New(cfg)
		if err != nil {
			return nil, err
		}
		targets = append(targets, convert.Target{Platform: p, Writer: w})
	}
	delete(want, "all")
	if len(want) > 0 {
		unknown := slices.Sorted(maps.Keys(want))
		return nil, fmt.Errorf("--to: unknown platform %q (known: all, %s)", strings.Join(unknown, ", "), strings.Join(platformNames(), ", "))
	}
	return targets, nil
}
