// A contract's cumulative investment vs cumulative revenue by year, drawn with ECharts from the
// data the page embeds with json_script (no inline script: the page's CSP allows only its own
// files). Amounts arrive as exact decimal strings of yuan and are shown in 万元.
(function () {
  const element = document.getElementById("payback-chart");
  const source = document.getElementById("payback-chart-data");
  if (!element || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = JSON.parse(
    element.dataset.labels || '{"investment":"累计投资","revenue":"累计收益","payback":"回收年"}'
  );
  const wan = (values) => values.map((v) => Math.round(Number(v) / 100) / 100);
  const chart = echarts.init(element, null, { renderer: "svg" });
  const revenue = { name: labels.revenue, type: "line", data: wan(data.revenue) };
  if (data.payback_year) {
    revenue.markLine = {
      symbol: "none",
      label: { formatter: labels.payback + " " + data.payback_year },
      data: [{ xAxis: data.payback_year }],
    };
  }
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + " " + (labels.unit || "万元")) },
    legend: { top: 0, data: [labels.investment, labels.revenue] },  // ECharts 6 defaults to the bottom, over the axis
    grid: { left: 64, right: 16, top: 32, bottom: 32 },
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value", axisLabel: { formatter: "{value}" } },
    series: [
      { name: labels.investment, type: "line", step: "end", data: wan(data.investment),
        lineStyle: { type: "dashed" } },
      revenue,
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
