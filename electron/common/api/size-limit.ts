/**
 * Sizes in messages, exact enough to act on: decimal megabytes (as file managers
 * show them) with one decimal, and the bytes themselves where one decimal would
 * make a size over a limit read as the limit ("200.0 MB, above the 200 MB limit").
 */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1e6) return `${trim((n / 1e3).toFixed(1))} kB`;
  if (n < 1e9) return `${trim((n / 1e6).toFixed(1))} MB`;
  return `${trim((n / 1e9).toFixed(2))} GB`;
}

/** "209.7 MB, above the 200 MB limit": `size` (over `limit`) and the limit, never rounded onto each other. */
export function overLimit(size: number, limit: number): string {
  let s = formatBytes(size);
  const l = formatBytes(limit);
  if (s === l) s = `${s} (${size.toLocaleString('en')} bytes)`;
  return `${s}, above the ${l} limit`;
}

/** "200.0" → "200", "1.50" → "1.5". */
function trim(fixed: string): string {
  return fixed.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
