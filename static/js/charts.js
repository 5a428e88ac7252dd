/* Drawing helpers shared by the report pages. Data arrive already computed and labelled in
   Vietnamese (json_script); these functions only draw them with plotly.js from our own static
   files. Numbers use the Vietnamese separators: 17,87 and 1.234. */
(function () {
  "use strict";

  /* Safe for red-green colour blindness and for greyscale: met is dark blue, not met light orange
     (luminance contrast 3.99:1), no data near white; heatmap cells also carry a mark (✓ ✗ ?).
     The same values as --met, --unmet and --missing in app.css. */
  var COLORS = { met: "#1f4e8c", unmet: "#f2a33a", missing: "#eef1f4", brand: "#1f6f43", line: "#d9dee5", warn: "#a64100" };
  var SERIES = ["#1f6f43", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037"];
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';

  function layout(extra) {
    var base = {
      separators: ",.",
      font: { family: FONT, size: 12, color: "#1d2733" },
      margin: { l: 8, r: 16, t: 8, b: 36 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      hoverlabel: { font: { family: FONT } },
      showlegend: false
    };
    return Object.assign(base, extra || {});
  }

  var CONFIG = { displayModeBar: false, responsive: true, scrollZoom: false };

  function go(url) {
    if (url) { window.location.href = url; }
  }

  function onClickGo(el, pick) {
    el.on("plotly_click", function (event) {
      if (event && event.points && event.points.length) { go(pick(event.points[0])); }
    });
  }

  /* Criteria met per unit, best first, with the set's total marked by a dashed line. */
  function bar(el, d, options) {
    options = options || {};
    var rowHeight = options.compact ? 15 : 26;  // compact: the brief's A4 page
    var trace = {
      type: "bar", orientation: "h", y: d.units, x: d.values, text: d.labels,
      textposition: "auto", insidetextanchor: "end", customdata: d.urls, cliponaxis: false,
      marker: { color: d.values.map(function (v) { return v >= d.total ? COLORS.met : COLORS.brand; }) },
      hovertemplate: "%{y}: %{text}<extra></extra>"
    };
    var lay = layout({
      height: Math.max(options.compact ? 110 : 160, 50 + rowHeight * d.units.length),
      margin: options.compact ? { l: 8, r: 16, t: 18, b: 24 } : { l: 8, r: 16, t: 22, b: 30 },
      xaxis: { range: [0, d.total * 1.05], title: options.compact ? undefined : { text: d.axis_label }, gridcolor: COLORS.line, zeroline: false, dtick: d.total > 10 ? 5 : 1 },
      yaxis: { autorange: "reversed", automargin: true },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: d.total, x1: d.total, y0: 0, y1: 1, line: { color: COLORS.warn, width: 2, dash: "dash" } }],
      annotations: [{ xref: "x", yref: "paper", x: d.total, y: 1, yanchor: "bottom", xanchor: "right", text: d.total_label, showarrow: false, font: { size: 11, color: COLORS.warn } }]
    });
    if (options.compact) {
      // Printed on A4 no chart text is under 8 pt (11 px): plotly would shrink a bar's label to
      // fit inside its bar (to about 3 pt), so the labels keep 11 px and may run past the bar.
      lay.font.size = 11; lay.annotations[0].font.size = 11;
      lay.uniformtext = { minsize: 11, mode: "show" };
      lay.margin.r = 24;
    }
    return Plotly.newPlot(el, [trace], lay, CONFIG).then(function () {
      onClickGo(el, function (p) { return p.customdata; });
    });
  }

  /* Unit x criterion: met (blue, ✓), not met (orange, ✗), no data (light grey, ?); a click
     opens the criterion. */
  function heatmap(el, d) {
    var custom = d.z.map(function (row, r) {
      return row.map(function (_, c) { return [d.text[r][c], d.details[r][c], d.urls[r][c]]; });
    });
    // Each column is named ("13. Tổ chức sản xuất…"), upright over a few short lines.
    var ticks = d.criteria.map(function (name) { return wrapWords(name, 22).join("<br>"); });
    var trace = {
      type: "heatmap", z: d.z, x: d.criteria, y: d.units, customdata: custom,
      zmin: 0, zmax: 2, showscale: false, xgap: 2, ygap: 2,
      // The mark in every cell; with no text colour set plotly picks, per cell, one that reads
      // on its fill (white on blue, dark on orange and grey).
      text: d.marks, texttemplate: "%{text}", textfont: { size: 13 },
      colorscale: [[0, COLORS.unmet], [0.33, COLORS.unmet], [0.34, COLORS.missing], [0.66, COLORS.missing], [0.67, COLORS.met], [1, COLORS.met]],
      hovertemplate: "%{y}<br>%{x}<br>%{customdata[0]} (%{customdata[1]} " + d.indicators_label + ")<extra></extra>"
    };
    var lay = layout({
      height: 70 + 30 * d.units.length + 150,
      margin: { l: 8, r: 8, t: 8, b: 40 },
      xaxis: {
        type: "category", tickangle: -90, automargin: true, fixedrange: true,
        tickvals: d.criteria, ticktext: ticks, tickfont: { size: 10 }
      },
      yaxis: { type: "category", autorange: "reversed", automargin: true, fixedrange: true }
    });
    return Plotly.newPlot(el, [trace], lay, CONFIG).then(function () {
      onClickGo(el, function (p) { return p.customdata && p.customdata[2]; });
      el.style.cursor = "pointer";
    });
  }

  /* Chỉ tiêu chưa đạt nhiều nhất: how many units have not met each indicator. */
  function unmet(el, d) {
    // Indicators are named ("17.7 (Môi trường và an toàn thực phẩm)"): long names wrap rather
    // than squeeze the bars or run off the chart's left edge.
    var lines = 0;
    var ticks = d.labels.map(function (label) {
      var wrapped = wrapWords(label, 34);
      lines += wrapped.length;
      return wrapped.join("<br>");
    });
    var trace = {
      type: "bar", orientation: "h", y: d.labels, x: d.counts, text: d.texts, customdata: d.units,
      textposition: "auto", marker: { color: COLORS.unmet }, textfont: { color: "#1d2733" },
      hovertemplate: "%{y}: %{text}<br>%{customdata}<extra></extra>"
    };
    var lay = layout({
      height: Math.max(160, 50 + 12 * d.labels.length + 14 * lines),
      // Counts over a province or the nation run to thousands: plotly picks the ticks there.
      xaxis: { title: { text: d.axis_label }, dtick: d.auto_ticks ? undefined : 1, gridcolor: COLORS.line, rangemode: "tozero" },
      yaxis: { autorange: "reversed", automargin: true, type: "category", tickvals: d.labels, ticktext: ticks }
    });
    return Plotly.newPlot(el, [trace], lay, CONFIG);
  }

  /* Where to put each point's label so that close lines do not print over each other: above
     the point unless the line just below is nearer than the one just above. */
  function labelPositions(series) {
    var positions = series.map(function (s) { return s.y.map(function () { return "top center"; }); });
    if (!series.length) { return positions; }
    series[0].y.forEach(function (_, j) {
      var order = series.map(function (s, i) { return i; }).sort(function (a, b) { return series[b].y[j] - series[a].y[j]; });
      order.forEach(function (i, rank) {
        var y = series[i].y[j];
        var above = rank > 0 ? series[order[rank - 1]].y[j] - y : Infinity;
        var below = rank < order.length - 1 ? y - series[order[rank + 1]].y[j] : Infinity;
        positions[i][j] = (rank === order.length - 1 && rank > 0) || above < below ? "bottom center" : "top center";
      });
    });
    return positions;
  }

  /* The district's averages over every date with data: one line per set, in % of criteria met. */
  /* A set's name over as many lines as the chart's width needs, so that on a phone the legend
     shows every name whole (the names differ only at their end: "... nâng cao ..."). */
  function wrapName(name, width) {
    return wrapWords(name, Math.max(20, Math.floor(width / 7)));
  }

  function wrapWords(name, perLine) {
    var lines = [], line = "";
    name.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function trend(el, d) {
    var positions = labelPositions(d.series);
    var width = el.clientWidth || 800, legendLines = 0;
    var names = d.series.map(function (s) {
      var lines = wrapName(s.name, width - 40);
      legendLines += lines.length;
      return lines.join("<br>");
    });
    var narrow = width < 700;
    var traces = d.series.map(function (s, i) {
      return {
        type: "scatter", mode: "lines+markers+text", name: names[i], x: s.x, y: s.y, text: s.percents, customdata: s.labels,
        textposition: positions[i], textfont: { size: 11, color: SERIES[i % SERIES.length] },
        line: { color: SERIES[i % SERIES.length], width: 3 }, marker: { size: 8 }, cliponaxis: false,
        hovertemplate: "%{fullData.name}<br>%{x}: %{customdata}<extra></extra>"
      };
    });
    var lay = layout({
      // On a narrow screen the legend lists one set per row below the chart, taller to fit.
      height: narrow ? 300 + 16 * legendLines + 8 * d.series.length : 340, showlegend: true,
      legend: { orientation: "h", y: narrow ? -0.08 : -0.18, yanchor: "top", x: 0, font: { size: 11 } },
      margin: { l: 56, r: 24, t: 16, b: 24 },
      xaxis: { type: "category" },
      yaxis: { title: { text: d.axis_label }, range: [0, 105], ticksuffix: "%", gridcolor: COLORS.line }
    });
    return Plotly.newPlot(el, traces, lay, CONFIG);
  }

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  window.NTMCharts = { bar: bar, heatmap: heatmap, unmet: unmet, trend: trend, data: data };
})();
