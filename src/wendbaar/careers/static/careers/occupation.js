// Occupation picker of the loopbaan-APK: the project's combobox (web/combobox.js) over the skills app's
// suggestions (/api/v1/suggestions?kind=occupation, Dutch and English labels). Without this script the form
// still works: the "find my job" button lists the matches.
(function () {
  "use strict";
  if (!window.wendbaarCombobox) { return; }

  function enhance(input) {
    var list = document.getElementById(input.id + "-list");
    var hidden = document.getElementById(input.dataset.uriField);
    var status = document.getElementById(input.id + "-status");
    if (!list || !hidden) { return; }

    function forgetServerChoices() {
      // A list of choices the server made for an earlier text no longer fits what is typed now.
      var choices = document.getElementById(input.id + "-choices");
      if (choices) { choices.remove(); }
    }
    window.wendbaarCombobox(input, {
      list: list,
      status: status,
      url: function (q) { return input.dataset.occupationSuggest + "?kind=occupation&q=" + encodeURIComponent(q); },
      onInput: function () { hidden.value = ""; forgetServerChoices(); },
      choose: function (item, combobox) {
        input.value = item.label;
        hidden.value = item.uri;
        combobox.settle(item.label);
        forgetServerChoices();
        combobox.close();
        if (status) { status.textContent = item.label; }
      }
    });
  }

  document.querySelectorAll("input[data-occupation-suggest]").forEach(enhance);
})();
