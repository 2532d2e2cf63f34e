/**
 * Rules for the Crossview ticket panel on record pages: which objects it
 * supports, what it matches for each, and the Canvas parameters Crossview
 * expects. The Aura wrapper crossviewTicketView mirrors canvasParameters()
 * because Aura cannot import LWC modules; force-app/test/auraWrapper.test.js
 * fails when the two disagree.
 */

/** API names of the objects whose record pages can show the panel. */
export const SUPPORTED_OBJECTS = Object.freeze([
    'Account',
    'Contact',
    'Lead',
    'Opportunity',
    'Case'
]);

/** Shown instead of the panel on any other object's page. */
export const UNSUPPORTED_MESSAGE =
    "Crossview's ticket view works on Account, Contact, Lead, Opportunity and Case pages.";

/** Shown where the page has no saved record, e.g. Lightning App Builder. */
export const NO_RECORD_MESSAGE =
    'Zendesk tickets appear here on a saved record.';

const SUBTITLES = Object.freeze({
    Account: "Tickets of this account's Zendesk organization and its contacts",
    Contact: "Tickets requested by this person's email",
    Lead: "Tickets requested by this person's email",
    Opportunity: "Tickets of the opportunity's account",
    Case: "Tickets of the case's contact and account (view only)"
});

// Salesforce ids are 15 case-sensitive alphanumerics, or 18 with a
// case-insensitive checksum suffix; anything else would make Crossview fail
// the lookup, so the wrapper shows nothing rather than a broken canvas.
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * Reports whether the ticket panel works on pages of this object.
 * @param {string} objectApiName e.g. "Account"
 * @returns {boolean}
 */
export function isSupported(objectApiName) {
    return SUPPORTED_OBJECTS.includes(objectApiName);
}

/**
 * Reports whether value has the shape of a Salesforce record id.
 * @param {*} value
 * @returns {boolean}
 */
export function isRecordId(value) {
    return typeof value === 'string' && RECORD_ID.test(value);
}

/**
 * Explains which tickets the panel lists for this object.
 * @param {string} objectApiName
 * @returns {string} the explanation, or '' for an unsupported object
 */
export function subtitleFor(objectApiName) {
    return isSupported(objectApiName) ? SUBTITLES[objectApiName] : '';
}

/**
 * Says why the panel cannot be shown on this page.
 * @param {string} recordId
 * @param {string} objectApiName
 * @returns {string|null} a message for the rep, or null when it can be shown
 */
export function unavailableReason(recordId, objectApiName) {
    if (!isSupported(objectApiName)) {
        return UNSUPPORTED_MESSAGE;
    }
    if (!isRecordId(recordId)) {
        return NO_RECORD_MESSAGE;
    }
    return null;
}

/**
 * Builds the force:canvasApp parameters Crossview reads from the signed
 * request's context.environment.parameters.
 * @param {string} recordId the page's record id (15 or 18 characters)
 * @param {string} objectApiName the page's object, one of SUPPORTED_OBJECTS
 * @param {string} nonce changes on every load so the canvas re-posts
 * @returns {string|null} the JSON string, or null when the panel cannot be shown
 */
export function canvasParameters(recordId, objectApiName, nonce) {
    if (unavailableReason(recordId, objectApiName) !== null) {
        return null;
    }
    if (typeof nonce !== 'string' || nonce === '') {
        return null;
    }
    return JSON.stringify({ recordId, sObjectName: objectApiName, nonce });
}
