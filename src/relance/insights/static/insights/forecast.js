// The cash forecast's charts (insights/forecast.html): per currency, bars of what came in
// over the past weeks and of what is expected, and a line of the past weeks' average. The
// labels come translated from the page; amounts are formatted in the page's language.
(function () {
  "use strict";
  var source = document.getElementById("forecast-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var language = document.documentElement.lang || "en";
  var localeSource = document.getElementById("chart-locale");
  var locale = localeSource ? JSON.parse(localeSource.textContent) : null;
  var empty = locale ? locale.texts.empty : "—";
  function number(value) { return value === null ? null : Number(value); }
  document.querySelectorAll(".forecast-chart").forEach(function (element) {
    var one = data.currencies[Number(element.dataset.index)];
    var money = new Intl.NumberFormat(language, { style: "currency", currency: one.currency });
    var compact = new Intl.NumberFormat(language, { notation: "compact", maximumFractionDigits: 1 });
    var chart = echarts.init(element, null, locale ? { locale: locale } : undefined);
    chart.setOption({
      animation: false,
      aria: { enabled: true },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) { return value === null || value === undefined ? empty : money.format(value); }
      },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: one.weeks, name: data.labels.week, nameLocation: "middle", nameGap: 32 },
      yAxis: { type: "value", name: data.labels.amount.replace("{currency}", one.currency), axisLabel: { formatter: function (value) { return compact.format(value); } } },
      series: [
        { name: data.labels.received, type: "bar", stack: "weeks", data: one.received.map(number), itemStyle: { color: "#198754" } },
        { name: data.labels.expected, type: "bar", stack: "weeks", data: one.expected.map(number), itemStyle: { color: "#0d6efd" } },
        { name: data.labels.average, type: "line", symbol: "none", data: one.weeks.map(function () { return Number(one.average); }), lineStyle: { type: "dashed", color: "#6c757d" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
