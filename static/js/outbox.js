// Shows the outbox as the background workers send it: asks the server how
// things stand every few seconds while emails are waiting or being sent,
// and redraws the counts, the progress bar, the latest emails and the ones
// that failed. It sends nothing itself: closing the page stops nothing.
// Without this script the page shows how things stood when it loaded, with
// a link to look again. Its words come translated from the page (data-text-*),
// with {sent} and the like for it to fill in.
(function () {
  "use strict";
  var box = document.querySelector("[data-outbox-url]");
  if (!box) return;
  var status = box.querySelector("[data-outbox-status]");
  var bar = box.querySelector("[data-outbox-bar]");
  var note = box.querySelector("[data-outbox-note]");
  var stalled = box.querySelector("[data-outbox-stalled]");
  var rows = document.querySelector("[data-outbox-rows]");
  var problems = document.querySelector("[data-outbox-problems]");
  var problemRows = document.querySelector("[data-outbox-problem-rows]");
  var retry = document.querySelector("[data-outbox-retry]");
  var retryInterrupted = document.querySelector("[data-outbox-retry-interrupted]");
  var EVERY = 3000;
  var failures = 0;
  var texts = box.dataset;

  function words(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

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
  function row(email, full) {
    var tr = document.createElement("tr");
    tr.dataset.emailId = email.id;
    var to = cell("th", email.to);
    to.scope = "row";
    to.className = "text-break";
    tr.appendChild(to);
    tr.appendChild(cell("td", email.kind));
    var state = cell("td", email.status_text);
    state.className = "text-break";
    state.dataset.emailStatus = email.status;
    tr.appendChild(state);
    if (full) {
      var queued = cell("td", email.queued, email.queued_iso);
      queued.className = "d-none d-md-table-cell"; // as in the page: too wide for a phone
      tr.appendChild(queued);
      tr.appendChild(email.sent ? cell("td", email.sent, email.sent_iso) : cell("td", "—"));
    }
    return tr;
  }

  function fill(body, emails, full) {
    if (!body || !Array.isArray(emails) || emails.length === 0) return;
    var fresh = document.createDocumentFragment();
    emails.forEach(function (email) {
      fresh.appendChild(row(email, full));
    });
    body.replaceChildren(fresh);
  }

  function count(form, selector, n) {
    if (!form) return;
    form.hidden = n === 0;
    var span = form.querySelector(selector);
    if (span) span.textContent = n;
  }

  function show(outbox) {
    var text = words(outbox.interrupted ? texts.textCountsInterrupted : texts.textCounts, outbox);
    if (outbox.in_flight === 0) text += " " + texts.textAllDone;
    status.textContent = text;
    if (bar) {
      bar.hidden = outbox.total === 0;
      bar.setAttribute("aria-valuemax", outbox.total);
      bar.setAttribute("aria-valuenow", outbox.sent);
      bar.firstElementChild.style.width =
        (outbox.total ? Math.floor((100 * outbox.sent) / outbox.total) : 0) + "%";
    }
    if (note && outbox.in_flight === 0) note.textContent = texts.textNothingWaiting;
    if (stalled) stalled.hidden = !outbox.stalled;
    fill(rows, outbox.emails, true);
    if (problems) problems.hidden = outbox.problems.length === 0;
    fill(problemRows, outbox.problems, false);
    count(retry, "[data-outbox-failed]", outbox.failed);
    count(retryInterrupted, "[data-outbox-interrupted]", outbox.interrupted);
  }

  function poll() {
    fetch(box.dataset.outboxUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (outbox) {
        failures = 0;
        show(outbox);
        if (outbox.in_flight > 0) window.setTimeout(poll, EVERY);
      })
      .catch(function () {
        // The page stays as it was; try again a little later, then give up.
        failures += 1;
        if (failures < 5) window.setTimeout(poll, EVERY * failures);
      });
  }

  if (Number(box.dataset.inFlight) > 0) window.setTimeout(poll, 500);
})();
