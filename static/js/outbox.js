// Sends queued emails batch after batch while the page is open, showing
// progress, and shows the latest emails as they now stand (sent, failed,
// with their times) from what each batch answers. Without this script, the
// "Send the next batch" button does it, and the page reloads.
(function () {
  "use strict";
  var box = document.querySelector("[data-outbox-url]");
  var form = document.querySelector("[data-outbox-form]");
  if (!box || !form || Number(box.dataset.queued) === 0) return;
  var status = box.querySelector("[data-outbox-status]");
  var rows = document.querySelector("[data-outbox-rows]");
  var retry = document.querySelector("[data-outbox-retry]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var button = form.querySelector("button");
  button.disabled = true;

  function cell(tag, text, iso) {
    var element = document.createElement(tag);
    if (iso) {
      var time = document.createElement("time");
      time.dateTime = iso;
      time.textContent = text;
      element.appendChild(time);
    } else {
      element.textContent = text;
    }
    return element;
  }

  // Text only, never markup: addresses and errors come from outside.
  function showEmails(emails) {
    if (!rows || !Array.isArray(emails) || emails.length === 0) return;
    var fresh = document.createDocumentFragment();
    emails.forEach(function (email) {
      var row = document.createElement("tr");
      row.dataset.emailId = email.id;
      var to = cell("th", email.to);
      to.scope = "row";
      to.className = "text-break";
      row.appendChild(to);
      row.appendChild(cell("td", email.kind));
      var state = cell("td", email.status_text);
      state.dataset.emailStatus = email.status;
      row.appendChild(state);
      var queued = cell("td", email.queued, email.queued_iso);
      queued.className = "d-none d-md-table-cell"; // as in the page: too wide for a phone
      row.appendChild(queued);
      row.appendChild(email.sent ? cell("td", email.sent, email.sent_iso) : cell("td", "—"));
      fresh.appendChild(row);
    });
    rows.replaceChildren(fresh);
  }

  function showFailed(failed) {
    if (!retry) return;
    retry.hidden = failed === 0;
    var count = retry.querySelector("[data-outbox-failed]");
    if (count) count.textContent = failed;
  }

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
        showEmails(counts.emails);
        showFailed(counts.failed);
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
