// The chart library, loaded only by the pages that draw charts, and charts that follow their container's size.

let library = null;
const live = new Set();

/** The ECharts module (fetched once, from this server). */
export function echarts() {
  library ??= import("../vendor/echarts.esm.min.js");
  return library;
}

/** A chart in a container; charts of the previous page are disposed of first. */
export async function chart(container) {
  const lib = await echarts();
  for (const old of live) {
    if (!old.chart.getDom().isConnected) dispose(old);
  }
  const instance = lib.init(container, null, { renderer: "canvas" });
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(container);
  live.add({ chart: instance, observer });
  return instance;
}

function dispose(entry) {
  entry.observer.disconnect();
  entry.chart.dispose();
  live.delete(entry);
}

/** A tooltip body built from text lines (ECharts accepts elements, so data never goes through innerHTML). */
export function tooltip(title, lines) {
  const box = document.createElement("div");
  const head = document.createElement("strong");
  head.textContent = title;
  box.append(head);
  for (const line of lines) {
    const row = document.createElement("div");
    row.textContent = line;
    box.append(row);
  }
  return box;
}
