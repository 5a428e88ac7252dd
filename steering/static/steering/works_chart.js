// Disbursement and physical progress of each NTM work against the elapsed share of its schedule.
(function () {
  var holder = document.getElementById("works-chart");
  var source = document.getElementById("works-chart-data");
  if (!holder || !source || !window.Plotly) return;
  var data = JSON.parse(source.textContent);
  var vi = document.documentElement.lang !== "en";
  // Long work names on lines of a width the screen allows (a phone gives the axis about a third
  // of 390 px): one label per line would push the names past the chart's left edge.
  var width = holder.clientWidth < 600 ? 16 : 36;
  function wrap(name) {
    var lines = [], line = "";
    name.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }
  var names = data.names.map(wrap);
  var lines = names.reduce(function (most, n) { return Math.max(most, n.split("<br>").length); }, 1);
  Plotly.newPlot(holder, [
    { type: "bar", orientation: "h", y: names, x: data.disbursed, name: vi ? "Giải ngân (%)" : "Disbursed (%)" },
    { type: "bar", orientation: "h", y: names, x: data.progress, name: vi ? "Khối lượng hoàn thành (%)" : "Physical progress (%)" },
    { type: "scatter", mode: "markers", y: names, x: data.scheduled, name: vi ? "Theo kế hoạch (%)" : "Scheduled (%)",
      marker: { symbol: "line-ns-open", size: 18, color: "#c62828", line: { width: 3 } } }
  ], {
    barmode: "group", height: 120 + Math.max(60, 18 * lines + 24) * data.names.length, margin: { r: 20, t: 20, b: 40 },
    xaxis: { range: [0, 100], ticksuffix: "%" }, yaxis: { automargin: true, autorange: "reversed" },
    legend: { orientation: "h" },
    separators: vi ? ",." : ".,"
  }, { displayModeBar: false, responsive: true });
})();
