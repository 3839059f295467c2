// Draws every chart on the page from the figure JSON placed beside it with
// json_script, so no inline script is needed.
//
// plotly.js is large, so it is fetched only once a chart comes near the
// screen, or when the page is printed: the page paints its positions (the
// summary and the table) without waiting for it. Each figure carries a
// layout for a wide container and `narrow`, the changes for one under
// NARROW px (a phone). A chart is drawn at its container's width and drawn
// again when that width changes (a resize, a rotated phone) and before
// printing, at the printed page's width.
(function () {
  "use strict";
  var NARROW = 576;
  // The printable width of A4 and of Letter with 15 mm margins, in CSS px,
  // rounded down: a chart drawn this wide fits either page.
  var PRINT_WIDTH = 640;
  var config = { displayModeBar: false, responsive: false };
  var script = document.currentScript;
  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  var loading = null;

  function plotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = script.dataset.plotly;
        tag.onload = function () {
          resolve(window.Plotly);
        };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function figureOf(container) {
    if (!container._figure) {
      var source = document.getElementById(container.dataset.figure);
      container._figure = source ? JSON.parse(source.textContent) : null;
    }
    return container._figure;
  }

  function layoutFor(figure, width) {
    var layout = Object.assign({}, figure.layout, width < NARROW ? figure.narrow || {} : {});
    layout.width = width;
    return layout;
  }

  function dataFor(figure, width) {
    var changes = width < NARROW ? figure.narrow_traces || [] : [];
    return figure.data.map(function (trace, index) {
      return Object.assign({}, trace, changes[index] || {});
    });
  }

  function draw(container, width) {
    var figure = figureOf(container);
    width = Math.floor(width || container.clientWidth);
    if (!figure || !width || width === container._drawnWidth) return Promise.resolve();
    container._drawnWidth = width;
    return plotly().then(function (Plotly) {
      return Plotly.react(container, dataFor(figure, width), layoutFor(figure, width), config);
    }).then(function () {
      container.dataset.drawn = "true";
      container.dataset.layout = width < NARROW ? "narrow" : "wide";
    });
  }

  var started = false;
  function drawAll() {
    started = true;
    return Promise.all(
      charts.map(function (container) {
        return draw(container);
      })
    );
  }

  // The first chart on screen fetches plotly.js and draws them all, once
  // the page is idle: reading the summary and the tables never waits for
  // it, and a chart nobody scrolls to costs nothing.
  function whenIdle(callback) {
    if (window.requestIdleCallback) window.requestIdleCallback(callback, { timeout: 2000 });
    else window.setTimeout(callback, 200);
  }
  if (charts.length) {
    if (window.Plotly || !window.IntersectionObserver) {
      drawAll();
    } else {
      var seen = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          seen.disconnect();
          whenIdle(drawAll);
        }
      });
      charts.forEach(function (container) {
        seen.observe(container);
      });
    }
  }
  // For a script that prints the page (the server's PDF): draw everything now.
  window.spectrumCharts = { drawAll: drawAll };

  var pending = null;
  function redrawAll() {
    pending = null;
    if (started) drawAll();
  }
  function soon() {
    if (!pending) pending = window.requestAnimationFrame(redrawAll);
  }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(soon);
    charts.forEach(function (container) {
      observer.observe(container);
    });
  } else {
    window.addEventListener("resize", soon);
  }

  // Printing: every section open, each chart drawn at a width that fits
  // the page; afterwards, the sections as they were and the charts redrawn.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    closed.forEach(function (details) {
      details.open = true;
    });
    if (window.Plotly) {
      charts.forEach(function (container) {
        draw(container, Math.min(PRINT_WIDTH, container.clientWidth || PRINT_WIDTH));
      });
    }
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (details) {
      details.open = false;
    });
    closed = [];
    redrawAll();
  });

  // The print button makes sure the charts are there before printing.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      drawAll().then(function () {
        window.print();
      });
    });
  });

  // Copy buttons, shown only where the clipboard can be written. What they
  // say comes from the page, in its language (data-copied, data-refused).
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.querySelector('[data-copy-status="' + button.dataset.copy + '"]');
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          if (status) status.textContent = status.dataset.copied || "";
        },
        function () {
          field.select();
          if (status) status.textContent = status.dataset.refused || "";
        }
      );
    });
  });
})();
