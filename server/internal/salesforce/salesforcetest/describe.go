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

// describe is GET /sobjects/{Type}/describe as u sees it: field-level
// security hides fields and makes others read-only. A client finds the
// fields it must set with nillable=false, createable and
// !defaultedOnCreate.
func (o *Org) describe(u *User, obj *sobject, v apiVersion) object {
	out := describeHeader(obj, v)
	fields := make([]object, 0, len(obj.fields))
	for _, f := range o.data.visibleFields(u, obj) {
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
		writable := !f.readOnly && !obj.system && o.data.fieldAccess(u, obj, f) == FieldEditable
		fields = append(fields, object{
			{"name", f.name}, {"label", f.label}, {"type", string(f.typ)}, {"soapType", soapType(f.typ)},
			{"length", length}, {"custom", f.custom}, {"nillable", f.nillable()},
			{"createable", writable}, {"updateable", writable && !f.createOnly},
			{"defaultedOnCreate", f.defaultedOnCreate()}, {"defaultValue", picklistDefault(f)},
			{"externalId", f.extID && f.custom}, {"idLookup", f.name == "Id" || f.extID},
			{"unique", f.unique}, {"caseSensitive", f.caseSensitive}, {"autoNumber", f.autoNumber},
			{"nameField", f.nameField}, {"htmlFormatted", f.html},
			{"referenceTo", refs}, {"relationshipName", rel},
			{"filterable", f.filterable()}, {"sortable", f.sortable()}, {"groupable", f.groupable()},
			{"picklistValues", picklistValues(f)}, {"restrictedPicklist", f.restricted},
		})
	}
	children := []object{}
	for _, c := range obj.children {
		children = append(children, object{{"childSObject", c.object}, {"field", c.field}, {"relationshipName", c.name}})
	}
	return append(out, member{"fields", fields}, member{"childRelationships", children})
}

// picklistValues lists a picklist's values as describe does; other
// fields have none.
func picklistValues(f *field) []object {
	out := []object{}
	for _, v := range f.picklist {
		out = append(out, object{{"active", true}, {"defaultValue", f.def == v}, {"label", v}, {"validFor", nil}, {"value", v}})
	}
	return out
}

// picklistDefault is a picklist's default value; nil for other fields.
func picklistDefault(f *field) any {
	if s, ok := f.def.(string); ok && f.typ == typePicklist {
		return s
	}
	return nil
}

// soapType is the XML type describe reports for a field type.
func soapType(t fieldType) string {
	switch {
	case t.idLike():
		return "tns:ID"
	case t == typeBoolean:
		return "xsd:boolean"
	case t == typeInt:
		return "xsd:int"
	case t == typeDouble || t == typeCurrency:
		return "xsd:double"
	case t == typeDate:
		return "xsd:date"
	case t == typeDateTime:
		return "xsd:dateTime"
	}
	return "xsd:string"
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
