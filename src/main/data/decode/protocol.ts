import type { ProbeResult } from './probe';

/** Requests the main thread sends to a decode worker. Only plain data crosses the boundary. */
export type DecodeRequest =
  | { id: number; kind: 'probe'; path: string; maxPixels: number }
  | {
      id: number;
      kind: 'decode';
      path: string;
      size: number;
      channels: 1 | 3;
      maxPixels: number;
      /** When set, the file must still hash to this (it may have changed since it was probed). */
      expectHash?: string;
    }
  | {
      id: number;
      kind: 'thumbnail';
      path: string;
      maxSide: number;
      format: 'webp' | 'jpeg';
      quality: number;
      maxPixels: number;
    };

export type DecodeReply =
  | { id: number; ok: true; kind: 'probe'; probe: ProbeResult }
  | { id: number; ok: true; kind: 'decode'; hash: string; pixels: Uint8Array }
  | { id: number; ok: true; kind: 'thumbnail'; data: Uint8Array }
  /** `rejected`: the file is bad (reason for the user). `failed`: an internal error. */
  | { id: number; ok: false; rejected: boolean; message: string };

/** Files larger than this are not read into memory at all. */
export const MAX_FILE_BYTES = 1 << 30;
