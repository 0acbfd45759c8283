/* Live preview of the eligibility-rule editor: while the rule is typed, ask the server (after a
   pause of 400 ms) how many match it per district, or where it goes wrong, and show its answer.
   Without this script the page's Preview button gives the same figures. */
(function () {
  "use strict";

  var DELAY = 400;

  function setup() {
    var textarea = document.querySelector("textarea[data-preview-url]");
    if (!textarea) return;
    var output = document.getElementById(textarea.dataset.previewOutput);
    var check = document.getElementById("rule-check");
    var words = document.getElementById("rule-words");
    // A programme not saved yet: its target comes from the form's field and goes with the text.
    var targetField = textarea.dataset.previewTarget ? document.getElementById(textarea.dataset.previewTarget) : null;
    var timer = null;
    var controller = null;
    var sequence = 0;

    function show(data) {
      output.innerHTML = data.html || "";  // rendered and escaped by the server's template
      if (check) check.innerHTML = "";  // the preview now shows the error of the current text
      if (words) words.textContent = data.description ? words.dataset.prefix + " " + data.description : "";
      var invalid = !data.ok && !data.empty;
      if (invalid) {
        textarea.setAttribute("aria-invalid", "true");
      } else {
        textarea.removeAttribute("aria-invalid");
      }
    }

    function failed() {
      output.textContent = output.dataset.failed || "";
    }

    function run() {
      var mine = ++sequence;
      if (controller) controller.abort();
      controller = new AbortController();
      output.setAttribute("aria-busy", "true");
      var params = {text: textarea.value};
      if (targetField) params.target = targetField.value;
      var url = textarea.dataset.previewUrl + "?" + new URLSearchParams(params).toString();
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin", signal: controller.signal})
        .then(function (response) { return response.json(); })
        .then(function (data) { if (mine === sequence) show(data); })
        .catch(function (error) { if (error.name !== "AbortError" && mine === sequence) failed(); })
        .then(function () { if (mine === sequence) output.removeAttribute("aria-busy"); });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DELAY);
    });
    if (targetField) {
      targetField.addEventListener("change", function () {
        window.clearTimeout(timer);
        if (textarea.value.trim()) run();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
