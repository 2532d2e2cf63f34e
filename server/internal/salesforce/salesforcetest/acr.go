package salesforcetest

import "fmt"

// prefixAccountContactRelation is AccountContactRelation's key prefix.
const prefixAccountContactRelation = "07k"

// objAccountContactRelation names the object orgs with Contacts to
// Multiple Accounts have.
const objAccountContactRelation = "AccountContactRelation"

// EnableContactsToMultipleAccounts turns on Contacts to Multiple Accounts
// (Setup → Account Settings): the org gains AccountContactRelation, with
// the fields the object reference lists (AccountId and ContactId set on
// create only, IsActive defaulted true, IsDirect read-only, StartDate,
// EndDate; not Roles, a multi-select picklist the emulator lacks), and
// every Contact with an Account gets its direct relationship. From then
// on a Contact's primary account (AccountId) is its one direct
// relationship: setting it creates the relationship (or makes an
// indirect one to that Account direct), changing it removes the old one,
// as the Salesforce help says ("to remove a direct relationship, change
// the contact's primary account or delete the contact"); deleting an
// Account or a Contact deletes its relationships. Other relationships are
// indirect: Insert or POST them. Only users who see all data see them
// (the emulator's sharing has no rule for them).
func (o *Org) EnableContactsToMultipleAccounts() {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.data.schema
	if s.object(objAccountContactRelation) != nil {
		return
	}
	rel := newSObject(objAccountContactRelation, "Account Contact Relationship", "Account Contact Relationships",
		prefixAccountContactRelation, withAuditOwned(false,
			fld("AccountId", typeReference, refTo("Account", "Account"), required, createOnly),
			fld("ContactId", typeReference, refTo("Contact", "Contact"), required, createOnly),
			fld("IsActive", typeBoolean, defaultTo(true)),
			fld("IsDirect", typeBoolean, readOnly),
			fld("StartDate", typeDate),
			fld("EndDate", typeDate),
		)...)
	s.add(rel)
	s.object("Account").children = append(s.object("Account").children,
		childRel{"AccountContactRelations", objAccountContactRelation, "AccountId"})
	s.object("Contact").children = append(s.object("Contact").children,
		childRel{"AccountContactRelations", objAccountContactRelation, "ContactId"})
	for _, c := range o.data.byObject["Contact"] {
		if !c.deleted {
			o.data.followPrimaryAccount(c, "", true) // the object is new: no relationships yet
		}
	}
}

// followPrimaryAccount keeps a Contact's direct relationship on its
// AccountId after a write that found it on prev (created: the write made
// the Contact). Orgs without Contacts to Multiple Accounts have nothing
// to keep.
func (d *orgData) followPrimaryAccount(c *record, prev string, created bool) {
	rel := d.schema.object(objAccountContactRelation)
	account := c.str("AccountId")
	if rel == nil || c.obj.name != "Contact" || (account == prev && !created) {
		return
	}
	found := false
	for _, x := range d.byObject[rel.name] {
		if created {
			break // a new Contact has no relationships yet
		}
		if x.deleted || x.str("ContactId") != c.id {
			continue
		}
		direct, _ := x.vals["IsDirect"].(bool)
		switch x.str("AccountId") {
		case account:
			found = true
			if !direct {
				d.update(x, map[string]any{"IsDirect": true}, "", fromSeed)
			}
		default:
			if direct {
				d.remove(x)
			}
		}
	}
	if account != "" && !found {
		d.create(rel, map[string]any{"AccountId": account, "ContactId": c.id, "IsDirect": true}, c.str("LastModifiedById"))
	}
}

// Relate seeds an indirect relationship between a Contact and another
// Account and returns its id; the org must have Contacts to Multiple
// Accounts.
func (o *Org) Relate(contactID, accountID string, active bool) (string, error) {
	id, err := o.Insert(objAccountContactRelation, map[string]any{"ContactId": contactID, "AccountId": accountID, "IsActive": active})
	if err != nil {
		return "", fmt.Errorf("salesforcetest: Relate: %w", err)
	}
	return id, nil
}
