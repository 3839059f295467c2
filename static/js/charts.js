// Draws every chart on the page from the figure JSON placed beside it with
// json_script, so no inline script is needed.
//
// Each figure carries a layout for a wide container and `narrow`, the
// changes for one under NARROW px (a phone). The chart is drawn at its
// container's width and drawn again when that width changes (a resize, a
// rotated phone) and before printing, at the printed page's width.
(function () {
  "use strict";
  var NARROW = 576;
  // The printable width of A4 and of Letter with 15 mm margins, in CSS px,
  // rounded down: a chart drawn this wide fits either page.
  var PRINT_WIDTH = 640;
  var config = { displayModeBar: false, responsive: false };
  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));

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
    if (!figure || !window.Plotly) return Promise.resolve();
    width = Math.floor(width || container.clientWidth);
    if (!width || width === container._drawnWidth) return Promise.resolve();
    container._drawnWidth = width;
    return window.Plotly.react(
      container,
      dataFor(figure, width),
      layoutFor(figure, width),
      config
    ).then(
      function () {
        container.dataset.drawn = "true";
        container.dataset.layout = width < NARROW ? "narrow" : "wide";
      }
    );
  }

  charts.forEach(function (container) {
    draw(container);
  });

  var pending = null;
  function redrawAll() {
    pending = null;
    charts.forEach(function (container) {
      draw(container);
    });
  }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(function () {
      if (!pending) pending = window.requestAnimationFrame(redrawAll);
    });
    charts.forEach(function (container) {
      observer.observe(container);
    });
  } else {
    window.addEventListener("resize", function () {
      if (!pending) pending = window.requestAnimationFrame(redrawAll);
    });
  }

  // Printing: draw each chart at a width that fits the page, then back.
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (container) {
      draw(container, Math.min(PRINT_WIDTH, container.clientWidth || PRINT_WIDTH));
    });
  });
  window.addEventListener("afterprint", redrawAll);

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
