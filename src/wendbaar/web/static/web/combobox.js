// The project's one WAI-ARIA 1.2 combobox with list autocomplete. No third-party code.
// wendbaarCombobox(input, options) wires a text field to a listbox of suggestions:
//   options.list       the <ul role=listbox> (required)
//   options.status     an element with role=status for the count, or null
//   options.url(q)     the suggestions URL for the typed text; the answer is a JSON list of {label, ...}
//   options.choose(item, combobox)  what choosing a suggestion does
//   options.decorate(li, item)      optional: add to an option (e.g. its kind)
//   options.onInput()  optional: called on every keystroke, before suggestions are fetched
//   options.delay      ms to wait after typing (default 150); options.clearOnEscape: Escape empties a closed field
(function () {
  "use strict";

  window.wendbaarCombobox = function (input, options) {
    var list = options.list;
    var status = options.status;
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
      var optionEls = list.querySelectorAll("[role=option]");
      optionEls.forEach(function (el, i) { el.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && optionEls[index]) {
        input.setAttribute("aria-activedescendant", optionEls[index].id);
        optionEls[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    var combobox = {
      close: close,
      settle: function (text) { lastQuery = text; }  // a chosen label is not a new query
    };
    function choose(item) { options.choose(item, combobox); }
    function render() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.label;
        if (options.decorate) { options.decorate(li, item); }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
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
      fetch(options.url(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (input.value.trim() === q) { items = data; active = -1; render(); } })
        .catch(function () { items = []; render(); });
    }

    input.addEventListener("input", function () {
      if (options.onInput) { options.onInput(); }
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, options.delay || 150);
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
        if (open) { event.preventDefault(); close(); } else if (options.clearOnEscape) { input.value = ""; }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    return combobox;
  };
})();
