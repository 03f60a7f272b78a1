// electron-builder's afterPack hook (build/electron-builder.yml): onnxruntime-node
// ships its native binaries for every system (~290 MB); the installed app keeps only
// the target's (resources/app.asar.unpacked/node_modules/onnxruntime-node/bin/napi-v6/<os>/<arch>,
// about 45 MB on Linux). The config's file filters leave the others out; this removes
// any that got through and fails the build when the target's onnxruntime or sharp
// binary is missing (a package that would crash on the first page). onnxruntime-node 1.30's npm package has no macOS
// x64 binary, which is why the dmg is built for arm64 only (build/electron-builder.yml).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// electron-builder's Arch enum (builder-util): the numbers it passes as context.arch.
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/** resources/ of a packed app: <app>.app/Contents/Resources on macOS, resources/ elsewhere. */
function resourcesDir(context) {
  if (context.packager && typeof context.packager.getResourcesDir === 'function') return context.packager.getResourcesDir(context.appOutDir);
  return path.join(context.appOutDir, 'resources');
}

/** Removes onnxruntime-node binaries not for `os`/`arch` under `resources`; returns the removed folders. */
function trimOnnxruntime(resources, os, arch) {
  const napi = path.join(resources, 'app.asar.unpacked', 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
  if (!fs.existsSync(napi)) throw new Error(`afterPack: ${napi} is missing: onnxruntime-node was not unpacked`);
  const removed = [];
  for (const o of fs.readdirSync(napi)) {
    for (const a of fs.readdirSync(path.join(napi, o))) {
      if (o === os && (a === arch || arch === 'universal')) continue;
      fs.rmSync(path.join(napi, o, a), { recursive: true, force: true });
      removed.push(`${o}/${a}`);
    }
    if (fs.readdirSync(path.join(napi, o)).length === 0) fs.rmdirSync(path.join(napi, o));
  }
  const archs = arch === 'universal' ? ['x64', 'arm64'] : [arch];
  for (const a of archs) {
    const binding = path.join(napi, os, a, 'onnxruntime_binding.node');
    if (!fs.existsSync(binding)) throw new Error(`afterPack: no onnxruntime binding for ${os}/${a} (${binding})`);
  }
  return removed;
}

/**
 * sharp's binary for the target: npm installs only the machine's own (@img/sharp-<os>-<arch>),
 * so packaging for another architecture (an Intel build on Apple silicon) needs it installed first.
 */
function checkSharp(resources, os, arch) {
  const img = path.join(resources, 'app.asar.unpacked', 'node_modules', '@img');
  const archs = arch === 'universal' ? ['x64', 'arm64'] : [arch];
  for (const a of archs) {
    const names = os === 'linux' ? [`sharp-linux-${a}`, `sharp-linuxmusl-${a}`] : [`sharp-${os}-${a}`];
    if (!names.some((n) => fs.existsSync(path.join(img, n)))) {
      throw new Error(`afterPack: sharp has no binary for ${os}/${a} here; install it first: npm install --no-save --os=${os} --cpu=${a} sharp`);
    }
  }
}

module.exports = async function afterPack(context) {
  const os = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  const resources = resourcesDir(context);
  const removed = trimOnnxruntime(resources, os, arch);
  if (removed.length) console.log(`  • afterPack: onnxruntime-node binaries kept for ${os}/${arch}; removed ${removed.join(', ')}`);
  checkSharp(resources, os, arch);
};
module.exports.trimOnnxruntime = trimOnnxruntime;
module.exports.checkSharp = checkSharp;
