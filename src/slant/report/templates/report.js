"use strict";
(() => {
  const marks = Array.from(document.querySelectorAll("mark.t"));
  const slider = document.getElementById("min-score");
  const shown = document.getElementById("shown");
  const value = document.getElementById("min-score-value");
  const tip = document.getElementById("tip");

  // Hide the highlights scored below the slider and count the findings still shown.
  function filter() {
    const min = Number(slider.value);
    const visible = new Set();
    for (const mark of marks) {
      const on = Number(mark.dataset.score) >= min;
      mark.classList.toggle("off", !on);
      if (mark.hasAttribute("tabindex")) mark.tabIndex = on ? 0 : -1;
      if (on) visible.add(mark.dataset.id);
    }
    value.textContent = min.toFixed(2);
    shown.textContent = String(visible.size);
    hide();
  }

  // Show or hide the underlines of another analyzer's findings (sources, claims, framing).
  function toggle(event) {
    for (const span of document.querySelectorAll(".u")) {
      if (span.dataset.layer === event.target.value) span.classList.toggle("on", event.target.checked);
    }
  }

  // The tooltip lists every shown finding covering the pointed words, innermost first (text only).
  const SHOWN = "mark.t:not(.off), .u.on";
  function show(target) {
    const chain = [];
    for (let mark = target.closest(SHOWN); mark; mark = mark.parentElement.closest(SHOWN)) chain.push(mark);
    if (chain.length === 0) return hide();
    tip.replaceChildren(...chain.map((mark) => {
      const line = document.createElement("p");
      const name = document.createElement("strong");
      name.textContent = mark.dataset.name;
      line.append(name, ` · confidence ${Number(mark.dataset.score).toFixed(2)}`);
      if (mark.dataset.def) line.append(document.createElement("br"), mark.dataset.def);
      return line;
    }));
    tip.hidden = false;
    // Below the words, or above them when the window has no room below.
    const box = chain[0].getBoundingClientRect();
    const below = box.bottom + 6 + tip.offsetHeight <= window.innerHeight;
    const top = below ? box.bottom + 6 : box.top - 6 - tip.offsetHeight;
    tip.style.left = `${Math.max(4, Math.min(box.left, window.innerWidth - tip.offsetWidth - 4)) + window.scrollX}px`;
    tip.style.top = `${Math.max(4, top) + window.scrollY}px`;
  }

  function hide() {
    tip.hidden = true;
  }

  slider.addEventListener("input", filter);
  filter(); // start from the model's display threshold
  for (const box of document.querySelectorAll("input.layer")) box.addEventListener("change", toggle);
  document.addEventListener("mouseover", (event) => {
    if (event.target instanceof Element && event.target.closest(SHOWN)) show(event.target);
    else hide();
  });
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("mark.t")) show(event.target);
    else hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  filter();
})();
