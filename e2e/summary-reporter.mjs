// Prints one closing line, "e2e: N passed, N failed, N skipped", that CI logs can read.
export default class SummaryReporter {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
  }

  printsToStdio() {
    return true;
  }

  onTestEnd(test, result) {
    // Count each test once, by its final outcome (retries, if any, end in one result).
    if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
    if (result.status === 'passed') this.passed += 1;
    else if (result.status === 'skipped') this.skipped += 1;
    else this.failed += 1;
  }

  onEnd(result) {
    // A run that failed before or around the tests (server did not start, a hook failed)
    // is a failure even when no test itself failed.
    const failed = this.failed || (result.status === 'passed' ? 0 : 1);
    console.log(`e2e: ${this.passed} passed, ${failed} failed, ${this.skipped} skipped`);
  }
}
