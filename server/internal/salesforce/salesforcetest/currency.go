package salesforcetest

// currencyObjects carry CurrencyIsoCode in a multi-currency org (every
// object with money on it, and the records related to them).
var currencyObjects = []string{"Account", "Contact", "Lead", "Opportunity", "Case"}

// setCurrency gives the org its corporate currency, which queries read as
// Organization.DefaultCurrencyIsoCode. A multi-currency org also has the
// CurrencyIsoCode field on its records, defaulting to the corporate
// currency; a single-currency org has no such field, so selecting it fails
// with INVALID_FIELD as in Salesforce.
func (o *Org) setCurrency(code string, multi bool) {
	o.currency, o.multiCurrency = code, multi
	org := o.data.schema.object("Organization")
	org.addField(fld("DefaultCurrencyIsoCode", typePicklist))
	o.data.records[o.id].vals["DefaultCurrencyIsoCode"] = code
	if !multi {
		return
	}
	for _, name := range currencyObjects {
		o.data.schema.object(name).addField(fld("CurrencyIsoCode", typePicklist, defaultTo(code)))
	}
}
