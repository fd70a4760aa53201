// Writing CLI exports: to a file the advisor named (created private to them), or to stdout.
import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { UsageError } from './command';
import type { CliIo } from './io';

export const ExportFormat = z.enum(['json', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export function parseFormat(
  value: unknown,
  allowed: readonly string[] = ['json', 'csv'],
): ExportFormat {
  const parsed = ExportFormat.safeParse(value ?? 'json');
  if (!parsed.success || !allowed.includes(parsed.data))
    throw new UsageError(`--format must be one of: ${allowed.join(', ')}`);
  return parsed.data;
}

/** Spreadsheet apps run cells that start with = + - @ as formulas; prefix them so they stay text. */
export function csvSafe(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : Array.isArray(value)
        ? value.join(';')
        : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function toCsv(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): string {
  return stringify(
    rows.map((r) => columns.map((c) => csvSafe(r[c]))),
    { header: true, columns: [...columns] },
  );
}

export function writeOutput(io: CliIo, text: string, out: string | undefined): void {
  if (out) {
    writeFileSync(out, text, { mode: 0o600 });
    io.stderr(`Wrote ${out}\n`);
  } else {
    io.stdout(text);
  }
}
