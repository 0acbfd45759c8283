/* Charts of the welfare distribution page, drawn with the locally served plotly.js. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("welfare-chart-data");
    if (!source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    var text = data.text;
    var lang = document.documentElement.lang;
    var height = Math.max(280, 26 * data.areas.length + 160);
    var layout = {
      barmode: "stack",
      height: height,
      margin: {l: 150, r: 16, t: 16, b: 48},
      separators: lang === "id" ? ",." : ".,",
      font: {family: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif", size: 12},
      legend: {orientation: "h", x: 0, y: 1.02, yanchor: "bottom", traceorder: "normal"},
      yaxis: {autorange: "reversed", automargin: true},
      xaxis: {title: {text: text.shareAxis}, ticksuffix: " %", rangemode: "tozero"},
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)"
    };
    var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"]};

    var desil = data.families.map(function (counts, index) {
      return {
        type: "bar", orientation: "h", name: text.desil.replace("{d}", index + 1),
        y: data.areas, x: counts, customdata: counts, marker: {color: data.colours[index]},
        hovertemplate: "%{y}<br>" + text.desil.replace("{d}", index + 1) + ": %{customdata} " + text.families +
          " (%{x:.1f} %)<extra></extra>"
      };
    });
    Plotly.newPlot("chart-desil", desil, Object.assign({}, layout, {barnorm: "percent"}), config);

    var poverty = [
      {type: "bar", orientation: "h", name: text.poor, y: data.areas, x: data.poor, marker: {color: "#ec7014"},
       hovertemplate: "%{y}<br>" + text.poor + ": %{x} %<extra></extra>"},
      {type: "bar", orientation: "h", name: text.extreme, y: data.areas, x: data.extreme, marker: {color: "#8c2d04"},
       hovertemplate: "%{y}<br>" + text.extreme + ": %{x} %<extra></extra>"}
    ];
    Plotly.newPlot("chart-poverty", poverty, Object.assign({}, layout, {barmode: "group"}), config);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
