package crossview

import (
	"reflect"
	"testing"
)

func TestParseFieldMapping(t *testing.T) {
	m, err := ParseFieldMapping(" priority ", "Priority", "urgent=High, low = Low,")
	if err != nil || m.Zendesk != "priority" || m.Salesforce != "Priority" || !reflect.DeepEqual(m.Values, map[string]string{"urgent": "High", "low": "Low"}) {
		t.Fatalf("ParseFieldMapping = %+v, %v", m, err)
	}
	if m, err := ParseFieldMapping("custom:360001", "Product__c", ""); err != nil || m.Values != nil {
		t.Errorf("no values: %+v %v", m, err)
	}
	for _, bad := range [][3]string{{"", "Priority", ""}, {"priority", "", ""}, {"priority", "Priority", "urgent"}, {"priority", "Priority", "=High"}} {
		if _, err := ParseFieldMapping(bad[0], bad[1], bad[2]); ErrorCode(err) != EINVALID {
			t.Errorf("ParseFieldMapping(%q) = %v, want EINVALID", bad, err)
		}
	}
}
