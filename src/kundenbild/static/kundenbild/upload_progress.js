// Shows how far the upload is, then that the server is checking, and then shows its
// answer (the dry-run report or the form with its errors) as the new page.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var box = document.getElementById("upload-progress");
  if (!form || !box || !window.FormData) { return; }
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-uploading]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    box.classList.remove("d-none");
    label.textContent = label.dataset.uploading;
    form.querySelector("button[type=submit]").disabled = true;
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round(100 * e.loaded / e.total);
      bar.style.width = percent + "%";
      bar.parentElement.setAttribute("aria-valuenow", percent);
      if (percent >= 100) { label.textContent = label.dataset.checking; }
    });
    xhr.addEventListener("load", function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () { form.submit(); });
    xhr.send(new FormData(form));
  });
})();
