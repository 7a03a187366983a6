// Small page behaviours, declared in the markup instead of inline event handlers (the
// Content-Security-Policy allows no inline script): `data-confirm` on a form asks before
// it is sent, `data-autosubmit` on a select sends its form when the choice changes.
// Delegated from the document, so content that htmx loads later behaves the same.
// A table too wide for the screen (`.table-responsive` that scrolls sideways, as on a
// phone) becomes a tab stop, so that it can be scrolled by keyboard too (WCAG 2.1.1).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) { field.form.submit(); }
  });
  function markScrollable() {
    document.querySelectorAll(".table-responsive").forEach(function (region) {
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("data-kb-scrollable", "");
      } else if (!scrolls && region.hasAttribute("data-kb-scrollable")) {
        region.removeAttribute("tabindex");
        region.removeAttribute("data-kb-scrollable");
      }
    });
  }
  var pending = null;
  function markSoon() {
    window.clearTimeout(pending);
    pending = window.setTimeout(markScrollable, 100);
  }
  markScrollable();
  window.addEventListener("resize", markSoon);
  window.addEventListener("load", markScrollable);
  ["htmx:afterSettle", "shown.bs.tab", "shown.bs.collapse"].forEach(function (name) {
    document.addEventListener(name, markSoon);
  });
})();
