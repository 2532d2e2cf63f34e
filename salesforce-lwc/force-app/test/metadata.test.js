// Checks the deployable metadata without an org: every XML and Aura markup
// file is well-formed, and the files that refer to each other agree (a
// mismatch deploys fine but leaves reps with an empty or blocked panel).
import fs from 'fs';
import path from 'path';
import { createElement } from 'lwc';
import CrossviewPanelHeader from 'c/crossviewPanelHeader';
import { SUPPORTED_OBJECTS } from 'c/crossviewCanvasParams';

const ROOT = path.join(__dirname, '..', 'main', 'default');
const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';
const API_VERSION = '66.0';
const MARKUP = /\.(cmp|app|design|evt|intf)$/;

function filesUnder(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === '__tests__' ? [] : filesUnder(full);
        }
        return [full];
    });
}

// Aura markup uses namespace prefixes (aura:, c:, force:) it never declares;
// declare them on a wrapper so a namespace-aware parser checks the rest.
function parseSource(source, isMarkup) {
    let text = source;
    if (isMarkup) {
        const prefixes = [...new Set([...text.matchAll(/<\/?([A-Za-z]\w*):/g)].map((m) => m[1]))];
        const declarations = prefixes.map((p) => `xmlns:${p}="urn:aura:${p}"`).join(' ');
        text = `<markup ${declarations}>${text}</markup>`;
    }
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    return { doc, error: error ? error.textContent : null };
}

const parse = (file) => parseSource(fs.readFileSync(file, 'utf8'), MARKUP.test(file));

function xml(relative) {
    const { doc, error } = parse(path.join(ROOT, relative));
    if (error) {
        throw new Error(`${relative}: ${error}`);
    }
    return doc;
}

const values = (doc, tag) => [...doc.getElementsByTagName(tag)].map((n) => n.textContent.trim());
const value = (doc, tag) => values(doc, tag)[0];

const files = filesUnder(ROOT);
const xmlFiles = files.filter((f) => f.endsWith('.xml') || MARKUP.test(f));

describe('Salesforce metadata', () => {
    it.each([
        ['<aura:component><div></aura:component>', true],
        ['<X xmlns="urn:x"><a>1</b></X>', false],
        ['<a href="x & y"/>', false]
    ])('the well-formedness check rejects %s', (source, isMarkup) => {
        expect(parseSource(source, isMarkup).error).not.toBeNull();
    });

    it.each(xmlFiles.map((f) => [path.relative(ROOT, f)]))('%s is well-formed', (relative) => {
        expect(parse(path.join(ROOT, relative)).error).toBeNull();
    });

    it.each(files.filter((f) => f.endsWith('-meta.xml')).map((f) => [path.relative(ROOT, f)]))(
        '%s is Metadata API XML, at API 66.0 where versioned',
        (relative) => {
            const doc = xml(relative);
            expect(doc.documentElement.namespaceURI).toBe(METADATA_NS);
            const version = value(doc, 'apiVersion');
            if (version !== undefined) {
                expect(version).toBe(API_VERSION);
            }
        }
    );

    describe('the Canvas app, the trusted site and the Aura wrapper agree', () => {
        const app = xml('connectedApps/Crossview_Ticket_View.connectedApp-meta.xml');
        const csp = xml('cspTrustedSites/Crossview.cspTrustedSite-meta.xml');
        const cmp = xml('aura/crossviewTicketView/crossviewTicketView.cmp');
        const design = xml('aura/crossviewTicketView/crossviewTicketView.design');
        const canvasUrl = new URL(value(app, 'canvasUrl'));

        it('posts a signed request to Crossview’s canvas endpoint over HTTPS', () => {
            expect(canvasUrl.protocol).toBe('https:');
            expect(canvasUrl.pathname).toBe('/salesforce/canvas');
            expect(value(app, 'accessMethod')).toBe('Post');
            expect(values(app, 'locations')).toContain('Aura');
        });

        it('uses only scopes the Metadata API accepts, and pre-authorizes via the permission set', () => {
            expect(values(app, 'scopes').sort()).toEqual(['Api', 'RefreshToken']);
            expect(value(app, 'isAdminApproved')).toBe('true');
            const permissionSet = value(app, 'permissionSetName');
            expect(files).toContain(path.join(ROOT, 'permissionsets', `${permissionSet}.permissionset-meta.xml`));
            expect(new URL(value(app, 'callbackUrl')).origin).toBe(canvasUrl.origin);
        });

        it('lets Lightning frame the Crossview host', () => {
            expect(value(csp, 'endpointUrl')).toBe(canvasUrl.origin);
            expect(value(csp, 'isActive')).toBe('true');
            expect(value(csp, 'isApplicableToFrameSrc')).toBe('true');
            expect(value(csp, 'context')).toBe('All');
        });

        it('embeds this connected app, fed by the parameters, only when there are parameters', () => {
            const canvas = cmp.getElementsByTagName('force:canvasApp')[0];
            expect(canvas.getAttribute('developerName')).toBe('Crossview_Ticket_View');
            expect(canvas.getAttribute('parameters')).toBe('{!v.canvasParameters}');
            expect(canvas.parentNode.nodeName).toBe('aura:if');
            expect(canvas.parentNode.getAttribute('isTrue')).toBe('{!v.canvasParameters}');
        });

        it('passes the header only properties it has, and listens to the event it fires', () => {
            const header = cmp.getElementsByTagName('c:crossviewPanelHeader')[0];
            const el = createElement('c-crossview-panel-header', { is: CrossviewPanelHeader });
            const source = fs.readFileSync(
                path.join(ROOT, 'lwc', 'crossviewPanelHeader', 'crossviewPanelHeader.js'),
                'utf8'
            );
            for (const { name } of header.attributes) {
                if (name.startsWith('on')) {
                    expect(source).toContain(`new CustomEvent('${name.slice(2)}'`);
                } else {
                    expect(name in el).toBe(true);
                }
            }
            expect(header.getAttribute('onrefresh')).toBe('{!c.handleRefresh}');
        });

        it('offers the component in App Builder on exactly the supported objects', () => {
            expect(values(design, 'sfdc:object')).toEqual([...SUPPORTED_OBJECTS]);
            const declared = [...cmp.getElementsByTagName('aura:attribute')].map((a) => a.getAttribute('name'));
            for (const attribute of design.getElementsByTagName('design:attribute')) {
                expect(declared).toContain(attribute.getAttribute('name'));
            }
            const height = [...cmp.getElementsByTagName('aura:attribute')].find(
                (a) => a.getAttribute('name') === 'height'
            );
            expect(height.getAttribute('default')).toBe('480');
        });
    });

    it('keeps the header and the rules module off App Builder: the Aura wrapper is the placeable part', () => {
        for (const bundle of ['crossviewPanelHeader', 'crossviewCanvasParams']) {
            expect(value(xml(`lwc/${bundle}/${bundle}.js-meta.xml`), 'isExposed')).toBe('false');
        }
    });

    it('names the permission set "Crossview Ticket View" and grants API access only', () => {
        const set = xml('permissionsets/Crossview_Ticket_View.permissionset-meta.xml');
        expect(value(set, 'label')).toBe('Crossview Ticket View');
        expect(values(set, 'name')).toEqual(['ApiEnabled']);
        expect(set.getElementsByTagName('objectPermissions')).toHaveLength(0);
    });
});
