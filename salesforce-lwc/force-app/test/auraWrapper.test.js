// The Aura wrapper crossviewTicketView cannot run under sfdx-lwc-jest, but its
// controller and helper are plain object literals. These tests evaluate the
// real files against a small fake component and check that the wrapper
// builds exactly the parameters c/crossviewCanvasParams defines.
import fs from 'fs';
import path from 'path';
import { SUPPORTED_OBJECTS, canvasParameters } from 'c/crossviewCanvasParams';

const BUNDLE = path.join(__dirname, '..', 'main', 'default', 'aura', 'crossviewTicketView');

// Loads an Aura JS resource, "({ ... });", as the object it defines.
function loadAuraResource(file, $A) {
    const source = fs.readFileSync(path.join(BUNDLE, file), 'utf8').trim().replace(/;$/, '');
    return new Function('$A', `return (\n${source}\n);`)($A);
}

// Just enough of an Aura component: attribute values behind cmp.get/cmp.set.
function fakeComponent(attributes) {
    const values = { ...attributes };
    let valid = true;
    return {
        get: (key) => values[key.replace(/^v\./, '')],
        set: (key, value) => {
            values[key.replace(/^v\./, '')] = value;
        },
        isValid: () => valid,
        destroy: () => {
            valid = false;
        }
    };
}

const $A = { getCallback: (fn) => fn };
const helper = loadAuraResource('crossviewTicketViewHelper.js', $A);
const controller = loadAuraResource('crossviewTicketViewController.js', $A);

const ids = ['001xx000003DGWiAAO', '001xx000003DGWi', '001xx000003DGW', 'bad id 0000000', '', undefined, null];
const objects = [...SUPPORTED_OBJECTS, 'Task', 'account', '', undefined];
const nonces = ['n-1', '', undefined];
const cases = ids.flatMap((id) => objects.flatMap((object) => nonces.map((nonce) => [id, object, nonce])));

describe('aura:crossviewTicketView', () => {
    afterEach(() => {
        jest.useRealTimers();
    });

    it('builds the same parameters as c/crossviewCanvasParams for every kind of page', () => {
        const disagreements = cases.filter(
            ([id, object, nonce]) => helper.parametersFor(id, object, nonce) !== canvasParameters(id, object, nonce)
        );
        expect(disagreements).toEqual([]);
        // The table must exercise both outcomes, or agreement proves nothing.
        expect(cases.some(([id, object, nonce]) => canvasParameters(id, object, nonce) !== null)).toBe(true);
        expect(cases.some(([id, object, nonce]) => canvasParameters(id, object, nonce) === null)).toBe(true);
    });

    it.each(SUPPORTED_OBJECTS)('on init shows the canvas for a %s record', (sObjectName) => {
        const cmp = fakeComponent({ recordId: '001xx000003DGWiAAO', sObjectName });

        controller.init(cmp, null, helper);

        const parameters = JSON.parse(cmp.get('v.canvasParameters'));
        expect(parameters.recordId).toBe('001xx000003DGWiAAO');
        expect(parameters.sObjectName).toBe(sObjectName);
        expect(typeof parameters.nonce).toBe('string');
        expect(parameters.nonce.length).toBeGreaterThan(0);
    });

    it('on init shows no canvas on an unsupported object or without a record', () => {
        const task = fakeComponent({ recordId: '00Txx000001abcdAAA', sObjectName: 'Task' });
        const builder = fakeComponent({ recordId: undefined, sObjectName: 'Account' });

        controller.init(task, null, helper);
        controller.init(builder, null, helper);

        expect(task.get('v.canvasParameters')).toBeNull();
        expect(builder.get('v.canvasParameters')).toBeNull();
    });

    it('on refresh removes the canvas, then mounts a new one with a fresh nonce', () => {
        jest.useFakeTimers();
        const cmp = fakeComponent({ recordId: '003xx000004TmiQAAS', sObjectName: 'Contact' });
        controller.init(cmp, null, helper);
        const before = JSON.parse(cmp.get('v.canvasParameters'));

        controller.handleRefresh(cmp, null, helper);
        expect(cmp.get('v.canvasParameters')).toBeNull();

        jest.runAllTimers();
        const after = JSON.parse(cmp.get('v.canvasParameters'));
        expect(after.recordId).toBe('003xx000004TmiQAAS');
        expect(after.sObjectName).toBe('Contact');
        expect(after.nonce).not.toBe(before.nonce);
    });

    it('on refresh follows a new record id (console tab reuse)', () => {
        jest.useFakeTimers();
        const cmp = fakeComponent({ recordId: '003xx000004TmiQAAS', sObjectName: 'Contact' });
        controller.init(cmp, null, helper);

        cmp.set('v.recordId', '0031700000pHcf8AAC');
        controller.handleRefresh(cmp, null, helper);
        jest.runAllTimers();

        expect(JSON.parse(cmp.get('v.canvasParameters')).recordId).toBe('0031700000pHcf8AAC');
    });

    it('does not touch a component destroyed before the reload tick', () => {
        jest.useFakeTimers();
        const cmp = fakeComponent({ recordId: '003xx000004TmiQAAS', sObjectName: 'Contact' });
        controller.init(cmp, null, helper);

        controller.handleRefresh(cmp, null, helper);
        cmp.destroy();
        jest.runAllTimers();

        expect(cmp.get('v.canvasParameters')).toBeNull();
    });
});
