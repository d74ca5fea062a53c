import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { invalidUtf8Offset } from '../lib/json-text';

/**
 * An import file as a table: the header row and the data rows with the line each came from (the CSV line, or the
 * spreadsheet's row number, as the partner's editor shows it). Parsing is csv-parse's and exceljs's; this module
 * only decides the format, checks the encoding and turns cells into text.
 */

export type FileFormat = 'csv' | 'xlsx';

/** A cell that cannot be read as a value (a formula without a cached result, an error value): its row is refused. */
export interface CellProblem {
  problem: string;
}
export type Cell = string | CellProblem;

export interface TableRow {
  line: number;
  cells: Cell[];
}

export interface Table {
  format: FileFormat;
  header: string[];
  /** Line of the header row. */
  headerLine: number;
  rows: TableRow[];
  /** For a workbook: the sheet read and every sheet it has. */
  sheet?: string;
  sheets?: string[];
}

/** Why the file as a whole cannot be read: the HTTP status it deserves and a sentence naming the problem. */
export interface FileProblem {
  status: 400 | 413 | 415;
  error: string;
  message: string;
  details?: { path: string; message: string }[];
}

export type ParseResult = { ok: true; table: Table } | { ok: false; problem: FileProblem };

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'text/comma-separated-values', 'application/vnd.ms-excel'];
const SNIFF_TYPES = ['', 'application/octet-stream', 'binary/octet-stream'];

const unsupported = (message: string): FileProblem => ({ status: 415, error: 'UnsupportedMediaType', message });
const bad = (message: string, path = '(body)', reason = message): FileProblem => ({ status: 400, error: 'BadRequest', message, details: [{ path, message: reason }] });

/** The format from the content type, or from the bytes when the type says nothing (or a CSV type on a workbook). */
export function detectFormat(bytes: Buffer, contentType: string | undefined): { ok: true; format: FileFormat } | { ok: false; problem: FileProblem } {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const zip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  const ole = bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  if (ole) return { ok: false, problem: unsupported('The file is an Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx) or as CSV UTF-8.') };
  if (type === XLSX_TYPE || (zip && (SNIFF_TYPES.includes(type) || CSV_TYPES.includes(type)))) {
    if (!zip) return { ok: false, problem: bad('The body is declared as an .xlsx workbook but is not one (an .xlsx file is a zip archive).') };
    return { ok: true, format: 'xlsx' };
  }
  if (CSV_TYPES.includes(type) || SNIFF_TYPES.includes(type)) return { ok: true, format: 'csv' };
  return { ok: false, problem: unsupported(`Content type "${type.slice(0, 100)}" is not an import file: send text/csv (UTF-8) or ${XLSX_TYPE}.`) };
}

/** The text of a CSV file: UTF-8, with or without a byte order mark; any other encoding is named and refused. */
export function decodeCsv(bytes: Buffer): { ok: true; text: string } | { ok: false; problem: FileProblem } {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, problem: unsupported(`The file is UTF-16 (${bytes[0] === 0xff ? 'little' : 'big'}-endian, by its byte order mark); save it as "CSV UTF-8" and send that.`) };
  }
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const at = invalidUtf8Offset(body);
  if (at >= 0) {
    const line = body.subarray(0, at).toString('latin1').split('\n').length;
    return { ok: false, problem: unsupported(`The file is not UTF-8: byte 0x${body[at]!.toString(16).padStart(2, '0')} at line ${line} (offset ${at}) is not valid UTF-8, as in a file saved as Windows-1252 or Latin-1; save it as "CSV UTF-8" and send that.`) };
  }
  return { ok: true, text: body.toString('utf8') };
}

const tooManyRows = (limit: number): FileProblem => ({ status: 413, error: 'PayloadTooLarge', message: `The file has more than ${limit} data rows, the import limit (IMPORT_MAX_ROWS); split it into files of at most ${limit} rows.`, details: [{ path: '(body)', message: `more than ${limit} rows` }] });

/** Reads a CSV file; a quoting error is refused for the whole file with its line (what follows it cannot be trusted). */
export function parseCsvTable(text: string, maxRows: number): ParseResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      // The line each record ends on, from the parser's context (cheaper than info: true, which copies it per record).
      on_record: ((record: string[], context: { lines: number }) => ({ record, info: { lines: context.lines } })) as unknown as (record: string[]) => string[],
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      // The header and one row beyond the limit are enough to know the file is too long.
      to: maxRows + 2,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof CsvError) {
      // An unclosed quote runs to the end of the file: the line it opened on is the one after the last whole record.
      const info = e as CsvError & { lines?: number; bytes_records?: number };
      const line = e.code === 'CSV_QUOTE_NOT_CLOSED' && info.bytes_records !== undefined ? (Buffer.from(text).subarray(0, info.bytes_records).toString('utf8').match(/\n/g)?.length ?? 0) + 1 : info.lines;
      const reason = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (unbalanced quote)' : e.code === 'CSV_INVALID_CLOSING_QUOTE' ? 'a quote in the middle of a field (quote the whole field and double the quotes inside it)' : e.message;
      return { ok: false, problem: bad(`The CSV file cannot be read${line ? ` at line ${line}` : ''}: ${reason}. Nothing was imported.`, line ? `line ${line}` : '(body)', reason) };
    }
    throw e;
  }
  if (!records.length) return { ok: false, problem: bad('The file is empty: send a header row and at least one data row.') };
  if (records.length > maxRows + 1) return { ok: false, problem: tooManyRows(maxRows) };
  const [head, ...rest] = records;
  // info.lines is the line the record ends on; a record spans one line unless a quoted field holds a line break.
  const lineOf = (r: { record: string[]; info: { lines: number } }) => r.info.lines - (r.record.join('').match(/\n/g)?.length ?? 0);
  return { ok: true, table: { format: 'csv', header: head!.record, headerLine: lineOf(head!), rows: rest.map((r) => ({ line: lineOf(r), cells: r.record })) } };
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** A spreadsheet cell as text: dates as YYYY-MM-DD, formulas by their cached result, rich text as its characters. */
export function cellText(value: ExcelJS.CellValue, address: string): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : { problem: `cell ${address} holds a number that is not finite` };
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { problem: `cell ${address} holds an invalid date` } : isoDate(value);
  if (typeof value === 'object') {
    if ('error' in value) return { problem: `cell ${address} holds the error ${String((value as ExcelJS.CellErrorValue).error)}` };
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as ExcelJS.CellFormulaValue).result;
      const formula = (value as ExcelJS.CellFormulaValue).formula ?? (value as ExcelJS.CellSharedFormulaValue).sharedFormula;
      if (result === undefined || result === null) return { problem: `cell ${address} holds the formula =${String(formula).slice(0, 80)} without a computed value; open the file in Excel and save it again, or paste the values` };
      if (typeof result === 'object' && result !== null && 'error' in result) return { problem: `cell ${address} holds the formula =${String(formula).slice(0, 80)}, whose value is the error ${String(result.error)}` };
      return cellText(result as ExcelJS.CellValue, address);
    }
    if ('richText' in value) return (value as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join('').trim();
    if ('text' in value) return String((value as ExcelJS.CellHyperlinkValue).text).trim();
  }
  return { problem: `cell ${address} holds a value that is not text, a number or a date` };
}

/** Reads the first sheet of a workbook, or the one named by `sheet`; the answer says which it read. */
export async function parseXlsxTable(bytes: Buffer, maxRows: number, sheet?: string): Promise<ParseResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    return { ok: false, problem: bad(`The file is not a readable .xlsx workbook: ${(e as Error).message.slice(0, 200)}.`) };
  }
  const sheets = workbook.worksheets.map((w) => w.name);
  if (!sheets.length) return { ok: false, problem: bad('The workbook has no sheets.') };
  const ws = sheet === undefined ? workbook.worksheets[0]! : workbook.worksheets.find((w) => w.name === sheet) ?? workbook.worksheets.find((w) => w.name.toLowerCase() === sheet.toLowerCase());
  if (!ws) return { ok: false, problem: bad(`The workbook has no sheet "${sheet!.slice(0, 100)}"; its sheets are ${sheets.map((s) => `"${s}"`).join(', ')}.`, 'query:sheet', `no sheet "${sheet!.slice(0, 100)}"`) };
  const rows: TableRow[] = [];
  let header: string[] | undefined;
  let headerLine = 0;
  let tooMany = false;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (tooMany) return;
    const cells: Cell[] = [];
    const width = row.cellCount;
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      cells.push(cellText(cell.value, cell.address));
    }
    if (cells.every((c) => c === '')) return;
    if (!header) {
      header = cells.map((c) => (typeof c === 'string' ? c : ''));
      headerLine = rowNumber;
      return;
    }
    rows.push({ line: rowNumber, cells });
    if (rows.length > maxRows) tooMany = true;
  });
  if (tooMany) return { ok: false, problem: tooManyRows(maxRows) };
  if (!header) return { ok: false, problem: bad(`Sheet "${ws.name}" is empty: it needs a header row and at least one data row.`) };
  return { ok: true, table: { format: 'xlsx', header, headerLine, rows, sheet: ws.name, sheets } };
}

/** Reads an import file of either format. */
export async function parseImportTable(bytes: Buffer, contentType: string | undefined, opts: { maxRows: number; sheet?: string }): Promise<ParseResult> {
  const format = detectFormat(bytes, contentType);
  if (!format.ok) return format;
  if (format.format === 'xlsx') return parseXlsxTable(bytes, opts.maxRows, opts.sheet);
  if (opts.sheet !== undefined) return { ok: false, problem: bad('The sheet parameter is for .xlsx workbooks; a CSV file has one table.', 'query:sheet', 'only for .xlsx files') };
  const text = decodeCsv(bytes);
  if (!text.ok) return text;
  return parseCsvTable(text.text, opts.maxRows);
}
