/**
 * Reader for a labels CSV with two columns, path and label (RFC 4180 through `csv-parse`: quoted
 * fields may hold the delimiter, doubled quotes and newlines; optional header; optional UTF-8 BOM;
 * LF or CRLF). The delimiter is `,`, `;` or a tab, whichever the first line uses. Bad rows are
 * reported with their line number, never thrown.
 */
import { parse, type CsvError } from 'csv-parse/sync';

export interface LabelRow {
  line: number;
  path: string;
  label: string;
}

export interface CsvProblem {
  line: number;
  reason: string;
}

export interface LabelsCsv {
  rows: LabelRow[];
  problems: CsvProblem[];
}

/** Longest label kept; a longer one is a row problem (labels name classes in tables and charts). */
export const MAX_LABEL_LENGTH = 200;

const HEADER_PATH = new Set(['path', 'file', 'filename', 'image']);
const HEADER_LABEL = new Set(['label', 'class', 'category']);
const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter the first non-empty line uses outside quotes (`,` when it uses none). */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of first) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: ',' | ';' | '\t' = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Line numbers of byte offsets, for offsets that only move forward. */
function lineCounter(bytes: Buffer): { startLineFrom: (offset: number) => number } {
  let cursor = 0;
  let line = 1;
  const advance = (to: number): void => {
    for (; cursor < to && cursor < bytes.length; cursor++) if (bytes[cursor] === 0x0a) line++;
  };
  return {
    /** The line a record starts on, given where the previous one ended (empty lines skipped). */
    startLineFrom(offset: number) {
      let first = offset;
      while (first < bytes.length && (bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x20 || bytes[first] === 0x09)) first++;
      advance(first);
      return line;
    },
  };
}

export function parseLabelsCsv(text: string): LabelsCsv {
  const rows: LabelRow[] = [];
  const problems: CsvProblem[] = [];
  const bytes = Buffer.from(text.replace(/^\uFEFF/, ''), 'utf8');
  const lines = lineCounter(bytes);
  // csv-parse reports where each record (or bad record) ends; it starts where the one before ended.
  let previousEnd = 0;
  const records: Array<{ fields: string[]; line: number }> = [];
  parse(bytes, {
    delimiter: detectDelimiter(bytes.toString('utf8')),
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: { bytes: number }) => {
      records.push({ fields: record, line: lines.startLineFrom(previousEnd) });
      previousEnd = context.bytes;
      return null;
    },
    on_skip: (err: CsvError | undefined) => {
      if (!err) return;
      problems.push({ line: lines.startLineFrom(previousEnd), reason: csvReason(err) });
      previousEnd = Number((err as CsvError & { bytes?: number }).bytes ?? previousEnd);
    },
  });
  const firstProblem = Math.min(...problems.map((p) => p.line));
  for (const [i, { fields, line }] of records.entries()) {
    if (fields.every((f) => f.trim() === '')) continue;
    const [first, second] = fields.map((f) => f.trim());
    if (
      i === 0 &&
      line < firstProblem &&
      fields.length === 2 &&
      HEADER_PATH.has((first ?? '').toLowerCase()) &&
      HEADER_LABEL.has((second ?? '').toLowerCase())
    )
      continue; // header
    if (fields.length !== 2 || first === undefined || second === undefined) {
      problems.push({ line, reason: `expected 2 columns (path,label), found ${fields.length}` });
      continue;
    }
    if (first === '') problems.push({ line, reason: 'empty path' });
    else if (second === '') problems.push({ line, reason: 'empty label' });
    else if (second.length > MAX_LABEL_LENGTH) problems.push({ line, reason: `label longer than ${MAX_LABEL_LENGTH} characters` });
    else rows.push({ line, path: first, label: second });
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems };
}

/** csv-parse's error, as a short reason without its own line numbers (the row carries the line). */
function csvReason(err: CsvError): string {
  switch (err.code as string) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unterminated quote';
    case 'CSV_INVALID_OPENING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return 'stray quote inside a field';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after a closing quote';
    default:
      return err.message.replace(/\s*at line \d+.*$/, '');
  }
}
