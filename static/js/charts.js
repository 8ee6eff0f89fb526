// Charts of the results pages: each .chart-plot names the JSON block holding its plotly figure, built on the server
// (campaigns/results/charts.py). Loaded, with plotly.js, only by pages that show charts (results/_chart_assets.html).
// No mode bar, no zoom or drag (a phone scrolls the page instead), redrawn to the container's width.
(function () {
  "use strict";

  const CONFIG = {
    displayModeBar: false,
    displaylogo: false,
    responsive: true,
    scrollZoom: false,
    doubleClick: false,
    showTips: false,
  };

  // The numbers' table is the chart when the chart cannot be drawn, and on paper.
  function openNumbers(figure) {
    const details = figure.querySelector("details.chart-numbers");
    if (details) details.open = true;
  }

  function draw(plot) {
    const figure = plot.closest("figure");
    const block = document.getElementById(plot.dataset.chart);
    if (!block || !window.Plotly) {
      openNumbers(figure);
      return;
    }
    let spec;
    try {
      spec = JSON.parse(block.textContent);
    } catch (error) {
      openNumbers(figure);
      return;
    }
    window.Plotly.newPlot(plot, spec.data, spec.layout, CONFIG).then(
      () => figure.classList.add("drawn"),
      () => openNumbers(figure),
    );
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".chart-plot[data-chart]").forEach(draw);
  });
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("figure.chart").forEach(openNumbers);
  });
})();
