// Comparing candidate designs: the metric rows (with which direction is
// better), the best value of a row, and candidates ordered by a row. Pure, so
// the unit tests need no page.
import type { components } from '../../api/schema';

export type EvaluationItem = components['schemas']['EvaluationItem'];
export type Evaluation = components['schemas']['EvaluationOut'];
export type EvaluationStatus = components['schemas']['EvaluationStatus'];

/** How a row's numbers are shown: a share in per cent, or a plain number. */
export type Format = 'percent' | 'number1' | 'number2' | 'number3';

export const METRICS = ['focus', 'top10_share', 'colourfulness', 'rms_contrast', 'edge_density', 'shelf_share'] as const;
export type MetricName = (typeof METRICS)[number] | 'area' | 'shelfArea';

/** One metric row of the comparison. `higherBetter` decides the mark:
 * attention measures (focus, top-10 % share, an area's or the shelf pack's
 * share), colourfulness and contrast are better higher; edge density lower
 * (a simpler design reads faster). The catalogues say so under `evaluation.better`. */
export interface MetricRow {
  /** Stable key: `focus`, `shelf_share`, `area:Logo`, `shelf_area:Logo`, … */
  key: string;
  /** Catalogue key of the row's name (areas: `evaluation.metric.area`). */
  labelKey: `evaluation.metric.${MetricName}`;
  /** The area's name for area rows. */
  area?: string;
  higherBetter: boolean;
  format: Format;
  value: (item: EvaluationItem) => number | null;
}

const done = (item: EvaluationItem): Evaluation | null => (item.evaluation?.status === 'done' ? item.evaluation : null);

const BASE: MetricRow[] = [
  { key: 'focus', labelKey: 'evaluation.metric.focus', higherBetter: true, format: 'number2', value: (i) => done(i)?.metrics?.focus ?? null },
  { key: 'top10_share', labelKey: 'evaluation.metric.top10_share', higherBetter: true, format: 'percent', value: (i) => done(i)?.metrics?.top10_share ?? null },
  { key: 'colourfulness', labelKey: 'evaluation.metric.colourfulness', higherBetter: true, format: 'number1', value: (i) => done(i)?.metrics?.colourfulness ?? null },
  { key: 'rms_contrast', labelKey: 'evaluation.metric.rms_contrast', higherBetter: true, format: 'number3', value: (i) => done(i)?.metrics?.rms_contrast ?? null },
  { key: 'edge_density', labelKey: 'evaluation.metric.edge_density', higherBetter: false, format: 'percent', value: (i) => done(i)?.metrics?.edge_density ?? null },
  { key: 'shelf_share', labelKey: 'evaluation.metric.shelf_share', higherBetter: true, format: 'percent', value: (i) => done(i)?.shelf?.design_share ?? null },
];

/** Every area name of the candidates, in order of first appearance. */
export function areaNames(items: EvaluationItem[]): string[] {
  const names: string[] = [];
  for (const item of items) for (const a of item.evaluation?.areas ?? []) if (!names.includes(a.name)) names.push(a.name);
  return names;
}

/** The table's rows: the design metrics, the shelf share, then each area's
 * share on the design and on the shelf (by name, so "Logo" compares across designs). */
export function metricRows(items: EvaluationItem[]): MetricRow[] {
  const rows = [...BASE];
  for (const name of areaNames(items)) {
    const area = (i: EvaluationItem) => done(i)?.areas.find((a) => a.name === name);
    rows.push({ key: `area:${name}`, labelKey: 'evaluation.metric.area', area: name, higherBetter: true, format: 'percent', value: (i) => area(i)?.share ?? null });
    rows.push({ key: `shelf_area:${name}`, labelKey: 'evaluation.metric.shelfArea', area: name, higherBetter: true, format: 'percent', value: (i) => area(i)?.shelf_share ?? null });
  }
  return rows;
}

const EPSILON = 1e-9;

/** The indices holding the row's best value (all of them on a tie). Nothing
 * is marked with fewer than two values to compare, or when all are equal. */
export function bestIndices(values: (number | null)[], higherBetter: boolean): number[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length < 2) return [];
  const best = higherBetter ? Math.max(...present) : Math.min(...present);
  const worst = higherBetter ? Math.min(...present) : Math.max(...present);
  if (Math.abs(best - worst) <= EPSILON) return [];
  return values.flatMap((v, i) => (v !== null && Math.abs(v - best) <= EPSILON ? [i] : []));
}

/** Candidates ordered by a row, best first (missing values last); `null`
 * keeps the upload order. Stable: equal values keep the upload order. */
export function sortCandidates(items: EvaluationItem[], row: MetricRow | null): EvaluationItem[] {
  if (!row) return items;
  const keyed = items.map((item, index) => ({ item, index, v: row.value(item) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? a.index - b.index : a.v === null ? 1 : -1;
    const d = row.higherBetter ? b.v - a.v : a.v - b.v;
    return Math.abs(d) > EPSILON ? d : a.index - b.index;
  });
  return keyed.map((k) => k.item);
}

/** Still being worked on: the page polls while any is. */
export const inProgress = (item: EvaluationItem) => item.evaluation?.status === 'pending' || item.evaluation?.status === 'running';

export function formatMetric(v: number, format: Format, lang: string): string {
  if (format === 'percent') return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(v);
  const digits = format === 'number1' ? 1 : format === 'number2' ? 2 : 3;
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
}
