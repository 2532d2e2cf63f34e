import {
    SUPPORTED_OBJECTS,
    isSupported,
    isRecordId,
    subtitleFor,
    unavailableReason,
    canvasParameters
} from 'c/crossviewCanvasParams';

const UNSUPPORTED =
    "Crossview's ticket view works on Account, Contact, Lead, Opportunity and Case pages.";
const NO_RECORD = 'Zendesk tickets appear here on a saved record.';

describe('c/crossviewCanvasParams', () => {
    it('supports exactly the five record pages Crossview can match tickets for', () => {
        expect([...SUPPORTED_OBJECTS]).toEqual([
            'Account',
            'Contact',
            'Lead',
            'Opportunity',
            'Case'
        ]);
        expect(() => SUPPORTED_OBJECTS.push('Task')).toThrow();
    });

    it.each([
        ['Account', true],
        ['Contact', true],
        ['Lead', true],
        ['Opportunity', true],
        ['Case', true],
        ['account', false],
        ['Task', false],
        ['Zendesk_Ticket__c', false],
        ['', false],
        [undefined, false],
        [null, false]
    ])('isSupported(%p) is %p', (objectApiName, want) => {
        expect(isSupported(objectApiName)).toBe(want);
    });

    it.each([
        ['001xx000003DGWi', true],
        ['001xx000003DGWiAAO', true],
        ['003xx000004TmiQAAS', true],
        ['001xx000003DGW', false],
        ['001xx000003DGWiA', false],
        ['001xx000003DGWiAAOX', false],
        ['001xx000003DGW-AAO', false],
        ["001xx000003DGW'AAO", false],
        ['001xx000003DGWiAAO ', false],
        ['', false],
        [undefined, false],
        [null, false],
        [1234567890123456, false]
    ])('isRecordId(%p) is %p', (value, want) => {
        expect(isRecordId(value)).toBe(want);
    });

    it.each([
        ['Account', "Tickets of this account's Zendesk organization and its contacts"],
        ['Contact', "Tickets requested by this person's email"],
        ['Lead', "Tickets requested by this person's email"],
        ['Opportunity', "Tickets of the opportunity's account"],
        ['Case', "Tickets of the case's contact and account (view only)"],
        ['Task', ''],
        [undefined, '']
    ])('subtitleFor(%p) explains what is matched', (objectApiName, want) => {
        expect(subtitleFor(objectApiName)).toBe(want);
    });

    it.each([
        ['001xx000003DGWiAAO', 'Account', null],
        ['500xx000001abcd', 'Case', null],
        ['00Txx000001abcdAAA', 'Task', UNSUPPORTED],
        [undefined, 'Task', UNSUPPORTED],
        [undefined, 'Account', NO_RECORD],
        ['not-an-id', 'Lead', NO_RECORD]
    ])('unavailableReason(%p, %p) is %p', (recordId, objectApiName, want) => {
        expect(unavailableReason(recordId, objectApiName)).toBe(want);
    });

    it('builds the JSON Crossview reads from context.environment.parameters', () => {
        const json = canvasParameters('003xx000004TmiQAAS', 'Contact', 'n-1');
        expect(json).toBe(
            '{"recordId":"003xx000004TmiQAAS","sObjectName":"Contact","nonce":"n-1"}'
        );
    });

    it('keeps a 15-character id as it is', () => {
        expect(JSON.parse(canvasParameters('006xx000001a2b3', 'Opportunity', 'x'))).toEqual({
            recordId: '006xx000001a2b3',
            sObjectName: 'Opportunity',
            nonce: 'x'
        });
    });

    it('gives different parameters for different nonces, so the canvas reloads', () => {
        expect(canvasParameters('001xx000003DGWiAAO', 'Account', 'a')).not.toBe(
            canvasParameters('001xx000003DGWiAAO', 'Account', 'b')
        );
    });

    it.each([
        ['a garbage id', 'javascript:alert(1)', 'Account', 'n'],
        ['a missing id', undefined, 'Account', 'n'],
        ['an unsupported object', '00Txx000001abcdAAA', 'Task', 'n'],
        ['a missing object', '001xx000003DGWiAAO', undefined, 'n'],
        ['a missing nonce', '001xx000003DGWiAAO', 'Account', undefined],
        ['an empty nonce', '001xx000003DGWiAAO', 'Account', '']
    ])('returns null (no canvas) on %s', (_, recordId, objectApiName, nonce) => {
        expect(canvasParameters(recordId, objectApiName, nonce)).toBeNull();
    });
});
