/* Báo cáo nhanh: one small bar chart per set pursued by several units, sized for A4. */
(function () {
  "use strict";
  var charts = window.NTMCharts;
  var d = charts.data("chart-data");
  if (!d || !window.Plotly) { return; }
  d.bars.forEach(function (bar, i) {
    var el = document.getElementById("chart-brief-" + i);
    if (el) { charts.bar(el, bar, { compact: true }); }
  });
})();
