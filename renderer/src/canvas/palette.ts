/**
 * Canvas colours (the canvas cannot read CSS variables cheaply). Shapes keep
 * the same hues in both themes because they sit on the scan, not on the UI;
 * only the surround changes.
 */
export type Theme = 'dark' | 'light';

export interface Palette {
  readonly surround: string;
  readonly pageShadow: string;
  readonly region: string;
  readonly regionFill: string;
  readonly regionSelectedFill: string;
  readonly line: string;
  readonly lineFill: string;
  readonly lineHoverFill: string;
  readonly lineSelectedFill: string;
  readonly baseline: string;
  readonly selected: string;
  readonly handle: string;
  readonly handleStroke: string;
  readonly handleActive: string;
  readonly order: string;
  readonly orderText: string;
  readonly draft: string;
  readonly draftFill: string;
}

const shapes = {
  region: '#3b82f6',
  regionFill: 'rgba(59,130,246,0.06)',
  regionSelectedFill: 'rgba(59,130,246,0.14)',
  line: 'rgba(13,148,136,0.85)',
  // Transparent but present: Konva hit-tests the inside of a shape only where it is filled.
  lineFill: 'rgba(13,148,136,0.001)',
  lineHoverFill: 'rgba(13,148,136,0.12)',
  lineSelectedFill: 'rgba(245,158,11,0.16)',
  baseline: '#e11d48',
  selected: '#f59e0b',
  handle: '#ffffff',
  handleStroke: '#b45309',
  handleActive: '#f59e0b',
  order: '#8b5cf6',
  orderText: '#ffffff',
  draft: '#3b82f6',
  draftFill: 'rgba(59,130,246,0.12)',
};

export const PALETTES: Record<Theme, Palette> = {
  dark: { ...shapes, surround: '#0f1115', pageShadow: 'rgba(0,0,0,0.6)' },
  light: { ...shapes, surround: '#dde1e7', pageShadow: 'rgba(15,23,42,0.25)' },
};
