// Occupation picker of the loopbaan-APK: a WAI-ARIA 1.2 combobox with list autocomplete over the skills
// app's suggestions (/api/v1/suggestions?kind=occupation, Dutch and English labels). Our own code, no
// third-party JS. Without this script the form still works: the "find my job" button lists the matches.
(function () {
  "use strict";

  function enhance(input) {
    var list = document.getElementById(input.id + "-list");
    var hidden = document.getElementById(input.dataset.uriField);
    var status = document.getElementById(input.id + "-status");
    if (!list || !hidden) { return; }
    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

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
    function forgetServerChoices() {
      // A list of choices the server made for an earlier text no longer fits what is typed now.
      var choices = document.getElementById(input.id + "-choices");
      if (choices) { choices.remove(); }
    }
    function choose(item) {
      input.value = item.label;
      hidden.value = item.uri;
      lastQuery = item.label;
      forgetServerChoices();
      close();
      if (status) { status.textContent = item.label; }
    }
    function render() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.label;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      if (status) { status.textContent = input.dataset.textCount + ": " + items.length; }
    }
    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) { items = []; render(); return; }
      if (q === lastQuery) { return; }
      lastQuery = q;
      var url = input.dataset.occupationSuggest + "?kind=occupation&q=" + encodeURIComponent(q);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (input.value.trim() === q) { items = data; active = -1; render(); } })
        .catch(function () { items = []; render(); });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      forgetServerChoices();
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
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
        if (open && active >= 0) { event.preventDefault(); choose(items[active]); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-occupation-suggest]").forEach(enhance);
})();
