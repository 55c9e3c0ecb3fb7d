// Sharing: the share link, the Embed dialog's snippet, and exports (PNG, CSV, JSON). Every
// scenario text here is written by the engine.

import { exportPng } from "./loop.js";
import { $, S, el, showNotice } from "./state.js";

/** A link to this scenario at this moment: with its preset, its title and the step reached (`t=`). */
export function shareUrl(text = S.pg.linkText(false)) {
  const u = new URL(location.href);
  u.search = "?" + text;
  u.hash = "";
  return u.toString();
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = el("textarea", { value: text, readOnly: true });
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

export function flash(button, text) {
  const old = button.dataset.label ?? button.textContent;
  button.dataset.label = old;
  button.textContent = text;
  setTimeout(() => (button.textContent = old), 1400);
}

function download(name, blob) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Download view `view` as an SVG at its size on screen. The SVG exporter is a module of its own
 * (the page's carries no SVG backend), loaded the first time: it replays the scenario to the
 * step shown (runs are a function of the text and the step) and draws it.
 */
async function exportSvg(view) {
  const box = $(view === "contour" ? "overlay" : view).getBoundingClientRect();
  let p;
  try {
    const svg = await import("./pkg-svg/gradscape_svg.js");
    await (S.svgReady ??= svg.default());
    p = new svg.Playground(S.pg.text());
    p.step(S.pg.currentStep());
    const text = p.exportSvg(view, Math.round(box.width), Math.round(box.height));
    download(`gradscape-${view}.svg`, new Blob([text], { type: "image/svg+xml" }));
  } catch (e) {
    S.svgReady = null;
    showNotice(`The ${view} view could not be saved as SVG.`, [e.message ?? String(e)]);
  } finally {
    p?.free();
  }
}

export function exportView(kind) {
  if (kind === "csv") return download("gradscape-trajectories.csv", new Blob([S.pg.exportCsv()], { type: "text/csv" }));
  if (kind === "json") return download("gradscape-trajectories.json", new Blob([S.pg.exportJson()], { type: "application/json" }));
  if (kind.endsWith("-svg")) return exportSvg(kind.slice(0, -4));
  const scale = $("export-2x")?.checked ? 2 : 1;
  exportPng(kind, scale).then(
    (b) => download(`gradscape-${kind}${scale === 2 ? "@2x" : ""}.png`, b),
    (e) => showNotice(`The ${kind} view could not be saved as PNG.`, [e.message]),
  );
}

// ---------------------------------------------------------------- embed

/** The views an embed can show: the `show` row's choices. */
const views = () => S.cat.params.find((p) => p.key === "show" && p.scope === "page").choices;

export function openEmbed() {
  const box = $("embed-options");
  if (!box.children.length) {
    for (const v of views()) {
      const cb = el("input", { type: "checkbox", value: v.name, checked: v.in_embed });
      cb.addEventListener("change", updateEmbedCode);
      box.append(el("label", {}, cb, ` ${v.label}`));
    }
    $("embed-height").addEventListener("input", updateEmbedCode);
  }
  updateEmbedCode();
  $("embed-dialog").hidden = false;
  $("embed-code").focus();
}

function escapeAttr(s) {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function updateEmbedCode() {
  const chosen = [...$("embed-options").querySelectorAll("input:checked")].map((c) => c.value);
  // At least the first view (the contour): an embed showing nothing would be empty.
  const text = S.pg.embedText((chosen.length ? chosen : [views()[0].name]).join(","));
  const input = $("embed-height");
  const h = Math.max(Number(input.min), Math.min(Number(input.max), Number(input.value) || Number(input.defaultValue)));
  // The frame's title, for screen readers and the parent's outline: the lesson's, as shown.
  const title = `gradscape: ${$("lesson").hidden ? "gradient descent playground" : $("scenario-title").textContent}`;
  $("embed-code").value =
    `<iframe src="${escapeAttr(shareUrl(text))}" width="100%" height="${h}" ` +
    `style="border:0;max-width:100%" loading="lazy" title="${escapeAttr(title)}"></iframe>`;
}

export function wireShare() {
  // The full playground's link from an embed opens at the step the embed has reached.
  const full = $("full-link");
  const aim = () => (full.href = "./?" + S.pg.linkText(true));
  for (const ev of ["pointerdown", "focus", "click", "contextmenu"]) full.addEventListener(ev, aim);
  $("copy-link").addEventListener("click", async () => flash($("copy-link"), (await copyText(shareUrl())) ? "Copied ✓" : "Copy failed"));
  $("open-embed").addEventListener("click", openEmbed);
  $("embed-close").addEventListener("click", () => ($("embed-dialog").hidden = true));
  $("embed-copy").addEventListener("click", async () => flash($("embed-copy"), (await copyText($("embed-code").value)) ? "Copied ✓" : "Copy failed"));
  $("embed-dialog").addEventListener("keydown", (e) => {
    if (e.key === "Escape") $("embed-dialog").hidden = true;
  });
  // Esc closes the export menu and gives the focus back to its button; so does a click elsewhere.
  const menu = $("export-menu");
  menu.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !menu.open) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", (e) => {
    if (menu.open && !menu.contains(e.target)) menu.open = false;
  });
  for (const b of document.querySelectorAll("[data-export]")) {
    b.addEventListener("click", () => {
      exportView(b.dataset.export);
      $("export-menu").open = false;
    });
  }
}
