package salesforcetest

import "fmt"

// ConvertLead marks a Lead converted, as Salesforce's lead conversion
// does to the Lead: IsConverted becomes true (a field no API write may
// set) and its SystemModstamp moves. The Contact conversion makes is the
// test's to insert.
func (o *Org) ConvertLead(id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	r := o.data.lookup(id)
	if r == nil || r.deleted || r.obj.name != "Lead" {
		return fmt.Errorf("salesforcetest: ConvertLead: no Lead %q", id)
	}
	o.data.update(r, map[string]any{"IsConverted": true}, "", fromSeed)
	return nil
}
