// A stand-in for Electron's unpacked Linux distribution, for the packaging check
// on machines where Electron's binary cannot be downloaded (`npm run pack:dir`,
// tests/unit/packaging.test.ts). electron-builder copies this folder as it would
// the real one, renames `electron` to the app's executable, removes `version`
// and `resources/default_app.asar` (absent here: it unlinks only if present),
// and flips the Electron fuses in the executable. So the stand-in executable is
// a tiny shell script that carries a fuse wire after Electron's sentinel, with
// Electron's default fuse states: the check can read back what was set.
// The result is not a runnable app; it is the real app's resources/ beside a fake binary.
import { mkdirSync, readFileSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** @electron/fuses' sentinel; the wire follows it: version 1, length, then one byte per fuse ('0' off, '1' on). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults, in FuseV1Options order: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocolExtraPrivileges. */
const DEFAULT_FUSES = '10110001';

/** The installed electron package's version (electron-builder reads the same one). */
export function electronVersion() {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

/** Writes the stand-in into `dir` (emptied first); returns `dir`. */
export function makeStandInElectron(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL, 'latin1'), Buffer.from([1, DEFAULT_FUSES.length]), Buffer.from(DEFAULT_FUSES, 'latin1')]);
  const script = Buffer.concat([
    Buffer.from('#!/bin/sh\n# HTR Studio packaging check: a stand-in for Electron, not Electron.\n# fuses: ', 'latin1'),
    wire,
    Buffer.from('\necho "stand-in Electron: the packaging check built this folder; it cannot run the app" >&2\nexit 1\n', 'latin1'),
  ]);
  const exe = path.join(dir, 'electron');
  writeFileSync(exe, script);
  chmodSync(exe, 0o755);
  writeFileSync(path.join(dir, 'version'), `${electronVersion()}\n`);
  writeFileSync(path.join(dir, 'LICENSE'), 'Stand-in for the Electron LICENSE (packaging check only).\n');
  writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<!-- stand-in -->\n');
  writeFileSync(path.join(dir, 'locales', 'en-US.pak'), '');
  return dir;
}

/** The fuse wire of a (stand-in or real) Electron executable: one '0'/'1' character per fuse, or undefined without a sentinel. */
export function readFuseWire(file) {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(Buffer.from(FUSE_SENTINEL, 'latin1'));
  if (at < 0) return undefined;
  const start = at + FUSE_SENTINEL.length;
  const length = bytes[start + 1];
  return bytes.subarray(start + 2, start + 2 + length).toString('latin1');
}
