package zendesktest

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Comment mirrors a ticket comment. A ticket's description is its first
// comment. IDs grow monotonically across the account, as audit and event
// ids do in Zendesk.
type Comment struct {
	ID       int64
	AuthorID int64
	Body     string
	// HTMLBody is generated from Body when empty.
	HTMLBody    string
	Public      bool
	Attachments []Attachment
	AuditID     int64
	Via         Via
	CreatedAt   time.Time
}

// Attachment is a file attached to a comment.
type Attachment struct {
	ID          int64
	FileName    string
	ContentURL  string
	ContentType string
	Size        int64
}

type attachmentWire struct {
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	FileName    string `json:"file_name"`
	ContentURL  string `json:"content_url"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Inline      bool   `json:"inline"`
	Deleted     bool   `json:"deleted"`
}

type commentWire struct {
	ID          int64            `json:"id"`
	Type        string           `json:"type"`
	AuthorID    int64            `json:"author_id"`
	Body        string           `json:"body"`
	HTMLBody    string           `json:"html_body"`
	PlainBody   string           `json:"plain_body"`
	Public      bool             `json:"public"`
	Attachments []attachmentWire `json:"attachments"`
	AuditID     int64            `json:"audit_id"`
	Via         map[string]any   `json:"via"`
	Metadata    map[string]any   `json:"metadata"`
	CreatedAt   string           `json:"created_at"`
}

// MarshalJSON writes the documented comment JSON.
func (c Comment) MarshalJSON() ([]byte, error) { return json.Marshal(c.wire("")) }

// wire renders the comment; base, when set, fills attachment urls.
func (c Comment) wire(base string) commentWire {
	atts := make([]attachmentWire, 0, len(c.Attachments))
	for _, at := range c.Attachments {
		atts = append(atts, attachmentWire{ID: at.ID, URL: fmt.Sprintf("%s/api/v2/attachments/%d.json", base, at.ID),
			FileName: at.FileName, ContentURL: at.ContentURL, ContentType: at.ContentType, Size: at.Size})
	}
	return commentWire{
		ID: c.ID, Type: "Comment", AuthorID: c.AuthorID, Body: c.Body, HTMLBody: c.htmlBody(), PlainBody: c.Body,
		Public: c.Public, Attachments: atts, AuditID: c.AuditID,
		Via:      map[string]any{"channel": c.Via.Channel, "source": map[string]any{"from": map[string]any{}, "to": map[string]any{}, "rel": nil}},
		Metadata: map[string]any{"system": map[string]any{}, "custom": map[string]any{}}, CreatedAt: stamp(c.CreatedAt),
	}
}

// htmlBody is the HTML Zendesk renders for a plain-text comment.
func (c Comment) htmlBody() string {
	if c.HTMLBody != "" {
		return c.HTMLBody
	}
	var b strings.Builder
	b.WriteString(`<div class="zd-comment" dir="auto">`)
	for i, line := range strings.Split(c.Body, "\n") {
		if i > 0 {
			b.WriteString("<br>")
		}
		b.WriteString(html.EscapeString(line))
	}
	b.WriteString("</div>")
	return b.String()
}

func (c Comment) clone() Comment {
	c.Attachments = append([]Attachment(nil), c.Attachments...)
	return c
}

// AddComment adds a comment to a ticket as its author would, through the
// agent interface: it bumps updated_at, fires webhooks and triggers. A
// zero AuthorID means the ticket's requester. Closed tickets refuse.
func (a *Account) AddComment(ticketID int64, c Comment) (Comment, error) {
	if strings.TrimSpace(c.Body) == "" && c.HTMLBody == "" {
		return Comment{}, fmt.Errorf("zendesktest: adding a comment to ticket %d: empty body", ticketID)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	rec := a.tickets[ticketID]
	if rec == nil {
		return Comment{}, fmt.Errorf("zendesktest: adding a comment to ticket %d: not found", ticketID)
	}
	if rec.t.Status == "closed" {
		return Comment{}, fmt.Errorf("zendesktest: adding a comment to ticket %d: it is closed", ticketID)
	}
	if c.AuthorID == 0 {
		c.AuthorID = rec.t.RequesterID
	}
	if c.Via.Channel == "" {
		c.Via.Channel = "web"
	}
	c = c.clone()
	a.commitTicket(rec, rec.t.clone(), c.AuthorID, &c, c.Via.Channel)
	return rec.comments[len(rec.comments)-1].clone(), nil
}

// Comments returns copies of a ticket's comments, oldest first.
func (a *Account) Comments(ticketID int64) []Comment {
	a.mu.Lock()
	defer a.mu.Unlock()
	rec := a.tickets[ticketID]
	if rec == nil {
		return nil
	}
	out := make([]Comment, len(rec.comments))
	for i, c := range rec.comments {
		out[i] = c.clone()
	}
	return out
}

// handleListComments serves GET /api/v2/tickets/{id}/comments.json: the
// ticket's comments, oldest first unless asked otherwise. page[size]
// (at most 100) selects cursor pagination, sorted by sort=created_at or
// -created_at; otherwise offset pagination sorted by sort_order=asc|desc.
// include=users sideloads the authors.
func handleListComments(c *call) error {
	a := c.a
	q := c.r.URL.Query()
	a.mu.Lock()
	defer a.mu.Unlock()
	rec := a.tickets[c.id("id")]
	if rec == nil {
		return errNotFound()
	}
	all := make([]Comment, len(rec.comments))
	for i, cm := range rec.comments {
		all[i] = cm.clone()
	}
	var body map[string]any
	var page []Comment
	if q.Has("page[size]") || q.Has("page[after]") || q.Has("page[before]") || q.Has("sort") {
		desc := false
		switch q.Get("sort") {
		case "", "created_at":
		case "-created_at":
			desc = true
		default:
			return errPagination("sort is not valid")
		}
		if desc {
			slices.Reverse(all)
		}
		var err error
		body, page, err = keyPage(c, "comments:"+strconv.FormatInt(rec.t.ID, 10), all,
			func(cm Comment) string { return idKey(cm.ID) }, desc, 100)
		if err != nil {
			return err
		}
	} else {
		p, err := parseOffset(q)
		if err != nil {
			return err
		}
		switch q.Get("sort_order") {
		case "", "asc":
		case "desc":
			slices.Reverse(all)
		default:
			return errPagination("sort_order must be asc or desc")
		}
		page = pageOf(p, all)
		body = offsetBody(c, p, "comments", len(all), nil)
	}
	wires := make([]commentWire, len(page))
	for i, cm := range page {
		wires[i] = cm.wire(a.base)
	}
	body["comments"] = wires
	if slices.Contains(c.includes(), "users") {
		var ids []int64
		for _, cm := range page {
			ids = append(ids, cm.AuthorID)
		}
		users := []User{}
		for _, id := range uniqueIDs(ids) {
			if u := a.users[id]; u != nil {
				users = append(users, *u)
			}
		}
		body["users"] = users
	}
	writeJSON(c.w, http.StatusOK, body)
	return nil
}
