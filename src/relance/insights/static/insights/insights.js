// The Insights charts (Apache ECharts, served from this site): each .insights-chart reads
// its data from the JSON script named by data-chart, with every value's text already
// formatted on the server in the reader's language; the axes use the page's language too,
// and ECharts' own words (aria, legend, dates) come from the page's #chart-locale (Django's
// catalogues).
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;
  const language = document.documentElement.lang || "en";
  const localeSource = document.getElementById("chart-locale");
  const locale = localeSource ? JSON.parse(localeSource.textContent) : null;
  const texts = (locale && locale.texts) || { line: "{name}: {value}", empty: "—" };

  function axisFormatter(spec) {
    if (spec.unit === "money") {
      const format = new Intl.NumberFormat(language, {
        style: "currency", currency: spec.currency, notation: "compact", maximumFractionDigits: 1,
      });
      return (value) => format.format(value);
    }
    const format = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    const suffix = spec.unit === "percent" ? (language.startsWith("fr") ? " %" : "%") : "";
    return (value) => format.format(value) + suffix;
  }

  function tooltip(spec) {
    return (params) => {
      const list = Array.isArray(params) ? params : [params];
      if (!list.length) return "";
      const index = list[0].dataIndex;
      const lines = [echarts.format.encodeHTML(spec.labels[index])];
      list.forEach((point) => {
        const text = spec.series[point.seriesIndex].texts[index] || texts.empty;
        lines.push(point.marker + texts.line
          .replace("{name}", echarts.format.encodeHTML(point.seriesName))
          .replace("{value}", "<b>" + echarts.format.encodeHTML(text) + "</b>"));
      });
      return lines.join("<br>");
    };
  }

  function draw(element) {
    const source = document.getElementById(element.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const chart = echarts.init(element, null, locale ? { renderer: "canvas", locale: locale } : { renderer: "canvas" });
    const stacked = Boolean(spec.stacked);
    chart.setOption({
      animation: false,
      aria: { enabled: true },
      grid: { left: 8, right: 16, top: 40, bottom: 56, containLabel: true },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", formatter: tooltip(spec) },
      xAxis: {
        type: "category",
        data: spec.categories,
        name: spec.axes && spec.axes.x,
        nameLocation: "middle",
        nameGap: 28,
        axisLabel: { formatter: (value, index) => spec.labels[index] },
      },
      yAxis: { type: "value", name: spec.axes && spec.axes.y, axisLabel: { formatter: axisFormatter(spec) } },
      dataZoom: [{ type: "inside" }, { type: "slider", height: 20, bottom: 8, labelFormatter: (index) => spec.labels[index] || "" }],
      series: spec.series.map((serie) => ({
        name: serie.name,
        type: "line",
        data: serie.values,
        connectNulls: false,
        showSymbol: !stacked,
        stack: stacked ? "total" : undefined,
        areaStyle: stacked ? {} : undefined,
        emphasis: { focus: "series" },
      })),
    });
    chart.on("click", (point) => {
      const url = spec.drill && spec.drill[point.dataIndex];
      if (!url) return;
      const key = spec.series[point.seriesIndex].key;
      window.location.assign(key ? url + "&amount=" + encodeURIComponent(key) : url);
    });
    window.addEventListener("resize", () => chart.resize());
    element.dataset.drawn = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".insights-chart").forEach(draw);
  });
})();
