// Draws every chart on the page from the figure JSON placed beside it with
// json_script, so no inline script is needed.
(function () {
  "use strict";
  var config = { displayModeBar: false, responsive: true };

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
      container.dataset.drawn = "true";
    });
  }

  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  charts.forEach(draw);

  // Printed pages are narrower than the screen: redraw to fit, and back after.
  function resizeAll() {
    charts.forEach(function (container) {
      if (container.dataset.drawn) window.Plotly.Plots.resize(container);
    });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
