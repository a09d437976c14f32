/* Draw the office charts from JSON embedded in the page (no inline code).
   <div data-chart="bars" data-source="ID"> reads {names, series: {name: values}, line?, line_label?, percent?}
   from <script type="application/json" id="ID">; a line draws a dashed threshold (e.g. 50 %). */
(function () {
  "use strict";
  var COLOURS = ["#0b5cad", "#9aa9bb", "#d97706"];
  function barChart(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var values = [].concat.apply([], Object.values(data.series));
    if (!data.names.length || values.every(function (v) { return v === null || v === 0; })) {
      el.classList.add("chart-empty");
      el.textContent = el.getAttribute("data-empty");
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var names = Object.keys(data.series);
    var marked = data.line !== undefined && data.line !== null;
    var percent = marked || data.percent === true;
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis" },
      legend: { data: names, top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, width: 110, overflow: "truncate", rotate: data.names.length > 6 ? 30 : 0 } },
      yAxis: percent ? { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } } : { type: "value", minInterval: 1 },
      series: names.map(function (name, i) {
        var series = { name: name, type: "bar", data: data.series[name], barGap: "10%", barMaxWidth: 48 };
        if (marked && i === 0) {
          series.markLine = {
            symbol: "none",
            silent: true,
            lineStyle: { color: "#b3261e", type: "dashed", width: 2 },
            label: { formatter: data.line_label || (data.line + "%"), position: "insideEndTop", color: "#b3261e" },
            data: [{ yAxis: data.line }]
          };
        }
        return series;
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(barChart);
})();
