// Runs model.onnx in onnxruntime-node (the app's runtime) on the input that
// export_onnx.py wrote and compares output0 with torch's.
// usage: node check_onnx.cjs model.onnx DIR '[1,3,H,W]' '[1,C,N]'   (DIR/in.f32, DIR/ref.f32)
const fs = require('fs');
const path = require('path');
const ort = require(require.resolve('onnxruntime-node', { paths: [process.cwd(), path.resolve(__dirname, '../../..')] }));

function readF32(file) {
  const buf = fs.readFileSync(file);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

(async () => {
  const [modelPath, dir, inShape, refShape] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(modelPath);
  const input = new ort.Tensor('float32', readF32(path.join(dir, 'in.f32')), JSON.parse(inShape));
  const out = (await session.run({ images: input })).output0;
  const ref = readF32(path.join(dir, 'ref.f32'));
  if (out.dims.join() !== JSON.parse(refShape).join()) throw new Error(`shape ${out.dims} != ${refShape}`);
  // Boxes are in pixels (up to ~1000), scores in 0-1: compare each with its own tolerance.
  const [, channels, n] = out.dims;
  let boxDiff = 0, scoreDiff = 0;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < n; i++) {
      const d = Math.abs(out.data[c * n + i] - ref[c * n + i]);
      if (c < 4) boxDiff = Math.max(boxDiff, d / Math.max(1, Math.abs(ref[c * n + i])));
      else scoreDiff = Math.max(scoreDiff, d);
    }
  }
  const ok = boxDiff <= 1e-3 && scoreDiff <= 1e-3;
  console.log(JSON.stringify({ output: out.dims, max_rel_box_diff: boxDiff, max_abs_score_diff: scoreDiff, ok }));
  process.exit(ok ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
