package crossview

import (
	"regexp"
	"slices"
	"strings"
)

// UserMatches are the ways a record finds its Zendesk user.
func UserMatches() []string { return []string{"external_id", "email"} }

// OnDeletes are what a Salesforce delete may do.
func OnDeletes() []string { return []string{"nothing", "tag", "unlink"} }

// MembershipScopes are the organization memberships a user gets.
func MembershipScopes() []string { return []string{"primary", "all"} }

// mappingTargets are the standard Zendesk fields a mapping may write for
// an object, and the prefix of its custom fields.
func mappingTargets(object string) (targets []string, custom string) {
	if object == ObjectAccount {
		return []string{"name", "domain_names", "tags", "notes", "details"}, "organization_fields."
	}
	return []string{"name", "email", "phone", "tags", "notes", "details"}, "user_fields."
}

var (
	sfFieldRE     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$`)
	zdFieldKeyRE  = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	zendeskTagsRE = regexp.MustCompile(`^[^\s,]+$`)
)

// ParseDataMapping reads one mapping as the admin pages and the CLI take
// it: a Salesforce field, a Zendesk field, and picklist values mapped as
// salesforce=zendesk separated by commas.
func ParseDataMapping(salesforce, zendesk, values string) (DataMapping, error) {
	m := DataMapping{Salesforce: strings.TrimSpace(salesforce), Zendesk: strings.TrimSpace(zendesk)}
	if m.Salesforce == "" || m.Zendesk == "" {
		return m, Errorf(EINVALID, "A data-sync mapping needs a Salesforce field and a Zendesk field (got %q and %q).", m.Salesforce, m.Zendesk)
	}
	for _, pair := range strings.Split(values, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		sf, zd, ok := strings.Cut(pair, "=")
		sf, zd = strings.TrimSpace(sf), strings.TrimSpace(zd)
		if !ok || sf == "" || zd == "" {
			return m, Errorf(EINVALID, "The values of the mapping from %s are written Salesforce=zendesk, not %q.", m.Salesforce, strings.TrimSpace(pair))
		}
		if m.Values == nil {
			m.Values = map[string]string{}
		}
		m.Values[sf] = zd
	}
	return m, nil
}

// Validate checks the settings' shape: known choices, mappings to fields
// Zendesk has for the object, well-formed filters. Whether the fields
// exist in the org and the account is for the describe to say (the data
// sync Check).
func (s DataSyncSettings) Validate() error {
	for _, o := range []struct {
		name string
		sync ObjectSync
	}{{ObjectAccount, s.Accounts}, {ObjectContact, s.Contacts}, {ObjectLead, s.Leads}} {
		if err := o.sync.validate(o.name); err != nil {
			return err
		}
	}
	if len(s.UserMatch) == 0 {
		return Errorf(EINVALID, "Choose how users are matched: external_id, email, or both in order.")
	}
	if err := checkOrder("user match", s.UserMatch, func(m string) bool { return slices.Contains(UserMatches(), m) }, "external_id or email"); err != nil {
		return err
	}
	if len(s.OrgMatch) == 0 {
		return Errorf(EINVALID, "Choose how organizations are matched: external_id, name, domain or field:<key>, in order.")
	}
	orgMatch := func(m string) bool {
		if key, ok := strings.CutPrefix(m, "field:"); ok {
			return zdFieldKeyRE.MatchString(key)
		}
		return m == "external_id" || m == "name" || m == "domain"
	}
	if err := checkOrder("organization match", s.OrgMatch, orgMatch, "external_id, name, domain or field:<organization field key>"); err != nil {
		return err
	}
	if !slices.Contains(OnDeletes(), s.OnDelete) {
		return Errorf(EINVALID, "A Salesforce delete does nothing, adds a tag, or unlinks the membership (nothing, tag or unlink), not %q. A Zendesk user is never deleted.", s.OnDelete)
	}
	if s.OnDelete == "tag" && s.DeleteTag != "" && !zendeskTagsRE.MatchString(s.DeleteTag) {
		return Errorf(EINVALID, "The delete tag %q must be one word: Zendesk tags have no spaces or commas.", s.DeleteTag)
	}
	if !slices.Contains(MembershipScopes(), s.Memberships) {
		return Errorf(EINVALID, "Memberships are primary (the Contact's Account) or all (its other Accounts too), not %q.", s.Memberships)
	}
	if s.Priority < 0 || s.Priority > 1000 {
		return Errorf(EINVALID, "The priority is a number from 0 (first) to 1000.")
	}
	if s.PollSeconds < 0 || s.PollSeconds > 86400 {
		return Errorf(EINVALID, "The poll interval is from 1 second to a day.")
	}
	if s.APIShare < 0 || s.APIShare > 1 {
		return Errorf(EINVALID, "The API share is a percentage from 1 to 100.")
	}
	return nil
}

// checkOrder refuses an unknown or repeated entry of a match order.
func checkOrder(what string, list []string, known func(string) bool, choices string) error {
	seen := map[string]bool{}
	for _, m := range list {
		if !known(m) {
			return Errorf(EINVALID, "Unknown %s %q: choose %s.", what, m, choices)
		}
		if seen[m] {
			return Errorf(EINVALID, "The %s names %q twice.", what, m)
		}
		seen[m] = true
	}
	return nil
}

// validate checks one object's mappings and filter.
func (o ObjectSync) validate(object string) error {
	targets, custom := mappingTargets(object)
	for _, m := range o.Mappings {
		if !sfFieldRE.MatchString(m.Salesforce) {
			return Errorf(EINVALID, "%s mapping: %q is not a Salesforce field name.", object, m.Salesforce)
		}
		key, isCustom := strings.CutPrefix(m.Zendesk, custom)
		switch {
		case isCustom && zdFieldKeyRE.MatchString(key):
		case slices.Contains(targets, m.Zendesk):
		case m.Zendesk == "external_id":
			return Errorf(EINVALID, "%s mapping from %s: external_id is always the %s's Salesforce id, set by data sync itself; remove the mapping, or map %s to %s<field key>.",
				object, m.Salesforce, object, m.Salesforce, custom)
		default:
			return Errorf(EINVALID, "%s mapping from %s: Zendesk has no %q here; map to %s, or %s<field key> for a custom field.",
				object, m.Salesforce, m.Zendesk, strings.Join(targets, ", "), custom)
		}
	}
	return o.Filter.validate(object)
}

func (g *FilterGroup) validate(object string) error {
	if g == nil {
		return nil
	}
	if g.Op != "and" && g.Op != "or" {
		return Errorf(EINVALID, "%s filter: a group is and or or, not %q.", object, g.Op)
	}
	for _, c := range g.Conditions {
		if !sfFieldRE.MatchString(c.Field) {
			return Errorf(EINVALID, "%s filter: %q is not a Salesforce field name.", object, c.Field)
		}
		if !ValidOperator(c.Operator) {
			return Errorf(EINVALID, "%s filter on %s: unknown operator %q.", object, c.Field, c.Operator)
		}
	}
	for i := range g.Groups {
		if err := g.Groups[i].validate(object); err != nil {
			return err
		}
	}
	return nil
}
