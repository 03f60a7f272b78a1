/**
 * The median the layout code measures pages by (line heights, gaps between rulings,
 * column widths, confidences): of an even count the upper of the two middle values, so
 * always a value that occurs; undefined for none. One definition, so every step reads a
 * page's line height alike.
 */
export function median(values: readonly number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
