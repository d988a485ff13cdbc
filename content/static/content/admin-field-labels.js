// The tag field's visible text box is made by Wagtail's tag widget after the page loads and has
// no <label> (the label points at the hidden input that holds the tags): axe's critical "form
// elements must have labels". Give it the field's own label as its accessible name.
(function () {
  "use strict";

  function labelTagInputs() {
    document.querySelectorAll("input.ui-autocomplete-input:not([aria-label])").forEach(function (input) {
      var field = input.closest(".w-field");
      var label = field && field.querySelector(".w-field__label, label");
      var text = label ? label.textContent.replace(/\*/g, "").trim() : "";
      input.setAttribute("aria-label", text || input.getAttribute("placeholder") || "Tags");
    });
  }

  function start() {
    labelTagInputs();
    new MutationObserver(labelTagInputs).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
