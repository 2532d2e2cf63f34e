import { createElement } from 'lwc';
import CrossviewPanelHeader from 'c/crossviewPanelHeader';

// The documented pause after each Refresh click.
const REFRESH_COOLDOWN_MS = 2000;

const RECORD_ID = '001xx000003DGWiAAO';

function render(props) {
    const el = createElement('c-crossview-panel-header', { is: CrossviewPanelHeader });
    Object.assign(el, props);
    document.body.appendChild(el);
    return el;
}

const card = (el) => el.shadowRoot.querySelector('lightning-card');
const refreshButton = (el) => el.shadowRoot.querySelector('lightning-button-icon');
const text = (el, id) => {
    const node = el.shadowRoot.querySelector(`[data-id="${id}"]`);
    return node ? node.textContent.trim() : null;
};

describe('c-crossview-panel-header', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.useRealTimers();
    });

    it.each([
        ['Account', "Tickets of this account's Zendesk organization and its contacts"],
        ['Contact', "Tickets requested by this person's email"],
        ['Lead', "Tickets requested by this person's email"],
        ['Opportunity', "Tickets of the opportunity's account"],
        ['Case', "Tickets of the case's contact and account (view only)"]
    ])('on a %s page says which tickets are listed and offers Refresh', (objectApiName, subtitle) => {
        const el = render({ objectApiName, recordId: RECORD_ID });

        expect(card(el).title).toBe('Zendesk tickets');
        expect(text(el, 'subtitle')).toBe(subtitle);
        expect(text(el, 'notice')).toBeNull();
        const button = refreshButton(el);
        expect(button).not.toBeNull();
        expect(button.iconName).toBe('utility:refresh');
        expect(button.alternativeText).toBe('Refresh tickets');
        expect(button.disabled).toBe(false);
    });

    it.each(['Task', 'Campaign', 'Zendesk_Ticket__c'])(
        'on a %s page explains where the panel works and offers no Refresh',
        (objectApiName) => {
            const el = render({ objectApiName, recordId: '00Txx000001abcdAAA' });

            expect(card(el).title).toBe('Zendesk tickets');
            expect(text(el, 'notice')).toBe(
                "Crossview's ticket view works on Account, Contact, Lead, Opportunity and Case pages."
            );
            expect(text(el, 'subtitle')).toBeNull();
            expect(refreshButton(el)).toBeNull();
        }
    );

    it('without a saved record (Lightning App Builder) says tickets appear on a record', () => {
        const el = render({ objectApiName: 'Lead' });

        expect(text(el, 'subtitle')).toBe("Tickets requested by this person's email");
        expect(text(el, 'notice')).toBe('Zendesk tickets appear here on a saved record.');
        expect(refreshButton(el)).toBeNull();
    });

    it('follows the page when the object changes', async () => {
        const el = render({ objectApiName: 'Task', recordId: RECORD_ID });
        expect(refreshButton(el)).toBeNull();

        el.objectApiName = 'Account';
        await Promise.resolve();

        expect(text(el, 'notice')).toBeNull();
        expect(text(el, 'subtitle')).toBe(
            "Tickets of this account's Zendesk organization and its contacts"
        );
        expect(refreshButton(el)).not.toBeNull();
    });

    it('fires one refresh event per click on Refresh', () => {
        const el = render({ objectApiName: 'Account', recordId: RECORD_ID });
        const handler = jest.fn();
        el.addEventListener('refresh', handler);

        refreshButton(el).click();

        expect(handler).toHaveBeenCalledTimes(1);
        const event = handler.mock.calls[0][0];
        expect(event.type).toBe('refresh');
        expect(event.detail).toBeNull();
    });

    it('ignores repeated clicks until the cooldown is over, then allows Refresh again', async () => {
        jest.useFakeTimers();
        const el = render({ objectApiName: 'Contact', recordId: RECORD_ID });
        const handler = jest.fn();
        el.addEventListener('refresh', handler);

        refreshButton(el).click();
        await Promise.resolve();
        expect(refreshButton(el).disabled).toBe(true);
        refreshButton(el).click();
        refreshButton(el).click();
        expect(handler).toHaveBeenCalledTimes(1);

        jest.advanceTimersByTime(REFRESH_COOLDOWN_MS - 1);
        await Promise.resolve();
        expect(refreshButton(el).disabled).toBe(true);
        jest.advanceTimersByTime(1);
        await Promise.resolve();
        expect(refreshButton(el).disabled).toBe(false);
        refreshButton(el).click();
        expect(handler).toHaveBeenCalledTimes(2);
    });
});
