// Forms that open on demand (a Bootstrap collapse with the class `kb-on-demand`): when one
// opens, the cursor goes to its first field, so that keyboard users type where they look;
// when the page comes back with a form's errors, the form is open and the cursor waits in
// its first field with an error.
(function () {
  "use strict";
  var FIELDS = "input:not([type=hidden]), select, textarea";
  document.addEventListener("shown.bs.collapse", function (event) {
    var panel = event.target;
    if (!panel.classList || !panel.classList.contains("kb-on-demand")) { return; }
    var field = panel.querySelector(FIELDS);
    if (field) { field.focus(); }
  });
  var invalid = document.querySelector(".kb-on-demand.show .is-invalid");
  if (invalid) { invalid.focus(); }
})();
