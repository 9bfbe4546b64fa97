// The project's planned vs actual S-curve (percent complete by week), drawn with ECharts from
// the data the page embeds (no inline script: the page's CSP allows only its own files).
(function () {
  const element = document.getElementById("progress-curve");
  const source = document.getElementById("progress-curve-data");
  if (!element || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = JSON.parse(element.dataset.labels || '{"planned":"计划","actual":"实际"}');
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + "%") },
    legend: { top: 0, data: [labels.planned, labels.actual] },  // ECharts 6 puts it at the bottom by default, over the axis
    grid: { left: 40, right: 16, top: 32, bottom: 32 },
    xAxis: { type: "category", data: data.weeks },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: labels.planned, type: "line", data: data.planned, showSymbol: false,
        lineStyle: { type: "dashed" } },
      { name: labels.actual, type: "line", data: data.actual, connectNulls: false },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
