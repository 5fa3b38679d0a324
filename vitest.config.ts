import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// CI asks for a machine-readable report beside the console one (.ci/run sums them).
const reportDir = process.env['CWB_TEST_REPORT_DIR'];

export default defineConfig({
  plugins: [vue()],
  test: {
    reporters: reportDir ? ['default', 'json'] : ['default'],
    outputFile: reportDir ? { json: `${reportDir}/unit.json` } : {},
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // Builds the WebAssembly SIMD kernels (out/wasm-kernels/) where clang is installed.
    globalSetup: ['test/helpers/build-wasm-kernels.ts'],
    // tfjs-wasm and sharp are heavy: one fork per file, run files two at a time (2 cores).
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
