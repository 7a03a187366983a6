// Chain forms: show only the fields that belong to the chosen scope of a chain, or to the
// chosen kind of actor (all stay in the form, so a page without JavaScript still works;
// the server ignores the others). Runs again on content htmx loads (the actor panel),
// and brings that panel into view.
(function () {
  "use strict";
  function toggle(form, select, attribute) {
    form.querySelectorAll("[" + attribute + "]").forEach(function (box) {
      var wanted = box.getAttribute(attribute).split(" ");
      box.hidden = wanted.indexOf(select.value) === -1;
    });
  }
  function wire(root) {
    root.querySelectorAll("form").forEach(function (form) {
      [["scope", "data-scope-field"], ["identity", "data-identity-field"]].forEach(function (pair) {
        var select = form.querySelector("select[name='" + pair[0] + "']");
        if (!select || select.dataset.wired) { return; }
        select.dataset.wired = "1";
        select.addEventListener("change", function () { toggle(form, select, pair[1]); });
        toggle(form, select, pair[1]);
      });
    });
  }
  wire(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    wire(event.target);
    // an actor chosen in the list below the diagram: bring its panel into view, and
    // move the focus to its name so a keyboard or screen-reader user lands there too
    if (event.target.id === "actor-panel") {
      var heading = event.target.querySelector("h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
      event.target.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  });
})();
