package magento

import (
	"strings"
	"testing"
)

// The parent SKU is one percent-encoded path segment; the child SKU, with
// its |||, travels only in the JSON body, byte for byte.
func TestPlanEncodesSKUsInPaths(t *testing.T) {
	o, err := write(t, newWriter(t, nil), serialized("AC/DC TEE?#1", "Shirt", "ñ-01"))
	if err != nil {
		t.Fatal(err)
	}
	calls := o.plan.Products[0].Calls
	if calls[0].Path != "/V1/configurable-products/AC%2FDC%20TEE%3F%231/options" || calls[1].Path != "/V1/configurable-products/AC%2FDC%20TEE%3F%231/child" {
		t.Errorf("paths %q %q", calls[0].Path, calls[1].Path)
	}
	if got := calls[1].Body.(map[string]any)["childSku"]; got != "AC/DC TEE?#1|||ñ-01" {
		t.Errorf("childSku %q", got)
	}
	if !strings.Contains(strings.Join(o.res.Notes, "\n"), "AC/DC TEE?#1 contains a slash") {
		t.Errorf("notes %q", o.res.Notes)
	}
}

// The declaration names the attribute and every serial of the product by
// reference; the store fills in the ids.
func TestPlanDeclaresOptionByReference(t *testing.T) {
	o, _ := write(t, newWriter(t, nil, `serial_label: "Serial Number"`, `serial_label: "Serial"`), serialized("0113942719", "Strat", "US1", "US2"))
	c := o.plan.Products[0].Calls[0]
	opt := c.Body.(map[string]any)["option"].(map[string]any)
	if c.Kind != "declare_option" || c.Method != "POST" || opt["label"] != "Serial" || opt["is_use_default"] != true || opt["position"] != 0.0 {
		t.Errorf("declare %+v", c)
	}
	if ref := opt["attribute_id"].(map[string]any); ref["$ref"] != "attribute_id" {
		t.Errorf("attribute_id %v", ref)
	}
	values := opt["values"].([]any)
	if len(values) != 2 {
		t.Fatalf("values %v", values)
	}
	for i, want := range []string{"US1", "US2"} {
		ref := values[i].(map[string]any)["value_index"].(map[string]any)
		if ref["$ref"] != "option_id" || ref["label"] != want {
			t.Errorf("value %d: %v", i, ref)
		}
	}
	if o.plan.Version != 1 || o.plan.Attribute.Code != "serial_number" || o.plan.Attribute.Label != "Serial" ||
		o.plan.Attribute.Lookup.Path != "/V1/products/attributes/serial_number" {
		t.Errorf("plan %+v", o.plan.Attribute)
	}
	create := o.plan.AttributeOptions[1].Create
	if create.Kind != "create_option" || create.Path != "/V1/products/attributes/serial_number/options" ||
		create.Body.(map[string]any)["option"].(map[string]any)["label"] != "US2" {
		t.Errorf("create %+v", create)
	}
}

// An empty catalog still gives an importable header-only file and a plan
// with empty lists, never null.
func TestEmptyCatalog(t *testing.T) {
	o, err := write(t, newWriter(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.files["products-001.csv"]) != 1 {
		t.Errorf("files %v", o.files)
	}
	plan := string(o.raw[planFile])
	for _, want := range []string{`"attribute_options": []`, `"products": []`, `"import_files": [`} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %s:\n%s", want, plan)
		}
	}
}
