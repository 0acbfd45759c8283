/* Trend charts of the monitoring dashboards (target line and realisation per year), drawn with
   the locally served plotly.js, following welfare_charts.js. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("monitoring-chart-data");
    if (!source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    var text = data.text;
    var lang = document.documentElement.lang;
    var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"]};
    data.series.forEach(function (series) {
      var node = document.getElementById("trend-" + series.code);
      if (!node) return;
      var traces = [
        {type: "bar", name: text.realisation, x: series.years, y: series.realisation, marker: {color: "#1d91c0"},
         hovertemplate: "%{x}: %{y} " + series.unit + "<extra>" + text.realisation + "</extra>"},
        {type: "scatter", mode: "lines+markers", name: text.target, x: series.years, y: series.target,
         connectgaps: true, line: {color: "#cc4c02", dash: "dash"},
         hovertemplate: "%{x}: %{y} " + series.unit + "<extra>" + text.target + "</extra>"}
      ];
      var layout = {
        height: 240, margin: {l: 56, r: 12, t: 8, b: 32},
        separators: lang === "id" ? ",." : ".,",
        font: {family: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif", size: 11},
        legend: {orientation: "h", x: 0, y: 1.1},
        xaxis: {type: "category"}, yaxis: {rangemode: "tozero"},
        paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"
      };
      Plotly.newPlot(node, traces, layout, config);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
