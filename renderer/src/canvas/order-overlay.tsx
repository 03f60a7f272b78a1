/** Reading-order arrows between region centres, and each region's number; never listens to the mouse. */
import { memo } from 'react';
import { Arrow, Circle, Group, Text } from 'react-konva';
import type { Region } from '../../../electron/common/model/types.js';
import { bbox } from '../../../electron/common/model/points.js';
import type { Palette } from './palette.js';

interface Props {
  readonly regions: readonly Region[];
  readonly scale: number;
  readonly palette: Palette;
  readonly showArrows: boolean;
}

// Memoised: new point arrays on every render would make react-konva redraw the whole layer each frame.
export const OrderOverlay = memo(function OrderOverlay({ regions, scale, palette, showArrows }: Props) {
  // Numbered by place in the reading order, also when a region before has no outline to draw.
  const marks = regions.flatMap((r, n) => {
    const b = bbox(r.coords?.points ?? []);
    return b ? [{ id: r.id, n: n + 1, cx: (b.minX + b.maxX) / 2, cy: (b.minY + b.maxY) / 2, x: b.minX, y: b.minY }] : [];
  });
  const k = 1 / scale; // badges keep their screen size
  return (
    <Group listening={false}>
      {showArrows &&
        marks.slice(1).map((m, i) => {
          const prev = marks[i]!;
          return (
            <Arrow
              key={`${prev.id}>${m.id}`}
              points={[prev.cx, prev.cy, m.cx, m.cy]}
              stroke={palette.order}
              fill={palette.order}
              strokeWidth={1.5}
              strokeScaleEnabled={false}
              pointerLength={9 * k}
              pointerWidth={9 * k}
              dash={[8 * k, 5 * k]}
              opacity={0.7}
            />
          );
        })}
      {marks.map((m) => (
        <Group key={m.id} x={m.x} y={m.y} scaleX={k} scaleY={k}>
          <Circle radius={11} fill={palette.order} opacity={0.92} />
          <Text text={String(m.n)} fontSize={12} fontStyle="bold" fill={palette.orderText} width={22} height={22} offsetX={11} offsetY={7} align="center" />
        </Group>
      ))}
    </Group>
  );
});
