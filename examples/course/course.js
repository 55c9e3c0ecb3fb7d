// An example course page: two embedded playgrounds, one showing a preset, one set up as a
// challenge and driven through gradscape's embed API (embed.js, served by the playground).
// The playground's address comes from ?playground=… (default: `make course`'s).

const base = new URL(new URLSearchParams(location.search).get("playground") ?? "http://127.0.0.1:8000/");
const { attach } = await import(new URL("embed.js", base).href);

const demo = document.getElementById("demo");
demo.src = new URL("?preset=momentum-overshoots&embed=1&autoheight=1&show=contour,transport,status,loss", base).href;

// The challenge: GD on the elliptic valley, everything fixed but α; commands are taken from this page only.
const scenario = [
  "surface=ellipse",
  "steps=200",
  "opt=gd:lr=0.01,name=you",
  "goal=loss<1e-3",
  "within=200",
  "lock=surface,start,rule,optimizers,params",
  "title=" + encodeURIComponent("Challenge: a learning rate for the valley"),
  "embed=1",
  "show=contour,transport,status,loss",
  "origin=" + encodeURIComponent(location.origin),
].join("&");
const frame = document.getElementById("challenge");
frame.src = new URL("?" + scenario, base).href;

const log = (text) => document.getElementById("log").append(Object.assign(document.createElement("li"), { textContent: text }));
const result = document.getElementById("result");

const g = await attach(frame);
log(`ready: gradscape ${g.version}`);
g.on("challenge", (e) => {
  result.className = `result ${e.state}`;
  result.textContent =
    e.state === "passed" ? `Passed: ${e.by} reached ${e.goal} at step ${e.step}.` : `Not yet: the best loss was ${e.best?.toExponential(2)}. Try another α.`;
  log(`challenge: ${e.state} at step ${e.step}`);
});
g.on("converged", (e) => log(`converged: ${e.name} at step ${e.step}`));
g.on("diverged", (e) => log(`diverged: ${e.name} at step ${e.step}`));
g.on("error", (e) => log(`error: ${e.message}`));

const tryRate = async (lr) => {
  result.className = "result";
  result.textContent = `Running with α = ${lr}…`;
  await g.set("lr", lr, 1);
  await g.seek(0);
  await g.play();
};
document.getElementById("small").addEventListener("click", () => tryRate(0.02));
document.getElementById("large").addEventListener("click", () => tryRate(0.05));
document.getElementById("play").addEventListener("click", () => g.play());
document.getElementById("restart").addEventListener("click", () => g.seek(0));
