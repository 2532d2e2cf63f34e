package salesforcetest

// describeHeader is the object summary used by the global describe.
func describeHeader(obj *sobject, v apiVersion) object {
	base := v.dataPath() + "/sobjects/" + obj.name
	return object{
		{"name", obj.name}, {"label", obj.label}, {"labelPlural", obj.labelPlural},
		{"keyPrefix", obj.keyPrefix}, {"custom", false},
		{"createable", !obj.system}, {"updateable", !obj.system}, {"deletable", !obj.system},
		{"queryable", true},
		{"urls", object{{"sobject", base}, {"describe", base + "/describe"}, {"rowTemplate", base + "/{ID}"}}},
	}
}

// describe is GET /sobjects/{Type}/describe: enough for admin pages to
// list fields and their types.
func describe(obj *sobject, v apiVersion) object {
	out := describeHeader(obj, v)
	fields := make([]object, 0, len(obj.fields))
	for _, f := range obj.fields {
		refs := []string{}
		if f.refTo != "" {
			refs = append(refs, f.refTo)
		}
		var rel any
		if f.relName != "" {
			rel = f.relName
		}
		length := 0
		if f.typ.textual() {
			length = f.maxLen()
		} else if f.typ.idLike() {
			length = 18
		}
		fields = append(fields, object{
			{"name", f.name}, {"label", f.label}, {"type", string(f.typ)}, {"length", length},
			{"custom", f.custom}, {"nillable", !f.required && f.typ != typeBoolean && f.name != "Id"},
			{"createable", !f.readOnly && !obj.system}, {"updateable", !f.readOnly && !obj.system},
			{"externalId", f.extID && f.custom}, {"idLookup", f.name == "Id" || f.extID},
			{"referenceTo", refs}, {"relationshipName", rel},
			{"filterable", f.filterable()}, {"sortable", f.sortable()}, {"groupable", f.groupable()},
		})
	}
	children := []object{}
	for _, c := range obj.children {
		children = append(children, object{{"childSObject", c.object}, {"field", c.field}, {"relationshipName", c.name}})
	}
	return append(out, member{"fields", fields}, member{"childRelationships", children})
}

// globalDescribe is GET /sobjects.
func (o *Org) globalDescribe(v apiVersion) object {
	list := []object{}
	for _, name := range o.data.schema.order {
		obj := o.data.schema.object(name)
		if obj.keyPrefix == "" {
			continue
		}
		list = append(list, describeHeader(obj, v))
	}
	return object{{"encoding", "UTF-8"}, {"maxBatchSize", 200}, {"sobjects", list}}
}
