import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable report beside the console one (.ci/run sums them).
const reportDir = process.env['CWB_TEST_REPORT_DIR'];

export default defineConfig({
  test: {
    reporters: reportDir ? ['default', 'json'] : ['default'],
    outputFile: reportDir ? { json: `${reportDir}/e2e.json` } : {},
    include: ['test/e2e/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
