// Start Det Fælles Designsystem's components. Everything on the site also works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});
