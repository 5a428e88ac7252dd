/* Tổng quan: draws the trend, and per set the bar chart, the heatmap and the unmet indicators. */
(function () {
  "use strict";
  var charts = window.NTMCharts;
  var d = charts.data("chart-data");
  if (!d || !window.Plotly) { return; }
  var trendEl = document.getElementById("chart-trend");
  if (trendEl) { charts.trend(trendEl, d.trend); }
  d.sets.forEach(function (s) {
    var el = document.getElementById("chart-bar-" + s.code);
    if (el) { charts.bar(el, s.bar); }
    el = document.getElementById("chart-heatmap-" + s.code);
    if (el) { charts.heatmap(el, s.heatmap); }
    el = document.getElementById("chart-unmet-" + s.code);
    if (el) { charts.unmet(el, s.unmet); }
  });
})();
