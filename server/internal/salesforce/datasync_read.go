package salesforce

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Changed returns up to limit records of object in the filter whose
// (SystemModstamp, Id) comes after from, in that order:
//
//	SELECT <fields>, Id, SystemModstamp[, AccountId] FROM <object>
//	WHERE ((SystemModstamp > :ts) OR (SystemModstamp = :ts AND Id > :id)) AND (<filter>)
//	ORDER BY SystemModstamp, Id LIMIT n
//
// so records sharing a SystemModstamp second are never skipped, however
// many there are. A zero from reads from the start; a cursor without an
// Id takes SystemModstamp >= :ts (the overlap window). One query call a
// page; a page Salesforce cuts short is followed to its end.
func (s *DataSource) Changed(ctx context.Context, conn crossview.Connection, object string, from crossview.SFCursor, fields []string, filter *crossview.FilterGroup, limit int) ([]crossview.SFRecord, error) {
	cursor, err := cursorCondition(from)
	if err != nil {
		return nil, err
	}
	return s.read(ctx, conn, object, fields, filter, cursor, "SystemModstamp, Id", limit)
}

// Page returns up to limit records in the filter with an Id above afterID
// (all of them from ""), by Id: a backfill page, one query call.
func (s *DataSource) Page(ctx context.Context, conn crossview.Connection, object, afterID string, fields []string, filter *crossview.FilterGroup, limit int) ([]crossview.SFRecord, error) {
	cond := ""
	if afterID != "" {
		if !crossview.ValidSalesforceID(afterID) {
			return nil, crossview.Errorf(crossview.EINVALID, "The backfill cursor %q is not a Salesforce id.", afterID)
		}
		cond = "Id > " + Quote(afterID)
	}
	return s.read(ctx, conn, object, fields, filter, cond, "Id", limit)
}

// Count counts the records in the filter, in one query call.
func (s *DataSource) Count(ctx context.Context, conn crossview.Connection, object string, filter *crossview.FilterGroup) (int, error) {
	where, err := s.where(ctx, conn, object, filter, "")
	if err != nil {
		return 0, err
	}
	page, err := s.c.Query(ctx, conn, "SELECT COUNT() FROM "+object+where)
	if err != nil {
		s.forgetOnFieldError(conn, err)
		return 0, err
	}
	return page.TotalSize, nil
}

// read runs one ordered, limited query of object and decodes the records.
func (s *DataSource) read(ctx context.Context, conn crossview.Connection, object string, fields []string, filter *crossview.FilterGroup, cond, order string, limit int) ([]crossview.SFRecord, error) {
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	sel, err := syncSelect(object, fields)
	if err != nil {
		return nil, err
	}
	where, err := s.where(ctx, conn, object, filter, cond)
	if err != nil {
		return nil, err
	}
	soql := "SELECT " + sel + " FROM " + object + where + " ORDER BY " + order + " LIMIT " + strconv.Itoa(limit)
	rows, err := s.c.QueryAll(ctx, conn, soql, limit)
	if err != nil {
		s.forgetOnFieldError(conn, err)
		return nil, err
	}
	return decodeRecords(object, rows)
}

// where is " WHERE cond AND (filter)", either part optional, or "". The
// filter is typed against the object's describe, read once and reused.
func (s *DataSource) where(ctx context.Context, conn crossview.Connection, object string, filter *crossview.FilterGroup, cond string) (string, error) {
	if err := syncObject(object); err != nil {
		return "", err
	}
	var parts []string
	if cond != "" {
		parts = append(parts, cond)
	}
	if !emptyFilter(filter) {
		d, err := s.describe(ctx, conn, object)
		if err != nil {
			return "", err
		}
		f, err := CompileFilter(d, filter)
		if err != nil {
			return "", err
		}
		parts = append(parts, "("+f+")")
	}
	if len(parts) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(parts, " AND "), nil
}

// cursorCondition is the SOQL for "(SystemModstamp, Id) after c".
// SystemModstamp is stored to the second, so a cursor inside a second
// comes after every record of that second.
func cursorCondition(c crossview.SFCursor) (string, error) {
	if c.Modstamp.IsZero() {
		return "", nil
	}
	whole := c.Modstamp.Truncate(time.Second)
	ts := soqlDateTime(whole)
	switch {
	case !whole.Equal(c.Modstamp):
		return "SystemModstamp > " + ts, nil
	case c.ID == "":
		return "SystemModstamp >= " + ts, nil
	case !crossview.ValidSalesforceID(c.ID):
		return "", crossview.Errorf(crossview.EINVALID, "The change cursor's id %q is not a Salesforce id.", c.ID)
	}
	return "(SystemModstamp > " + ts + " OR (SystemModstamp = " + ts + " AND Id > " + Quote(c.ID) + "))", nil
}

// emptyFilter reports whether g keeps every record.
func emptyFilter(g *crossview.FilterGroup) bool {
	return g == nil || len(g.Conditions) == 0 && len(g.Groups) == 0
}
