// Prints the plain closing line "N passed, N failed" from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

if (!existsSync(process.argv[2])) process.exit(0); // the tests never started (typecheck or lint failed)
const r = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
console.log(
  `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
