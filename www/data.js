// The data-set surfaces' own data: the Data set picker (generated examples, a shipped real
// data set, or your own rows), a CSV pasted, dropped or opened from a file, and saving the
// rows in use. The engine parses and checks every row (the line and column of a problem come
// from it); this module only moves text.

import { download } from "./share.js";
import { $, S, apply, el } from "./state.js";

/** The value of the picker's "your own rows" entry. */
const OWN = "own";

/** Put a file's text into the CSV box and use it. */
async function useFile(file) {
  if (!file) return;
  $("data-own").open = true;
  $("data-csv").value = await file.text();
  useCsv();
}

function useCsv() {
  const box = $("data-csv");
  if (apply((pg) => pg.setDataCsv(box.value), box)) box.removeAttribute("aria-invalid");
}

export function wireData() {
  const pick = $("data-source");
  pick.addEventListener("change", () => {
    if (pick.value === OWN) {
      // Your own rows start from the ones shown, to edit.
      $("data-own").open = true;
      if (!$("data-csv").value.trim()) $("data-csv").value = S.pg.dataCsv();
      $("data-csv").focus();
      return;
    }
    apply((pg) => pg.setData(pick.value), pick);
  });
  $("data-use").addEventListener("click", useCsv);
  $("data-file").addEventListener("change", (e) => {
    useFile(e.target.files?.[0]);
    e.target.value = "";
  });
  $("data-save").addEventListener("click", () => download(`gradscape-${S.config.surface}-data.csv`, new Blob([S.pg.dataCsv()], { type: "text/csv" })));
  // A CSV file dropped anywhere on the data box.
  const box = $("data-box");
  box.addEventListener("dragover", (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes("Files")) return;
    e.preventDefault();
    box.classList.add("drop");
  });
  box.addEventListener("dragleave", () => box.classList.remove("drop"));
  box.addEventListener("drop", (e) => {
    box.classList.remove("drop");
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    useFile(file);
  });
}

/** Show the data box for a data-set surface: what it uses, the choices, the columns it takes. */
export function renderData(surface) {
  const def = surface?.data;
  const box = $("data-box");
  box.hidden = !def;
  if (!def) return;
  const used = S.config.data;
  const pick = $("data-source");
  pick.replaceChildren(
    el("option", { value: "", textContent: "generated examples" }),
    ...def.shipped.map((d) => el("option", { value: d.name, textContent: d.title })),
    el("option", { value: OWN, textContent: used && !used.shipped ? `your own rows (${used.rows})` : "your own rows…" }),
  );
  pick.value = used ? (used.shipped ?? OWN) : "";
  const shipped = def.shipped.find((d) => d.name === used?.shipped);
  $("data-help").textContent = !used
    ? `Seeded synthetic examples (N and the data seed below). Or use real data, or your own rows.`
    : shipped
      ? `${used.rows} rows: ${shipped.source}.`
      : `${used.rows} rows of your own; they travel in the link while it stays under ${S.cat.max_link.toLocaleString("en")} characters.`;
  const cols = def.columns.join(", ");
  const classes = def.columns.includes("class") ? "; class is 0, 1 or 2" : "";
  $("data-columns").textContent = `Columns ${cols}${classes}: one row per line, separated by commas, tabs or spaces; at most ${S.cat.max_rows.toLocaleString("en")} rows; a header line and # comments are skipped.`;
  const csv = $("data-csv");
  csv.placeholder = `${def.columns.join(",")}\n${def.columns.map((c) => (c === "class" ? "0" : "1.5")).join(",")}\n…`;
  $("data-save").hidden = !used;
}
