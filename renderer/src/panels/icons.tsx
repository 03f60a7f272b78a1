/** Small line icons (inline SVG: no icon font, nothing fetched). Decorative: buttons carry the accessible name. */
import type { ReactNode } from 'react';

function Icon({ children }: { readonly children: ReactNode }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const icons = {
  select: (
    <Icon>
      <path d="M5 3l14 8-6 1.5L10 19z" />
    </Icon>
  ),
  region: (
    <Icon>
      <rect x="4" y="5" width="16" height="14" rx="1" strokeDasharray="3 2" />
      <path d="M9 10h6M9 14h4" />
    </Icon>
  ),
  line: (
    <Icon>
      <path d="M3 16c4-2 8-2 12-1s4 1 6 0" />
      <circle cx="3" cy="16" r="1.6" />
      <circle cx="12" cy="14.6" r="1.6" />
      <circle cx="21" cy="15" r="1.6" />
      <path d="M3 9h18" strokeDasharray="2 2" />
    </Icon>
  ),
  polygon: (
    <Icon>
      <path d="M4 7l7-3 9 4-2 11-11 1z" />
      <circle cx="4" cy="7" r="1.4" />
      <circle cx="20" cy="8" r="1.4" />
      <circle cx="7" cy="20" r="1.4" />
    </Icon>
  ),
  layerRegions: (
    <Icon>
      <rect x="3" y="4" width="18" height="16" rx="1" strokeDasharray="3 2" />
    </Icon>
  ),
  layerLines: (
    <Icon>
      <rect x="3" y="6" width="18" height="5" rx="1" />
      <rect x="3" y="14" width="14" height="5" rx="1" />
    </Icon>
  ),
  layerBaselines: (
    <Icon>
      <path d="M3 9h18M3 17h14" />
    </Icon>
  ),
  confidence: (
    <Icon>
      <rect x="3" y="5" width="5" height="14" rx="1" fill="currentColor" fillOpacity="0.25" />
      <rect x="10" y="9" width="5" height="10" rx="1" fill="currentColor" fillOpacity="0.5" />
      <rect x="17" y="3" width="4" height="16" rx="1" fill="currentColor" fillOpacity="0.85" />
    </Icon>
  ),
  split: (
    <Icon>
      <path d="M12 3v18" strokeDasharray="2 2" />
      <path d="M3 13h6M15 13h6M6 10l-3 3 3 3M18 10l3 3-3 3" />
    </Icon>
  ),
  merge: (
    <Icon>
      <path d="M3 9h5l4 4 4-4h5M3 17h18" />
    </Icon>
  ),
  trash: (
    <Icon>
      <path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" />
    </Icon>
  ),
  undo: (
    <Icon>
      <path d="M9 14L4 9l5-5" />
      <path d="M4 9h10a6 6 0 010 12h-3" />
    </Icon>
  ),
  redo: (
    <Icon>
      <path d="M15 14l5-5-5-5" />
      <path d="M20 9H10a6 6 0 000 12h3" />
    </Icon>
  ),
  exportFile: (
    <Icon>
      <path d="M12 3v12M7 10l5 5 5-5" />
      <path d="M5 19h14" />
    </Icon>
  ),
  save: (
    <Icon>
      <path d="M5 3h11l3 3v15H5z" />
      <path d="M8 3v5h7V3M8 21v-7h8v7" />
    </Icon>
  ),
  zoomIn: (
    <Icon>
      <circle cx="11" cy="11" r="6" />
      <path d="M20 20l-4.5-4.5M8.5 11h5M11 8.5v5" />
    </Icon>
  ),
  zoomOut: (
    <Icon>
      <circle cx="11" cy="11" r="6" />
      <path d="M20 20l-4.5-4.5M8.5 11h5" />
    </Icon>
  ),
  fit: (
    <Icon>
      <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
    </Icon>
  ),
  order: (
    <Icon>
      <circle cx="6" cy="6" r="2" />
      <circle cx="18" cy="18" r="2" />
      <path d="M8 6h6a4 4 0 010 8h-4a4 4 0 000 8" />
    </Icon>
  ),
  sun: (
    <Icon>
      <circle cx="12" cy="12" r="4" />
      <path d="M12 2v2M12 20v2M2 12h2M20 12h2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
    </Icon>
  ),
  moon: (
    <Icon>
      <path d="M20 14.5A8 8 0 019.5 4 8 8 0 1020 14.5z" />
    </Icon>
  ),
  up: (
    <Icon>
      <path d="M6 14l6-6 6 6" />
    </Icon>
  ),
  down: (
    <Icon>
      <path d="M6 10l6 6 6-6" />
    </Icon>
  ),
  keyboard: (
    <Icon>
      <rect x="2.5" y="6" width="19" height="12" rx="2" />
      <path d="M6 10h1M10 10h1M14 10h1M18 10h0M7 14h10" />
    </Icon>
  ),
  folder: (
    <Icon>
      <path d="M3 6h6l2 2h10v11H3z" />
    </Icon>
  ),
  grip: (
    <Icon>
      <path d="M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01" strokeWidth="3" />
    </Icon>
  ),
};
