/**
 * The old name of the e2e set-up: everything now lives in ./app (one helper for every file). Kept so
 * files written against it keep working; new files import from './app'.
 */
export { ARTIFACTS, at, executable, useWorkbench } from './app';
export type { App as Workbench } from './app';
