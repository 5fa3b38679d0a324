#!/usr/bin/env node
// `cwb`: in a development checkout (tsx installed, sources present) runs the TypeScript CLI through tsx,
// no build step needed; otherwise — an installed app, `npm ci --omit=dev`, or CWB_BUILT_CLI=1 — runs the
// built CLI (out/main/cli.js, made by `npm run build`), which needs no tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/main/cli/main.ts', import.meta.url);
const built = new URL('../out/main/cli.js', import.meta.url);

async function devLoader() {
  if (process.env.CWB_BUILT_CLI === '1' || !existsSync(fileURLToPath(source))) return undefined;
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const tsx = await devLoader();
if (tsx) {
  tsx.register();
  await import(source.href);
} else if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  process.stderr.write('cwb: the built CLI (out/main/cli.js) is missing and tsx is not installed; run `npm run build` (or `npm ci` for development)\n');
  process.exitCode = 1;
}
