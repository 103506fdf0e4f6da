/**
 * Columns aligned as Go's text/tabwriter aligns them: every cell but a
 * row's last is padded to its column's widest cell plus the padding, and at
 * least the minimum width. kubectl's printers use (minwidth 6, padding 3),
 * docker's formatter (minwidth 10, padding 3).
 */

export interface TableStyle {
  minWidth: number;
  padding: number;
}

export const KUBECTL_TABLE: TableStyle = { minWidth: 6, padding: 3 };
export const DOCKER_TABLE: TableStyle = { minWidth: 10, padding: 3 };

/** Display width of a cell (code points; podplay's cells hold no wide characters). */
const width = (s: string) => [...s].length;

/** Rows of cells as aligned lines, each ending in a newline. */
export function formatTable(rows: readonly (readonly string[])[], style: TableStyle = KUBECTL_TABLE): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) widths[c] = Math.max(widths[c] ?? 0, Math.max(style.minWidth, width(row[c]!) + style.padding));
  }
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]!;
      line += c < row.length - 1 ? cell + ' '.repeat(widths[c]! - width(cell)) : cell;
    }
    out += line + '\n';
  }
  return out;
}

/**
 * Aligns rows whose widths were fixed by an earlier table (kubectl get -w
 * prints later rows under the first table's columns, as tabwriter flushed
 * them): a cell wider than its column pushes only its own row.
 */
export function formatRows(rows: readonly (readonly string[])[], widths: readonly number[]): string {
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]!;
      line += c < row.length - 1 ? cell + ' '.repeat(Math.max(3, (widths[c] ?? 0) - width(cell))) : cell;
    }
    out += line + '\n';
  }
  return out;
}

/** The column widths {@link formatTable} gives these rows. */
export function columnWidths(rows: readonly (readonly string[])[], style: TableStyle = KUBECTL_TABLE): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) widths[c] = Math.max(widths[c] ?? 0, Math.max(style.minWidth, width(row[c]!) + style.padding));
  }
  return widths;
}
