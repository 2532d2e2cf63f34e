// Jest configuration for the LWC unit tests: sfdx-lwc-jest's defaults (LWC
// compiler, lightning-* stubs, jsdom) plus ignoring the local dev server's
// build output, which holds compiled copies of the components.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
    ...jestConfig,
    modulePathIgnorePatterns: ['<rootDir>/.localdevserver']
};
