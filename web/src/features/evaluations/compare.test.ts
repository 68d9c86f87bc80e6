import { describe, expect, it } from 'vitest';
import { areaFromDrag, fromPercent, toPercent } from './areas';
import { areaNames, bestIndices, formatMetric, inProgress, metricRows, sortCandidates, type EvaluationItem } from './compare';

function item(name: string, metrics: Partial<Record<'focus' | 'top10_share' | 'colourfulness' | 'rms_contrast' | 'edge_density', number>> | null, extra: Partial<NonNullable<EvaluationItem['evaluation']>> = {}): EvaluationItem {
  const m = metrics && { focus: 0, top10_share: 0, colourfulness: 0, rms_contrast: 0, edge_density: 0, ...metrics };
  return {
    file_id: name,
    filename: `${name}.png`,
    sniffed_type: 'png',
    file_created_at: '2026-12-07T00:00:00Z',
    evaluation: {
      file_id: name,
      status: m ? 'done' : 'pending',
      attempts: 1,
      areas: [],
      created_at: '2026-12-07T00:00:00Z',
      updated_at: '2026-12-07T00:00:00Z',
      metrics: m,
      shelf: m ? { design_share: 0.3, focus: 0.1, top10_share: 0.2 } : null,
      ...extra,
    },
  };
}

describe('best value per row', () => {
  it('marks the highest when higher is better, the lowest when lower is', () => {
    expect(bestIndices([0.2, 0.5, 0.1], true)).toEqual([1]);
    expect(bestIndices([0.2, 0.5, 0.1], false)).toEqual([2]);
  });
  it('marks every tied best, skips missing values', () => {
    expect(bestIndices([0.5, null, 0.5, 0.1], true)).toEqual([0, 2]);
    expect(bestIndices([null, 0.3, 0.4], false)).toEqual([1]);
  });
  it('marks nothing with fewer than two values or when all are equal', () => {
    expect(bestIndices([0.4], true)).toEqual([]);
    expect(bestIndices([0.4, null], true)).toEqual([]);
    expect(bestIndices([0.4, 0.4], true)).toEqual([]);
    expect(bestIndices([], false)).toEqual([]);
  });
});

describe('metric rows', () => {
  const a = item('a', { focus: 0.2, edge_density: 0.3 }, { areas: [{ name: 'Logo', x: 0, y: 0, w: 0.5, h: 0.5, share: 0.6, shelf_share: 0.1 }] });
  const b = item('b', { focus: 0.7, edge_density: 0.1 }, { areas: [{ name: 'Price', x: 0, y: 0, w: 0.2, h: 0.2, share: 0.05, shelf_share: 0.01 }, { name: 'Logo', x: 0, y: 0, w: 0.1, h: 0.1, share: 0.4, shelf_share: 0.2 }] });
  const pending = item('c', null);
  it('has the design metrics, the shelf share and each area by name', () => {
    expect(areaNames([a, b])).toEqual(['Logo', 'Price']);
    const rows = metricRows([a, b, pending]);
    expect(rows.map((r) => r.key)).toEqual([
      'focus',
      'top10_share',
      'colourfulness',
      'rms_contrast',
      'edge_density',
      'shelf_share',
      'area:Logo',
      'shelf_area:Logo',
      'area:Price',
      'shelf_area:Price',
    ]);
    const logo = rows.find((r) => r.key === 'area:Logo')!;
    expect([a, b, pending].map(logo.value)).toEqual([0.6, 0.4, null]);
    expect(rows.find((r) => r.key === 'edge_density')!.higherBetter).toBe(false);
    expect(rows.find((r) => r.key === 'focus')!.higherBetter).toBe(true);
  });
  it('orders candidates best first by a row, missing values last, upload order otherwise', () => {
    const rows = metricRows([a, b, pending]);
    const by = (k: string) => sortCandidates([pending, a, b], rows.find((r) => r.key === k)!).map((i) => i.file_id);
    expect(by('focus')).toEqual(['b', 'a', 'c']);
    expect(by('edge_density')).toEqual(['b', 'a', 'c']);
    expect(by('area:Logo')).toEqual(['a', 'b', 'c']);
    expect(by('shelf_share')).toEqual(['a', 'b', 'c']); // tie: upload order kept
    expect(sortCandidates([pending, a, b], null).map((i) => i.file_id)).toEqual(['c', 'a', 'b']);
  });
  it('polls while any is pending or running', () => {
    expect(inProgress(pending)).toBe(true);
    expect(inProgress(a)).toBe(false);
    expect(inProgress(item('r', { focus: 1 }, { status: 'running' }))).toBe(true);
  });
});

describe('formats and areas', () => {
  it('formats per cents and numbers in the language', () => {
    expect(formatMetric(0.1234, 'percent', 'en')).toBe('12.3%');
    expect(formatMetric(0.5, 'number2', 'ja')).toBe('0.50');
    expect(formatMetric(45.06, 'number1', 'en')).toBe('45.1');
  });
  it('turns drags and per cents into fractions inside 0..1', () => {
    expect(areaFromDrag(0.6, 0.5, 0.2, 0.1)).toEqual({ x: 20, y: 10, w: 40, h: 40 });
    expect(fromPercent({ name: ' Logo ', x: 100 / 3, y: 0, w: 200 / 3, h: 50 })).toEqual({ name: 'Logo', x: 0.333333, y: 0, w: 0.666667, h: 0.5 });
    expect(toPercent({ name: 'L', x: 0.1, y: 0.2, w: 0.3, h: 0.4 })).toEqual({ name: 'L', x: 10, y: 20, w: 30, h: 40 });
  });
});
