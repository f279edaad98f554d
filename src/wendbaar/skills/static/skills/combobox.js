// The taxonomy search field: the project's combobox (web/combobox.js) over the skills app's suggestions;
// choosing a suggestion opens its occupation or skill page.
(function () {
  "use strict";
  var input = document.querySelector("input[role=combobox][data-suggest-url]");
  if (!input || !window.wendbaarCombobox) { return; }
  var base = window.location.pathname.replace(/\/$/, "");

  function kind() {
    var checked = document.querySelector("input[name=kind]:checked");
    return checked ? checked.value : "";
  }
  window.wendbaarCombobox(input, {
    list: document.getElementById(input.getAttribute("aria-controls")),
    status: document.getElementById("taxonomy-q-status"),
    delay: 120,
    clearOnEscape: true,
    url: function (q) { return input.dataset.suggestUrl + "?q=" + encodeURIComponent(q) + (kind() ? "&kind=" + kind() : ""); },
    choose: function (item) {
      var path = item.kind === "occupation" ? "/beroepen/" : "/vaardigheden/";
      window.location.href = base + path + item.uuid;
    },
    decorate: function (li, item) {
      // Several concepts can share a label ("lasser"): the kind tells an occupation from a skill.
      var kindText = input.dataset["text" + (item.kind === "occupation" ? "Occupation" : "Skill")];
      if (kindText) {
        var span = document.createElement("span");
        span.className = "option-kind";
        span.textContent = " (" + kindText + ")";
        li.appendChild(span);
      }
    }
  });
})();
