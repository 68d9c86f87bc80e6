// Areas of interest as the editor holds them (per cents of the design, as
// typed) and as the API takes them (fractions 0..1).
import type { components } from '../../api/schema';

export type AreaIn = components['schemas']['AreaIn'];
export interface AreaDraft {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

export const toPercent = (a: AreaIn): AreaDraft => ({ name: a.name, x: a.x * 100, y: a.y * 100, w: a.w * 100, h: a.h * 100 });

/** Per cents to fractions (rounded so 33.3 % does not end a hair past the edge). */
export function fromPercent(a: AreaDraft): AreaIn {
  const x = round(a.x / 100);
  const y = round(a.y / 100);
  // A drawn area that reaches the edge stays inside after rounding.
  const fit = (start: number, size: number) => (start + size > 1 && start + size < 1 + 1e-5 ? round(1 - start) : size);
  return { name: a.name.trim(), x, y, w: fit(x, round(a.w / 100)), h: fit(y, round(a.h / 100)) };
}

/** The rectangle between two corners of a drag (fractions in), in per cents. */
export function areaFromDrag(x0: number, y0: number, x1: number, y1: number): Omit<AreaDraft, 'name'> {
  return {
    x: Math.min(x0, x1) * 100,
    y: Math.min(y0, y1) * 100,
    w: Math.abs(x1 - x0) * 100,
    h: Math.abs(y1 - y0) * 100,
  };
}
