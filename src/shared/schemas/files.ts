/**
 * Folders and desktop conveniences: the folder browser (both fronts), the native folder picker and
 * "show in folder" (desktop only), and the application menu's commands to the renderer.
 */
import { z } from 'zod';

export const ListFoldersRequestSchema = z.object({
  /** Absolute folder to list; the browse root (the user's home) when absent. */
  path: z.string().min(1).optional(),
  /** Also list the files of this kind (`csv`: .csv, .tsv, .txt), for choosing a file rather than a folder. */
  files: z.enum(['csv']).optional(),
});

export const FolderEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  /** Image files directly inside (by extension; a hint, not an import). */
  images: z.number().int().nonnegative(),
  /** Sub-folders directly inside (hidden ones not counted). */
  folders: z.number().int().nonnegative(),
});

export const FolderListingSchema = z.object({
  path: z.string(),
  /** The folder above, or null at the browse root. */
  parent: z.string().nullable(),
  /** The browse root: nothing above it can be listed. */
  root: z.string(),
  folders: z.array(FolderEntrySchema),
  /** Image files directly in `path`. */
  images: z.number().int().nonnegative(),
  /** True when more folders exist than were listed. */
  truncated: z.boolean(),
  /** Files of the kind asked for (`files` in the request), alphabetically; absent when not asked. */
  files: z.array(z.object({ name: z.string(), path: z.string() })).optional(),
});
export type FolderListing = z.infer<typeof FolderListingSchema>;

export const FOLDER_PURPOSES = ['dataset', 'export', 'workspace'] as const;
export const PickFolderRequestSchema = z.object({
  purpose: z.enum(FOLDER_PURPOSES),
  /** Where the dialog opens. */
  defaultPath: z.string().min(1).optional(),
});
export const PickFolderReplySchema = z.object({ path: z.string().nullable() });

/** The native file picker (desktop only): what the file is for sets the dialog's title and filters. */
export const FILE_PURPOSES = ['labels-csv'] as const;
export const PickFileRequestSchema = z.object({
  purpose: z.enum(FILE_PURPOSES),
  /** Where the dialog opens (a folder, or a file in it). */
  defaultPath: z.string().min(1).optional(),
});
export const PickFileReplySchema = z.object({ path: z.string().nullable() });

export const ShowInFolderRequestSchema = z.object({ path: z.string().min(1) });

export const MENU_VIEWS = ['datasets', 'augment', 'experiments', 'runs', 'embeddings', 'prototypes', 'export'] as const;
/** A command from the desktop app's menu to the renderer. */
export const MenuCommandSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('navigate'), view: z.enum(MENU_VIEWS) }),
  /** "Import folder…": the folder the native picker returned, to fill the import form. */
  z.object({ command: z.literal('import-folder'), path: z.string() }),
]);
export type MenuCommand = z.infer<typeof MenuCommandSchema>;
