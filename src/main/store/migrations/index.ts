import * as m001 from './001-initial';
import * as m002 from './002-cache-and-thumbnails';
import * as m003 from './003-run-owner';
import * as m004 from './004-projections';
import * as m005 from './005-encoders';
import * as m006 from './006-run-records';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration in order; versions are 1..N without gaps (checked by a test). */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006];
export const LATEST_VERSION = MIGRATIONS.length;
