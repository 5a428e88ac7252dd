// Disbursement and physical progress of each NTM work against the elapsed share of its schedule.
(function () {
  var holder = document.getElementById("works-chart");
  var source = document.getElementById("works-chart-data");
  if (!holder || !source || !window.Plotly) return;
  var data = JSON.parse(source.textContent);
  var vi = document.documentElement.lang !== "en";
  Plotly.newPlot(holder, [
    { type: "bar", orientation: "h", y: data.names, x: data.disbursed, name: vi ? "Giải ngân (%)" : "Disbursed (%)" },
    { type: "bar", orientation: "h", y: data.names, x: data.progress, name: vi ? "Khối lượng hoàn thành (%)" : "Physical progress (%)" },
    { type: "scatter", mode: "markers", y: data.names, x: data.scheduled, name: vi ? "Theo kế hoạch (%)" : "Scheduled (%)",
      marker: { symbol: "line-ns-open", size: 18, color: "#c62828", line: { width: 3 } } }
  ], {
    barmode: "group", height: 120 + 60 * data.names.length, margin: { r: 20, t: 20, b: 40 },
    xaxis: { range: [0, 100], ticksuffix: "%" }, yaxis: { automargin: true, autorange: "reversed" },
    legend: { orientation: "h" },
    separators: vi ? ",." : ".,"
  }, { displayModeBar: false, responsive: true });
})();
