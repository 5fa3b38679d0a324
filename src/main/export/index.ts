/** Public surface of the export module (docs/export.md). */
export { exportEncoder, HEAD_DIR, type ExportEncoderOptions, type ExportMetadataInput, type ExportResult } from './export-encoder';
export { verifyOnnx, ONNX_TOLERANCE, type OnnxVerification, type VerifyOnnxOptions } from './verify';
export { loadOnnxEncoder, ONNX_FILE, type FrozenOnnxEncoder, type LoadOnnxEncoderOptions, type EmbedOptions } from './import-encoder';
export { loadTfjsModel, saveTfjsModel, fileSystemLoadHandler, fileSystemSaveHandler, MODEL_JSON } from './tfjs';
export { encoderToOnnx, assertOnnxExportable, ONNX_OPSET, ONNX_INPUT_NAME, ONNX_FEATURES_NAME, ONNX_PROJECTION_NAME, type OnnxExportOptions } from './onnx/writer';
export { writeEmbeddings, EMBEDDING_FILES, type EmbeddingSet } from './embeddings';
export { encodeNpyFloat32, decodeNpyFloat32 } from './npy';
export {
  ExportMetadataSchema,
  readMetadata,
  METADATA_FILE,
  type ExportFormat,
  type ExportMetadata,
  type Normalization,
  type TrainingMetadata,
} from './metadata';
export { checkOutputDir, writeDirAtomic } from '../files/atomic-dir';
