/** Entry points of the data layer's import: a user's folder, or a standard benchmark's files. */
export {
  importImageFolder,
  type ImportFolderOptions,
  type ImportFolderResult,
} from './import-folder';
export {
  importIdx,
  importCifar,
  FASHION_MNIST_CLASSES,
  type ArrayImportOptions,
  type ArrayImportResult,
} from './import-benchmark';
export { DatasetImportError, type DatasetImportErrorCode } from './errors';
export type {
  ImportedImage,
  SkippedFile,
  ImportStats,
  ImportProgress,
  PreviousFileInfo,
  Split,
} from './types';
