package salesforcetest

// The picklist values of a new Developer Edition org, in Setup order.
// Standard picklists are unrestricted, as in Salesforce: the API stores a
// value outside the list. SetPicklist restricts one.

func casePicklist(name string) []string {
	switch name {
	case "Status":
		return []string{"New", "Working", "Escalated", "Closed"}
	case "Priority":
		return []string{"High", "Medium", "Low"}
	case "Origin":
		return []string{"Phone", "Email", "Web"}
	case "Type":
		return []string{"Mechanical", "Electrical", "Electronic", "Structural", "Other"}
	case "Reason":
		return []string{"Installation", "Equipment Complexity", "Performance", "Breakdown", "Equipment Design", "Feedback", "Other"}
	}
	return nil
}

func leadStatuses() []string {
	return []string{"Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"}
}

func leadSources() []string {
	return []string{"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}
}

func salutations() []string { return []string{"Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx."} }

func industries() []string {
	return []string{"Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications",
		"Construction", "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment",
		"Environmental", "Finance", "Food & Beverage", "Government", "Healthcare", "Hospitality", "Insurance",
		"Machinery", "Manufacturing", "Media", "Not For Profit", "Recreation", "Retail", "Shipping",
		"Technology", "Telecommunications", "Transportation", "Utilities", "Other"}
}

func accountTypes() []string {
	return []string{"Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
		"Installation Partner", "Technology Partner", "Other"}
}

func opportunityStages() []string {
	return []string{"Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
		"Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"}
}

func opportunityTypes() []string {
	return []string{"Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"}
}
