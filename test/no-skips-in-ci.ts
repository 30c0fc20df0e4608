import type { Reporter, TestModule, Vitest } from 'vitest/node';

/**
 * A vitest reporter: under `CI=true` a skipped test fails the run. Suites skip where a tool
 * they need is missing (PyTorch for test/torch-parity.test.ts and the bench's peer, chromium
 * for test/lab.e2e.test.ts); on a developer's machine that is a printed note, in CI it would
 * let the run pass without them. It looks at every test, so it also catches a forgotten
 * `it.skip` or `it.todo`. A run filtered by name (`-t`) skips tests on purpose and is exempt.
 */
export default class NoSkipsInCi implements Reporter {
  private vitest: Vitest | null = null;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (process.env.CI !== 'true' || this.vitest === null || this.vitest.config.testNamePattern !== undefined) return;
    const skipped = testModules.flatMap((module) => [...module.children.allTests('skipped')]);
    if (skipped.length === 0) return;
    const { logger } = this.vitest;
    logger.error(`\n${skipped.length} test(s) skipped under CI=true, where no test may skip (install what they need: see .ci/run):`);
    for (const test of skipped) logger.error(`  ${test.module.relativeModuleId} > ${test.fullName}`);
    process.exitCode = 1;
  }
}
