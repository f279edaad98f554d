// WAI-ARIA 1.2 combobox with list autocomplete for the taxonomy search. No third-party code.
(function () {
  "use strict";
  var input = document.querySelector("input[role=combobox][data-suggest-url]");
  if (!input) { return; }
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var status = document.getElementById("taxonomy-q-status");
  var base = window.location.pathname.replace(/\/$/, "");
  var items = [];
  var active = -1;
  var timer = null;
  var lastQuery = "";

  function kind() {
    var checked = document.querySelector("input[name=kind]:checked");
    return checked ? checked.value : "";
  }
  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function setActive(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (el, i) { el.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function go(item) {
    var path = item.kind === "occupation" ? "/beroepen/" : "/vaardigheden/";
    window.location.href = base + path + item.uuid;
  }
  function render() {
    list.innerHTML = "";
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "taxonomy-q-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = item.label;
      // Several concepts can share a label ("lasser"): the kind tells an occupation from a skill.
      var kindText = input.dataset["text" + (item.kind === "occupation" ? "Occupation" : "Skill")];
      if (kindText) {
        var span = document.createElement("span");
        span.className = "option-kind";
        span.textContent = " (" + kindText + ")";
        li.appendChild(span);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); go(item); });
      list.appendChild(li);
    });
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
    if (status) {
      status.textContent = input.dataset.textCount + ": " + items.length;  // "Suggesties: 3", no plural rules needed
    }
  }
  function fetchSuggestions() {
    var q = input.value.trim();
    if (q.length < 2) { items = []; render(); return; }
    if (q === lastQuery) { return; }
    lastQuery = q;
    var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(q) + (kind() ? "&kind=" + kind() : "");
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (data) { if (input.value.trim() === q) { items = data; active = -1; render(); } })
      .catch(function () { items = []; render(); });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) { lastQuery = ""; fetchSuggestions(); return; }
      setActive(active + 1 >= items.length ? 0 : active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (open) { setActive(active <= 0 ? items.length - 1 : active - 1); }
    } else if (event.key === "Enter") {
      if (open && active >= 0) { event.preventDefault(); go(items[active]); }
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); close(); } else { input.value = ""; }
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
