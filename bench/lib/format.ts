// Number formats and the Markdown table of the bench's report, shared by the report's parts.

import { MiB } from './args.js';

const fixed = (digits: number) => (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
export const f0 = fixed(0);
export const f1 = fixed(1);
export const f2 = fixed(2);
export const mib = (bytes: number | undefined): string => (bytes === undefined ? '–' : (bytes / MiB).toFixed(1));
export const kb = (bytes: number): string => (bytes / 1000).toFixed(1);

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Records one target: pass undefined = reported only, or not measured in this run. */
export type AddTarget = (name: string, pass: boolean | undefined, detail: string) => void;
