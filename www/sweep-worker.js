// A sweep worker: its own copy of the export module, running the cells it is handed.
//   {type: "module", module}                              (the compiled wasm, sent once)
//   {type: "init", job: {kind, text, opt, x, y, nx, ny}}  ->  {type: "ready"} | {type: "error"}
//   {type: "run", from, to}                               ->  {type: "cells", from, values, ms}
//     (values: SweepJob.fields() numbers per cell; ms: the time running them)
import init, { SweepJob } from "./pkg-svg/gradscape_svg.js";

let job = null;
let moduleReady = null;

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "module") {
      // Warmed while the user sets up the sweep (SweepJob.warm), before the first cells.
      moduleReady = init({ module_or_path: data.module }).then(() => SweepJob.warm());
      return;
    }
    await (moduleReady ??= init());
    if (data.type === "init") {
      const j = data.job;
      job?.free();
      job = j.kind === "basins" ? SweepJob.basins(j.text, j.opt, j.nx, j.ny) : SweepJob.phase(j.text, j.opt, j.x, j.y);
      self.postMessage({ type: "ready" });
    } else if (data.type === "run" && job) {
      const t0 = performance.now();
      const values = new Float64Array(job.run(data.from, data.to));
      self.postMessage({ type: "cells", from: data.from, values, ms: performance.now() - t0 }, [values.buffer]);
    }
  } catch (e) {
    self.postMessage({ type: "error", message: e?.message ?? String(e) });
  }
};
