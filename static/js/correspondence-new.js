// The new-message form: only the chosen way of addressing is sent. The stylesheet already shows
// only the chosen option's selects (and the form works without this script); here the others'
// selects are disabled, so a department picked before switching to a specialty is not sent along.
document.addEventListener("DOMContentLoaded", function () {
  var fieldset = document.querySelector(".samspil-recipient");
  if (!fieldset) {
    return;
  }
  var radios = fieldset.querySelectorAll("input[name=recipient_kind]");
  function update() {
    var chosen = fieldset.querySelector("input[name=recipient_kind]:checked");
    fieldset.querySelectorAll(".samspil-recipient-option").forEach(function (option) {
      var off = chosen !== null && option.getAttribute("data-recipient-kind") !== chosen.value;
      option.querySelectorAll("select").forEach(function (select) {
        select.disabled = off;
      });
      option.hidden = off;
    });
    fieldset.classList.remove("samspil-recipient--all");
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  // After a "both at once" error every option stays visible until the user picks a way again.
  if (!fieldset.classList.contains("samspil-recipient--all")) {
    update();
  }
});
