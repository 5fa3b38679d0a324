import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        // Workers are their own entries, emitted beside index.js where client.ts and pool.ts look for them.
        // The engine worker is its own entry: it runs in a worker_thread beside the main process.
        // Chunks stay beside the entries so `new URL('./worker.js', import.meta.url)` finds them.
        output: { chunkFileNames: '[name]-[hash].js' },
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          worker: resolve(import.meta.dirname, 'src/main/engine/worker.ts'),
          'decode-worker': resolve(import.meta.dirname, 'src/main/data/decode/worker.ts'),
          // The `cwb` CLI, built so an installed app needs no tsx (bin/cwb.mjs runs it when tsx is absent).
          cli: resolve(import.meta.dirname, 'src/main/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      // Sandboxed preloads must be CommonJS.
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: rendererConfig,
});
