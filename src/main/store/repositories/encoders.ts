import type { Db } from '../db';

export interface EncoderRow {
  id: number;
  name: string;
  path: string;
  source_path: string;
  input_height: number;
  input_width: number;
  channels: number;
  layout: 'NCHW' | 'NHWC';
  output_dim: number;
  created_at: string;
}

export class EncodersRepository {
  constructor(private readonly db: Db) {}

  insert(row: Omit<EncoderRow, 'id' | 'created_at'>): number {
    const result = this.db
      .prepare(
        `INSERT INTO encoders (name, path, source_path, input_height, input_width, channels, layout, output_dim)
         VALUES (@name, @path, @source_path, @input_height, @input_width, @channels, @layout, @output_dim)`,
      )
      .run(row);
    return Number(result.lastInsertRowid);
  }

  get(id: number): EncoderRow | undefined {
    return this.db.prepare('SELECT * FROM encoders WHERE id = ?').get(id) as EncoderRow | undefined;
  }

  list(): EncoderRow[] {
    return this.db.prepare('SELECT * FROM encoders ORDER BY id').all() as EncoderRow[];
  }
}
