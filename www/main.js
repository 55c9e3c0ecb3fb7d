// Loads the WebAssembly module and shows what it reports.
import init, { version, surface_names } from "./pkg/gradscape.js";

const status = document.getElementById("status");

async function main() {
  await init();

  document.getElementById("title").textContent = `gradscape v${version()}`;

  const names = surface_names();
  const list = document.getElementById("surfaces");
  for (const name of names) {
    const li = document.createElement("li");
    li.textContent = name;
    list.append(li);
  }
  list.dataset.count = String(names.length);

  status.textContent = `${names.length} surface${names.length === 1 ? "" : "s"}`;
  document.body.dataset.ready = "1";
}

main().catch((err) => {
  status.textContent = `Failed to load: ${err}`;
  status.className = "error";
  document.body.dataset.ready = "error";
  console.error(err);
});
