package main

import (
	_ "github.com/gocarina/gocsv"
	_ "github.com/shopspring/decimal"
	_ "github.com/spf13/cobra"
	_ "github.com/xuri/excelize/v2"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/text/encoding/charmap"
)

func main() {}
