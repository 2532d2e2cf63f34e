package views

// TicketPage is the page Salesforce loads into the Canvas iframe on a
// record page.
type TicketPage struct {
	Page
	// Token authenticates the panel's refreshes (a header, never a cookie).
	Token    string
	PanelURL string
	// PollMillis is how often the open panel asks for changes.
	PollMillis int
	Panel      TicketPanel
}

// TicketPanel is the ticket list for one Salesforce record.
type TicketPanel struct {
	RecordObject string
	RecordName   string
	ViewOnly     bool
	// NoAccounts: no Zendesk account connected to the org has the ticket
	// view on.
	NoAccounts bool
	Problems   []AccountProblem
	Statuses   []FilterOption
	Priorities []FilterOption
	Types      []FilterOption
	Accounts   []FilterOption
	// Filtered is true when any filter is set; FilterSummary says which
	// ("Status: Solved · Priority: High") and Total counts the tickets
	// before filters.
	Filtered      bool
	FilterSummary string
	Total         int
	Tickets       []TicketRow
	Matching      int
	Page          int
	Pages         int
	// PrevPage and NextPage are 0 when there is none.
	PrevPage, NextPage int
	FetchedAt          string
	FetchedAgo         string
	// RefreshNote says why a refresh was not done (the cooldown);
	// ReserveNotes name accounts near their rate limit.
	RefreshNote  string
	ReserveNotes []string
}

// AccountProblem is a Zendesk account that could not answer.
type AccountProblem struct {
	Account string
	Title   string
	Message string
}

// FilterOption is one choice in a filter group.
type FilterOption struct {
	Value   string
	Label   string
	Count   int
	Checked bool
	// ShowCount is set where a count is meaningful (statuses).
	ShowCount bool
}

// TicketRow is one ticket in the list.
type TicketRow struct {
	ID          string
	URL         string
	Subject     string
	Status      string
	StatusLabel string
	Priority    string
	Type        string
	Requester   string
	Assignee    string
	UpdatedISO  string
	UpdatedAgo  string
	Account     string
}
