import { LightningElement, api } from 'lwc';
import { subtitleFor, unavailableReason } from 'c/crossviewCanvasParams';

// How long Refresh stays disabled after a click. Every canvas reload is a new
// signed request, and Salesforce counts those against the org's daily Canvas
// limit, so a rep hammering the button must not burn through it.
const REFRESH_COOLDOWN_MS = 2000;

/**
 * Header of the Crossview ticket panel: says which tickets are listed for
 * the page's object, offers Refresh, and explains when the panel cannot be
 * shown. The crossviewTicketView Aura wrapper renders the panel below it and
 * reloads it on the refresh event.
 */
export default class CrossviewPanelHeader extends LightningElement {
    /** API name of the page's object, e.g. "Account". */
    @api objectApiName;

    /** Id of the page's record; absent in Lightning App Builder. */
    @api recordId;

    coolingDown = false;
    cooldownTimer;

    get subtitle() {
        return subtitleFor(this.objectApiName);
    }

    get notice() {
        return unavailableReason(this.recordId, this.objectApiName);
    }

    // Without a panel there is nothing to refresh.
    get showRefresh() {
        return this.notice === null;
    }

    handleRefresh() {
        if (this.coolingDown) {
            return;
        }
        this.coolingDown = true;
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.cooldownTimer = setTimeout(() => {
            this.coolingDown = false;
        }, REFRESH_COOLDOWN_MS);
        this.dispatchEvent(new CustomEvent('refresh'));
    }

    disconnectedCallback() {
        clearTimeout(this.cooldownTimer);
    }
}
