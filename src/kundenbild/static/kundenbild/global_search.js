// The top bar's search box as a combobox: htmx loads the suggestions into the listbox
// (the recently viewed customers while the box is empty); here the list opens and closes,
// the arrow keys move through it (aria-activedescendant, the focus stays in the box),
// Enter opens the chosen suggestion or, with none chosen, sends the form to the results
// page; Escape closes the list. "/" anywhere outside a field jumps to the box, opening
// the collapsed navigation on narrow screens first. Without JavaScript the box is a plain
// search form.
(function () {
  "use strict";
  var input = document.getElementById("kb-search-input");
  var list = document.getElementById("kb-search-list");
  if (!input || !list) { return; }
  var form = input.form;
  var active = -1;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
  }
  function isOpen() { return list.classList.contains("show"); }
  function choose(index) {
    var all = options();
    all.forEach(function (option, i) {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function open() {
    if (!list.querySelector('[role="option"]')) { close(); return; }
    list.classList.add("show");
    input.setAttribute("aria-expanded", "true");
  }
  function close() {
    list.classList.remove("show");
    input.setAttribute("aria-expanded", "false");
    choose(-1);
  }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== list) { return; }
    choose(-1);
    if (document.activeElement === input) { open(); } else { close(); }
  });

  input.addEventListener("keydown", function (event) {
    var all = options();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!isOpen()) { open(); }
      if (!all.length) { return; }
      var step = event.key === "ArrowDown" ? 1 : -1;
      choose(active < 0 && step < 0 ? all.length - 1 : (active + step + all.length) % all.length);
    } else if (event.key === "Enter") {
      if (isOpen() && active >= 0 && all[active]) {
        event.preventDefault();
        window.location.assign(all[active].href);
      }
    } else if (event.key === "Escape") {
      if (isOpen()) { event.preventDefault(); close(); }
    }
  });

  form.addEventListener("focusout", function (event) {
    if (!form.contains(event.relatedTarget)) { close(); }
  });
  window.addEventListener("pageshow", close);  // back from a result: no stale list

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    event.preventDefault();
    var nav = input.closest(".collapse");
    if (input.offsetParent === null && nav && window.bootstrap) {
      nav.addEventListener("shown.bs.collapse", function () { input.focus(); }, { once: true });
      window.bootstrap.Collapse.getOrCreateInstance(nav).show();
    }
    input.focus();
  });
})();
