#!/usr/bin/env node
// Runs the LWC jest suite with its normal output, then prints one plain line,
// "N passed, N failed", that CI reads as the test count (jest's own
// "Tests: N passed, N total" is not a format CI understands). Exits non-zero
// when a test failed, a test file could not run, no test ran, or jest itself
// failed. Extra arguments are passed on to jest.
//
//   node scripts/jest-summary.js [jest args...]
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const PROJECT_ROOT = path.join(__dirname, '..');
const RUNNER = path.join(PROJECT_ROOT, 'node_modules', '@salesforce', 'sfdx-lwc-jest', 'bin', 'sfdx-lwc-jest');

// runJest runs sfdx-lwc-jest with the terminal output left alone and the
// machine-readable results written to a file; it returns the exit status and
// the parsed results, or null when jest wrote none.
function runJest(extraArgs) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossview-lwc-jest-'));
    const resultsFile = path.join(dir, 'results.json');
    try {
        const run = spawnSync(
            process.execPath,
            [RUNNER, '--', '--ci', '--json', `--outputFile=${resultsFile}`, ...extraArgs],
            { cwd: PROJECT_ROOT, stdio: 'inherit' }
        );
        if (run.error) {
            console.error(`jest-summary: starting sfdx-lwc-jest: ${run.error.message}`);
        }
        const results = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : null;
        return { status: run.status === null ? 1 : run.status, results };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

// summarize turns jest's results into the counts for the closing line. A test
// file that failed to load has no test results, so it counts as one failure:
// otherwise a syntax error would read "0 failed".
function summarize(results) {
    if (results === null) {
        return { passed: 0, failed: 1, skipped: 0, ran: 0 };
    }
    const brokenFiles = results.numRuntimeErrorTestSuites || 0;
    return {
        passed: results.numPassedTests,
        failed: results.numFailedTests + brokenFiles,
        skipped: results.numPendingTests + (results.numTodoTests || 0),
        ran: results.numTotalTests
    };
}

function main() {
    const { status, results } = runJest(process.argv.slice(2));
    const counts = summarize(results);
    if (results === null) {
        console.error('jest-summary: jest wrote no results; see its output above');
    } else if (counts.ran === 0) {
        console.error('jest-summary: no test ran');
    }
    let line = `${counts.passed} passed, ${counts.failed} failed`;
    if (counts.skipped > 0) {
        line += `, ${counts.skipped} skipped`;
    }
    console.log(line);
    const ok = status === 0 && counts.failed === 0 && counts.ran > 0 && results.success;
    process.exitCode = ok ? 0 : 1;
}

main();
