export * from './api';
export * from './events';
export * from './errors';
export * from './constants';
export * from './validate';
export * from './schemas/common';
export * from './schemas/system';
export * from './schemas/datasets';
export * from './schemas/runs';
export * from './schemas/prototypes';
export * from './schemas/previews';
export * from './schemas/experiment';
export * from './schemas/exports';
export * from './schemas/embeddings';
export * from './schemas/encoders';
export * from './schemas/files';

import type { WorkbenchCalls } from './api';
import type { WorkbenchEvents } from './events';
/** `window.workbench` as the preload exposes it. */
export type WorkbenchApi = WorkbenchCalls & WorkbenchEvents;
