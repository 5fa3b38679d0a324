import { z } from 'zod';

export const BackendNameSchema = z.enum(['tensorflow', 'webgpu', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendNameSchema>;

export const BackendCandidateSchema = z.object({
  name: BackendNameSchema,
  available: z.boolean(),
  reason: z.string(),
  device: z.string().optional(),
});

/** `cwb doctor --json` and the `system:doctor` call. */
export const DoctorReportSchema = z.object({
  backend: BackendNameSchema,
  candidates: z.array(BackendCandidateSchema),
  /** Compute threads of the active backend (wasm: XNNPACK's pool; 1 otherwise). */
  threads: z.number().int().positive(),
  /** wasm only: threads asked for (CWB_WASM_THREADS / --wasm-threads), started, and why they differ. */
  wasmThreads: z.object({ requested: z.number().int().positive(), active: z.number().int().positive(), note: z.string() }).optional(),
  /** wasm only: the Conv2DBackpropFilter kernel in use — `simd` (the workbench's WebAssembly SIMD module) or `xnnpack` (the fallback) — and why. */
  wasmFilterKernel: z.object({ kernel: z.enum(['simd', 'xnnpack']), reason: z.string() }).optional(),
  /** wasm only: the Conv2DBackpropInput kernel in use, likewise (`CWB_WASM_INPUT_KERNEL`). */
  wasmInputKernel: z.object({ kernel: z.enum(['simd', 'xnnpack']), reason: z.string() }).optional(),
  /** wasm only: the kernel of 3×3 stride-1 convolutions — `winograd` (F(2×2, 3×3), the workbench's module) or `xnnpack` — and why (`CWB_WASM_CONV_KERNEL`). */
  wasmConvKernel: z.object({ kernel: z.enum(['winograd', 'xnnpack']), reason: z.string() }).optional(),
  versions: z.record(z.string(), z.string()),
  home: z.string(),
  database: z.object({
    path: z.string(),
    schemaVersion: z.number().int(),
    /** `PRAGMA integrity_check`: 'ok', or the problems it found (a damaged store is refused at open). */
    integrity: z.string().optional(),
  }),
  /** The workspace's rotating log file (desktop start-up, failures). */
  logFile: z.string(),
  /** The PyTorch engine: the Python found (CWB_PYTHON, else python3 on PATH), torch, devices, and why it is or is not usable. */
  pytorch: z
    .object({
      python: z.string(),
      source: z.enum(['CWB_PYTHON', 'PATH']),
      usable: z.boolean(),
      reason: z.string(),
      pythonVersion: z.string().nullable(),
      torchVersion: z.string().nullable(),
      cuda: z.object({ available: z.boolean(), devices: z.array(z.string()) }),
      mps: z.boolean(),
      cpuThreads: z.number().int().nullable(),
    })
    .optional(),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  home: z.string(),
  /** 'electron' when a native folder picker exists, 'browser' otherwise. */
  front: z.enum(['electron', 'browser']),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;
