import { compare } from '/work/wt/reqpath/bench/harness.js';
import { createCleaveHarness } from '/work/wt/reqpath/bench/evaluation/tools/cleave.js';
import { createCleaveBrowserHarness } from '/work/wt/reqpath/bench/evaluation/tools/cleave-browser.js';
import { createFlagdHarness } from '/work/wt/reqpath/bench/evaluation/tools/flagd.js';
import { WORKLOADS } from '/work/wt/reqpath/bench/evaluation/workloads.js';
const hs = [createCleaveHarness(), await createCleaveBrowserHarness(), createFlagdHarness()];
const wanted = process.argv.slice(2);
for (const w of WORKLOADS) {
  if (wanted.length && !wanted.includes(w)) continue;
  const m = compare(hs.map((h) => ({ name: h.name, body: h.loops[w] })), { warmupMs: 300, sampleMs: 20, samples: 15 });
  const f = m[2]?.nsPerOp ?? 0;
  console.log(w.padEnd(11), m.map((x) => `${x.name} ${x.nsPerOp.toFixed(1)}`).join('  '), ' ratios', (f / (m[0]?.nsPerOp ?? 1)).toFixed(2), (f / (m[1]?.nsPerOp ?? 1)).toFixed(2));
}
