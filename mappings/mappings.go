// Package mappings embeds the default mapping and template files, so the
// binary works without them on disk; users copy and edit the YAML files
// beside this one and point aimbridge at their copy.
package mappings

import "embed"

//go:embed *.yaml
var files embed.FS

// Default returns the embedded file with the given name.
func Default(name string) ([]byte, error) { return files.ReadFile(name) }
