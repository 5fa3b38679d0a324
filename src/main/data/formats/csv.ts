/**
 * Reader for a labels CSV with two columns, `path,label` (RFC 4180 quoting, optional header,
 * optional UTF-8 BOM, LF or CRLF). Bad rows are reported with their line number, never thrown.
 */
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

const HEADER_PATH = new Set(['path', 'file', 'filename', 'image']);
const HEADER_LABEL = new Set(['label', 'class', 'category']);

export function parseLabelsCsv(text: string): LabelsCsv {
  const rows: LabelRow[] = [];
  const problems: CsvProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const fields = splitCsvLine(raw);
    if (typeof fields === 'string') {
      problems.push({ line, reason: fields });
      return;
    }
    const [first, second] = fields.map((f) => f.trim());
    if (
      rows.length === 0 &&
      problems.length === 0 &&
      fields.length === 2 &&
      HEADER_PATH.has((first ?? '').toLowerCase()) &&
      HEADER_LABEL.has((second ?? '').toLowerCase())
    )
      return; // header
    if (fields.length !== 2 || first === undefined || second === undefined) {
      problems.push({ line, reason: `expected 2 columns (path,label), found ${fields.length}` });
      return;
    }
    if (first === '') problems.push({ line, reason: 'empty path' });
    else if (second === '') problems.push({ line, reason: 'empty label' });
    else rows.push({ line, path: first, label: second });
  });
  return { rows, problems };
}

/** Splits one CSV line into fields, or returns a problem description. */
export function splitCsvLine(line: string): string[] | string {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  while (i < line.length) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field.trim() !== '' || wasQuoted) return 'stray quote inside a field';
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      wasQuoted = false;
    } else {
      if (wasQuoted && ch.trim() !== '') return 'text after a closing quote';
      field += ch;
    }
    i++;
  }
  if (quoted) return 'unterminated quote';
  fields.push(field);
  return fields;
}
