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

// A baked page (served as a file, the same for everyone) comes with the anonymous header. Its
// body names the login-state endpoint: the user's name, modules and logout replace "Log ind",
// and the forms get this visitor's CSRF token (the bake leaves it empty).
document.addEventListener("DOMContentLoaded", function () {
  var url = document.body.getAttribute("data-login-status-url");
  if (!url || !window.fetch) {
    return;
  }
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.ok && type.indexOf("application/json") === 0 ? response.json() : null;
    })
    .then(function (data) {
      if (!data) {
        return;
      }
      document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
        input.value = data.csrf_token;
      });
      if (!data.authenticated) {
        return;
      }
      document.querySelectorAll(".portal-user").forEach(function (slot) {
        slot.innerHTML = data.header_html;
      });
      document.querySelectorAll(".portal-info-mobile").forEach(function (slot) {
        slot.innerHTML = data.drawer_html;
      });
      showWaitingBadge();
    })
    .catch(function () {});
});
