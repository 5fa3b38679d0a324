import { z } from 'zod';

/** Database row ids are positive integers (the CLI prints and accepts them). */
export const IdSchema = z.number().int().positive();
export const EmptyRequestSchema = z.object({}).strict();
/** ISO-8601 timestamps as stored in SQLite. */
export const TimestampSchema = z.string();
