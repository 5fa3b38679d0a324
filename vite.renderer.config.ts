/**
 * The renderer bundle, shared by electron-vite (desktop) and `npm run build:renderer` (browser mode,
 * served by `cwb serve`). One bundle, two transports picked at run time.
 */
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [vue()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
};

export default defineConfig(rendererConfig);
