/* Draw the dashboard charts from JSON embedded in the page (no inline code). */
(function () {
  "use strict";
  function quotaChart(el) {
    var source = document.getElementById("quota-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var names = Object.keys(data.series);
    chart.setOption({
      color: ["#0b5cad", "#9aa9bb", "#d97706"],
      tooltip: { trigger: "axis" },
      legend: { data: names, top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, width: 120, overflow: "break" } },
      yAxis: { type: "value", minInterval: 1 },
      series: names.map(function (name) {
        return { name: name, type: "bar", data: data.series[name], barGap: "10%" };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart=quota]").forEach(quotaChart);
})();
