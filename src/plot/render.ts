import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Vega numbers its gradients and clip paths with process-wide counters (gradient_3, clip7), so
 * the same chart drawn twice differs, and two charts inlined in one HTML page can collide.
 * Rename every id, in order of first definition, to `<prefix>-<i>`, references included.
 */
function scopeIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size}`);
  if (!ids.size) return svg;
  return svg.replace(/(\sid=")([^"]+)(")|(url\(#)([^)]+)(\))|(href="#)([^"]+)(")/g, (all, a1, i1, z1, a2, i2, z2, a3, i3, z3) => {
    const [a, id, z] = a1 ? [a1, i1, z1] : a2 ? [a2, i2, z2] : [a3, i3, z3];
    const to = ids.get(id as string);
    return to === undefined ? all : `${a}${to}${z}`;
  });
}

/** Render a Vega-Lite spec to SVG text, headless (no DOM, no canvas); the same spec gives the same bytes. */
export async function specToSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return scopeIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}

/** Rasterize SVG text to PNG bytes at twice the SVG's size, on white. */
export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 } }).render().asPng();
}
