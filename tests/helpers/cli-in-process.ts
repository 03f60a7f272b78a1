import { main } from '../../electron/cli/main.js';

/** The command line run in this process (no build, no child): exit code and the lines of stdout and stderr. */
export async function runMain(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}
