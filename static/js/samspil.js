// Start Det Fælles Designsystem's components. Everything on the site also works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
  showWaitingBadge();
});

// The number of things waiting for the user, next to "Mit overblik" in the menu. Asked once
// after the page has loaded, so that no page waits for it; without JavaScript there is no badge.
function showWaitingBadge() {
  var slots = document.querySelectorAll("[data-badge-url]");
  if (!slots.length || !window.fetch) {
    return;
  }
  fetch(slots[0].getAttribute("data-badge-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (data) {
      if (!data || !data.count) {
        return;
      }
      slots.forEach(function (slot) {
        var badge = document.createElement("span");
        badge.className = "badge badge-info samspil-badge";
        badge.textContent = String(data.count);
        badge.setAttribute("aria-label", data.label);
        slot.replaceChildren(badge);
      });
    })
    .catch(function () {});
}
