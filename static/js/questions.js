// Saves each answer as it is chosen, so a reload or a dropped connection
// loses nothing. The form works without this script: Next and Back save too.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) return;
  var status = document.querySelector("[data-autosave-status]");
  var progressText = document.querySelector("[data-progress-text]");
  var progressBar = document.querySelector("[data-progress-bar]");
  var progress = document.querySelector("[role=progressbar]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  // The words come from the page, in its language (data-* attributes).
  function say(key) {
    if (status && status.dataset[key]) status.textContent = status.dataset[key];
  }

  function answeredText(answered, total) {
    var template = progressText && progressText.dataset.progressTemplate;
    if (!template) return null;
    return template.replace("{answered}", answered).replace("{total}", total);
  }

  // One save in flight at a time: answers chosen meanwhile wait and go
  // together in the next one. Parallel saves could reach the server out of
  // order and store an older answer over a newer one, and SQLite refuses
  // concurrent writes ("database is locked").
  var pending = {};
  var saving = false;

  function saveNext() {
    var names = Object.keys(pending);
    if (saving || names.length === 0) return;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    names.forEach(function (name) {
      body.append(name, pending[name]);
    });
    pending = {};
    saving = true;
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || response.status);
          return data;
        });
      })
      .then(function (data) {
        say("saved");
        var answered = answeredText(data.answered, data.total);
        if (answered) progressText.textContent = answered;
        if (progressBar) progressBar.style.width = Math.round((100 * data.answered) / data.total) + "%";
        if (progress) progress.setAttribute("aria-valuenow", data.answered);
      })
      .catch(function () {
        say("notSaved");
      })
      .then(function () {
        saving = false;
        saveNext();
      });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio") return;
    pending[input.name] = input.value;
    saveNext();
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
