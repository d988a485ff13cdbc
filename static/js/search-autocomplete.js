// Autocomplete for the header search box: page titles while typing, from
// /api/v1/search/autocomplete. Progressive enhancement: without JavaScript the
// box is a plain form that submits to /soeg/. Enter without a chosen
// suggestion still submits the form.
(function () {
  "use strict";

  function setUp(input) {
    var url = input.getAttribute("data-autocomplete-url");
    if (!url || !window.fetch) {
      return;
    }
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "samspil-autocomplete nobullet-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-autocomplete-label") || "");
    list.hidden = true;
    input.parentNode.appendChild(list);
    // Styled from script (CSSOM, which the CSP allows) so that the list floats under the box.
    input.parentNode.style.position = "relative";
    list.style.cssText = "position:absolute;left:0;right:0;top:100%;z-index:10;margin:0;padding:0;" +
      "background:#fff;border:1px solid #747474;list-style:none";
    // The box keeps its searchbox role (what assistive technology and the tests look for).
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var active = -1;
    var latest = 0;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function mark(index) {
      var items = options();
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      list.textContent = "";
      active = -1;
      if (!suggestions.length) {
        close();
        return;
      }
      suggestions.forEach(function (suggestion, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var link = document.createElement("a");
        link.href = suggestion.url;
        link.textContent = suggestion.title;
        link.tabIndex = -1;
        link.style.cssText = "display:block;padding:0.4rem 0.8rem";
        item.appendChild(link);
        list.appendChild(item);
      });
      list.hidden = false;
    }

    function lookUp() {
      var text = input.value.trim();
      if (text.length < 2) {
        close();
        return;
      }
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (ticket === latest) {
            show(data.suggestions || []);
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 150);
    });
    input.addEventListener("keydown", function (event) {
      var items = options();
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        mark((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        mark(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter" && active >= 0 && items[active]) {
        event.preventDefault();
        window.location.href = items[active].querySelector("a").href;
      }
    });
    input.addEventListener("blur", function () {
      // Late enough for a click on a suggestion to follow its link.
      window.setTimeout(close, 200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("input[data-autocomplete-url]");
    for (var i = 0; i < boxes.length; i++) {
      setUp(boxes[i]);
    }
  });
})();
