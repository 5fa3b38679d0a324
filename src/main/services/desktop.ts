/**
 * What only the desktop app can do — a native folder picker, revealing a file in the system's file
 * manager — as a port the Electron entry fills in (window/desktop-port.ts). In browser mode it is
 * absent and the calls say so; the renderer offers the folder browser (`files:folders`) instead.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';

export type FolderPurpose = 'dataset' | 'export' | 'workspace';
export type FilePurpose = 'labels-csv';

export interface DesktopPort {
  /** The chosen folder, or null when the dialog was cancelled. */
  pickFolder(purpose: FolderPurpose, defaultPath?: string): Promise<string | null>;
  /** The chosen file, or null when the dialog was cancelled. */
  pickFile(purpose: FilePurpose, defaultPath?: string): Promise<string | null>;
  showInFolder(path: string): void;
}

function desktopOnly(what: string): WorkbenchError {
  return new WorkbenchError('UNAVAILABLE', `${what} exists only in the desktop app; in the browser use the folder browser`);
}

export async function pickFolder(desktop: DesktopPort | undefined, purpose: FolderPurpose, defaultPath?: string): Promise<{ path: string | null }> {
  if (!desktop) throw desktopOnly('the native folder picker');
  return { path: await desktop.pickFolder(purpose, defaultPath) };
}

export async function pickFile(desktop: DesktopPort | undefined, purpose: FilePurpose, defaultPath?: string): Promise<{ path: string | null }> {
  if (!desktop) throw desktopOnly('the native file picker');
  return { path: await desktop.pickFile(purpose, defaultPath) };
}

export function showInFolder(desktop: DesktopPort | undefined, path: string): { ok: true } {
  if (!desktop) throw desktopOnly('"show in folder"');
  const target = resolve(path);
  if (!existsSync(target)) throw new WorkbenchError('NOT_FOUND', `${target} does not exist`);
  desktop.showInFolder(target);
  return { ok: true };
}
