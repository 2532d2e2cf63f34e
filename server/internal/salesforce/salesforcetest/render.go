package salesforcetest

import "time"

// renderValue converts a stored value to its JSON wire form.
func renderValue(f *field, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		if f.typ == typeDate {
			return x.Format(dateLayout)
		}
		return formatDateTime(x)
	case float64:
		return javaDouble(x)
	}
	return v
}

// attributes is the "attributes" member of a record.
func attributes(obj *sobject, id string, v apiVersion) object {
	a := object{{"type", obj.name}}
	if id != "" {
		a = append(a, member{"url", v.dataPath() + "/sobjects/" + obj.name + "/" + id})
	}
	return a
}

// renderRecord renders r with the given fields, attributes first.
func renderRecord(r *record, fields []*field, v apiVersion) object {
	out := object{{"attributes", attributes(r.obj, r.id, v)}}
	for _, f := range fields {
		out = append(out, member{f.name, renderValue(f, r.vals[f.name])})
	}
	return out
}
