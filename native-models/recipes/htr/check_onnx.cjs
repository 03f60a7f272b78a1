// Runs model.onnx in onnxruntime-node (the app's runtime) on the inputs that
// export_onnx.py wrote and compares with torch's outputs.
// usage: node check_onnx.cjs model.onnx DIR   (DIR/cases.json, *.in, *.ref)
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function readF32(file) {
  const buf = fs.readFileSync(file);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

(async () => {
  const [modelPath, dir] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(modelPath);
  const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
  let worst = 0;
  for (const c of cases) {
    const input = new ort.Tensor('float32', readF32(path.join(dir, c.in)), c.shape);
    const out = (await session.run({ image: input })).logprobs;
    const ref = readF32(path.join(dir, c.ref));
    if (out.dims.join() !== c.ref_shape.join()) throw new Error(`shape ${out.dims} != ${c.ref_shape}`);
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(out.data[i] - ref[i]));
  }
  console.log(JSON.stringify({ cases: cases.length, max_abs_diff: worst, ok: worst <= 1e-4 }));
  process.exit(worst <= 1e-4 ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(2); });
