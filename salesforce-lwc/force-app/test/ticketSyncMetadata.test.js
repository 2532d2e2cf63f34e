// Checks the ticket-sync metadata without an org: the Case fields Crossview
// writes have the types, lengths and external-id settings its Go code
// expects (a wrong one deploys fine and then fails every sync), and the
// permission set grants every one of them.
import fs from 'fs';
import path from 'path';

const ROOT = path.join(__dirname, '..', 'main', 'default');
const FIELDS_DIR = path.join(ROOT, 'objects', 'Case', 'fields');
const PERMISSION_SET = path.join(ROOT, 'permissionsets', 'Crossview_Ticket_Sync.permissionset-meta.xml');

// What server/internal/salesforce writes (casesync_fields.go); keep them in step.
const EXPECTED = {
    Zendesk_Ticket_Key__c: { type: 'Text', length: 80, externalId: true, unique: true, caseSensitive: false },
    Zendesk_Ticket_URL__c: { type: 'Url' },
    Zendesk_Last_Comment_Id__c: { type: 'Text', length: 32 },
    Zendesk_Requester_Name__c: { type: 'Text', length: 255 },
    Zendesk_Requester_Email__c: { type: 'Email' },
    Zendesk_Organization_Name__c: { type: 'Text', length: 255 },
    Zendesk_Assignee_Name__c: { type: 'Text', length: 255 },
    Zendesk_Group_Name__c: { type: 'Text', length: 255 },
    Zendesk_Brand_Name__c: { type: 'Text', length: 255 },
    Zendesk_Form_Name__c: { type: 'Text', length: 255 },
    Zendesk_Tags__c: { type: 'Text', length: 255 },
    Zendesk_Created_At__c: { type: 'DateTime' },
    Zendesk_Updated_At__c: { type: 'DateTime' },
    Zendesk_Solved_At__c: { type: 'DateTime' },
    Zendesk_Status__c: { type: 'Text', length: 20 }
};

function parse(file) {
    const doc = new DOMParser().parseFromString(fs.readFileSync(file, 'utf8'), 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    if (error) {
        throw new Error(`${file}: ${error.textContent}`);
    }
    return doc;
}

// childText reads a direct child element's text, so <field> inside
// <fieldPermissions> is not confused with another element's.
function childText(node, tag) {
    const child = [...node.children].find((c) => c.localName === tag);
    return child ? child.textContent.trim() : undefined;
}

function describeField(file) {
    const root = parse(file).documentElement;
    const text = (tag) => childText(root, tag);
    return {
        root: root.localName,
        fullName: text('fullName'),
        type: text('type'),
        length: text('length') === undefined ? undefined : Number(text('length')),
        externalId: text('externalId') === 'true',
        unique: text('unique') === 'true',
        caseSensitive: text('caseSensitive'),
        required: text('required'),
        label: text('label'),
        description: text('description')
    };
}

const fieldFiles = fs.readdirSync(FIELDS_DIR).filter((f) => f.endsWith('.field-meta.xml'));
const fields = Object.fromEntries(
    fieldFiles.map((f) => [f.replace('.field-meta.xml', ''), describeField(path.join(FIELDS_DIR, f))])
);

describe('ticket-sync Case fields', () => {
    it('ships exactly the fields Crossview writes', () => {
        expect(Object.keys(fields).sort()).toEqual(Object.keys(EXPECTED).sort());
    });

    it.each(Object.entries(EXPECTED))('%s has the type, length and key settings Crossview expects', (name, want) => {
        const got = fields[name];
        expect(got.root).toBe('CustomField');
        expect(got.fullName).toBe(name);
        expect(got.type).toBe(want.type);
        expect(got.length).toBe(want.length);
        expect(got.externalId).toBe(Boolean(want.externalId));
        expect(got.unique).toBe(Boolean(want.unique));
        if (want.unique) {
            // Unique text keys collide regardless of case ("ACME:1" = "acme:1").
            expect(got.caseSensitive).toBe(String(want.caseSensitive));
        }
        expect(got.required).toBe('false');
    });

    it.each(Object.keys(EXPECTED))('%s fits Salesforce’s naming limits and says what it is for', (name) => {
        const got = fields[name];
        expect(name.replace(/__c$/, '').length).toBeLessThanOrEqual(40);
        expect(name).toMatch(/^[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9]__c$/);
        expect(name).not.toMatch(/__.*__c$/);
        expect(got.label.length).toBeGreaterThan(0);
        expect(got.label.length).toBeLessThanOrEqual(40);
        expect(got.description).toMatch(/^Crossview ticket sync: /);
        expect(got.description.length).toBeLessThanOrEqual(1000);
    });

    it('gives a length to text fields only, within Salesforce’s 255-character text limit', () => {
        for (const got of Object.values(fields)) {
            if (got.type === 'Text') {
                expect(got.length).toBeGreaterThan(0);
                expect(got.length).toBeLessThanOrEqual(255);
            } else {
                expect(got.length).toBeUndefined();
            }
        }
    });
});

describe('the Crossview_Ticket_Sync permission set', () => {
    const set = parse(PERMISSION_SET).documentElement;
    const fieldPermissions = [...set.children]
        .filter((c) => c.localName === 'fieldPermissions')
        .map((p) => ({
            field: childText(p, 'field'),
            readable: childText(p, 'readable'),
            editable: childText(p, 'editable')
        }));
    const objectPermissions = Object.fromEntries(
        [...set.children]
            .filter((c) => c.localName === 'objectPermissions')
            .map((p) => [
                childText(p, 'object'),
                Object.fromEntries([...p.children].filter((c) => c.localName !== 'object').map((c) => [c.localName, c.textContent.trim()]))
            ])
    );

    it('is labelled "Crossview Ticket Sync" and needs no activation', () => {
        expect(childText(set, 'label')).toBe('Crossview Ticket Sync');
        expect(childText(set, 'hasActivationRequired')).toBe('false');
    });

    it('lets its user read and edit every ticket-sync field, and names no other field', () => {
        expect(fieldPermissions.map((p) => p.field).sort()).toEqual(Object.keys(fields).map((f) => `Case.${f}`).sort());
        for (const p of fieldPermissions) {
            expect([p.field, p.readable, p.editable]).toEqual([p.field, 'true', 'true']);
        }
    });

    it('lets its user create and edit Cases, and find and create Contacts, Leads and Accounts, deleting nothing', () => {
        // Case Comments have no object permissions of their own: they follow
        // the parent Case, so edit on Case is what lets Crossview add them.
        expect(Object.keys(objectPermissions).sort()).toEqual(['Account', 'Case', 'Contact', 'Lead']);
        for (const [object, p] of Object.entries(objectPermissions)) {
            expect([object, p.allowRead, p.allowCreate]).toEqual([object, 'true', 'true']);
            expect([object, p.allowDelete, p.modifyAllRecords, p.viewAllRecords]).toEqual([object, 'false', 'false', 'false']);
        }
        expect(objectPermissions.Case.allowEdit).toBe('true');
    });

    it('keeps its elements in the order Salesforce retrieves them (fields, then objects, alphabetically)', () => {
        const fieldNames = fieldPermissions.map((p) => p.field);
        expect(fieldNames).toEqual([...fieldNames].sort());
        const objects = Object.keys(objectPermissions);
        expect(objects).toEqual([...objects].sort());
    });
});
