package orders

import (
	"encoding/json"
	"reflect"
	"strings"
)

// Text is a JSON scalar kept as the text it was written as, null as "".
// Saved API responses write amounts, ids and quantities as numbers or as
// strings ("1499.0000", 63.4, 10.0); either way they are parsed later,
// exactly, and never pass through float64. An object or array where a
// scalar belongs is an *json.UnmarshalTypeError, never text that could
// pass for a SKU; readers hold back that order and read on.
type Text string

// UnmarshalJSON keeps b as text.
func (t *Text) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*t = ""
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		kind := "object"
		if b[0] == '[' {
			kind = "array"
		}
		return &json.UnmarshalTypeError{Value: kind, Type: reflect.TypeFor[string]()}
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	default:
		*t = Text(b)
	}
	return nil
}

func (t Text) String() string { return strings.TrimSpace(string(t)) }
