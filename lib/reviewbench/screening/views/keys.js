function render({ model, el }) {
  const strip = document.createElement("div");
  strip.className = "rb-keys";
  strip.tabIndex = 0;
  strip.textContent = model.get("label");
  strip.style.cssText = "padding:4px 8px;border:1px dashed #999;border-radius:4px;color:#444;" +
    "font-size:12px;cursor:pointer;outline:none;user-select:none";
  strip.addEventListener("focus", () => { strip.style.borderColor = "#1976d2"; strip.style.color = "#1976d2"; });
  strip.addEventListener("blur", () => { strip.style.borderColor = "#999"; strip.style.color = "#444"; });
  el.appendChild(strip);
  const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  const onKey = (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    if (!model.get("shortcut_keys").includes(key)) return;
    ev.preventDefault();
    ev.stopPropagation();
    model.send({ key: key });
  };
  let host = null;
  const attach = (tries) => {
    host = el.closest(".rb-screening");
    if (!host && tries > 0) { setTimeout(() => attach(tries - 1), 50); return; }
    host = host || el;
    if (!host.hasAttribute("tabindex")) { host.tabIndex = -1; host.style.outline = "none"; }
    host.addEventListener("keydown", onKey);
  };
  attach(100);
  model.on("msg:custom", (msg) => { if (msg && msg.focus) strip.focus({ preventScroll: true }); });
  if (model.get("autofocus")) setTimeout(() => strip.focus({ preventScroll: true }), 100);
  return () => { if (host) host.removeEventListener("keydown", onKey); };
}
export default { render };
