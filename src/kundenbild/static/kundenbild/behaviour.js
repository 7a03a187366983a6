// Small page behaviours, declared in the markup instead of inline event handlers (the
// Content-Security-Policy allows no inline script): `data-confirm` on a form asks before
// it is sent, `data-autosubmit` on a select sends its form when the choice changes.
// Delegated from the document, so content that htmx loads later behaves the same.
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
})();
