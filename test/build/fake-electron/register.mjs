// `node --import ./register.mjs out/main/index.js`: runs the built Electron main bundle under plain Node
// with `electron` resolved to electron.mjs beside this file (Electron cannot run on the test machine).
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
// The main process believes it runs in Electron (native-binding.ts keys its cache on this version).
process.versions.electron = process.env.FAKE_ELECTRON_VERSION ?? '41.7.1';
