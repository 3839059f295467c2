// Sends queued emails batch after batch while the page is open, showing
// progress. Without this script, the "Send the next batch" button does it.
(function () {
  "use strict";
  var box = document.querySelector("[data-outbox-url]");
  var form = document.querySelector("[data-outbox-form]");
  if (!box || !form || Number(box.dataset.queued) === 0) return;
  var status = box.querySelector("[data-outbox-status]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var button = form.querySelector("button");
  button.disabled = true;

  function next() {
    fetch(box.dataset.outboxUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (counts) {
        status.textContent =
          counts.sent + " sent, " + counts.queued + " waiting, " + counts.failed + " failed.";
        if (counts.left > 0) {
          next();
        } else {
          status.textContent += " All done.";
          form.hidden = true;
        }
      })
      .catch(function () {
        status.textContent += " Sending stopped; press the button to carry on.";
        button.disabled = false;
      });
  }
  next();
})();
