/**
 * How far the command line lets V8's old generation grow between full collections.
 * After each full collection V8 lets the heap grow to up to four times what it kept (on
 * a machine with memory to spare) before the next. A conversion of a big page file keeps
 * a fraction of the file (its lines' stand-ins) but makes garbage by the gigabyte, so its
 * peak was a matter of where the collections fell: the same `convert --to alto-4` of a
 * 200 MB file peaked anywhere from 640 to 900 MB. Growing by half at most bounds it
 * (450 MB) at no measured cost in time (bench/big-page-xml.mjs, docs/benchmarks.md).
 * A V8 flag set once the process runs: V8 reads this one each time it sizes the heap.
 */
import v8 from 'node:v8';

const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
