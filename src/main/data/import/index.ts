/** Entry points of the data layer's import: a user's folder, or a standard dataset format's files (IDX, CIFAR-10). */
export {
  importImageFolder,
  type ImportFolderOptions,
  type ImportFolderResult,
} from './folder';
export {
  importIdx,
  importCifar,
  FASHION_MNIST_CLASSES,
  type ArrayImportOptions,
  type ArrayImportResult,
} from './standard-format';
export { DatasetImportError, type DatasetImportErrorCode } from '../errors';
export type {
  ImportedImage,
  SkippedFile,
  ImportStats,
  ImportProgress,
  PreviousFileInfo,
  Split,
} from '../types';
