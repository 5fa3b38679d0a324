#!/usr/bin/env node
// `cwb`: runs the TypeScript CLI from the checkout through tsx (no build step needed for the CLI).
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli/main.ts');
