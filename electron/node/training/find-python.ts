/**
 * Training runs in Python with PyTorch (native-models/recipes/). Which
 * interpreter: $HTR_STUDIO_PYTHON, then python3 on the PATH, then
 * /usr/bin/python3 (Debian's, where python3-torch installs) — the first that
 * imports everything the recipe needs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const RECIPE_MODULES = ['torch', 'onnx', 'PIL', 'numpy'] as const;

/** What to install, in one line (the CLI's exit-2 message, the editor's notice). */
export function missingPythonMessage(tried: readonly string[]): string {
  const debian = fs.existsSync('/etc/debian_version');
  const how = debian
    ? 'sudo apt-get install python3-torch python3-onnx python3-pil python3-numpy'
    : 'pip install torch onnx pillow numpy (CPU wheels: --index-url https://download.pytorch.org/whl/cpu for torch)';
  return `training needs Python 3 with PyTorch, onnx, Pillow and numpy; none found (tried ${tried.join(', ') || 'nothing'}): install them with \`${how}\`, or set HTR_STUDIO_PYTHON to a python that has them`;
}

export type PythonLookup = { readonly python: string; readonly torch: string } | { readonly python: null; readonly message: string };

function candidates(env: NodeJS.ProcessEnv): string[] {
  const list = [env.HTR_STUDIO_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  // HTR_STUDIO_PYTHON set: that one only — a user who names an interpreter means it.
  return env.HTR_STUDIO_PYTHON ? [env.HTR_STUDIO_PYTHON] : [...new Set(list)];
}

export function findTorchPython(env: NodeJS.ProcessEnv = process.env): PythonLookup {
  const tried: string[] = [];
  for (const py of candidates(env)) {
    tried.push(py);
    const r = spawnSync(py, ['-c', `import ${RECIPE_MODULES.join(', ')}; print(torch.__version__)`], { encoding: 'utf8', env, timeout: 60_000 });
    if (r.status === 0) return { python: py, torch: r.stdout.trim() };
  }
  return { python: null, message: missingPythonMessage(tried) };
}
