// hnd's progressive enhancements. Every page works without this file:
// a date field takes dd/mm/yyyy typed, a unit field takes a unit's code.
// With it, a date field gets a calendar and a unit field a search by name.
"use strict";
(function () {
  const body = document.body;
  const pad = (n) => String(n).padStart(2, "0");

  // ---------------------------------------------------------------- dates
  // A text field for dd/mm/yyyy (the full keyboard, where "/" is) and,
  // beside it, the browser's own calendar filling it in.
  function toIso(text) {
    const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
    return m ? `${m[3]}-${pad(m[2])}-${pad(m[1])}` : "";
  }
  for (const input of document.querySelectorAll("input[data-date]")) {
    const wrap = document.createElement("span");
    wrap.className = "date-field";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    const calendar = document.createElement("input");
    calendar.type = "date";
    calendar.tabIndex = -1;
    calendar.title = body.dataset.calendar || "";
    calendar.setAttribute("aria-label", calendar.title);
    calendar.value = toIso(input.value);
    calendar.addEventListener("change", () => {
      const [y, m, d] = calendar.value.split("-");
      if (y) input.value = `${d}/${m}/${y}`;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    input.addEventListener("change", () => (calendar.value = toIso(input.value)));
    wrap.appendChild(calendar);
  }

  // ---------------------------------------------------------------- units
  // A unit field: the user types a name without accents and picks from
  // the units of their own part of the tree; the field keeps the code.
  // The last choices are remembered on this device.
  const RECENT = "hnd.recent-units";
  const recent = () => {
    try { return JSON.parse(localStorage.getItem(RECENT)) || []; } catch (_) { return []; }
  };
  const remember = (unit) => {
    const list = [unit, ...recent().filter((u) => u.code !== unit.code)].slice(0, 6);
    try { localStorage.setItem(RECENT, JSON.stringify(list)); } catch (_) { /* private mode */ }
  };
  let counter = 0;
  for (const input of document.querySelectorAll("input[data-unit-picker]")) {
    const action = input.dataset.unitPicker;
    const box = document.createElement("div");
    box.className = "picker";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    const list = document.createElement("ul");
    list.id = `unit-options-${++counter}`;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.appendChild(list);
    const chosen = document.createElement("small");
    chosen.className = "chosen code";
    box.appendChild(chosen);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    let units = [], active = -1, timer = null, asked = 0;
    const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; };
    const show = (found, heading) => {
      units = found;
      list.replaceChildren();
      if (heading) {
        const li = document.createElement("li");
        li.setAttribute("role", "presentation");
        li.innerHTML = "<small></small>";
        li.firstChild.textContent = heading;
        list.appendChild(li);
      }
      found.forEach((u, i) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = `${list.id}-${i}`;
        li.textContent = u.name;
        const path = document.createElement("small");
        path.textContent = [u.code, u.path].filter(Boolean).join(" · ");
        li.appendChild(path);
        li.addEventListener("mousedown", (e) => { e.preventDefault(); pick(u); });
        list.appendChild(li);
      });
      list.hidden = found.length === 0 && !heading;
      input.setAttribute("aria-expanded", String(!list.hidden));
    };
    const pick = (u) => {
      input.value = u.code;
      chosen.textContent = u.path ? `${u.name} · ${u.path}` : u.name;
      remember(u);
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };
    const mark = (i) => {
      const options = list.querySelectorAll("[role=option]");
      options.forEach((o, j) => o.setAttribute("aria-selected", String(i === j)));
      active = i;
      if (options[i]) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      }
    };
    const search = () => {
      const q = input.value.trim();
      if (!q) { show(recent(), recent().length ? body.dataset.unitRecent : ""); return; }
      const ask = ++asked;
      fetch(`/units/pick?for=${encodeURIComponent(action)}&q=${encodeURIComponent(q)}`, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : []))
        .then((found) => {
          if (ask !== asked) return;
          show(found, found.length ? "" : body.dataset.unitNone);
        })
        .catch(() => {});
    };
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
    input.addEventListener("focus", () => { if (!input.value.trim()) search(); });
    input.addEventListener("blur", () => setTimeout(close, 100));
    input.addEventListener("keydown", (e) => {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark(Math.min(active + 1, units.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); pick(units[active]); }
      else if (e.key === "Escape") { close(); }
    });
  }

  // ------------------------------------------------------------- errors
  // A refused form's message is where the user looks: scroll to it.
  const alert = document.querySelector("main [role=alert]");
  if (alert && alert.getBoundingClientRect().top > innerHeight) {
    alert.scrollIntoView({ block: "center" });
  }
})();
