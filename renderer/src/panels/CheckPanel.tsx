/**
 * The ground-truth checker on the open page (common/gt/gt-checks.ts, the same rules
 * as `htr-studio check`): each problem names its line (a click goes there) and,
 * where a fix loses nothing (gt-fixes.ts), offers it; "Fix all safely" is one
 * undoable edit. Checked only while open: the rules walk every polygon.
 */
import { memo, useMemo, useState } from 'react';
import type { PageDocument } from '../../../electron/common/model/types.js';
import { checkGroundTruth, type GtProblem } from '../../../electron/common/gt/gt-checks.js';
import { canFix } from '../../../electron/common/gt/gt-fixes.js';
import { strings as t } from '../i18n/strings.js';

interface Props {
  readonly doc: PageDocument;
  /** The page is marked Ground truth: machine text nobody confirmed is a problem. */
  readonly markedGroundTruth: boolean;
  readonly onGo: (lineId: string) => void;
  readonly onFix: (problems: readonly GtProblem[]) => void;
}

/** Problems listed at most (the count says how many there are). */
const SHOWN = 200;

export const CheckPanel = memo(function CheckPanel({ doc, markedGroundTruth, onGo, onFix }: Props) {
  const [open, setOpen] = useState(false);
  const problems = useMemo(() => (open ? checkGroundTruth(doc, { markedGroundTruth }) : []), [open, doc, markedGroundTruth]);
  const fixable = problems.filter(canFix);
  return (
    <details className="find-replace check-panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t.checkTitle}</summary>
      {open && (
        <>
          <div className="find-summary">
            <span role="status">{t.checkCount(problems.length)}</span>
            <button type="button" className="ghost-button small" disabled={!fixable.length} onClick={() => onFix(fixable)}>
              {t.checkFixAll(fixable.length)}
            </button>
          </div>
          <ol className="find-hits" aria-label={t.checkProblems}>
            {problems.slice(0, SHOWN).map((p, k) => (
              <li key={`${p.rule}:${p.id}:${k}`} className="check-problem" data-rule={p.rule} data-line={p.id || undefined}>
                <button type="button" className="find-hit" disabled={!p.id} onClick={() => p.id && onGo(p.id)}>
                  <span className="check-rule">{p.rule}</span>
                  <span dir="auto">
                    {p.id && <span className="line-id">{p.id} </span>}
                    {p.message}
                  </span>
                </button>
                {canFix(p) && (
                  <button type="button" className="ghost-button small" aria-label={t.checkFixOne(p.rule, p.id)} onClick={() => onFix([p])}>
                    {t.checkFix}
                  </button>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </details>
  );
});
