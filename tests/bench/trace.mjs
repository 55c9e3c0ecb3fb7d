// Chromium traces for the page benchmark (tests/bench/page-bench.mjs says what each figure
// means): record one over the DevTools protocol, then read the page's renderer main thread
// off it: its tasks, its frames, the inputs it handled, its first load.
//
// Times in the trace are µs on one clock for every process; everything returned here is ms.

/**
 * What is recorded: tasks and their phases (devtools.timeline, disabled-by-default-
 * devtools.timeline: RunTask, EventDispatch, FunctionCall, Layout, Paint, Commit, GC, wasm
 * streaming), frames (…timeline.frame: BeginMainThreadFrame, ActivateLayerTree, DrawFrame),
 * the page's marks (blink.user_timing), paint timing (loading), the commit's parts
 * (benchmark: LayerTreeHost::DoUpdateLayers, ProxyMain::BeginMainFrame::commit) and wasm
 * compilation (v8.wasm: lazy compilation, instantiation).
 */
export const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "blink.user_timing",
  "loading",
  "benchmark",
  "v8.wasm",
];

/**
 * What the main thread's time goes to, by slice name, first match wins; a slice named in no
 * row counts as its parent's kind, a task's own slice as "other". Each µs of a task goes to
 * exactly one kind: the kind of the innermost slice open at that time.
 */
const KINDS = [
  ["gc", /^(MinorGC|MajorGC|V8\.GC|BlinkGC|CppGC)/],
  ["wasm", /^(v8\.)?wasm\./], // V8's wasm slices: streaming and lazy compilation, instantiation, memory growth
  ["script", /^(FunctionCall|EvaluateScript|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch|FireIdleCallback|BlinkScheduler_PerformMicrotaskCheckpoint|LocalFrameView::NotifyResizeObservers)$|^v8\./],
  ["style+layout", /^(UpdateLayoutTree|Layout|LocalFrameView::(RunStyleAndLayoutLifecyclePhases|UpdateStyleAndLayout|layout|performLayout)|Document::(UpdateStyleAndLayout|updateStyle))$/],
  ["paint", /^(PrePaint|Paint|PaintImage|Layerize|CullRectUpdate|LocalFrameView::(RunPrePaintLifecyclePhase|RunPaintLifecyclePhase|RunCompositingInputsLifecyclePhase))$/],
  ["canvas raster", /^LayerTreeHost::DoUpdateLayers$/],
  ["commit wait", /^ProxyMain::BeginMainFrame::commit$/],
  ["commit", /^Commit$/],
];
export const KIND_NAMES = [...KINDS.map(([k]) => k), "other"];

const ms = (us) => us / 1000;

// ---------------------------------------------------------------- recording

/**
 * Start tracing the whole browser. `mark(id)` records a clock-sync marker (in the browser
 * process: nothing runs on the page's threads); `stop()` ends the trace and resolves to
 * { events, text, dataLoss }.
 */
export async function startTrace(browser) {
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send("Tracing.start", { transferMode: "ReturnAsStream", traceConfig: { includedCategories: CATEGORIES } });
  return {
    mark: (id) => cdp.send("Tracing.recordClockSyncMarker", { syncId: id }),
    async stop() {
      const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
      await cdp.send("Tracing.end");
      const { stream, dataLossOccurred } = await done;
      const text = await readStream(cdp, stream);
      await cdp.detach();
      return { events: JSON.parse(text).traceEvents, text, dataLoss: Boolean(dataLossOccurred) };
    },
  };
}

async function readStream(cdp, handle) {
  const parts = [];
  for (;;) {
    const { data, eof, base64Encoded } = await cdp.send("IO.read", { handle, size: 1 << 22 });
    parts.push(Buffer.from(data, base64Encoded ? "base64" : "utf8"));
    if (eof) break;
  }
  await cdp.send("IO.close", { handle });
  return Buffer.concat(parts).toString("utf8");
}

// ---------------------------------------------------------------- the page's main thread

/** The renderer main thread that set the most `gradscape:drawn` marks: { pid, tid }. */
export function drawingThread(events) {
  const count = new Map();
  for (const e of events) {
    if (e.name !== "gradscape:drawn") continue;
    const k = `${e.pid}:${e.tid}`;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const best = [...count].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new Error("no gradscape:drawn mark in the trace");
  const [pid, tid] = best[0].split(":").map(Number);
  return { pid, tid };
}

/**
 * The painter worker's thread in process `pid` (www/painter.js: the thread that set the
 * most `gradscape:painted` marks), read as readThread does, or null.
 */
export function painterThread(events, pid) {
  const count = new Map();
  for (const e of events) if (e.name === "gradscape:painted" && e.pid === pid) count.set(e.tid, (count.get(e.tid) ?? 0) + 1);
  const best = [...count].sort((a, b) => b[1] - a[1])[0];
  return best ? readThread(events, { pid, tid: best[0] }) : null;
}

/**
 * The painter's frames in [from, to] (µs): each task of its thread that painted (set a
 * `gradscape:painted` mark): { ts, end, whole (wall ms), cpu, work (the painter's own ms) }.
 */
export function paintedFrames(painter, from = -Infinity, to = Infinity) {
  return painter.tasks
    .filter((t) => t.painted && t.ts > from && t.end < to)
    .map((t) => ({ ts: t.ts, end: t.end, whole: ms(t.dur), cpu: ms(t.cpu), work: t.painted.work }));
}

/**
 * One thread read off the trace: `tasks` (its top-level slices, each a tree of the slices
 * inside it; in Chromium 156 these are `RunTask`, which wraps the scheduler's task and the
 * microtask checkpoint after it), `slices` (every slice, by start), `frames` (see frames()),
 * and its process's compositor events (`activations`, `draws`).
 */
export function readThread(events, { pid, tid }) {
  const mine = events.filter((e) => e.pid === pid && e.tid === tid);
  const slices = mine
    .filter((e) => e.ph === "X")
    .map((e) => ({ name: e.name, ts: e.ts, dur: e.dur ?? 0, end: e.ts + (e.dur ?? 0), cpu: e.tdur ?? 0, args: e.args, children: [] }))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks = nest(slices);
  for (const e of mine) if (e.ph !== "X" && e.ph !== "M") attachInstant(tasks, e);
  const compositor = events.filter((e) => e.pid === pid && (e.name === "ActivateLayerTree" || e.name === "DrawFrame")).sort((a, b) => a.ts - b.ts);
  return {
    pid,
    tid,
    tasks,
    slices,
    frames: frames(tasks),
    activations: compositor.filter((e) => e.name === "ActivateLayerTree").map((e) => ({ ts: e.ts, frameId: e.args.frameId, layerTreeId: e.args.layerTreeId })),
    draws: compositor.filter((e) => e.name === "DrawFrame").map((e) => ({ ts: e.ts, layerTreeId: e.args.layerTreeId })),
  };
}

/** Nest sorted slices into trees; returns the top-level ones. */
function nest(slices) {
  const top = [];
  const open = [];
  for (const s of slices) {
    while (open.length && open.at(-1).end <= s.ts) open.pop();
    (open.length ? open.at(-1).children : top).push(s);
    open.push(s);
  }
  return top;
}

/** Note what the task open at instant `e` holds: a frame start, a drawn mark, a mark of the benchmark's own. */
function attachInstant(tasks, e) {
  const task = taskAt(tasks, e.ts);
  if (!task) return;
  if (e.name === "BeginMainThreadFrame") task.beginFrame = { frameId: e.args.data.frameId, layerTreeId: e.args.layerTreeId };
  else if (e.name === "gradscape:drawn") task.drawn = { ts: e.ts, work: JSON.parse(e.args.data.detail ?? "{}").work ?? NaN };
  else if (e.name === "gradscape:painted") task.painted = { ts: e.ts, work: JSON.parse(e.args.data.detail ?? "{}").work ?? NaN };
  else if (e.name.startsWith("bench:")) task.bench = true;
}

function taskAt(tasks, ts) {
  let lo = 0;
  let hi = tasks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tasks[mid].end < ts) lo = mid + 1;
    else if (tasks[mid].ts > ts) hi = mid - 1;
    else return tasks[mid];
  }
  return null;
}

/** Each slice's self time (its duration less its children's), by kind, added to `acc` (ms). */
function addKinds(slice, inherited, acc) {
  const kind = KINDS.find(([, re]) => re.test(slice.name))?.[0] ?? inherited;
  let self = slice.dur;
  for (const c of slice.children) {
    self -= c.dur;
    addKinds(c, kind, acc);
  }
  acc[kind] = (acc[kind] ?? 0) + ms(Math.max(0, self));
}

/** The first slice in `slice`'s tree (itself included, depth first) that `pred` accepts, or null. */
function findSlice(slice, pred) {
  if (pred(slice)) return slice;
  for (const c of slice.children) {
    const hit = findSlice(c, pred);
    if (hit) return hit;
  }
  return null;
}

function kindsOf(tasks) {
  const acc = {};
  for (const t of tasks) addKinds(t, "other", acc);
  return acc;
}

/**
 * Frames: one per task that holds a BeginMainThreadFrame (the "frame task": rAF callbacks,
 * style, layout, paint, commit). A frame's tasks are those after the previous frame task up
 * to and including its own; the benchmark's own tasks (holding a `bench:` mark) are left out.
 * Each: { start, beginStart, end (the frame task's end), wall and cpu (sums over its tasks),
 * kinds, task (the frame task), frameId, layerTreeId, drawn (the page's mark, if it drew) }.
 */
function frames(tasks) {
  const out = [];
  let pending = [];
  for (const t of tasks) {
    if (t.bench) continue;
    pending.push(t);
    if (!t.beginFrame) continue;
    out.push({
      start: pending[0].ts,
      beginStart: t.ts,
      end: t.end,
      wall: ms(pending.reduce((s, x) => s + x.dur, 0)),
      cpu: ms(pending.reduce((s, x) => s + x.cpu, 0)),
      kinds: kindsOf(pending),
      task: t,
      frameId: t.beginFrame.frameId,
      layerTreeId: t.beginFrame.layerTreeId,
      drawn: t.drawn ?? null,
    });
    pending = [];
  }
  return out;
}

/** When the renderer's compositor drew the frame: the first DrawFrame after the activation of its commit (µs), or null. */
function compositorDraw(thread, frame) {
  const act = thread.activations.find((a) => a.frameId === frame.frameId && a.layerTreeId === frame.layerTreeId);
  if (!act) return null;
  return thread.draws.find((d) => d.layerTreeId === frame.layerTreeId && d.ts >= act.ts)?.ts ?? null;
}

/** Main-thread time (ms) of the tasks (not the benchmark's own) inside [from, to] (µs), counting only the part inside. */
function busyBetween(thread, from, to) {
  let sum = 0;
  for (const t of thread.tasks) {
    if (t.bench || t.end <= from || t.ts >= to) continue;
    sum += Math.min(t.end, to) - Math.max(t.ts, from);
  }
  return ms(sum);
}

// ---------------------------------------------------------------- readings

/** A frame as the benchmark reports it (ms). */
function frameFigures(f) {
  // start, end: the frame's bounds on the trace's clock (µs), to find the painter's frames beside it.
  return { whole: f.wall, cpu: f.cpu, work: f.drawn?.work ?? NaN, frameTask: ms(f.task.dur), kinds: f.kinds, start: f.beginStart, end: f.end };
}

/**
 * The frames drawn while playing: after the `click` that pressed Play and the frame that
 * showed it, before the next `click` (Pause), if any.
 */
export function playedFrames(thread) {
  const clicks = thread.slices.filter((s) => s.name === "EventDispatch" && s.args?.data?.type === "click").map((s) => s.ts);
  if (!clicks.length) throw new Error("no click on Play in the trace");
  const to = clicks[1] ?? Infinity;
  return thread.frames
    .filter((f) => f.drawn && f.beginStart > clicks[0] && f.end < to)
    .slice(1)
    .map(frameFigures);
}

/**
 * One reading per input: the inputs are separated by clock-sync markers named `${prefix}N`.
 * In each window: the first dispatch of DOM event `type` on the main thread (start), the
 * first frame after it that the page drew in (the frame that shows the input) and, if the
 * frame ends inside the window, { latency: start → end of that frame task (its commit
 * included), drawn: start → the compositor's DrawFrame of it, busy: main-thread time from
 * start to the frame's end, and the frame's own figures }. null for a window without
 * both.
 */
export function inputReadings(events, thread, prefix, type, painter = null) {
  const marks = events
    .filter((e) => e.name === "clock_sync" && String(e.args?.sync_id).startsWith(prefix))
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  return marks.map((from, i) => {
    const to = marks[i + 1] ?? Infinity;
    const start = thread.slices.find((s) => s.ts >= from && s.ts < to && s.name === "EventDispatch" && s.args?.data?.type === type);
    if (!start) return null;
    const f = thread.frames.find((x) => x.drawn && x.drawn.ts > start.ts);
    if (!f || f.end >= to) return null;
    const drawnAt = compositorDraw(thread, f);
    // The painter's first frame after the page sent it this state: the input on screen.
    const p = painter?.tasks.find((t) => t.painted && t.ts >= f.beginStart && t.end < to);
    return {
      latency: ms(f.end - start.ts),
      painted: p ? ms(p.end - start.ts) : null,
      painterWhole: p ? ms(p.dur) : null,
      painterWork: p ? p.painted.work : null,
      drawn: drawnAt === null ? null : ms(drawnAt - start.ts),
      busy: busyBetween(thread, start.ts, f.end),
      ...frameFigures(f),
    };
  });
}

/**
 * The first load of `url` in a trace that began before the navigation: milestones in ms
 * after navigationStart, the main thread's time up to the first figure, and what the
 * first figure's frame task spent its time on.
 */
export function loadReading(events, url) {
  const nav = events.find((e) => e.name === "navigationStart" && e.args?.data?.documentLoaderURL?.startsWith(url));
  if (!nav) throw new Error(`no navigation to ${url} in the trace`);
  const thread = readThread(events, { pid: nav.pid, tid: nav.tid });
  const at = (ts) => (ts === undefined || ts === null ? null : ms(ts - nav.ts));
  const first = thread.frames.find((f) => f.drawn);
  if (!first) return null;
  const named = (name) => thread.slices.filter((s) => s.name === name && s.ts >= nav.ts && s.ts <= first.end);
  const sum = (name) => ms(named(name).reduce((s, x) => s + x.dur, 0));
  const resources = requests(events, nav.pid);
  const resource = (suffix) => resources.find((r) => new URL(r.url).pathname.endsWith(suffix)) ?? {};
  const wasm = resource(".wasm");
  const app = resource("/app.js");
  const instantiated = named("wasm.AsyncInstantiate")[0];
  const dcl = events.filter((e) => e.name === "domContentLoadedEventEnd" && e.pid === nav.pid && e.args?.frame === nav.args.frame && e.ts < first.drawn.ts).at(-1);
  const fcp = events.find((e) => e.name === "firstContentfulPaint" && e.args?.data?.navigationId === nav.args.data.navigationId);
  const raf = findSlice(first.task, (s) => s.name === "FireAnimationFrame");
  const painter = painterThread(events, nav.pid);
  const painted = painter?.tasks.find((t) => t.painted);
  return {
    htmlParse: at(named("ParseHTML").find((s) => s.args?.beginData?.url?.startsWith(url))?.ts),
    appJs: at(app.finish),
    domContentLoaded: at(dcl?.ts),
    firstContentfulPaint: at(fcp?.ts),
    wasmRequest: at(wasm.send),
    wasmResponse: at(wasm.response),
    wasmResponseEnd: at(wasm.finish),
    wasmCompiled: at(named("v8.wasm.compileConsumeDone")[0]?.end),
    wasmInstantiated: at(instantiated?.end),
    firstRaf: at(raf?.ts),
    firstDrawnMark: at(first.drawn.ts),
    figureCommitted: at(first.end),
    figureDrawn: at(compositorDraw(thread, first)),
    figurePainted: at(painted?.end),
    painterFirstFrame: painted ? ms(painted.dur) : null,
    mainThreadBusy: busyBetween(thread, nav.ts, first.end),
    startupBusy: instantiated ? busyBetween(thread, instantiated.end, first.beginStart) : null,
    wasmStreamingMain: sum("v8.wasm.compileConsume"),
    wasmLazyCompile: sum("wasm.CompileLazy"),
    firstFrameTask: { whole: ms(first.task.dur), cpu: ms(first.task.cpu), kinds: kindsOf([first.task]) },
  };
}

/** The page's requests as its renderer saw them: { url, send, response, finish } (µs). */
function requests(events, pid) {
  const byId = new Map();
  for (const e of events) {
    if (e.pid !== pid || !e.name.startsWith("Resource")) continue;
    const d = e.args?.data;
    if (!d?.requestId) continue;
    if (e.name === "ResourceSendRequest") byId.set(d.requestId, { url: d.url, send: e.ts });
    const r = byId.get(d.requestId);
    if (!r) continue;
    if (e.name === "ResourceReceiveResponse") r.response = e.ts;
    if (e.name === "ResourceFinish") r.finish = e.ts;
  }
  return [...byId.values()];
}
